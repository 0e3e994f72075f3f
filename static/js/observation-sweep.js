/* The observation sweep: fill the rows without a choice from a column's header, and mark the
   rows that will be saved. The table works without this file; it only saves clicks. */
(function () {
  "use strict";

  var table = document.querySelector(".cw-sweep");
  if (!table) return;

  function markChanged(row) {
    var chosen = row.querySelector("input[type=radio]:checked");
    var note = row.querySelector("textarea");
    var initial = row.querySelector('input[name$="-initial_observation"]');
    var initialNote = row.querySelector('input[name$="-initial_note"]');
    if (!initial) return;
    var changed = (chosen ? chosen.value : "") !== initial.value ||
      (note && initialNote && note.value !== initialNote.value);
    row.classList.toggle("is-changed", changed);
  }

  table.querySelectorAll("[data-cw-fill]").forEach(function (button) { button.hidden = false; });

  table.addEventListener("click", function (event) {
    var button = event.target.closest("[data-cw-fill]");
    if (!button) return;
    table.querySelectorAll("tbody tr[data-code]").forEach(function (row) {
      if (row.querySelector("input[type=radio]:checked")) return;
      var radio = row.querySelector('input[type=radio][value="' + CSS.escape(button.dataset.cwFill) + '"]');
      if (radio) { radio.checked = true; markChanged(row); }
    });
  });

  table.addEventListener("change", function (event) {
    var row = event.target.closest("tr[data-code]");
    if (row) markChanged(row);
  });
  table.addEventListener("input", function (event) {
    var row = event.target.closest("tr[data-code]");
    if (row) markChanged(row);
  });
})();
