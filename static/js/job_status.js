// Polls a background job's status JSON (a benchmark import, a suite generation) and updates
// its page until the job finishes. The page marks the panel with data-job-status, its fields
// with data-field, its links with data-link (filled from "<name>_url" in the state) and their
// placeholders with data-pending.
(function () {
  "use strict";

  var panel = document.querySelector("[data-job-status]");
  if (!panel || panel.dataset.finished === "true") {
    return;
  }
  var url = panel.dataset.statusUrl;
  var badgePrefix = panel.dataset.badgePrefix || "badge--";
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

  function renderLinks(state) {
    panel.querySelectorAll("a[data-link]").forEach(function (link) {
      var name = link.dataset.link;
      var pending = panel.querySelector('[data-pending="' + name + '"]');
      var href = state[name + "_url"];
      if (href) {
        link.href = href;
        link.textContent = (link.dataset.prefix || "") + state.suite_name;
        link.hidden = false;
        if (pending) {
          pending.hidden = true;
        }
      } else if (state.finished && pending) {
        pending.textContent = "none";
      }
    });
  }

  function render(state) {
    var phase = field("phase");
    phase.textContent = state.phase;
    phase.className = "badge " + badgePrefix + state.status;
    setText("progress_done", String(state.progress_done));
    setText("progress_total", state.progress_total ? String(state.progress_total) : "?");
    setText("challenges_created", String(state.challenges_created));
    setText("challenges_unchanged", String(state.challenges_unchanged));

    var progress = panel.querySelector("progress");
    progress.max = state.progress_total || 1;
    progress.value = state.progress_done;

    var error = field("error");
    error.textContent = state.error;
    error.hidden = !state.error;
    renderLinks(state);
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
