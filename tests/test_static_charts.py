"""Specs for casework.reports.static_charts."""

import shutil
import subprocess
import threading

import plotly.graph_objects as go
import pytest

from casework.reports import static_charts
from casework.reports.static_charts import ChartEngineUnavailable, engine_available, figure_to_svg

needs_chromium = pytest.mark.skipif(not engine_available(), reason="Chromium is not installed")


def radar_figure() -> go.Figure:
    return go.Figure(
        go.Scatterpolar(
            r=[3, 4, 2, 5, 3],
            theta=["治理", "识别", "保护", "检测", "响应"],
            fill="toself",
            name="成熟度",
        )
    )


@pytest.fixture
def no_browser_anywhere(monkeypatch, tmp_path):
    """No CASEWORK_CHROMIUM, and a PATH holding nothing but an empty directory."""
    static_charts.close_engine()
    monkeypatch.delenv(static_charts.BROWSER_ENV_VAR, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))


@pytest.fixture
def popen_calls(monkeypatch):
    """Record, and block, every attempt to start a process."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise AssertionError("a process was started")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    return calls


def test_missing_chromium_raises_chart_engine_unavailable(no_browser_anywhere, popen_calls):
    assert not engine_available()
    with pytest.raises(ChartEngineUnavailable, match="apt-get install chromium"):
        figure_to_svg(radar_figure())
    assert popen_calls == []


def test_a_wrong_casework_chromium_does_not_fall_back_to_path(monkeypatch, tmp_path, popen_calls):
    static_charts.close_engine()
    monkeypatch.setenv(static_charts.BROWSER_ENV_VAR, str(tmp_path / "no-such-chromium"))

    assert not engine_available()
    with pytest.raises(ChartEngineUnavailable):
        figure_to_svg(radar_figure())
    assert popen_calls == []


def test_casework_chromium_names_the_browser(monkeypatch):
    monkeypatch.setenv(static_charts.BROWSER_ENV_VAR, "/bin/sh")

    assert static_charts.find_browser() == "/bin/sh"
    assert engine_available()


@pytest.mark.skipif(shutil.which("false") is None, reason="needs the 'false' command")
def test_a_browser_that_fails_to_start_raises_chart_engine_unavailable(monkeypatch):
    static_charts.close_engine()
    monkeypatch.setenv(static_charts.BROWSER_ENV_VAR, shutil.which("false"))

    with pytest.raises(ChartEngineUnavailable, match="failed to start"):
        figure_to_svg(radar_figure())


@needs_chromium
def test_concurrent_first_calls_share_one_browser(monkeypatch):
    import kaleido

    static_charts.close_engine()
    started = []

    class CountingKaleido(kaleido.Kaleido):
        def __init__(self, *args, **kwargs):
            started.append(kwargs["path"])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(kaleido, "Kaleido", CountingKaleido)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(figure_to_svg(radar_figure())))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.append(figure_to_svg(radar_figure()))

    assert len(started) == 1
    assert len(results) == 5
    assert all(b"<svg" in svg for svg in results)


@needs_chromium
def test_figure_to_svg_returns_svg_with_the_data():
    svg = figure_to_svg(radar_figure(), width=400, height=300)

    assert svg.lstrip().startswith(b"<svg")
    text = svg.decode()
    assert 'width="400"' in text and 'height="300"' in text
    assert all(label in text for label in ["治理", "识别", "保护", "检测", "响应"])
