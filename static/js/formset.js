/* Formsets: "Add row" clones the formset's empty row, so several rows can be added per save. */
(function () {
  "use strict";

  document.querySelectorAll("[data-cw-nojs]").forEach(function (el) { el.hidden = true; });
  document.querySelectorAll("[data-cw-add-row]").forEach(function (button) { button.hidden = false; });

  function addRow(prefix) {
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var template = document.querySelector('template[data-cw-formset-template="' + prefix + '"]');
    var body = document.querySelector('table[data-cw-formset="' + prefix + '"] tbody');
    if (!total || !template || !body) return;
    var index = parseInt(total.value, 10);
    if (max && index >= parseInt(max.value, 10)) return;
    var holder = document.createElement("tbody");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.firstElementChild;
    body.appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("input:not([type=hidden]), textarea, select");
    if (first) first.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-cw-add-row]");
    if (!button) return;
    event.preventDefault();
    addRow(button.getAttribute("data-cw-add-row"));
  });
})();
