// Draws the page's plotly charts from the JSON in #chart-data; clicking a bar (or point) whose
// customdata is a URL opens it: every bar links to the trace browser filtered to it.
(function () {
  "use strict";

  var source = document.getElementById("chart-data");
  if (!source || typeof Plotly === "undefined") {
    return;
  }
  var charts = JSON.parse(source.textContent);
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["lasso2d", "select2d"] };

  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var chart = charts[Number(element.dataset.chart)];
    if (!chart) {
      return;
    }
    Plotly.newPlot(element, chart.figure.data, chart.figure.layout || {}, config).then(function () {
      element.on("plotly_click", function (event) {
        var point = event && event.points && event.points[0];
        var url = point && point.customdata;
        if (Array.isArray(url)) {
          url = url[0];
        }
        if (typeof url === "string" && url.charAt(0) === "/") {
          window.location.href = url;
        }
      });
    });
  });
})();
