/* Draws every [data-figure] element from the JSON in #report-figures (written by json_script).
   The page language comes from this script tag's data-locale ("zh-CN" or "en"); a locale file
   loaded before it (vendor/plotly/zh-cn.js) is registered first, so toolbars and dates follow.

   Accessibility and phones: no mode bar (its 40-odd buttons were focusable inside an element
   with role=img, and it covered the titles); figures follow their box's width; on a narrow
   screen a radar names its spokes by their codes (the table under the chart spells them out),
   because the full names were cut off at the edges. */
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
  var config = {responsive: true, displaylogo: false, displayModeBar: false, locale: locale};
  var NARROW = 560;
  var radars = [];

  function spokes(figure) {
    var trace = figure.data && figure.data[0];
    return trace && trace.type === "scatterpolar" ? (trace.theta || []) : null;
  }

  // "CA-1 Drivers and<br>goals" -> "CA-1": the code before the first space or line break.
  function code(label) { return String(label).split(/\s|<br>/)[0]; }

  function radarLabels(theta, narrow) {
    if (!narrow) {
      return {"polar.angularaxis.tickmode": "auto", "polar.angularaxis.tickvals": null,
              "polar.angularaxis.ticktext": null};
    }
    return {"polar.angularaxis.tickmode": "array", "polar.angularaxis.tickvals": theta,
            "polar.angularaxis.ticktext": theta.map(code)};
  }

  document.querySelectorAll("[data-figure]").forEach(function (element) {
    var figure = figures[element.dataset.figure];
    if (!figure) { return; }
    var layout = figure.layout || {};
    var theta = spokes(figure);
    if (theta) {
      var narrow = element.clientWidth < NARROW;
      var labels = radarLabels(theta, narrow);
      layout.polar = layout.polar || {};
      layout.polar.angularaxis = layout.polar.angularaxis || {};
      if (narrow) {
        layout.polar.angularaxis.tickmode = "array";
        layout.polar.angularaxis.tickvals = labels["polar.angularaxis.tickvals"];
        layout.polar.angularaxis.ticktext = labels["polar.angularaxis.ticktext"];
      }
      radars.push({element: element, theta: theta, narrow: narrow});
    }
    window.Plotly.newPlot(element, figure.data, layout, config);
  });

  // Crossing the phone width (a turned phone, a resized window) switches a radar's labels.
  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      radars.forEach(function (radar) {
        var narrow = radar.element.clientWidth < NARROW;
        if (narrow === radar.narrow) { return; }
        radar.narrow = narrow;
        window.Plotly.relayout(radar.element, radarLabels(radar.theta, narrow));
      });
    });
  });
})();
