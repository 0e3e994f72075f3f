"""The API: /api/v1/, its OpenAPI schema and browsable docs (assets from static files)."""

from ninja import NinjaAPI, Swagger

from casework.api import problems
from casework.api.auth import SessionAuth, TokenAuth
from casework.api.routes import assessments, cases, frameworks, me, portfolio, reports
from casework.api.throttling import TokenRateThrottle

PROBLEM = problems.CONTENT_TYPE


class CaseworkAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The schema says what is sent: error replies are application/problem+json."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content") or {}
                    if int(status) >= 400 and "application/json" in content:
                        content[PROBLEM] = content.pop("application/json")
                    if int(status) == 303:
                        response.pop("content", None)
                        response["headers"] = {"Location": {"schema": {"type": "string"}}}
        return schema


api = CaseworkAPI(
    title="Casework API",
    version="1",
    description=(
        "Cases, assessments, scores, the portfolio and report files of Casework. "
        "Authenticate with a personal API token (Authorization: Bearer …) or the browser "
        "session (send X-CSRFToken on writes). Errors are application/problem+json."
    ),
    urls_namespace="api",
    docs=Swagger(),
    auth=[TokenAuth(), SessionAuth()],
    throttle=[TokenRateThrottle()],
)
problems.install(api)

api.add_router("/me", me.router)
api.add_router("/frameworks", frameworks.router)
api.add_router("/cases", cases.router)
api.add_router("/sectors", cases.sectors_router)
api.add_router("/cases", assessments.cases_router)
api.add_router("/cases", reports.cases_router)
api.add_router("/assessments", assessments.router)
api.add_router("/assessments", reports.assessments_router)
api.add_router("/report-files", reports.router)
api.add_router("/portfolio", portfolio.router)
