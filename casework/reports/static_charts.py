"""Plotly figures to SVG through one lazily started headless Chromium per process."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from plotly.graph_objects import Figure

BROWSER_ENV_VAR = "CASEWORK_CHROMIUM"
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome")

START_TIMEOUT = 30  # seconds; a healthy Chromium opens in about 1.5 s
RENDER_TIMEOUT = 30  # seconds per figure; a radar chart takes about 0.1 s
CLOSE_TIMEOUT = 10

# Added after choreographer's own flags (it already passes --headless, --no-sandbox,
# --disable-gpu, --disable-sync, --disable-component-update). Debian's /usr/bin/chromium
# launcher skips its usual --disable-background-networking because
# /etc/chromium.d/extensions enables remote extensions, so we pass it ourselves.
EXTRA_CHROMIUM_FLAGS = (
    "--disable-background-networking",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--no-pings",
)


class ChartEngineUnavailable(RuntimeError):
    """Raised when no headless Chromium can render chart images."""

    def __init__(self, detail: str = "") -> None:
        message = (
            "Chart images need Chromium: install the Debian package 'chromium' "
            f"(apt-get install chromium) or point {BROWSER_ENV_VAR} at a Chromium binary"
        )
        super().__init__(f"{message}. {detail}" if detail else message)


def find_browser() -> str | None:
    """Return the path of the Chromium to use, or None if there is none."""
    configured = os.environ.get(BROWSER_ENV_VAR)
    if configured:
        # An explicit setting that is wrong should fail loudly, not fall back to PATH.
        return shutil.which(configured)
    for name in BROWSER_NAMES:
        if path := shutil.which(name):
            return path
    return None


def engine_available() -> bool:
    """Return whether a Chromium is installed; starts nothing."""
    return find_browser() is not None


def figure_to_svg(fig: Figure, *, width: int = 700, height: int = 500) -> bytes:
    """Render a Plotly figure to SVG bytes with this process's Chromium."""
    return _render(fig, {"format": "svg", "width": width, "height": height})


def figure_to_png(fig: Figure, *, width: int = 700, height: int = 500, scale: float = 2) -> bytes:
    """Render a Plotly figure to PNG bytes (`scale` times the pixels, for print and Word)."""
    return _render(fig, {"format": "png", "width": width, "height": height, "scale": scale})


def _render(fig: Figure, opts: dict) -> bytes:
    engine = _get_engine()
    try:
        return engine.render(fig, opts)
    except TimeoutError as exc:
        with _lock:
            _discard(engine)
        raise ChartEngineUnavailable(f"Chromium gave no image within {RENDER_TIMEOUT} s.") from exc
    except Exception as exc:
        if engine.is_alive():
            raise  # the figure was bad, the browser is fine
        with _lock:
            _discard(engine)
        raise ChartEngineUnavailable("Chromium stopped while rendering.") from exc


def close_engine() -> None:
    """Stop this process's Chromium, if running; the next render starts a new one."""
    with _lock:
        _discard(_engine)


class _Engine:
    """A kaleido browser driven from its own event-loop thread."""

    def __init__(self, browser_path: str) -> None:
        # Imported here: kaleido pulls in logistro, which parses sys.argv and swaps the
        # logging Logger class at import time; only processes that render should pay that.
        import kaleido

        self._owner_pid = os.getpid()
        # We write kaleido's render page ourselves: the temporary directory kaleido
        # would make is deleted by a finalizer that a forked child also runs at exit,
        # which would break this process's browser.
        self._page_dir = Path(tempfile.mkdtemp(prefix="casework-charts-"))
        page = self._page_dir / "index.html"
        # mathjax=False, otherwise the page loads MathJax from a CDN.
        page.write_text(kaleido.PageGenerator(mathjax=False).generate_index(), encoding="utf-8")

        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="casework-chromium", daemon=True
        )
        self._thread.start()
        self._kaleido = None
        self._closed = False
        try:
            self._kaleido = kaleido.Kaleido(
                path=browser_path,
                browser_cls=_quiet_chromium_class(),
                enable_extensions=False,
                page_generator=page,
                timeout=RENDER_TIMEOUT,
            )
            self._call(self._kaleido.open(), START_TIMEOUT)
        except BaseException:
            # A browser that failed to open will not close politely either.
            self._kill_browser()
            self.close()
            raise

    def render(self, fig: Figure, opts: dict) -> bytes:
        # Our limit outlasts kaleido's own so its clearer error wins when it can.
        return self._call(self._kaleido.calc_fig(fig, opts), RENDER_TIMEOUT + 5)

    def is_alive(self) -> bool:
        process = getattr(self._kaleido, "subprocess", None)
        return process is not None and process.poll() is None

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._kaleido is not None:
            try:
                self._call(self._kaleido.close(), CLOSE_TIMEOUT)
            except BaseException:
                self._kill_browser()
        with contextlib.suppress(BaseException):
            self._call(_cancel_other_tasks(), CLOSE_TIMEOUT)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(CLOSE_TIMEOUT)
        if not self._thread.is_alive():
            self._loop.close()
        if os.getpid() == self._owner_pid:
            shutil.rmtree(self._page_dir, ignore_errors=True)

    def _call(self, coroutine, timeout: float):
        # The timeout runs inside the loop so the cancelled task's error is collected
        # there; the outer wait only guards against a loop that stopped answering.
        bounded = asyncio.wait_for(coroutine, timeout)
        return asyncio.run_coroutine_threadsafe(bounded, self._loop).result(timeout + 5)

    def _kill_browser(self) -> None:
        process = getattr(self._kaleido, "subprocess", None)
        if process is None:
            return
        # choreographer starts the browser in its own session, so its group is its pid.
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
        # Reap it, or kaleido's close still thinks it is running and waits for a reply.
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(CLOSE_TIMEOUT)


async def _cancel_other_tasks() -> None:
    # choreographer can leave a watchdog task behind; finish it before the loop closes.
    others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in others:
        task.cancel()
    await asyncio.gather(*others, return_exceptions=True)


def _quiet_chromium_class():
    """Return choreographer's Chromium launcher with our flags appended."""
    from choreographer.browsers.chromium import Chromium

    class QuietChromium(Chromium):
        def get_cli(self):
            return [*super().get_cli(), *EXTRA_CHROMIUM_FLAGS]

    return QuietChromium


_engine: _Engine | None = None
_lock = threading.Lock()


def _get_engine() -> _Engine:
    global _engine
    with _lock:
        if _engine is None:
            browser_path = find_browser()
            if browser_path is None:
                raise ChartEngineUnavailable("No browser was found.")
            try:
                _engine = _Engine(browser_path)
            except Exception as exc:
                raise ChartEngineUnavailable(f"{browser_path} failed to start: {exc}") from exc
        return _engine


def _discard(engine: _Engine | None) -> None:
    global _engine
    if engine is None:
        return
    if _engine is engine:
        _engine = None
    engine.close()


_inherited_engines: list[_Engine] = []


def _forget_engine_in_child() -> None:
    # A forked worker has none of its parent's threads: it starts its own browser on
    # first use, and must not wait on a lock a parent thread held at fork time. The
    # parent's engine stays referenced so garbage collection here cannot delete the
    # parent's Chromium profile directory.
    global _engine, _lock
    if _engine is not None:
        _inherited_engines.append(_engine)
    _engine = None
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_engine_in_child)
atexit.register(close_engine)
