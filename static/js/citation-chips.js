/* Citation chips on the wizard's item cards: one click cites a source, one click copies the
   previous item's sources, and a source added elsewhere on the page shows up as a new chip.
   Without this file the chips stay plain checkboxes (the CSS shows them only under .cw-js).
   Every change goes through the card's own autosave (wizard.js, htmx): a "change" event on
   one of its inputs is all it takes. */
(function () {
  "use strict";

  function boxOf(chip) { return document.getElementById(chip.dataset.cwChip); }

  function syncChips(root) {
    if (!root || !root.querySelectorAll) return;
    root.querySelectorAll(".cw-chip[data-cw-chip]").forEach(function (chip) {
      var box = boxOf(chip);
      if (!box) return;
      chip.setAttribute("aria-pressed", box.checked ? "true" : "false");
      chip.closest(".cw-cite").classList.toggle("is-cited", box.checked);
    });
  }

  function setStatus(card, text) {
    var status = card.querySelector(".cw-status");
    if (status) status.textContent = text;
  }

  function citedIds(card) {
    return Array.prototype.map.call(card.querySelectorAll(".cw-chips .cw-cite-box:checked"),
      function (box) { return box.value; });
  }

  // The nearest card above that cites something; before the first, what the earlier steps cited.
  function previousSources(card) {
    var cards = Array.prototype.slice.call(document.querySelectorAll(".cw-item"));
    for (var i = cards.indexOf(card) - 1; i >= 0; i--) {
      var ids = citedIds(cards[i]);
      if (ids.length) return ids;
    }
    var carry = document.getElementById("cw-citation-carry");
    return carry && carry.dataset.sources ? carry.dataset.sources.split(" ") : [];
  }

  function copyPrevious(button) {
    var card = button.closest(".cw-item");
    var ids = previousSources(card);
    var changed = null;
    ids.forEach(function (id) {
      var box = card.querySelector('.cw-chips .cw-cite-box[value="' + CSS.escape(id) + '"]');
      if (box && !box.checked) { box.checked = true; changed = box; }
    });
    if (!changed) {
      setStatus(card, (ids.length ? button.dataset.sameText : button.dataset.noneText) || "");
      return;
    }
    syncChips(card);
    // One change event, one autosave, for all the copied sources.
    changed.dispatchEvent(new Event("change", { bubbles: true }));
    focusPage(changed.closest(".cw-cite"));
  }

  function focusPage(cite) {
    var page = cite && cite.querySelector(".cw-cite-locator");
    if (page && !page.value) page.focus();
  }

  document.addEventListener("click", function (event) {
    var chip = event.target.closest(".cw-chip[data-cw-chip]");
    if (chip) {
      var box = boxOf(chip);
      if (!box) return;
      box.checked = !box.checked;
      syncChips(chip.closest(".cw-cite"));
      box.dispatchEvent(new Event("change", { bubbles: true }));
      // Citing usually goes with a page: the cursor waits in its field (one click fewer).
      if (box.checked) focusPage(chip.closest(".cw-cite"));
      return;
    }
    var quote = event.target.closest(".cw-quote-toggle");
    if (quote) {
      var cite = quote.closest(".cw-cite");
      var open = cite.classList.toggle("is-quoting");
      quote.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) cite.querySelector(".cw-cite-quote").focus();
      return;
    }
    var same = event.target.closest("[data-cw-same-sources]");
    if (same) copyPrevious(same);
  });

  // Drafts restored from localStorage and "Keep mine" set boxes without clicking a chip.
  document.addEventListener("change", function (event) {
    var card = event.target.closest && event.target.closest(".cw-item");
    if (card) syncChips(card);
  });

  /* A source added from the sources panel: new chips on every card, numbers brought up to date,
     and the chip of a removed source dropped unless the card still cites it. */
  var TOKEN = /__(SRC|N|SHORT|TITLE)__/g;

  function filled(template, source) {
    var values = { __SRC__: String(source.id), __N__: String(source.number),
                   __SHORT__: source.short, __TITLE__: source.title };
    var swap = function (text) { return text.replace(TOKEN, function (token) { return values[token]; }); };
    var fragment = template.content.cloneNode(true);
    fragment.querySelectorAll("*").forEach(function (el) {
      Array.prototype.slice.call(el.attributes).forEach(function (attr) {
        if (attr.value.indexOf("__") !== -1) el.setAttribute(attr.name, swap(attr.value));
      });
    });
    // Titles go in as text, never as markup.
    var walker = document.createTreeWalker(fragment, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) walker.currentNode.nodeValue = swap(walker.currentNode.nodeValue);
    return fragment;
  }

  function applySources(card, sources) {
    var list = card.querySelector(".cw-chips");
    var template = card.querySelector("template.cw-chip-template");
    if (!list || !template) return;
    var known = {}, current = {};
    list.querySelectorAll(".cw-cite[data-source]").forEach(function (el) { known[el.dataset.source] = el; });
    var params = card.getAttribute("hx-params");
    sources.forEach(function (source) {
      var id = String(source.id);
      current[id] = true;
      var el = known[id];
      if (el) {
        el.querySelectorAll(".cw-chip-n").forEach(function (n) { n.textContent = source.number; });
        return;
      }
      var fragment = filled(template, source);
      fragment.querySelectorAll(".cw-cite-input").forEach(function (input) {
        if (params) params += "," + input.name;  // autosave posts the new page and quote too
      });
      list.appendChild(fragment);
    });
    if (params) card.setAttribute("hx-params", params);
    Object.keys(known).forEach(function (id) {
      if (!current[id] && !known[id].querySelector(".cw-cite-box:checked")) known[id].remove();
    });
    var some = list.querySelector(".cw-cite") !== null;
    card.querySelectorAll(".cw-no-sources").forEach(function (el) { el.hidden = some; });
    card.querySelectorAll("[data-cw-same-sources]").forEach(function (el) { el.hidden = !some; });
    syncChips(card);
  }

  function refreshSources() {
    var carry = document.getElementById("cw-citation-carry");
    if (!carry || !carry.dataset.sourcesUrl) return;
    fetch(carry.dataset.sourcesUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        document.querySelectorAll(".cw-item").forEach(function (card) { applySources(card, data.sources); });
      })
      .catch(function () { /* offline: the chips catch up on the next page load */ });
  }

  document.body.addEventListener("cw:sources-changed", refreshSources);
  if (window.htmx) htmx.onLoad(syncChips);
  syncChips(document);
})();
