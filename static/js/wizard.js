/* Scoring wizard: autosave feedback, offline drafts, N/A toggle and character counters. */
(function () {
  "use strict";
  document.body.classList.add("cw-js");

  var DRAFT_PREFIX = "cw-draft:" + location.pathname.replace(/step\/\d+\/$/, "");

  function cardOf(el) { return el && el.closest ? el.closest(".cw-item[hx-post]") : null; }
  function draftKey(card) { return DRAFT_PREFIX + card.id; }
  function versionInput(card) { return card.querySelector('input[name$="-version"]'); }
  function statusOf(card) { return card.querySelector(".cw-status"); }

  function setStatus(card, text, isError) {
    var status = statusOf(card);
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("is-error", !!isError);
  }

  function snapshot(card) {
    var values = {};
    card.querySelectorAll("input, textarea").forEach(function (input) {
      if (!input.name || input.type === "hidden") return;
      values[input.id] = (input.type === "radio" || input.type === "checkbox") ? input.checked : input.value;
    });
    return values;
  }

  function applyValues(values) {
    Object.keys(values).forEach(function (id) {
      var input = document.getElementById(id);
      if (!input) return;
      if (input.type === "radio" || input.type === "checkbox") input.checked = values[id];
      else input.value = values[id];
    });
  }

  function saveDraft(card) {
    try {
      localStorage.setItem(draftKey(card), JSON.stringify({ version: versionInput(card).value, values: snapshot(card) }));
    } catch (e) { /* storage full or disabled: autosave still works */ }
  }

  function restoreDrafts() {
    var restored = false;
    document.querySelectorAll(".cw-item[hx-post]").forEach(function (card) {
      var raw = localStorage.getItem(draftKey(card));
      if (!raw) return;
      var draft;
      try { draft = JSON.parse(raw); } catch (e) { draft = null; }
      // A draft made on an older version would overwrite someone's newer save: drop it.
      if (!draft || draft.version !== versionInput(card).value) {
        localStorage.removeItem(draftKey(card));
        return;
      }
      applyValues(draft.values);
      syncCard(card);
      restored = true;
      htmx.trigger(card, "change");
    });
    if (restored) document.getElementById("cw-restore-notice").classList.remove("d-none");
  }

  function syncCounter(textarea) {
    var counter = document.getElementById(textarea.id + "-count");
    if (!counter) return;
    var limit = parseInt(textarea.dataset.limit, 10);
    counter.textContent = textarea.value.length + " / " + limit;
    counter.classList.toggle("text-danger", textarea.value.length > limit);
  }

  // N/A switched on with no reason yet waits for the reason: a state, not an error.
  function isPending(card) {
    var na = card.querySelector(".cw-na-toggle");
    var reason = card.querySelector('textarea[name$="-na_reason"]');
    return !!(na && na.checked && reason && !reason.value.trim());
  }

  function syncCard(card) {
    var na = card.querySelector(".cw-na-toggle");
    if (na) card.classList.toggle("is-na", na.checked);
    var pending = isPending(card);
    if (pending && !card.classList.contains("is-na-pending")) setStatus(card, card.dataset.pendingText || "…");
    card.classList.toggle("is-na-pending", pending);
    card.querySelectorAll("textarea[data-limit]").forEach(syncCounter);
  }

  document.addEventListener("input", function (event) {
    var card = cardOf(event.target);
    if (!card) return;
    if (event.target.matches("textarea[data-limit]")) syncCounter(event.target);
    if (event.target.matches('textarea[name$="-na_reason"]')) syncCard(card);
    saveDraft(card);
    // Typing in a long text saves after a pause. The strict CSP runs htmx without eval, so
    // the card listens for this event rather than filtering "input" with an expression.
    if (event.target.matches("textarea, .cw-cite-input")) {
      event.target.dispatchEvent(new CustomEvent("cw:typed", { bubbles: true }));
    }
  });

  document.addEventListener("change", function (event) {
    var card = cardOf(event.target);
    if (!card) return;
    syncCard(card);
    saveDraft(card);
    if (event.target.matches(".cw-na-toggle") && event.target.checked && isPending(card)) {
      card.querySelector('textarea[name$="-na_reason"]').focus();
    }
  });

  document.addEventListener("click", function (event) {
    var cancel = event.target.closest("[data-cw-cancel-row]");
    if (cancel) {
      // A new register row not yet saved: drop it from the table, nothing to tell the server.
      event.preventDefault();
      cancel.closest("tr").remove();
      return;
    }
    var keep = event.target.closest("[data-cw-keep]");
    if (!keep) return;
    var card = cardOf(keep);
    if (!card) return;
    // The card already carries the current version: posting it again keeps this user's values.
    event.preventDefault();
    htmx.trigger(card, "change");
  });

  // What each card posted, and what the user had typed by the time an error card came back:
  // typing done while a save was in flight must survive the error card replacing the old one.
  var posted = {};
  var typedSince = {};

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var card = event.detail.elt;
    if (card.classList && card.classList.contains("cw-item") && event.detail.requestConfig.verb === "post") {
      posted[card.id] = snapshot(card);
      setStatus(card, card.dataset.savingText || "…");
    }
  });

  // After settling, the new card is wired up by htmx, so a triggered change posts it.
  document.body.addEventListener("htmx:afterSettle", function () {
    Object.keys(typedSince).forEach(function (id) {
      var card = document.getElementById(id);
      var values = typedSince[id];
      delete typedSince[id];
      if (!card) return;
      applyValues(values);
      syncCard(card);
      saveDraft(card);
      htmx.trigger(card, "change");  // save what was typed, now with the fresh version
    });
  });

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var elt = event.detail.elt;
    if (status === 409 || status === 422 || status === 423) {
      // Conflicts, validation errors and locks come back as a card worth showing.
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      if (status !== 423 && elt.id && posted[elt.id]) {
        var now = snapshot(elt), before = posted[elt.id], changed = {};
        Object.keys(now).forEach(function (id) { if (now[id] !== before[id]) changed[id] = now[id]; });
        if (Object.keys(changed).length) typedSince[elt.id] = changed;
      }
      return;
    }
    if (status === 200 && elt.classList && elt.classList.contains("cw-item") &&
        event.detail.requestConfig.verb === "post" &&
        !elt.querySelector(".cw-conflict, .alert, .invalid-feedback")) {
      // Saved. Keep the card the user may still be typing in; take the new version and status only.
      var fresh = new DOMParser().parseFromString(event.detail.serverResponse, "text/html").querySelector(".cw-item");
      if (fresh) {
        versionInput(elt).value = versionInput(fresh).value;
        statusOf(elt).innerHTML = statusOf(fresh).innerHTML;
        statusOf(elt).classList.remove("is-error");
        elt.classList.remove("border-danger");
        event.detail.shouldSwap = false;
        // A pending N/A lives only in this browser until its reason is given: keep its draft.
        if (elt.classList.contains("is-na-pending")) saveDraft(elt);
        else localStorage.removeItem(draftKey(elt));
        fresh.ownerDocument.querySelectorAll("[hx-swap-oob]").forEach(function (part) {
          var current = document.getElementById(part.id);
          if (!current) return;
          part.removeAttribute("hx-swap-oob");
          if (current.open) part.setAttribute("open", "");  // "What is left" stays as opened
          current.replaceWith(document.importNode(part, true));
        });
      }
    }
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (event.detail.successful && elt.classList && elt.classList.contains("cw-item") && elt.id &&
        !elt.classList.contains("is-na-pending")) {
      localStorage.removeItem(draftKey(elt));
    }
  });

  function offline(event) {
    var card = event.detail.elt;
    if (!card.classList || !card.classList.contains("cw-item")) return;
    saveDraft(card);
    setStatus(card, card.dataset.offlineText || "Not saved: kept in this browser", true);
  }
  // The server's own words for a refused save (the 503 and 413 fragments of casework/errors.py).
  function serverMessage(xhr) {
    var found = new DOMParser().parseFromString(xhr.responseText || "", "text/html")
      .querySelector("[data-cw-error]");
    return found ? found.textContent.trim() : "";
  }

  document.body.addEventListener("htmx:sendError", offline);
  document.body.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr, card = event.detail.elt;
    var isCard = card.classList && card.classList.contains("cw-item");
    if (isCard && xhr.status === 503) {
      // The database was busy: keep the typing, say so, and send the same card again.
      saveDraft(card);
      setStatus(card, serverMessage(xhr) || card.dataset.offlineText || "…", true);
      var after = parseInt(xhr.getResponseHeader("Retry-After"), 10) || 2;
      setTimeout(function () { if (document.body.contains(card)) htmx.trigger(card, "change"); },
        after * 1000);
      return;
    }
    if (isCard && xhr.status === 413) {
      saveDraft(card);
      setStatus(card, serverMessage(xhr) || card.dataset.offlineText || "…", true);
      return;
    }
    if ([409, 422, 423].indexOf(xhr.status) === -1) offline(event);
  });

  // Browsers scroll a focused field into view only when it is off screen; one under the sticky
  // Save/Next bar counts as on screen. Lift it above the bar (keyboard users tab into it).
  function keepAboveBar(el) {
    var bar = document.querySelector(".cw-wizard-nav");
    if (!bar || !el || !el.getBoundingClientRect || bar.contains(el)) return;
    if (el.closest && el.closest(".modal, .offcanvas, .dropdown-menu")) return;  // above the page
    var box = el.getBoundingClientRect(), top = bar.getBoundingClientRect().top;
    if (box.bottom > top && box.top < window.innerHeight) {
      window.scrollBy({ top: Math.min(box.bottom - top + 8, Math.max(box.top - 8, 0)), behavior: "instant" });
    }
  }
  document.addEventListener("focusin", function (event) { keepAboveBar(event.target); });

  htmx.onLoad(function (elt) {
    if (elt.classList && elt.classList.contains("cw-item")) syncCard(elt);
    else if (elt.id === PAGE) elt.querySelectorAll(".cw-item[hx-post]").forEach(syncCard);
    // A register row's form just opened (added or edited): bring all of it, Save button
    // included, above the sticky bar and put the cursor in its first field.
    if (elt.matches && elt.matches("tr.cw-row-edit")) {
      elt.scrollIntoView({ block: "nearest" });
      var first = elt.querySelector(".is-invalid") || elt.querySelector("input:not([type=hidden]), textarea, select");
      if (first) first.focus({ preventScroll: true });
    }
  });

  /* Confidence carried along: choosing a level on an item whose confidence is not set yet takes
     the confidence of the nearest item above that has one, says so on the card, and saves it
     with the level (this listener runs in the capture phase, before the card's own autosave
     reads its fields). The analyst changes it with a click or with l / m / h (wizard-keys.js). */
  function carriedConfidence(card) {
    var cards = Array.prototype.slice.call(document.querySelectorAll(".cw-item[hx-post]"));
    for (var i = cards.indexOf(card) - 1; i >= 0; i--) {
      var chosen = cards[i].querySelector('input[type=radio][name$="-confidence"]:checked');
      if (chosen && chosen.value) return { value: chosen.value, code: cards[i].dataset.code || "" };
    }
    return null;
  }

  function markCarried(card, code) {
    var group = card.querySelector('input[type=radio][name$="-confidence"]');
    var fieldset = group && group.closest("fieldset");
    if (!fieldset) return;
    var note = fieldset.querySelector(".cw-carried");
    if (!note) {
      note = document.createElement("div");
      note.className = "form-text cw-carried";
      note.setAttribute("data-testid", "confidence-carried");
      fieldset.appendChild(note);
    }
    var page = document.getElementById("cw-step-page");
    var text = (page && page.dataset.carriedText) || "{code}";
    note.textContent = text.replace("{code}", code);
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target.matches || !target.matches('.cw-levels input[type=radio]') || !target.checked || target.value === "") return;
    var card = cardOf(target);
    if (!card || card.querySelector('input[type=radio][name$="-confidence"]:checked')) return;
    var carried = carriedConfidence(card);
    if (!carried) return;
    var radio = card.querySelector('input[type=radio][name$="-confidence"][value="' + carried.value + '"]');
    if (!radio || radio.disabled) return;
    radio.checked = true;
    markCarried(card, carried.code);
  }, true);

  // A confidence chosen by hand (the carry itself sends no event) is no longer the carried one.
  document.addEventListener("change", function (event) {
    if (!event.target.matches || !event.target.matches('input[type=radio][name$="-confidence"]')) return;
    var card = cardOf(event.target);
    var note = card && card.querySelector(".cw-carried");
    if (note) note.remove();
  });

  /* Moving between steps in place. The step list, Back / Next and the keyboard's "next step"
     carry data-cw-step: with JavaScript the page's content is swapped for the next step's
     (htmx, the same URL a full load would use), the address and title follow, Back / Forward
     work, and the heading takes the focus. Typing not yet saved is saved first; if a card
     then shows a problem (conflict, invalid value, a N/A waiting for its reason) the step form
     is posted as without JavaScript, and the server keeps the analyst where the problem is. */
  var PAGE = "cw-step-page";
  var dirty = {};        // card id → typed since its last save was sent
  var inflight = [];     // htmx requests on their way
  var idleWaiters = [];
  var moving = false;

  document.addEventListener("input", function (event) {
    var card = cardOf(event.target);
    if (card && card.id) dirty[card.id] = true;
  });

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.id && event.detail.requestConfig.verb === "post") delete dirty[elt.id];
  });

  function settledIfIdle() {
    if (inflight.length) return;
    var waiting = idleWaiters;
    idleWaiters = [];
    waiting.forEach(function (resolve) { resolve(); });
  }

  // Requests are followed by their XHR: an element swapped out no longer hears its own events.
  document.body.addEventListener("htmx:beforeSend", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr) return;
    inflight.push(xhr);
    xhr.addEventListener("loadend", function () {
      inflight = inflight.filter(function (other) { return other !== xhr; });
      // Let htmx swap the answer (and a card re-send what was typed meanwhile) first.
      setTimeout(settledIfIdle, 50);
    });
  });

  function whenIdle() {
    return new Promise(function (resolve) {
      idleWaiters.push(resolve);
      setTimeout(settledIfIdle, 0);
    });
  }

  // Send every card that holds typing its debounce has not sent yet, and wait for the answers.
  function flush(rounds) {
    var sent = false;
    Object.keys(dirty).forEach(function (id) {
      var card = document.getElementById(id);
      delete dirty[id];
      if (card && card.matches(".cw-item[hx-post]")) { htmx.trigger(card, "change"); sent = true; }
    });
    return whenIdle().then(function () {
      if (Object.keys(dirty).length && rounds > 0) return flush(rounds - 1);
      return sent;
    });
  }

  function hasProblem() {
    return !!document.querySelector(
      ".cw-item.is-na-pending, .cw-item.border-danger, .cw-item .cw-conflict, .cw-item .is-invalid, .cw-status.is-error");
  }

  function stepPage() { return document.getElementById(PAGE); }

  // The messages a step brought in place go to the live region above it, and are announced.
  function showMessages() {
    var live = document.getElementById("cw-step-messages");
    var brought = document.querySelector("#" + PAGE + " [data-cw-messages]");
    if (!live) return;
    live.replaceChildren();
    if (!brought) return;
    while (brought.firstElementChild) live.appendChild(brought.firstElementChild);
    brought.remove();
  }

  function arrive() {
    showMessages();
    window.scrollTo({ top: 0, left: 0, behavior: "instant" });
    document.querySelectorAll(".cw-item[hx-post]").forEach(syncCard);
    restoreDrafts();
    // wizard-keys.js may put the cursor in an item (the "next item" key, a #item- address).
    var shown = new CustomEvent("cw:step-shown", { bubbles: true, cancelable: true });
    if (document.dispatchEvent(shown)) {
      var heading = document.querySelector("#" + PAGE + " h1");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
      }
    }
  }

  function show(url, push) {
    var page = stepPage();
    var ok = false;
    function check(event) {
      if (event.detail.elt !== page) return;
      var xhr = event.detail.xhr;
      var body = xhr.responseText || "";
      ok = xhr.status === 200 && body.indexOf('id="' + PAGE + '"') !== -1 &&
        (!xhr.responseURL || new URL(xhr.responseURL).pathname === new URL(url, location.href).pathname);
      if (!ok) event.detail.shouldSwap = false;
    }
    document.body.addEventListener("htmx:beforeSwap", check);
    document.body.setAttribute("aria-busy", "true");
    return htmx.ajax("GET", url, { source: page, target: "#" + PAGE, select: "#" + PAGE, swap: "outerHTML" })
      .then(function () {
        document.body.removeEventListener("htmx:beforeSwap", check);
        document.body.removeAttribute("aria-busy");
        if (!ok) { location.assign(url); return; }  // signed out, gone: a full load says why
        if (push) history.pushState({ cwStep: true }, "", url);
        arrive();
      });
  }

  function leave(control) {
    var url = control.dataset.cwStep;
    moving = true;
    flush(3).then(function () {
      if (hasProblem()) {
        moving = false;
        var form = control.form;
        if (form && form.requestSubmit) form.requestSubmit(control);
        else location.assign(url);
        return null;
      }
      return show(url, true);
    }).catch(function () { location.assign(url); })
      .then(function () { moving = false; });
  }

  document.addEventListener("click", function (event) {
    var control = event.target.closest && event.target.closest("[data-cw-step]");
    if (!control || event.defaultPrevented || !stepPage()) return;
    if (event.button || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (!moving) leave(control);
  });

  if (stepPage()) {
    history.replaceState(Object.assign({}, history.state, { cwStep: true }), "", location.href);
    window.addEventListener("popstate", function (event) {
      if (!event.state || !event.state.cwStep || !stepPage()) return;
      moving = true;
      flush(3).then(function () { return show(location.href, false); })
        .catch(function () { location.reload(); })
        .then(function () { moving = false; });
    });
  }

  document.querySelectorAll(".cw-item[hx-post]").forEach(syncCard);
  // After htmx has wired up the cards (it listens for DOMContentLoaded too, and was loaded first).
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setTimeout(restoreDrafts, 0); });
  } else {
    setTimeout(restoreDrafts, 0);
  }
})();
