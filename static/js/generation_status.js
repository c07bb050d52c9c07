// Polls a generation job's status JSON and updates the generation page until the job finishes.
(function () {
  "use strict";

  var panel = document.getElementById("generation-status");
  if (!panel || panel.dataset.finished === "true") {
    return;
  }
  var url = panel.dataset.statusUrl;
  var delay = 1000;
  var maxDelay = 10000;

  function field(name) {
    return panel.querySelector('[data-field="' + name + '"]');
  }

  function setText(name, value) {
    var element = field(name);
    if (element) {
      element.textContent = value;
    }
  }

  function showLink(linkName, pendingName, href, text, finished) {
    var link = field(linkName);
    var pending = field(pendingName);
    if (href) {
      link.href = href;
      link.textContent = text;
      link.hidden = false;
      pending.hidden = true;
    } else if (finished) {
      pending.textContent = "none";
    }
  }

  function render(state) {
    var phase = field("phase");
    phase.textContent = state.phase;
    phase.className = "badge badge--generation-" + state.status;
    setText("progress_done", String(state.progress_done));
    setText("progress_total", state.progress_total ? String(state.progress_total) : "?");
    setText("challenges_created", String(state.challenges_created));
    setText("challenges_unchanged", String(state.challenges_unchanged));

    var progress = document.getElementById("generation-progress");
    progress.max = state.progress_total || 1;
    progress.value = state.progress_done;

    var error = field("error");
    error.textContent = state.error;
    error.hidden = !state.error;

    showLink("suite_link", "suite_pending", state.suite_url, state.suite_name, state.finished);
    showLink(
      "validity_link",
      "validity_pending",
      state.validity_url,
      "Validity of " + state.suite_name,
      state.finished
    );
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
        if (!state.finished) {
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
