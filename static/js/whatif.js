/* The report's what-if panel: recompute the overall from weights the manager moves, live.
   The arithmetic and geometric means and the band repeat casework/analytics/sensitivity.py and
   casework/scoring.py (band_for, to_percent), so the first reading equals the report's own.
   Nothing is sent to the server. */
(function () {
  "use strict";

  function weightedMean(pairs) {
    var total = 0, weights = 0;
    pairs.forEach(function (p) { total += p[0] * p[1]; weights += p[0]; });
    return weights > 0 ? total / weights : null;
  }

  function geometricMean(pairs) {
    var weights = 0, logs = 0, zero = false;
    pairs.forEach(function (p) {
      if (p[0] <= 0) { return; }
      weights += p[0];
      if (p[1] <= 0) { zero = true; } else { logs += p[0] * Math.log(p[1]); }
    });
    if (weights <= 0) { return null; }
    return zero ? 0 : Math.exp(logs / weights);
  }

  function toPercent(score) {
    if (score === null) { return null; }
    var tenths = Math.round(score * 1000 * 1e6) / 1e6;
    return Math.sign(tenths) * Math.floor(Math.abs(tenths) + 0.5) / 10;
  }

  function shown(percent) { return percent === null ? "—" : percent.toFixed(1); }

  function bandFor(score, scale) {
    if (score === null) { return null; }
    var position = scale.min + score * (scale.max - scale.min);
    var level = Math.floor(Math.round(position * 1e9) / 1e9 + 0.5);
    return Math.min(scale.max, Math.max(scale.min, level));
  }

  function init(section) {
    var source = document.getElementById(section.dataset.whatif);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var form = section.querySelector("[data-whatif-form]");
    var chart = section.querySelector("[data-whatif-chart]");
    var locale = document.documentElement.lang && document.documentElement.lang.indexOf("zh") === 0 ? "zh-CN" : "en";
    section.hidden = false;

    function state() {
      var weights = {};
      form.querySelectorAll("input[type=range][data-code]").forEach(function (input) {
        weights[input.dataset.code] = parseFloat(input.value) || 0;
        var out = section.querySelector('[data-weight-of="' + input.dataset.code + '"]');
        if (out) { out.textContent = input.value; }
      });
      var geometric = form.querySelector("input[name=aggregation][value=geometric]").checked;
      var equalItems = form.querySelector("[data-equal-items]").checked;
      return {weights: weights, geometric: geometric, equalItems: equalItems};
    }

    function scoreOf(dimension, equalItems) {
      return equalItems ? dimension.equal_items_score : dimension.score;
    }

    function draw(scores) {
      if (!window.Plotly || !chart) { return; }
      var theta = data.dimensions.map(function (d) { return d.code; });
      theta.push(theta[0]);
      function ring(values) { var r = values.slice(); r.push(r[0]); return r; }
      var base = ring(data.dimensions.map(function (d) { return toPercent(d.score); }));
      var now = ring(scores.map(toPercent));
      var traces = [
        {type: "scatterpolar", r: base, theta: theta, name: chart.dataset.baseName || "framework",
         line: {dash: "dash", color: "#5c6770"}, connectgaps: true},
        {type: "scatterpolar", r: now, theta: theta, name: chart.dataset.nowName || "what-if",
         fill: "toself", line: {color: "#0b5ed7"}, connectgaps: true}
      ];
      var layout = {polar: {radialaxis: {range: [0, 100]}}, margin: {t: 30, b: 30, l: 40, r: 40},
        height: 320, showlegend: true, legend: {orientation: "h"}};
      window.Plotly.react(chart, traces, layout, {displayModeBar: false, responsive: true, locale: locale});
    }

    function update() {
      var s = state();
      var scores = data.dimensions.map(function (d) { return scoreOf(d, s.equalItems); });
      var pairs = [];
      var totalWeight = 0;
      data.dimensions.forEach(function (d, i) {
        if (scores[i] !== null && scores[i] !== undefined) {
          pairs.push([s.weights[d.code], scores[i]]);
          totalWeight += s.weights[d.code];
        }
      });
      var overall = s.geometric ? geometricMean(pairs) : weightedMean(pairs);
      var percent = toPercent(overall);
      var band = bandFor(overall, data.scale);
      section.querySelector("[data-whatif-overall]").textContent = shown(percent);
      section.querySelector("[data-whatif-band]").textContent =
        band === null ? "" : "· " + band + (data.bands[String(band)] ? " " + data.bands[String(band)] : "");
      var basePercent = toPercent(data.overall);
      var delta = section.querySelector("[data-whatif-delta]");
      if (percent === null || basePercent === null || percent === basePercent) {
        delta.textContent = "";
      } else {
        var diff = Math.round((percent - basePercent) * 10) / 10;
        delta.textContent = "(" + (diff > 0 ? "+" : "") + diff.toFixed(1) + ")";
      }
      data.dimensions.forEach(function (d, i) {
        var cell = section.querySelector('[data-score-of="' + d.code + '"]');
        if (cell) { var p = toPercent(scores[i] === undefined ? null : scores[i]); cell.textContent = shown(p); }
        var share = section.querySelector('[data-share-of="' + d.code + '"]');
        if (share) {
          var scored = scores[i] !== null && scores[i] !== undefined;
          share.textContent = scored && totalWeight > 0 ? Math.round(100 * s.weights[d.code] / totalWeight) + " %" : "—";
        }
      });
      section.dataset.overall = percent === null ? "" : String(percent);
      draw(scores);
    }

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("reset", function () { window.setTimeout(update, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    update();
  }

  function start() { document.querySelectorAll("[data-whatif]").forEach(init); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
