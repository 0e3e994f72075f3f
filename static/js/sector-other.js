// The case form's sector: the "Other sector" text shows only when "Other…" is chosen, or
// when it already holds text (so nothing typed is ever hidden). Without JS both stay visible.
(function () {
  "use strict";
  function wire(select) {
    var form = select.form;
    var input = form && form.querySelector("[data-sector-other]");
    var box = input && input.closest("[data-sector-other-box]");
    if (!box) return;
    function update() {
      var other = select.value === "other" || input.value.trim() !== "";
      box.hidden = !other;
    }
    select.addEventListener("change", function () {
      update();
      if (select.value === "other") input.focus();
    });
    update();
  }
  document.querySelectorAll("select[data-sector-select]").forEach(wire);
})();
