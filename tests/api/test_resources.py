"""What the API returns: the same numbers and content as the report, the export and the pages."""

import pytest

from casework.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(api_as, draft):
    api = api_as("alice")
    for code, level in (("TF-D1.1", 4), ("TF-D1.2", 2), ("TF-D2.1", 5)):
        response = api.patch(
            f"/api/v1/assessments/{draft.pk}/answers/{code}", {"version": 0, "level": level}
        )
        assert response.status_code == 200, response.content
    return draft


def test_scores_are_the_reports_numbers(api_as, scored):
    from casework.reports.context import assessment_context

    body = api_as("bob").get(f"/api/v1/assessments/{scored.pk}/scores").json()
    report = assessment_context(scored)
    assert body["overall"] == report["overall"]
    assert [(d["code"], d["score"], d["percent"], d["band"]) for d in body["dimensions"]] == [
        (d["code"], d["score"], d["percent"], d["band"]) for d in report["dimensions"]
    ]
    assert body["overall"]["percent"] is not None


def test_a_framework_version_is_the_export(api_as, tiny_version):
    from frameworks.io import version_to_dict

    body = api_as("alice").get("/api/v1/frameworks/TF/versions/1.0").json()
    assert body == version_to_dict(tiny_version)
    listing = api_as("alice").get("/api/v1/frameworks/").json()
    assert listing[0]["code"] == "TF"
    assert listing[0]["versions"][0]["url"] == "/api/v1/frameworks/TF/versions/1.0"


def test_an_assessment_comes_with_its_answers(api_as, scored):
    body = api_as("alice").get(f"/api/v1/assessments/{scored.pk}").json()
    answers = {a["item"]: a for a in body["answers"]}
    assert set(answers) == {"TF-D1.1", "TF-D1.2", "TF-D1.3", "TF-D2.1"}
    assert answers["TF-D1.1"]["level"] == 4
    assert (body["answered"], body["total"]) == (3, 4)


def test_it_creates_a_case_with_sources_and_starts_round_one(
    client, alice, api_as, unit_a, tiny_version
):
    # The case form page builds inline formsets, which add "case" to the row forms' fields.
    client.force_login(alice)
    assert client.get("/cases/new/").status_code == 200
    data = {
        "title": "数据共享平台",
        "body": "省大数据局",
        "level": "provincial",
        "tags": ["数据共享", "平台"],
        "sources": [{"title": "年报", "reference": "https://example.org/r"}],
        "events": [{"happened_on": "2024-05-01", "title": "上线"}],
    }
    response = api_as("alice").post("/api/v1/cases/", data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == body["url"]
    assert (body["unit"], body["owner"], body["tags"]) == ("dgo", "alice", ["数据共享", "平台"])
    assert [s["title"] for s in body["sources"]] == ["年报"]
    assert [e["title"] for e in body["events"]] == ["上线"]
    assert [(a["framework"], a["round"], a["status"]) for a in body["assessments"]] == [
        ("TF", 1, "draft")
    ]


def test_row_errors_name_the_row(api_as, unit_a, tiny_version):
    data = {
        "title": "x",
        "body": "y",
        "level": "county",
        "sources": [
            {"title": "ok"},
            {"title": "bad", "published_on": "2024-02-01", "accessed_on": "2024-01-01"},
        ],
    }
    response = api_as("alice").post("/api/v1/cases/", data)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["sources.1.accessed_on"]
    assert not Case.objects.exists()


def test_the_case_list_is_paginated_and_filtered_like_the_page(api_as, alice, unit_a):
    from tests.factories import make_case

    for n in range(27):
        make_case(unit=unit_a, owner=alice, title=f"案例 {n:02d}", level="county")
    make_case(unit=unit_a, owner=alice, title="省级案例", level="provincial")
    api = api_as("alice")
    first = api.get("/api/v1/cases/?sort=title").json()
    assert (first["count"], first["pages"], len(first["results"])) == (28, 2, 25)
    second = api.get(first["next"].split("testserver")[1]).json()
    assert len(second["results"]) == 3 and second["next"] is None
    only = api.get("/api/v1/cases/?level=provincial").json()
    assert [c["title"] for c in only["results"]] == ["省级案例"]
    searched = api.get("/api/v1/cases/?q=案例 0").json()
    assert searched["count"] == 10
    bad = api.get("/api/v1/cases/?level=galactic")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "level"


def test_the_portfolio_has_the_pages_rows_and_filters(api_as, bob, scored):
    from casework.reports.portfolio import PortfolioFilters, portfolio_context

    body = api_as("bob").get("/api/v1/portfolio?level=municipal").json()
    expected = portfolio_context(bob, PortfolioFilters(level="municipal"), all_rows=False)
    assert body["case_count"] == expected["case_count"] == 1
    assert body["filters"]["level"] == "municipal"
    framework = body["frameworks"][0]
    assert framework["rows"][0]["percent"] == expected["frameworks"][0]["rows"][0]["percent"]
    assert {u["code"] for u in body["choices"]["units"]} == {"dgo"}


def _ticket_of(url: str) -> dict:
    """The job and user a report-file URL's signed ticket names."""
    from django.core import signing

    from casework.api.reports import SALT

    head, ticket, tail = url.rsplit("/", 2)
    assert tail == "file", url
    return signing.loads(ticket, salt=SALT)


def test_a_report_file_is_requested_followed_and_downloaded(api_as, scored, monkeypatch):
    from casework.jobs import renderers

    rendered = []

    def fake(target, step):
        from django.utils.translation import get_language

        kind = "assessment" if target.assessment is not None else "case"
        rendered.append((kind, "pdf", get_language()))
        return b"%PDF-1.7 fake"

    monkeypatch.setitem(renderers.RENDERERS, "pdf", fake)
    api = api_as("bob", language="en")
    response = api.post(f"/api/v1/assessments/{scored.pk}/report-files", {"format": "pdf"})
    assert response.status_code == 202
    ticket = response.json()
    assert response["Location"] == ticket["status_url"]
    assert ticket["status"] in ("pending", "ready")
    status = api.get(ticket["status_url"])
    assert status.status_code == 303
    # The ticket in a URL is signed with the time it was issued: the redirect may be issued a
    # second later than the first answer, so compare what the two tickets say, not their text.
    assert _ticket_of(status["Location"]) == _ticket_of(ticket["file_url"])
    download = api_as("bob", language="zh-hans").get(status["Location"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    assert "attachment" in download["Content-Disposition"]
    # The file is in the language it was asked for, whatever the download asks.
    assert rendered[-1] == ("assessment", "pdf", "en")
    # Someone else's ticket, or another unit's, gives nothing.
    assert api_as("charlie").get(ticket["status_url"]).status_code == 404
    assert api_as("bob").get(ticket["file_url"][:-10] + "x/file").status_code == 404


def test_report_files_are_the_report_jobs(db):
    from casework.jobs import renderers

    assert renderers.RENDERERS["pdf"] is renderers.pdf
    assert renderers.RENDERERS["docx"].for_assessment == "casework.reports.docx.assessment_docx"
    assert renderers.RENDERERS["docx"].for_case == "casework.reports.docx.case_docx"


def test_lists_and_details_take_a_constant_number_of_queries(
    api_as, alice, unit_a, draft, django_assert_max_num_queries
):
    from tests.factories import make_case

    api = api_as("alice")
    for n in range(20):
        make_case(unit=unit_a, owner=alice, title=f"案例 {n}")
    with django_assert_max_num_queries(12):
        assert len(api.get("/api/v1/cases/").json()["results"]) == 21
    with django_assert_max_num_queries(12):
        assert len(api.get(f"/api/v1/assessments/{draft.pk}").json()["answers"]) == 4


def test_citations_come_back_as_sources(api_as, alice_case, draft):
    from casework.models import CaseSource

    source = CaseSource.objects.create(case=alice_case, title="年报")
    response = api_as("alice").patch(
        f"/api/v1/assessments/{draft.pk}/answers/TF-D1.1",
        {"version": 0, "citations": [source.pk]},
    )
    assert response.status_code == 200, response.content
    assert [c["source"] for c in response.json()["citations"]] == [source.pk]
