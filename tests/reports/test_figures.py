"""Specs for the figure builders: plain dicts in, Plotly figures with the right data out."""

from datetime import date

from django.utils import translation

from casework.reports import figure_layout, figures, register_figures


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

    heat = register_figures.risk_heatmap(risks).data[0]

    assert heat.text[4][0] == "2"  # likelihood 5 (row 5), impact 1 (column 1)
    assert heat.text[0][4] == "1"
    assert heat.text[2][2] == ""
    assert "a<br>b" in heat.customdata[4][0]


def test_risk_heatmap_colours_each_cell_by_likelihood_times_impact():
    heat = register_figures.risk_heatmap([]).data[0]

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

    fig = register_figures.stakeholder_grid(people)

    assert [(t.x[0], t.y[0], t.name) for t in fig.data] == [(2, 5, "Champion"), (4, 1, "Resistant")]


def indicator(name, *, progress, baseline, target, latest, met, higher=True, measurements=()):
    return {
        "name": name,
        "unit": "%",
        "direction_label": "Higher is better" if higher else "Lower is better",
        "higher_is_better": higher,
        "progress_percent": progress,
        "baseline": baseline,
        "target": target,
        "actual": latest,
        "latest": latest,
        "latest_date": measurements[-1]["date"] if measurements else None,
        "measurements": list(measurements),
        "met": met,
    }


def test_indicator_progress_skips_indicators_without_numbers():
    indicators = [
        indicator("x", progress=50.0, baseline=0.0, target=10.0, latest=5.0, met=False),
        indicator("y", progress=None, baseline=None, target=1.0, latest=None, met=None),
    ]

    bar = register_figures.indicator_progress(indicators).data[0]

    assert list(bar.x) == [50.0]
    assert list(bar.y) == ["x"]


def test_a_missed_target_is_drawn_in_the_warning_colour_and_named_in_the_figure_data():
    indicators = [
        # Lower is better: 5 days against a target of 3 is a miss, though progress is 71 %.
        indicator(
            "开办时间", progress=71.4, baseline=10, target=3, latest=5, met=False, higher=False
        ),
        indicator("availability", progress=100.0, baseline=None, target=99, latest=99.5, met=True),
    ]

    with translation.override("en"):
        fig = register_figures.indicator_progress(indicators)

    assert fig.layout.meta["missed"] == ["开办时间"]
    missed, met = fig.data[0].marker.color
    assert missed == figure_layout.WARNING_COLOUR
    assert met == figure_layout.HIT_COLOUR != figure_layout.WARNING_COLOUR
    assert fig.data[0].text[0] == "71.4 % · Missed"


def test_indicator_trends_draw_dated_measurements_against_the_target():
    measurements = [
        {"date": date(2023, 1, 1), "value": 43.0, "note": "at launch"},
        {"date": date(2024, 1, 1), "value": 60.0, "note": ""},
    ]
    indicators = [
        indicator(
            "availability",
            progress=60.6,
            baseline=None,
            target=99.0,
            latest=60.0,
            met=False,
            measurements=measurements,
        ),
        indicator("unmeasured", progress=None, baseline=None, target=1.0, latest=None, met=None),
    ]

    fig = register_figures.indicator_trends(indicators)

    (trend,) = fig.data
    assert list(trend.x) == ["2023-01-01", "2024-01-01"]
    assert list(trend.y) == [43.0, 60.0]
    assert list(trend.text) == ["43 %", "60 %"]
    assert list(trend.marker.color) == [figure_layout.WARNING_COLOUR] * 2
    targets = [shape.y0 for shape in fig.layout.shapes]
    assert targets == [99.0]
    assert fig.layout.meta["missed"] == ["availability"]
    assert register_figures.indicator_trends(indicators[1:]) is None


def test_date_axes_speak_chinese_in_a_chinese_report():
    phases = [
        {
            "name": "试点",
            "start": date(2024, 1, 1),
            "end": date(2024, 3, 31),
            "is_pilot": False,
            "status": "done",
            "status_label": "已完成",
        }
    ]

    with translation.override("zh-hans"):
        fig = register_figures.implementation_timeline(phases)
    with translation.override("en"):
        english = register_figures.implementation_timeline(phases)

    stops = {stop.value for stop in fig.layout.xaxis.tickformatstops}
    assert "%Y年%-m月" in stops
    assert "2024年1月1日 → 2024年3月31日" in fig.data[0].hovertemplate
    assert not english.layout.xaxis.tickformatstops


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

    bar = register_figures.implementation_timeline(phases).data[0]

    assert bar.base[0] == "2024-01-01"
    assert bar.x[0] == 10 * 86_400_000
    assert bar.y[0] == "1. Pilot ★"


def test_user_text_in_labels_is_escaped_for_plotly():
    assert (
        figure_layout.plain('<a href="javascript:x">hi</a>')
        == '&lt;a href="javascript:x"&gt;hi&lt;/a&gt;'
    )
    assert figure_layout.plain("abcdefgh", 5) == "abcd…"


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

    box = register_figures.spread_box(spread).data[0]

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
    assert fig.layout.margin.t >= 3 * figure_layout.LABEL_LINE_HEIGHT


def test_wrapped_labels_never_pass_their_width_and_are_cut_after_three_lines():
    long = "X " + "word " * 40

    lines = figure_layout.wrap_lines(long, width=22)

    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert all(figure_layout.text_width(line) <= 22 for line in lines)
    assert figure_layout.wrap_lines("Drivers and goals") == ["Drivers and goals"]
