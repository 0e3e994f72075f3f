/* Draws every [data-figure] element from the JSON in #report-figures (written by json_script).
   Loaded as a file, so that the Content-Security-Policy needs no inline script. */
(function () {
  "use strict";
  var source = document.getElementById("report-figures");
  if (!source || !window.Plotly) { return; }
  var figures = JSON.parse(source.textContent);
  document.querySelectorAll("[data-figure]").forEach(function (element) {
    var figure = figures[element.dataset.figure];
    if (!figure) { return; }
    window.Plotly.newPlot(element, figure.data, figure.layout, {responsive: true, displaylogo: false, displayModeBar: false});
  });
})();
