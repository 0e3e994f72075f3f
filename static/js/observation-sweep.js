/* The observation sweep: fill the rows without a choice from a column's header, and mark the
   rows that will be saved. On a step the table opens in a panel (htmx): its refusals (409, 422,
   423) are swapped in to be read, and "Close" empties the panel. The table works without this
   file; it only saves clicks. */
(function () {
  "use strict";

  function sweepOf(el) { return el && el.closest ? el.closest("form[data-cw-sweep]") : null; }

  function markChanged(item) {
    var chosen = item.querySelector("input[type=radio]:checked");
    var note = item.querySelector("textarea");
    var initial = item.querySelector('input[name$="-initial_observation"]');
    var initialNote = item.querySelector('input[name$="-initial_note"]');
    if (!initial) return;
    var changed = (chosen ? chosen.value : "") !== initial.value ||
      (note && initialNote && note.value !== initialNote.value);
    item.classList.toggle("is-changed", changed);
  }

  function wire(root) {
    (root || document).querySelectorAll("form[data-cw-sweep] [data-cw-fill]").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("click", function (event) {
    var fill = event.target.closest && event.target.closest("[data-cw-fill]");
    var form = sweepOf(fill);
    if (form) {
      form.querySelectorAll("tbody[data-code]").forEach(function (item) {
        if (item.querySelector("input[type=radio]:checked")) return;
        var radio = item.querySelector('input[type=radio][value="' + CSS.escape(fill.dataset.cwFill) + '"]');
        if (radio) { radio.checked = true; markChanged(item); }
      });
      return;
    }
    var close = event.target.closest && event.target.closest("[data-cw-sweep-close]");
    if (close && sweepOf(close)) {
      event.preventDefault();
      var panel = document.getElementById("cw-sweep-panel");
      if (panel) panel.replaceChildren();
      var link = document.querySelector('[aria-controls="cw-sweep-panel"]');
      if (link) link.focus();
    }
  });

  function onEdit(event) {
    if (!sweepOf(event.target)) return;
    var item = event.target.closest("tbody[data-code]");
    if (item) markChanged(item);
  }
  document.addEventListener("change", onEdit);
  document.addEventListener("input", onEdit);

  if (window.htmx) {
    document.body.addEventListener("htmx:beforeSwap", function (event) {
      var config = event.detail.requestConfig;
      var status = event.detail.xhr.status;
      if (sweepOf(config && config.elt) && (status === 409 || status === 422 || status === 423)) {
        // The table comes back with the refused rows marked and every choice still in it.
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      }
    });
    htmx.onLoad(function (elt) {
      if (!elt.querySelector) return;
      wire(elt);
      // The table just opened in the step (or came back refused): its heading, or what went
      // wrong, takes the focus, so reading starts there.
      var panel = elt.id === "cw-sweep-panel" ? elt : elt.closest && elt.closest("#cw-sweep-panel");
      if (!panel) return;
      var first = panel.querySelector("[data-testid=sweep-problems]") || panel.querySelector("#cw-sweep-title");
      if (first) first.focus({ preventScroll: true });
    });
  }
  wire(document);
})();
