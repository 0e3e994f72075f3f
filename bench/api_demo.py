"""The API end to end, as a script would use it (standard library only).

With an analyst's token: create a case, score its first assessment, submit it. With a
manager's token: approve it, ask for its PDF report and download it when ready.

    CASEWORK_URL=http://127.0.0.1:8000 \\
    CASEWORK_TOKEN=cw_… CASEWORK_MANAGER_TOKEN=cw_… \\
    python bench/api_demo.py [report.pdf]

Tokens come from the "API tokens" page (user menu). docs/api.md explains every call.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.request

BASE = os.environ.get("CASEWORK_URL", "http://127.0.0.1:8000").rstrip("/") + "/api/v1"


class ApiError(Exception):
    pass


def call(token: str, method: str, path: str, body=None, *, raw=False):
    """One request; JSON in and out (bytes out with raw=True). Redirects are followed."""
    url = path if path.startswith("http") else BASE + path.removeprefix("/api/v1")
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Accept-Language", os.environ.get("CASEWORK_LANGUAGE", "en"))
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            content = response.read()
            return (response.status, content) if raw else (response.status, json.loads(content))
    except urllib.error.HTTPError as error:
        problem = json.loads(error.read() or b"{}")
        raise ApiError(
            f"{method} {path}: {error.code} {problem.get('detail')} {problem.get('errors', '')}"
        ) from None


def main(output: str = "report.pdf") -> None:
    analyst = os.environ["CASEWORK_TOKEN"]
    manager = os.environ["CASEWORK_MANAGER_TOKEN"]

    _, me = call(analyst, "GET", "/me")
    print(f"analyst: {me['username']} ({me['role']}, unit {me['unit']})")

    status, case = call(
        analyst,
        "POST",
        "/cases/",
        {
            "title": "API demo: online business licensing",
            "body": "Municipal Administration for Market Regulation",
            "level": "municipal",
            "region": "East",
            "sector": "Market regulation",
            "tags": ["api-demo"],
            "sources": [{"title": "Annual report 2025", "reference": "https://example.org/report"}],
        },
    )
    print(f"created case {case['id']} ({status}) with {len(case['assessments'])} assessments")
    first = case["assessments"][0]

    _, assessment = call(analyst, "GET", first["url"])
    saved = 0
    for n, answer in enumerate(assessment["answers"]):
        if answer["kind"] == "scored":
            change = {"level": 2 + n % 3, "evidence": f"Seen in the annual report ({n})."}
        else:
            change = {"observation": "present"}
        call(
            analyst,
            "PATCH",
            f"{first['url']}/answers/{answer['item']}",
            {"version": answer["version"], **change},
        )
        saved += 1
    print(f"scored {saved} items of {assessment['framework']} round {assessment['round']}")

    _, scores = call(analyst, "GET", f"{first['url']}/scores")
    overall = scores["overall"]
    print(f"overall {overall['percent']}% (band {overall['band']}: {overall['band_label']})")
    for dimension in scores["dimensions"]:
        print(f"  {dimension['code']:8} {dimension['percent']}%")

    _, submitted = call(analyst, "POST", f"{first['url']}/submit", {"comment": "Ready for review."})
    print(f"submitted: {submitted['status']}")

    _, approved = call(manager, "POST", f"{first['url']}/approve", {"comment": "Approved."})
    print(f"approved by {approved['reviewed_by']}: {approved['status']}")

    status, ticket = call(manager, "POST", f"{first['url']}/report-files", {"format": "pdf"})
    print(f"report requested ({status}): {ticket['status']}, status at {ticket['status_url']}")
    # The status URL answers 200 with the state while the file is being made, then 303 to it.
    while True:
        status, content = call(manager, "GET", ticket["status_url"], raw=True)
        if content[:4] == b"%PDF":
            break
        state = json.loads(content)
        if state["status"] == "failed":
            raise ApiError(f"render failed: {state['detail']}")
        time.sleep(1)
    with open(output, "wb") as handle:
        handle.write(content)
    print(f"downloaded {output}: {len(content):,} bytes")


if __name__ == "__main__":
    try:
        main(*sys.argv[1:2])
    except ApiError as error:
        sys.exit(str(error))
