/* Register rows: scores clicked (or typed as 1–5) in the table save at once; an open row form
   saves each change as it is made and keeps the focus where the analyst is typing. */
(function () {
  "use strict";
  document.body.classList.add("cw-js");

  var busy = {};     // row id → a score save is in flight
  var pending = {};  // row id → {field, value} clicked while it was

  function scoreForm(el) { return el && el.closest ? el.closest("form[data-cw-score]") : null; }
  function rowId(form) { var tr = form.closest("tr"); return tr ? tr.id : ""; }

  function send(form) {
    var id = rowId(form);
    if (busy[id]) {
      // The row comes back with a new version: click again on the fresh row when it lands.
      var checked = form.querySelector("input[name=value]:checked");
      pending[id] = { field: form.querySelector("input[name=field]").value, value: checked && checked.value };
      return;
    }
    htmx.trigger(form, "cw:score");
  }

  document.addEventListener("change", function (event) {
    var form = scoreForm(event.target);
    if (form && event.target.name === "value") send(form);
  });

  // Number keys choose a score on a focused score control (the table's or the edit form's).
  document.addEventListener("keydown", function (event) {
    if (!/^[1-5]$/.test(event.key) || event.ctrlKey || event.metaKey || event.altKey) return;
    var group = event.target.closest && event.target.closest(".cw-score");
    if (!group || event.target.type !== "radio") return;
    var option = group.querySelector('input[type=radio][value="' + event.key + '"]');
    if (!option) return;
    event.preventDefault();
    if (!option.checked) option.click();
    option.focus();
  });

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var form = scoreForm(event.detail.elt);
    if (form) busy[rowId(form)] = true;
  });

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    // Here htmx names the row being replaced as `elt`; the form that asked is the request's.
    var config = event.detail.requestConfig;
    var form = scoreForm((config && config.elt) || event.detail.elt);
    // The last moment the form is still in its row: htmx:afterRequest fires on it once the
    // row has been replaced, out of the document, where no listener hears it.
    if (form) delete busy[rowId(form)];
    if (form && (status === 409 || status === 422 || status === 423)) {
      // The row comes back saying why: show it rather than dropping the answer.
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.body.addEventListener("htmx:sendError", function (event) {
    var form = scoreForm(event.detail.elt);
    if (form) delete busy[rowId(form)];
  });

  document.body.addEventListener("htmx:afterSettle", function () {
    Object.keys(pending).forEach(function (id) {
      var wanted = pending[id];
      delete pending[id];
      var row = document.getElementById(id);
      if (!row || !wanted.value) return;
      var field = row.querySelector('form[data-cw-score] input[name=field][value="' + wanted.field + '"]');
      var form = field && field.form;
      var option = form && form.querySelector('input[name=value][value="' + wanted.value + '"]');
      if (!option || option.checked) return;
      option.checked = true;
      send(form);
    });
  });

  // --- An existing row's form saves each change (no swap, so typing goes on undisturbed) ---

  var saving = new WeakMap();  // form → "busy" | "again" (changed while saving)

  function rowStatus(form, text, isError) {
    var status = form.querySelector(".cw-row-status");
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("text-danger", !!isError);
  }

  function replaceRow(form, html) {
    var tr = form.closest("tr");
    if (!tr) return;
    var holder = document.createElement("tbody");
    holder.innerHTML = html;
    var fresh = holder.querySelector("tr");
    if (!fresh) return;
    tr.replaceWith(fresh);
    htmx.process(fresh);
  }

  function autosave(form) {
    if (saving.get(form)) { saving.set(form, "again"); return; }
    saving.set(form, "busy");
    rowStatus(form, form.dataset.savingText || "…");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "HX-Request": "true", "X-CSRFToken": token ? token.value : "" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.text().then(function (html) { return { status: response.status, html: html }; });
    }).then(function (reply) {
      var again = saving.get(form) === "again";
      saving.delete(form);
      if (reply.status === 200) {
        // The saved row's version becomes the form's, so the next change (or Save) follows it.
        var saved = new DOMParser().parseFromString("<table><tbody>" + reply.html + "</tbody></table>", "text/html");
        var version = saved.querySelector("input[name=version]");
        if (version) form.querySelector("input[name=version]").value = version.value;
        rowStatus(form, form.dataset.savedText || "✓");
        if (again) autosave(form);
      } else if (reply.status === 422) {
        var problem = new DOMParser().parseFromString("<table><tbody>" + reply.html + "</tbody></table>", "text/html")
          .querySelector(".invalid-feedback, .alert-danger");
        rowStatus(form, (form.dataset.unsavedText || "") + " " + (problem ? problem.textContent.trim() : ""), true);
      } else if (reply.status === 409 || reply.status === 423) {
        replaceRow(form, reply.html);  // their values beside mine, or the lock: worth the swap
      } else {
        rowStatus(form, (form.dataset.unsavedText || "") + " " + reply.status, true);
      }
    }).catch(function () {
      saving.delete(form);
      rowStatus(form, form.dataset.unsavedText || "…", true);
    });
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-cw-autosave]");
    if (form && event.target.name && event.target.name !== "version") autosave(form);
  });

  // --- The import, inside the register's box: paste or upload → preview → confirm ---

  function importPanel(el) { return el && el.closest ? el.closest("[data-cw-import]") : null; }

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var config = event.detail.requestConfig;
    var status = event.detail.xhr.status;
    if (importPanel(config && config.elt) && (status === 409 || status === 422 || status === 423)) {
      // The panel comes back saying why (a form error, an expired preview, a lock).
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("click", function (event) {
    var cancel = event.target.closest && event.target.closest("[data-cw-import-cancel]");
    var panel = importPanel(cancel);
    if (!panel) return;
    // Nothing was written before the confirm: closing the panel is all there is to cancel.
    event.preventDefault();
    var box = panel.parentElement;
    box.replaceChildren();
    var link = document.querySelector('[aria-controls="' + box.id + '"]');
    if (link) link.focus();
  });

  htmx.onLoad(function (elt) {
    if (!elt.querySelector) return;
    var panel = elt.matches("[data-cw-import]") ? elt : elt.querySelector("[data-cw-import]");
    if (!panel) return;
    // Opened: the cursor waits in the paste box (autofocus). A preview or a refusal: its news first.
    var news = panel.querySelector("[data-testid=import-error]") || panel.querySelector("[data-testid=import-preview] h4");
    if (news) {
      news.setAttribute("tabindex", "-1");
      news.focus({ preventScroll: true });
      news.scrollIntoView({ block: "nearest" });
    }
  });
})();
