/* Draws every [data-figure] element from the JSON in #report-figures (written by json_script).
   The page language comes from this script tag's data-locale ("zh-CN" or "en"); a locale file
   loaded before it (vendor/plotly/zh-cn.js) is registered first, so toolbars and dates follow.

   Accessibility and phones: no mode bar (its 40-odd buttons were focusable inside an element
   with role=img, and it covered the titles); figures follow their box's width; on a narrow
   screen labels that no longer fit are shortened (the table after each chart spells them
   out, and the hover too): a radar's spokes show their codes, long bar labels are cut short,
   and names printed next to points are left to the hover. */
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
  var LONGEST = 12;
  var drawn = [];

  // "CA-1 Drivers and<br>goals" -> "CA-1": the code before the first space or line break.
  function code(label) { return String(label).split(/\s|<br>/)[0]; }
  function short(label) {
    var text = String(label).replace(/<br>/g, " ");
    return text.length > LONGEST ? text.slice(0, LONGEST - 1) + "…" : text;
  }
  function unique(values) {
    return values.filter(function (value, index) { return values.indexOf(value) === index; });
  }

  /* What changes on a narrow screen, as Plotly.update arguments: [trace changes, layout
     changes, trace indexes]. Null when nothing in this figure depends on the width. */
  function adaptation(figure, narrow) {
    var traces = figure.data || [];
    var first = traces[0] || {};
    if (first.type === "scatterpolar") {
      return [{}, {
        "polar.angularaxis.tickmode": narrow ? "array" : "auto",
        "polar.angularaxis.tickvals": narrow ? first.theta : null,
        "polar.angularaxis.ticktext": narrow ? first.theta.map(code) : null
      }, []];
    }
    var texts = [];
    traces.forEach(function (trace, index) {
      if (trace.mode === "markers+text") { texts.push(index); }
    });
    if (texts.length) {
      // The legend wraps onto a second row: hang it below the axis title, not over it.
      var margin = (figure.layout.margin || {}).b || 40;
      var legend = figure.layout.legend || {};
      return [{mode: narrow ? "markers" : "markers+text"}, {
        "legend.yanchor": narrow ? "top" : (legend.yanchor || null),
        "legend.y": narrow ? -0.16 : legend.y,
        "margin.b": narrow ? margin + 60 : margin
      }, texts];
    }
    var bars = traces.filter(function (t) { return t.type === "bar" && t.orientation === "h"; });
    var labels = unique([].concat.apply([], bars.map(function (t) { return t.y || []; })));
    if (labels.some(function (label) { return String(label).length > LONGEST; })) {
      return [{}, {
        "yaxis.tickmode": narrow ? "array" : "auto",
        "yaxis.tickvals": narrow ? labels : null,
        "yaxis.ticktext": narrow ? labels.map(short) : null
      }, []];
    }
    return null;
  }

  function adapt(item) {
    var change = adaptation(item.figure, item.narrow);
    if (!change) { return; }
    window.Plotly.update(item.element, change[0], change[1], change[2].length ? change[2] : undefined);
  }

  document.querySelectorAll("[data-figure]").forEach(function (element) {
    var figure = figures[element.dataset.figure];
    if (!figure) { return; }
    var item = {element: element, figure: figure, narrow: element.clientWidth < NARROW};
    window.Plotly.newPlot(element, figure.data, figure.layout, config).then(function () {
      if (item.narrow) { adapt(item); }
    });
    if (adaptation(figure, true)) { drawn.push(item); }
  });

  // Crossing the phone width (a turned phone, a resized window) switches the labels over.
  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      drawn.forEach(function (item) {
        var narrow = item.element.clientWidth < NARROW;
        if (narrow === item.narrow) { return; }
        item.narrow = narrow;
        adapt(item);
      });
    });
  });
})();
