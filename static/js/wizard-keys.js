/* Scoring wizard from the keyboard: number keys choose a level, l / m / h its confidence,
   n / Shift+N (or Alt+↓ / Alt+↑) go to the next / previous item that is left and then on to
   the next step (swapped in place by wizard.js), ? lists the keys.
   Links of the "What is left" list put the cursor in the item they name. */
(function () {
  "use strict";

  var FOCUS_FIRST_OPEN = "cw-focus-first-open";

  function isTyping(el) {
    if (!el) return false;
    if (el.isContentEditable) return true;
    if (el.matches("textarea, select")) return true;
    return el.matches("input") && !el.matches("[type=radio], [type=checkbox], [type=button], [type=submit], [type=reset]");
  }

  function cards() { return Array.prototype.slice.call(document.querySelectorAll(".cw-item")); }
  function cardOf(el) { return el && el.closest ? el.closest(".cw-item") : null; }

  // The field to put the cursor in: the one named by the link, else the chosen answer, else
  // the first choice; a read-only card takes the focus itself.
  function fieldOf(card, what) {
    if (what) {
      var named = card.querySelector('textarea[name$="-' + what + '"]');
      if (named && named.offsetParent !== null) return named;
    }
    var choices = card.querySelectorAll('.cw-levels input[type=radio], input[type=radio][name$="-observation"]');
    for (var i = 0; i < choices.length; i++) if (choices[i].checked) return choices[i];
    if (choices.length) return choices[0];
    var any = card.querySelector("input:not([type=hidden]), textarea");
    if (any) return any;
    card.setAttribute("tabindex", "-1");
    return card;
  }

  function focusCard(card, what) {
    if (!card) return;
    card.scrollIntoView({ block: "start", behavior: "instant" });
    fieldOf(card, what).focus({ preventScroll: true });
  }

  // The items "What is left" lists for this step, in page order (the server's one rule,
  // refreshed by every autosave).
  function openCards() {
    var found = [];
    document.querySelectorAll("#cw-left [data-cw-jump]").forEach(function (link) {
      var card = document.getElementById(link.dataset.cwJump);
      if (card) found.push({ card: card, focus: link.dataset.cwFocus || "" });
    });
    return found;
  }

  function goToStep(direction) {
    var selector = direction > 0
      ? '.cw-wizard-nav [name=go][value=next], .cw-wizard-nav a.btn-primary'
      : '.cw-wizard-nav [name=go][value=back], .cw-wizard-nav a.btn-outline-secondary';
    var control = document.querySelector(selector);
    if (!control) return;
    try { sessionStorage.setItem(FOCUS_FIRST_OPEN, "1"); } catch (e) { /* private mode */ }
    control.click();
  }

  function moveToOpen(direction) {
    var current = cardOf(document.activeElement);
    var open = openCards();
    if (direction < 0) open.reverse();
    var all = cards(), at = current ? all.indexOf(current) : (direction > 0 ? -1 : all.length);
    for (var i = 0; i < open.length; i++) {
      var position = all.indexOf(open[i].card);
      if (direction > 0 ? position > at : position < at) {
        // The item's choices, not its text: n and the number keys keep working from there.
        focusCard(open[i].card, "");
        return;
      }
    }
    goToStep(direction);
  }

  function chooseLevel(card, key) {
    var radio = card.querySelector('.cw-levels input[type=radio][value="' + key + '"]');
    if (!radio) {
      // An observation item: 1, 2, 3 pick its choices in order.
      var choices = card.querySelectorAll('input[type=radio][name$="-observation"]');
      radio = choices[parseInt(key, 10) - 1];
    }
    if (!radio || radio.disabled) return false;
    if (!radio.checked) radio.click();  // a real click: the card autosaves as with the mouse
    radio.focus();
    return true;
  }

  var CONFIDENCE_KEYS = { l: "low", m: "medium", h: "high" };

  function chooseConfidence(card, key) {
    var radio = card.querySelector('input[type=radio][name$="-confidence"][value="' + CONFIDENCE_KEYS[key] + '"]');
    if (!radio || radio.disabled) return false;
    if (!radio.checked) radio.click();  // autosaves like a click on the button
    return true;
  }

  function showHelp() {
    var help = document.getElementById("cw-keys-help");
    if (help && window.bootstrap) window.bootstrap.Modal.getOrCreateInstance(help).show();
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      if (target.matches && target.matches("select")) return;
      event.preventDefault();
      moveToOpen(event.key === "ArrowDown" ? 1 : -1);
      return;
    }
    if (event.altKey || isTyping(target)) return;
    // A dialog or side panel (sources, history) is open: the keys are its own, not the cards'.
    if (document.querySelector(".modal.show, .offcanvas.show, .offcanvas.showing")) return;
    if (event.key === "?") {
      event.preventDefault();
      showHelp();
    } else if (event.key === "n" || event.key === "N") {
      event.preventDefault();
      moveToOpen(event.shiftKey ? -1 : 1);
    } else if (/^[0-9]$/.test(event.key)) {
      var card = cardOf(target);
      if (card && card.matches("[hx-post]") && chooseLevel(card, event.key)) event.preventDefault();
    } else if (!event.shiftKey && CONFIDENCE_KEYS[event.key]) {
      var scored = cardOf(target);
      if (scored && scored.matches("[hx-post]") && chooseConfidence(scored, event.key)) event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-cw-jump]");
    if (!link) return;
    var card = document.getElementById(link.dataset.cwJump);
    if (!card) return;
    event.preventDefault();
    history.replaceState(null, "", "#" + card.id);
    focusCard(card, link.dataset.cwFocus || "");
  });

  // Returns whether it put the cursor somewhere (else wizard.js focuses the step's heading).
  function onArrival() {
    var wanted = false;
    try {
      wanted = sessionStorage.getItem(FOCUS_FIRST_OPEN) === "1";
      sessionStorage.removeItem(FOCUS_FIRST_OPEN);
    } catch (e) { /* private mode */ }
    var byHash = location.hash.indexOf("#item-") === 0 ? document.getElementById(location.hash.slice(1)) : null;
    if (byHash && byHash.classList.contains("cw-item")) {
      focusCard(byHash, "");
      return true;
    }
    if (wanted) {
      var open = openCards();
      var first = open.length ? open[0].card : cards()[0];
      if (first) { focusCard(first, ""); return true; }
    }
    return false;
  }

  // A step swapped in place (wizard.js) arrives like a page.
  document.addEventListener("cw:step-shown", function (event) {
    if (onArrival()) event.preventDefault();
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onArrival);
  else onArrival();
})();
