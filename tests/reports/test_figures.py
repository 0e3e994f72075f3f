"""Specs for the figure builders: plain dicts in, Plotly figures with the right data out."""

from datetime import date

from casework.reports import figures


def report(previous=None):
    return {
        "assessment": {"round": 2},
        "framework": {"name": "Tiny"},
        "previous": previous,
        "dimensions": [
            {"code": "D1", "title": "One", "percent": 50.0, "previous_percent": 40.0},
            {"code": "D2", "title": "Two", "percent": None, "previous_percent": 20.0},
            {"code": "D3", "title": "Three", "percent": 75.0, "previous_percent": None},
        ],
        "registers": None,
    }


def test_radar_closes_the_loop_and_keeps_gaps():
    fig = figures.assessment_radar(report())

    (trace,) = fig.data
    assert list(trace.r) == [50.0, None, 75.0, 50.0]
    assert list(trace.theta) == ["D1 One", "D2 Two", "D3 Three", "D1 One"]
    assert fig.layout.polar.radialaxis.range == (0, 100)


def test_radar_overlays_the_previous_round():
    fig = figures.assessment_radar(report(previous={"round": 1}))

    assert len(fig.data) == 2
    assert list(fig.data[1].r) == [40.0, 20.0, None, 40.0]
    assert fig.data[1].line.dash == "dash"


def test_risk_heatmap_counts_risks_per_cell():
    risks = [
        {"likelihood": 5, "impact": 1, "description": "a"},
        {"likelihood": 5, "impact": 1, "description": "b"},
        {"likelihood": 1, "impact": 5, "description": "c"},
    ]

    heat = figures.risk_heatmap(risks).data[0]

    assert heat.text[4][0] == "2"  # likelihood 5 (row 5), impact 1 (column 1)
    assert heat.text[0][4] == "1"
    assert heat.text[2][2] == ""
    assert "a<br>b" in heat.customdata[4][0]


def test_risk_heatmap_colours_each_cell_by_likelihood_times_impact():
    heat = figures.risk_heatmap([]).data[0]

    assert heat.z[0][0] == 1
    assert heat.z[4][4] == 25
    assert heat.z[2][3] == 12  # likelihood 3 × impact 4


def test_stakeholders_are_placed_by_interest_and_influence():
    people = [
        {
            "name": "A",
            "interest": 2,
            "influence": 5,
            "attitude": "champion",
            "attitude_label": "Champion",
        },
        {
            "name": "B",
            "interest": 4,
            "influence": 1,
            "attitude": "resistant",
            "attitude_label": "Resistant",
        },
    ]

    fig = figures.stakeholder_grid(people)

    assert [(t.x[0], t.y[0], t.name) for t in fig.data] == [(2, 5, "Champion"), (4, 1, "Resistant")]


def test_indicator_progress_skips_indicators_without_numbers():
    indicators = [
        {
            "name": "x",
            "progress_percent": 50.0,
            "baseline": 0.0,
            "target": 10.0,
            "actual": 5.0,
            "unit": "",
        },
        {
            "name": "y",
            "progress_percent": None,
            "baseline": None,
            "target": 1.0,
            "actual": None,
            "unit": "",
        },
    ]

    bar = figures.indicator_progress(indicators).data[0]

    assert list(bar.x) == [50.0]
    assert list(bar.y) == ["x"]


def test_timeline_bars_start_at_the_phase_start_and_last_its_days():
    phases = [
        {
            "name": "Pilot",
            "start": date(2024, 1, 1),
            "end": date(2024, 1, 10),
            "is_pilot": True,
            "status": "done",
            "status_label": "Done",
        },
    ]

    bar = figures.implementation_timeline(phases).data[0]

    assert bar.base[0] == "2024-01-01"
    assert bar.x[0] == 10 * 86_400_000
    assert bar.y[0] == "1. Pilot ★"


def test_user_text_in_labels_is_escaped_for_plotly():
    assert (
        figures.plain('<a href="javascript:x">hi</a>')
        == '&lt;a href="javascript:x"&gt;hi&lt;/a&gt;'
    )
    assert figures.plain("abcdefgh", 5) == "abcd…"


def test_spread_box_uses_precomputed_quartiles():
    spread = [
        {
            "code": "D1",
            "title": "One",
            "min": 0.0,
            "q1": 20.0,
            "median": 40.0,
            "q3": 60.0,
            "max": 100.0,
            "mean": 41.0,
        }
    ]

    box = figures.spread_box(spread).data[0]

    assert list(box.median) == [40.0]
    assert list(box.q1) == [20.0] and list(box.q3) == [60.0]


def test_radar_wraps_long_axis_labels_and_keeps_the_full_name_in_the_hover():
    labels = [
        "CA-4 Technology selection and implementation",
        "SF-6 持续监测、评估与迭代优化",
        "D3 <b>Three</b>",
    ]

    fig = figures.radar(labels, [("Now", [50.0, 60.0, 70.0])])

    (trace,) = fig.data
    assert trace.theta[0] == "CA-4 Technology<br>selection and<br>implementation"
    assert trace.theta[1] == "SF-6 持续监测、<br>评估与迭代优化"
    assert trace.theta[2] == "D3 &lt;b&gt;Three&lt;/b&gt;"  # wrapped, then escaped
    assert trace.customdata[0] == "CA-4 Technology selection and implementation"
    assert "%{customdata}" in trace.hovertemplate
    # Room above and below the circle for three lines of label.
    assert fig.layout.margin.t >= 3 * figures.LABEL_LINE_HEIGHT


def test_wrapped_labels_never_pass_their_width_and_are_cut_after_three_lines():
    long = "X " + "word " * 40

    lines = figures.wrap_lines(long, width=22)

    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert all(figures._text_width(line) <= 22 for line in lines)
    assert figures.wrap_lines("Drivers and goals") == ["Drivers and goals"]
