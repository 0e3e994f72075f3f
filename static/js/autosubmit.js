/* Selects marked data-autosubmit send their form as soon as the choice changes
   (the language switcher). Without JavaScript the form keeps its own submit button. */
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
