// The training run page: draws the loss curve (and the learning rate) with plotly from the
// run's log.json, and while the run is queued or running polls it every 2 s for new steps,
// the progress line and the plan notes. When the run finishes the page reloads once, so the
// server draws its final state (the adapter, the evaluation form).
(function () {
  "use strict";

  var panel = document.querySelector("[data-training-run]");
  var chart = document.getElementById("loss-chart");
  if (!panel || !chart) {
    return;
  }
  var url = panel.dataset.logUrl;
  var startedFinished = panel.dataset.finished === "true";
  var steps = [];
  var losses = [];
  var rates = [];
  var lastStep = 0;
  var delay = 2000;
  var maxDelay = 15000;

  function field(name) {
    return panel.querySelector('[data-field="' + name + '"]');
  }

  function setText(name, value) {
    var element = field(name);
    if (element) {
      element.textContent = value;
    }
  }

  function number(value, digits, suffix) {
    if (value === null || value === undefined) {
      return "—";
    }
    return value.toFixed(digits) + (suffix || "");
  }

  function renderNotes(state) {
    var box = field("plan_notes");
    if (!box || !state.plan_notes.length || box.querySelector(".notice")) {
      return;
    }
    box.textContent = "";
    var plan = document.createElement("p");
    var label = document.createElement("strong");
    label.textContent = "Plan: ";
    plan.appendChild(label);
    plan.appendChild(document.createTextNode(state.plan));
    box.appendChild(plan);
    state.plan_notes.forEach(function (note) {
      var notice = document.createElement("div");
      notice.className = "notice" + (note.indexOf("No GPU") === 0 ? " notice--warning" : "");
      var text = document.createElement("p");
      text.textContent = note;
      notice.appendChild(text);
      box.appendChild(notice);
    });
  }

  function renderState(state) {
    var phase = field("phase");
    phase.textContent = state.phase;
    phase.className = "badge badge--training-" + state.status;
    setText("step", String(state.step));
    setText("max_steps", state.max_steps ? String(state.max_steps) : "?");
    setText("final_loss", number(state.final_loss, 4));
    setText("tokens_per_s", number(state.tokens_per_s, 0));
    setText("gpu_memory_mb", state.gpu_memory_mb === null ? "— (no GPU)" : number(state.gpu_memory_mb, 0, " MB"));
    setText("eta_s", state.finished ? "—" : number(state.eta_s, 0, " s"));
    var progress = panel.querySelector("progress");
    progress.max = state.max_steps || 1;
    progress.value = state.step;
    var error = field("error");
    error.textContent = state.error;
    error.hidden = !state.error;
    renderNotes(state);
  }

  function draw() {
    if (!window.Plotly || !steps.length) {
      return;
    }
    var empty = document.querySelector("[data-chart-empty]");
    if (empty) {
      empty.hidden = true;
    }
    var traces = [
      { x: steps, y: losses, name: "Loss", mode: "lines+markers", line: { color: "#0072B2" } },
      {
        x: steps, y: rates, name: "Learning rate", mode: "lines", yaxis: "y2",
        line: { color: "#E69F00", dash: "dot" },
      },
    ];
    var layout = {
      autosize: true,
      margin: { l: 64, r: 24, t: 24, b: 56 },
      font: { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size: 14 },
      xaxis: { title: { text: "Step" }, rangemode: "tozero" },
      yaxis: { title: { text: "Loss" }, gridcolor: "#e5e5e5" },
      yaxis2: {
        title: { text: "Learning rate" }, overlaying: "y", side: "right", showgrid: false,
        exponentformat: "e", automargin: true,
      },
      legend: { orientation: "h", y: 1.08, x: 0 },
      plot_bgcolor: "white",
    };
    window.Plotly.react(chart, traces, layout, { responsive: true, displaylogo: false });
  }

  function poll() {
    fetch(url + "?after=" + lastStep, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        state.log.forEach(function (row) {
          steps.push(row.step);
          losses.push(row.loss);
          rates.push(row.learning_rate);
          lastStep = Math.max(lastStep, row.step);
        });
        renderState(state);
        draw();
        if (state.finished && !startedFinished) {
          window.location.reload();
        } else if (!state.finished) {
          delay = 2000;
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        // A restarting server or a dropped connection: back off and keep trying.
        delay = Math.min(delay * 2, maxDelay);
        window.setTimeout(poll, delay);
      });
  }

  poll();
})();
