/* Character counters: "n / max" beside every textarea and text input that has a maxlength.

   The count is visible to everyone and read with the field (aria-describedby), but it is not
   a live region: a screen reader would speak it at every key. A separate, visually hidden
   polite region speaks only near the limit, once the user pauses. One-line inputs show their
   count while focused or near the limit; textareas always. Texts come translated from the
   data attributes of this script's own tag. Works on content htmx swaps in later. */
(function () {
  "use strict";

  var script = document.currentScript;
  var texts = (script && script.dataset) || {};
  var NEAR = 0.9;        // from 90 % of the limit the count is announced
  var PAUSE_MS = 800;    // announce after typing pauses, as the wizard autosaves
  var SKIPPED_TYPES = /^(hidden|checkbox|radio|number|range|date|datetime-local|month|week|time|color|file|password)$/;
  var serial = 0;
  var timers = {};

  function isCounted(el) {
    return !!(el && el.matches && el.matches("textarea[maxlength], input[maxlength]") &&
      el.maxLength > 0 && !SKIPPED_TYPES.test(el.type) && !el.hasAttribute("data-no-counter"));
  }

  function say(template, count) {
    return (template || "{count}").replace("{count}", count);
  }

  function parts(el) {
    var counter = document.getElementById(el.dataset.cwCounter);
    return counter ? { counter: counter, live: document.getElementById(counter.id + "-live") } : null;
  }

  function attach(el) {
    if (el.dataset.cwCounter && parts(el)) return;
    if (!el.id) el.id = "cw-counted-" + (++serial);
    var counter = document.createElement("small");
    counter.id = el.id + "-chars";
    counter.className = "cw-char-counter d-block text-end text-body-secondary";
    var live = document.createElement("span");
    live.id = counter.id + "-live";
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    el.insertAdjacentElement("afterend", counter);
    counter.insertAdjacentElement("afterend", live);
    var described = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    described.push(counter.id);
    el.setAttribute("aria-describedby", described.join(" "));
    el.dataset.cwCounter = counter.id;
    update(el);
  }

  function update(el) {
    var found = parts(el);
    if (!found) return;
    var max = el.maxLength;
    var count = el.value.length;
    var near = count >= Math.floor(max * NEAR);
    found.counter.textContent = count + " / " + max;
    found.counter.classList.toggle("text-danger", count > max);
    found.counter.classList.toggle("fw-semibold", near);
    found.counter.hidden = el.tagName === "INPUT" && !near && document.activeElement !== el;
  }

  function announce(el) {
    var found = parts(el);
    if (!found || !found.live) return;
    var max = el.maxLength;
    var count = el.value.length;
    var text = "";
    if (count > max) text = say(texts.overText, count - max);
    else if (count >= Math.floor(max * NEAR)) text = say(texts.leftText, max - count);
    if (found.live.textContent !== text) found.live.textContent = text;
  }

  function scan(root) {
    if (!root || !root.querySelectorAll) return;
    if (isCounted(root)) attach(root);
    root.querySelectorAll("textarea[maxlength], input[maxlength]").forEach(function (el) {
      if (isCounted(el)) attach(el);
    });
  }

  document.addEventListener("input", function (event) {
    var el = event.target;
    if (!isCounted(el)) return;
    attach(el);
    update(el);
    clearTimeout(timers[el.id]);
    timers[el.id] = setTimeout(function () { announce(el); }, PAUSE_MS);
  });

  document.addEventListener("focusin", function (event) {
    if (isCounted(event.target)) { attach(event.target); update(event.target); }
  });

  document.addEventListener("focusout", function (event) {
    if (isCounted(event.target)) setTimeout(function () { update(event.target); }, 0);
  });

  // htmx swaps rows and cards in after the page loaded.
  document.addEventListener("htmx:load", function (event) { scan(event.detail && event.detail.elt); });

  scan(document.body);
})();
