// Follows a running evaluation: polls its status JSON, updates the progress panel, and reloads
// the page when the run finishes so its charts are drawn from the final metrics.
(function () {
  "use strict";

  var panel = document.querySelector("[data-run-status]");
  if (!panel || panel.dataset.finished === "true") {
    return;
  }
  var url = panel.dataset.statusUrl;
  var delay = 1500;
  var lastDone = Number(panel.dataset.done || 0);

  function setText(name, value) {
    var element = panel.querySelector('[data-field="' + name + '"]');
    if (element) {
      element.textContent = value;
    }
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
        setText("phase", state.phase);
        setText("progress_done", String(state.progress_done));
        setText("progress_total", String(state.progress_total));
        setText("completion_tokens", String(state.completion_tokens));
        setText("prompt_tokens", String(state.prompt_tokens));
        var progress = panel.querySelector("progress");
        progress.max = state.progress_total || 1;
        progress.value = state.progress_done;
        var error = panel.querySelector('[data-field="error"]');
        error.textContent = state.error;
        error.hidden = !state.error;
        // Reload when finished, and every 10 answers so the charts follow the run.
        if (state.finished || state.progress_done >= lastDone + 10) {
          window.location.reload();
          return;
        }
        delay = 1500;
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
