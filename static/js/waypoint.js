// Waypoint works without JavaScript; with it, htmx makes changes in place. This file only
// tells the learner when an in-place change did not go through, instead of failing silently.
(function () {
  "use strict";

  function show(event) {
    var box = document.getElementById("request-error");
    if (!box) {
      return;
    }
    var status = event.detail && event.detail.xhr ? event.detail.xhr.status : 0;
    var key = status === 403 ? "expired" : status === 0 ? "offline" : "failed";
    box.querySelector("[data-text]").textContent = box.dataset[key];
    box.hidden = false;
  }

  document.addEventListener("htmx:responseError", show);
  document.addEventListener("htmx:sendError", show);
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-dismiss]")) {
      document.getElementById("request-error").hidden = true;
    }
  });
})();
