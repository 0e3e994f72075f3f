// The sources panel (templates/casework/sources/_panel_body.html), on the case page and in the
// wizard: shows refusals next to the form, checks a file's size before sending it, and tells
// the page when the case's sources changed with a `cw:sources-changed` event on <body>
// (detail: {caseId, count}), so that other parts of the page can redraw themselves.
(function () {
  "use strict";

  function panelOf(elt) {
    return elt && elt.closest ? elt.closest("#sources-panel-body") : null;
  }

  function showError(panel, text) {
    var box = panel.querySelector(".cw-sources-error");
    if (!box) return;
    box.textContent = "";
    if (!text) return;
    var alert = document.createElement("div");
    alert.className = "alert alert-danger py-1 px-2 small mb-2";
    alert.textContent = text;
    box.appendChild(alert);
  }

  // The server's own words for a refused request (the 413 and 503 fragments of casework/errors.py).
  function serverMessage(xhr) {
    var found = new DOMParser().parseFromString(xhr.responseText || "", "text/html")
      .querySelector("[data-cw-error]");
    return found ? found.textContent.trim() : "";
  }

  function sizeText(bytes) {
    if (bytes < 1024 * 1024) return Math.max(1, Math.round(bytes / 1024)) + " KB";
    return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "") + " MB";
  }

  // A file over the limit is refused here, before minutes of uploading end in a 413.
  document.addEventListener("change", function (event) {
    var input = event.target;
    var panel = panelOf(input);
    if (!panel || input.type !== "file") return;
    var limit = parseInt(panel.dataset.maxBytes, 10) || 0;
    var file = input.files && input.files[0];
    var message = "";
    if (file && limit && file.size > limit) {
      message = (panel.dataset.tooBigText || "").replace("{size}", sizeText(file.size));
    }
    input.setCustomValidity(message);
    input.classList.toggle("is-invalid", Boolean(message));
    showError(panel, message);
  });

  // The add form is `novalidate` (the server words the errors), so a file refused above is
  // stopped here instead of by the browser's own validation.
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var panel = panelOf(event.detail.elt);
    if (!panel) return;
    var refused = Array.prototype.find.call(
      event.detail.elt.querySelectorAll("input[type=file]"),
      function (input) { return input.validationMessage; });
    if (refused) {
      event.preventDefault();
      showError(panel, refused.validationMessage);
      refused.focus();
    }
  });

  // Validation errors come back as a panel worth showing (with the typed values kept).
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (!panelOf(event.detail.elt)) return;
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.body.addEventListener("htmx:responseError", function (event) {
    var panel = panelOf(event.detail.elt);
    if (!panel) return;
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422) return;
    showError(panel, serverMessage(event.detail.xhr) || panel.dataset.failedText);
  });

  document.body.addEventListener("htmx:sendError", function (event) {
    var panel = panelOf(event.detail.elt);
    if (panel) showError(panel, panel.dataset.failedText);
  });

  document.body.addEventListener("htmx:afterSettle", function () {
    var panel = document.getElementById("sources-panel-body");
    if (!panel || panel.dataset.cwSourcesChanged === undefined || panel.dataset.cwAnnounced) return;
    panel.dataset.cwAnnounced = "1";
    var title = panel.querySelector("input[name='source-title']");
    if (title) title.focus();  // ready for the next source
    document.body.dispatchEvent(new CustomEvent("cw:sources-changed", {
      bubbles: true,
      detail: {caseId: panel.dataset.case, count: parseInt(panel.dataset.cwSourcesChanged, 10)}
    }));
  });
})();
