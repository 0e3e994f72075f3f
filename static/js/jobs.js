/* Report jobs: "Download PDF" starts (or reuses) a job, shows its progress, then downloads.

   Links marked data-job-start POST to their href (or to data-job-post with data-job-fields)
   asking for JSON; a progress panel appears beside the link and polls the job's status URL
   until the file is ready, then the browser downloads it. Without JavaScript the link is a
   plain GET that serves the file, or a progress page that refreshes itself.
   The job page (data-job-watch) polls the same way. */
(function () {
  "use strict";

  var POLL_MS = 1000;

  function csrfToken() {
    var headers = document.body.getAttribute("hx-headers");
    if (headers) {
      try { return JSON.parse(headers)["X-CSRFToken"] || ""; } catch (e) { /* fall through */ }
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function panelFor(link) {
    var panel = link.parentNode.querySelector('[data-job-panel][data-for="' + link.dataset.jobId + '"]');
    if (panel) return panel;
    panel = document.createElement("div");
    panel.className = "cw-job-panel w-100 small";
    panel.setAttribute("data-job-panel", "");
    panel.setAttribute("data-for", link.dataset.jobId);
    panel.setAttribute("data-testid", "job-panel");
    panel.innerHTML =
      '<progress class="w-100" max="100" value="0"></progress>' +
      '<span class="cw-job-message" aria-live="polite"></span>' +
      '<span class="cw-job-error text-danger d-none" role="alert"></span>';
    link.parentNode.appendChild(panel);
    return panel;
  }

  function show(view, state) {
    view.root.setAttribute("data-status", state.status);
    view.progress.value = state.progress;
    view.progress.textContent = state.progress + "%";
    view.message.textContent = state.message;
    view.error.textContent = state.error || "";
    view.error.classList.toggle("d-none", !state.error);
  }

  function follow(view, state, autoDownload, done) {
    show(view, state);
    if (state.status === "done") {
      if (autoDownload && state.download_url) window.location.assign(state.download_url);
      if (done) done(state);
      return;
    }
    if (state.finished) { if (done) done(state); return; }
    window.setTimeout(function () {
      fetch(state.status_url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (next) { follow(view, next, autoDownload, done); })
        .catch(function () { window.location.assign(state.page_url); });
    }, POLL_MS);
  }

  var counter = 0;

  function start(link) {
    if (link.getAttribute("aria-busy") === "true") return;
    if (!link.dataset.jobId) link.dataset.jobId = String(++counter);
    var panel = panelFor(link);
    var view = {
      root: panel,
      progress: panel.querySelector("progress"),
      message: panel.querySelector(".cw-job-message"),
      error: panel.querySelector(".cw-job-error"),
    };
    link.setAttribute("aria-busy", "true");
    link.classList.add("disabled");
    var body = new URLSearchParams(link.dataset.jobFields || "");
    fetch(link.dataset.jobPost || link.href, {
      method: "POST",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: body,
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (state) {
        follow(view, state, true, function () {
          link.removeAttribute("aria-busy");
          link.classList.remove("disabled");
        });
      })
      .catch(function () { window.location.assign(link.href); });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-job-start]") : null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
    event.preventDefault();
    start(link);
  });

  // The job page: the same progress, read from the page, polled until ready.
  var watch = document.querySelector("[data-job-watch]");
  if (watch) {
    var view = {
      root: watch,
      progress: watch.querySelector("[data-job-progress]"),
      message: watch.querySelector("[data-job-message]"),
      error: watch.querySelector("[data-job-error]"),
    };
    var download = watch.querySelector("[data-job-download]");
    fetch(watch.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        var wasFinished = state.finished;
        follow(view, state, watch.hasAttribute("data-auto-download") && !wasFinished, function (last) {
          if (last.download_url) {
            download.href = last.download_url;
            download.classList.remove("d-none");
          }
        });
      });
  }
})();
