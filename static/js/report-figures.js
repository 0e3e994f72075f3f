/* Draws every [data-figure] element from the JSON in #report-figures (written by json_script).
   The page language comes from this script tag's data-locale ("zh-CN" or "en"); a locale file
   loaded before it (vendor/plotly/zh-cn.js) is registered first, so toolbars and dates follow. */
(function () {
  var script = document.currentScript;
  var locale = (script && script.dataset.locale) || "en";
  var exported = window.module && window.module.exports;
  if (window.Plotly && exported && exported.moduleType === "locale") {
    window.Plotly.register(exported);
  }
  if ("module" in window) {
    try { delete window.module; } catch (error) { window.module = undefined; }
  }

  var source = document.getElementById("report-figures");
  if (!source || !window.Plotly) { return; }
  var figures = JSON.parse(source.textContent);
  var config = {responsive: true, displaylogo: false, locale: locale};
  document.querySelectorAll("[data-figure]").forEach(function (element) {
    var figure = figures[element.dataset.figure];
    if (!figure) { return; }
    window.Plotly.newPlot(element, figure.data, figure.layout, config);
  });
})();
