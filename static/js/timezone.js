// Sign-up: tell the server the browser's time zone, so streaks count the learner's own days.
// Without JavaScript the field stays empty and the account starts on UTC.
(function () {
  "use strict";
  var field = document.querySelector('input[name="time_zone"]');
  if (!field || field.value) {
    return;
  }
  try {
    field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    field.value = "";
  }
})();
