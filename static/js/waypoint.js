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

  // The dashboard's figures are swapped whole after a tick or a change of goals, which
  // takes the keyboard focus with them: give it back where the learner was working.
  function refocus(event) {
    var live = document.getElementById("dashboard-live");
    var lost = !document.activeElement || document.activeElement === document.body;
    if (!live || !lost) {
      return;
    }
    var from = event.detail.requestConfig && event.detail.requestConfig.elt;
    var target =
      from && from.closest && from.closest("#goals")
        ? document.getElementById("goals-title")
        : live.querySelector("#this-week .tick") || document.getElementById("this-week-title");
    if (target) {
      target.focus();
    }
  }

  document.addEventListener("htmx:afterSettle", refocus);
  document.addEventListener("htmx:responseError", show);
  document.addEventListener("htmx:sendError", show);
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-dismiss]")) {
      document.getElementById("request-error").hidden = true;
    }
  });
})();
