// Follows a paper through parsing and challenge building: polls its status JSON, updates
// the badge, the steps and the failure reason, and reloads the page once the paper has
// finished so the parsed sections, tables and the challenge appear.
(function () {
  "use strict";

  var panel = document.querySelector("[data-paper-status]");
  if (!panel || panel.dataset.finished === "true") {
    return;
  }
  var url = panel.dataset.statusUrl;
  var delay = 1000;
  var maxDelay = 10000;

  function render(state) {
    var phase = panel.querySelector('[data-field="phase"]');
    phase.textContent = state.phase;
    phase.className = "badge badge--paper-" + state.status;
    state.steps.forEach(function (step) {
      var item = panel.querySelector('[data-step="' + step.key + '"]');
      if (item) {
        item.className = "step step--" + step.state;
        item.querySelector("[data-step-state]").textContent = " (" + step.state + ")";
      }
    });
    var reason = panel.querySelector('[data-field="failure_reason"]');
    reason.textContent = state.failure_reason;
    reason.hidden = !state.failure_reason;
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        render(state);
        if (state.finished) {
          window.location.reload();
        } else {
          delay = 1000;
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        // Back off on errors (a restarting server, a dropped connection) and keep trying.
        delay = Math.min(delay * 2, maxDelay);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
