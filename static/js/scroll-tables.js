/* Wide tables scroll sideways inside their own box instead of widening the page on a phone.

   Every table in the page's main content that is not already in a .table-responsive box gets
   one (also tables that htmx swaps in later). A box that actually scrolls is made focusable
   (tabindex=0), so that keyboard users can scroll it too; one that fits is left out of the tab
   order. Loaded by base.html (data-tables names the tables to box) and by the admin's
   base_site.html (whose own boxes, inline groups and result lists, only get the tabindex). */
(function () {
  "use strict";
  var BOXES = ".table-responsive, .inline-group, #changelist .results";
  var script = document.currentScript;
  var tables = (script && script.dataset.tables) || "";

  function wrapTables(root) {
    if (!tables) { return; }
    root.querySelectorAll(tables).forEach(function (table) {
      if (table.closest(BOXES)) { return; }
      var box = document.createElement("div");
      box.className = "table-responsive cw-scroll-box";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  function markScrolling() {
    document.querySelectorAll(BOXES).forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }

  var pending = false;
  function schedule() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; markScrolling(); });
  }

  wrapTables(document);
  markScrolling();
  window.addEventListener("resize", schedule);
  window.addEventListener("load", schedule);
  document.addEventListener("htmx:load", function (event) {
    wrapTables(event.target.parentNode || document);
    schedule();
  });
})();
