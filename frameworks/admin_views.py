"""The framework admin's own pages: publish (with the diff), retire, new draft, diff, export, import.

Each is a plain function of the version admin and the request; `version_urls` hands them to
the admin, whose site wrapper has already checked that the user is an administrator.
"""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext

from frameworks.forms import FrameworkImportForm
from frameworks.io import dump_version, export_filename
from frameworks.models import FrameworkVersion
from frameworks.presenters import diff_context
from frameworks.services import (
    FrameworkVersionError,
    framework_import,
    framework_version_diff,
    framework_version_new_draft,
    framework_version_publish,
    framework_version_retire,
)
from frameworks.usage import version_use_count


def version_urls(model_admin) -> list:
    """The URLs of these pages, under the version admin's own."""
    wrap = model_admin.admin_site.admin_view

    def page(route, view, name):
        return path(
            route, wrap(partial(view, model_admin)), name=f"frameworks_frameworkversion_{name}"
        )

    return [
        page("import/", import_file, "import"),
        page("<int:pk>/publish/", publish, "publish"),
        page("<int:pk>/retire/", retire, "retire"),
        page("<int:pk>/new-draft/", new_draft, "new_draft"),
        page("<int:pk>/diff/", diff, "diff"),
        page("<int:pk>/export/<str:fmt>/", export, "export"),
    ]


def _get_version(pk) -> FrameworkVersion:
    return get_object_or_404(
        FrameworkVersion.objects.select_related("framework", "parent__framework"), pk=pk
    )


def _context(model_admin, request, version, title):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": title,
        "original": version,
        "version": version,
    }


def _change_url(version):
    return reverse("admin:frameworks_frameworkversion_change", args=[version.pk])


def publish(model_admin, request, pk):
    """GET: the diff against the parent and a confirm button; POST: publish."""
    version = _get_version(pk)
    if not version.is_draft:
        messages.error(request, gettext("Only a draft can be published."))
        return redirect(_change_url(version))
    if request.method == "POST":
        try:
            version = framework_version_publish(version=version)
        except FrameworkVersionError as exc:
            messages.error(request, exc.message)
            return redirect(_change_url(version))
        model_admin.log_change(request, version, gettext("Published"))
        messages.success(
            request,
            gettext("%(version)s is published and can no longer be changed.")
            % {"version": version},
        )
        return redirect(_change_url(version))
    base = version.parent or version.framework.latest_published()
    context = _context(
        model_admin, request, version, gettext("Publish %(version)s?") % {"version": version}
    )
    context.update(diff_context(framework_version_diff(old=base, new=version), base))
    return TemplateResponse(
        request, "admin/frameworks/frameworkversion/publish_confirm.html", context
    )


def retire(model_admin, request, pk):
    version = _get_version(pk)
    if version.status != FrameworkVersion.Status.PUBLISHED:
        messages.error(request, gettext("Only a published version can be retired."))
        return redirect(_change_url(version))
    if request.method == "POST":
        framework_version_retire(version=version)
        model_admin.log_change(request, version, gettext("Retired"))
        messages.success(request, gettext("The version is retired."))
        return redirect(_change_url(version))
    context = _context(
        model_admin, request, version, gettext("Retire %(version)s?") % {"version": version}
    )
    context["assessment_count"] = version_use_count(version)
    return TemplateResponse(
        request, "admin/frameworks/frameworkversion/retire_confirm.html", context
    )


def new_draft(model_admin, request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    draft = framework_version_new_draft(version=_get_version(pk))
    model_admin.log_addition(
        request,
        draft,
        gettext("New draft from version %(number)s") % {"number": draft.parent.number},
    )
    messages.success(
        request,
        gettext("Draft %(version)s created; edit it, then publish it.") % {"version": draft},
    )
    return redirect(_change_url(draft))


def diff(model_admin, request, pk):
    version = _get_version(pk)
    against = request.GET.get("against")
    if against:
        base = get_object_or_404(
            FrameworkVersion.objects.select_related("framework"),
            pk=against,
            framework_id=version.framework_id,
        )
    else:
        base = version.parent
    title = gettext("Changes in %(version)s") % {"version": version}
    context = _context(model_admin, request, version, title)
    context.update(diff_context(framework_version_diff(old=base, new=version), base))
    context["other_versions"] = version.framework.versions.exclude(pk=version.pk)
    return TemplateResponse(request, "admin/frameworks/frameworkversion/diff.html", context)


def export(model_admin, request, pk, fmt):
    if fmt not in ("yaml", "json"):
        raise Http404
    version = _get_version(pk)
    content_type = "application/json" if fmt == "json" else "application/yaml"
    response = HttpResponse(
        dump_version(version, fmt).encode("utf-8"),
        content_type=f"{content_type}; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename(version, fmt)}"'
    return response


def import_file(model_admin, request):
    """Upload a file: a new draft (and framework if new), or the list of what is wrong."""
    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        version = framework_import(data=form.cleaned_data["data"], user=request.user)
        model_admin.log_addition(request, version, gettext("Imported from a file"))
        messages.success(
            request,
            gettext("Imported as draft %(version)s. Check it, then publish it.")
            % {"version": version},
        )
        return redirect(_change_url(version))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": gettext("Import framework file"),
        "form": form,
        "max_kb": settings.FRAMEWORK_IMPORT_MAX_BYTES // 1024,
    }
    return TemplateResponse(request, "admin/frameworks/frameworkversion/import_form.html", context)
