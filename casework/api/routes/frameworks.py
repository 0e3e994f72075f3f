"""Frameworks: the list, and one version as the YAML export has it."""

from django.http import Http404
from ninja import Router

from casework import access
from casework.api.common import ERRORS, api_url
from casework.api.schemas import FrameworkOut
from frameworks.models import Framework, FrameworkVersion

router = Router(tags=["frameworks"])


def _versions_visible_to(user):
    """Published and retired versions for everyone; drafts only for administrators."""
    versions = FrameworkVersion.objects.all()
    if not access.is_admin(user):
        versions = versions.exclude(status=FrameworkVersion.Status.DRAFT)
    return versions


@router.get("/", response={200: list[FrameworkOut], **ERRORS}, url_name="framework_list")
def framework_list(request):
    """Every framework with the versions you may read."""
    versions: dict[int, list] = {}
    for version in _versions_visible_to(request.user).order_by("framework_id", "-number"):
        versions.setdefault(version.framework_id, []).append(
            {
                "number": version.number,
                "label": version.label,
                "status": version.status,
                "published_at": version.published_at,
            }
        )
    frameworks = Framework.objects.order_by("code")
    return [
        {
            "code": framework.code,
            "name": framework.name,
            "versions": [
                {**v, "url": api_url("framework_version", framework.code, v["label"])}
                for v in versions.get(framework.pk, [])
            ],
        }
        for framework in frameworks
    ]


@router.get(
    "/{code}/versions/{label}",
    response={200: dict, **ERRORS},
    url_name="framework_version",
)
def framework_version(request, code: str, label: str):
    """The version's full content: the same dict the YAML/JSON export writes."""
    from frameworks.io import version_to_dict

    version = (
        _versions_visible_to(request.user)
        .select_related("framework")
        .filter(framework__code=code, label=label)
        .order_by("-number")
        .first()
    )
    if version is None:
        raise Http404
    return version_to_dict(version)
