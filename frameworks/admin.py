"""Framework admin: browse versions, edit drafts, publish with a diff, retire, import and export.

A published or retired version is read-only here (and in the models): the way to change it is
"New draft from this version", edit the draft, then "Publish".
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from frameworks.admin_permissions import SiteAdminPermissions
from frameworks.admin_views import version_urls
from frameworks.forms import (
    CriterionForm,
    DimensionForm,
    UniqueCodesFormSet,
    WeightedForm,
)
from frameworks.models import (
    Criterion,
    CriterionLevel,
    Dimension,
    Framework,
    FrameworkTexts,
    FrameworkVersion,
    ScaleLevel,
)

COMPACT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})}}
# Narrow inputs so that an inline row fits the page next to the bilingual titles.
NARROW = {
    "order": forms.NumberInput(attrs={"style": "width: 4em"}),
    "value": forms.NumberInput(attrs={"style": "width: 4em"}),
    "weight": forms.NumberInput(attrs={"style": "width: 5em", "step": "0.01"}),
    "code": forms.TextInput(attrs={"size": 9}),
    "source_ref": forms.TextInput(attrs={"size": 10}),
    "label_zh": forms.TextInput(attrs={"size": 10}),
    "label_en": forms.TextInput(attrs={"size": 12}),
    "title_zh": forms.TextInput(attrs={"size": 24}),
    "title_en": forms.TextInput(attrs={"size": 30}),
}


def narrow_widgets(fields):
    return {name: NARROW[name] for name in fields if name in NARROW}


FROZEN_MESSAGES = {
    "published": _(
        "This version is published and can no longer be changed. To change it, make a new "
        "draft from it, edit the draft and publish that."
    ),
    "retired": _(
        "This version is retired and can no longer be changed. To reuse it, make a new draft "
        "from it, edit the draft and publish that."
    ),
}


def _version_of(obj) -> FrameworkVersion | None:
    if obj is None:
        return None
    if isinstance(obj, FrameworkVersion):
        return obj
    return obj.owning_version()


def _is_editable(obj) -> bool:
    """Objects of a draft version are editable; obj=None (lists, add pages) asks in general."""
    version = _version_of(obj)
    return version is None or version.is_draft


class FrozenAwarePermissions(SiteAdminPermissions):
    """Read-only once the version is published or retired."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _is_editable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _is_editable(obj)


class FrozenAwareInline(FrozenAwarePermissions):
    """Inlines get the parent object: adding rows is also refused on a frozen version.

    Their fields also get narrow widgets, so that a row fits the page.
    """

    extra = 0

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and _is_editable(obj)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("widgets", narrow_widgets(self.fields))
        return labelled_rows(super().get_formset(request, obj, **kwargs))


def labelled_rows(formset_class):
    """The formset class with each input named after its column and row ("Code, row 3")."""
    # A tabular inline shows column headers but no <label>s: a screen reader said "edit text".

    class LabelledFormSet(formset_class):
        def add_fields(self, form, index):
            super().add_fields(form, index)
            for field in form.fields.values():
                name = {"field": capfirst(field.label or ""), "row": (index or 0) + 1}
                label = (
                    gettext("%(field)s, new row")
                    if index is None
                    else gettext("%(field)s, row %(row)s")
                )
                field.widget.attrs.setdefault("aria-label", label % name)

    LabelledFormSet.__name__ = formset_class.__name__
    return LabelledFormSet


def _admin_link(obj, text=None):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, text or str(obj))


def _status_badge(version):
    colours = {"draft": "#8a6d00", "published": "#1e7e34", "retired": "#6c757d"}
    return format_html(
        '<span style="display:inline-block;padding:1px 8px;border-radius:10px;'
        'border:1px solid {0};color:{0};font-weight:600">{1}</span>',
        colours.get(version.status, "#333"),
        version.get_status_display(),
    )


# --- Framework -----------------------------------------------------------------------------


class VersionListInline(SiteAdminPermissions, admin.TabularInline):
    model = FrameworkVersion
    fk_name = "framework"
    fields = ("number", "label", "status_badge", "parent", "created_at", "published_at")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    verbose_name_plural = _("versions")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("framework", "parent__framework")

    @admin.display(description=_("status"))
    def status_badge(self, obj):
        return _status_badge(obj)


@admin.register(Framework)
class FrameworkAdmin(SiteAdminPermissions, admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "latest_published_label", "version_count")
    search_fields = ("code", "name_zh", "name_en")
    fieldsets = (
        (None, {"fields": ("code", ("name_zh", "name_en"), ("description_zh", "description_en"))}),
        (
            _("Source article"),
            {
                "fields": (
                    "source_author",
                    ("source_title_zh", "source_title_en"),
                    "source_reference",
                )
            },
        ),
    )
    # The texts are those of the latest published version: they change through a new draft.
    readonly_fields = ("code", *FrameworkTexts.TEXT_FIELDS)
    inlines = (VersionListInline,)

    def has_add_permission(self, request):
        # Frameworks arrive as files: "Import framework file" creates them.
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(version_count=Count("versions"))
            .prefetch_related("versions")
        )

    @admin.display(description=_("versions"), ordering="version_count")
    def version_count(self, obj):
        return obj.version_count

    @admin.display(description=_("latest published"))
    def latest_published_label(self, obj):
        published = [v for v in obj.versions.all() if v.status == FrameworkVersion.Status.PUBLISHED]
        if not published:
            return "—"
        latest = max(published, key=lambda v: v.number)
        return f"v{latest.number} ({latest.label})"


# --- Version -------------------------------------------------------------------------------


class ScaleLevelInline(FrozenAwareInline, admin.TabularInline):
    model = ScaleLevel
    fields = ("value", "label_zh", "label_en", "description_zh", "description_en")
    formfield_overrides = COMPACT_TEXT


class DimensionInline(FrozenAwareInline, admin.TabularInline):
    model = Dimension
    form = WeightedForm
    fields = ("order", "code", "title_zh", "title_en", "weight", "source_ref", "items_link")
    readonly_fields = ("items_link",)
    ordering = ("order", "code")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("criteria"))

    @admin.display(description=_("items"))
    def items_link(self, obj):
        if not obj.pk:
            return "—"
        count = getattr(obj, "item_count", 0)
        return _admin_link(obj, gettext("%(count)s items") % {"count": count})


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(FrozenAwarePermissions, admin.ModelAdmin):
    list_display = (
        "framework",
        "number",
        "label",
        "status_badge",
        "parent_link",
        "created_at",
        "published_at",
    )
    list_display_links = ("framework", "number", "label")
    list_filter = ("framework", "status")
    list_select_related = ("framework", "parent__framework")
    search_fields = ("framework__code", "name_zh", "name_en", "label")
    ordering = ("framework__code", "-number")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("framework", "number", "status_badge"),
                    "label",
                    ("notes_zh", "notes_en"),
                    ("parent_link", "created_at", "published_at"),
                    "summary",
                )
            },
        ),
        (
            _("Name and source article"),
            {
                "description": _(
                    "What assessments made with this version show; publishing it makes them "
                    "the framework's own."
                ),
                "fields": (
                    ("name_zh", "name_en"),
                    ("description_zh", "description_en"),
                    "source_author",
                    ("source_title_zh", "source_title_en"),
                    "source_reference",
                ),
            },
        ),
    )
    readonly_fields = (
        "framework",
        "number",
        "status_badge",
        "parent_link",
        "created_at",
        "published_at",
        "summary",
    )
    inlines = (ScaleLevelInline, DimensionInline)
    formfield_overrides = COMPACT_TEXT
    actions = None  # deleting is one draft at a time, from its page
    change_form_template = "admin/frameworks/frameworkversion/change_form.html"
    change_list_template = "admin/frameworks/frameworkversion/change_list.html"

    def has_add_permission(self, request):
        # New versions come from "Import framework file" or "New draft from this version".
        return False

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return _status_badge(obj)

    @admin.display(description=_("made from"))
    def parent_link(self, obj):
        return _admin_link(obj.parent) if obj.parent_id else "—"

    @admin.display(description=_("contents"))
    def summary(self, obj):
        dimensions = obj.dimensions.count()
        items = Criterion.objects.filter(version=obj).values("kind").annotate(n=Count("pk"))
        counts = {row["kind"]: row["n"] for row in items}
        return gettext(
            "%(dimensions)s dimensions, %(scored)s scored items, %(observations)s observation items, %(levels)s scale levels"
        ) % {
            "dimensions": dimensions,
            "scored": counts.get(Criterion.Kind.SCORED, 0),
            "observations": counts.get(Criterion.Kind.OBSERVATION, 0),
            "levels": obj.scale_levels.count(),
        }

    def get_urls(self):
        return [*version_urls(self), *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return _with_frozen_message(self, request, object_id, form_url, extra_context)


# --- Dimension and item pages --------------------------------------------------------------


class CriterionInline(FrozenAwareInline, admin.TabularInline):
    model = Criterion
    form = CriterionForm
    formset = UniqueCodesFormSet
    fields = ("order", "code", "kind", "title_zh", "title_en", "weight", "source_ref", "open_link")
    readonly_fields = ("open_link",)
    ordering = ("order", "code")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(level_count=Count("levels"))

    @admin.display(description=_("guidance and rubric"))
    def open_link(self, obj):
        if not obj.pk:
            return "—"
        count = getattr(obj, "level_count", 0)
        return _admin_link(obj, gettext("open · %(count)s rubric levels") % {"count": count})


@admin.register(Dimension)
class DimensionAdmin(FrozenAwarePermissions, admin.ModelAdmin):
    form = DimensionForm
    list_display = ("code", "title_zh", "title_en", "version", "weight", "item_count")
    list_filter = ("version__framework", "version__status")
    list_select_related = ("version__framework",)
    search_fields = ("code", "title_zh", "title_en")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "version_link",
                    ("code", "order", "weight", "source_ref"),
                    ("title_zh", "title_en"),
                    ("guidance_zh", "guidance_en"),
                    "registers",
                    "informs",
                )
            },
        ),
    )
    readonly_fields = ("version_link",)
    inlines = (CriterionInline,)
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 50})}
    }
    actions = None
    change_form_template = "admin/frameworks/change_form.html"

    def has_add_permission(self, request):
        # Added from the version page, where the version is known.
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("criteria"))

    @admin.display(description=_("items"), ordering="item_count")
    def item_count(self, obj):
        return obj.item_count

    @admin.display(description=_("version"))
    def version_link(self, obj):
        return _admin_link(obj.version)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return _with_frozen_message(self, request, object_id, form_url, extra_context)


class CriterionLevelInline(FrozenAwareInline, admin.TabularInline):
    model = CriterionLevel
    fields = ("value", "description_zh", "description_en")
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})}
    }


@admin.register(Criterion)
class CriterionAdmin(FrozenAwarePermissions, admin.ModelAdmin):
    form = CriterionForm
    list_display = ("code", "title_zh", "title_en", "kind", "weight", "source_ref", "version")
    list_filter = ("version__framework", "version__status", "kind")
    list_select_related = ("version__framework",)
    search_fields = ("code", "title_zh", "title_en", "source_ref")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "dimension_link",
                    ("code", "order", "kind", "polarity", "weight", "source_ref"),
                    ("title_zh", "title_en"),
                    ("guidance_zh", "guidance_en"),
                    ("recommendation_zh", "recommendation_en"),
                )
            },
        ),
    )
    readonly_fields = ("dimension_link",)
    inlines = (CriterionLevelInline,)
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 50})}
    }
    actions = None
    change_form_template = "admin/frameworks/change_form.html"

    def has_add_permission(self, request):
        # Added from the dimension page, where the dimension is known.
        return False

    @admin.display(description=_("dimension"))
    def dimension_link(self, obj):
        return format_html(
            "{} · {}", _admin_link(obj.dimension), _admin_link(obj.dimension.version)
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return _with_frozen_message(self, request, object_id, form_url, extra_context)


def _with_frozen_message(model_admin, request, object_id, form_url, extra_context):
    """Say why a page is read-only rather than leave the admin to wonder."""
    version = _version_of(model_admin.get_object(request, object_id))
    extra_context = extra_context or {}
    if version is not None and not version.is_draft:
        extra_context["frozen_message"] = FROZEN_MESSAGES[version.status]
    return admin.ModelAdmin.change_view(model_admin, request, object_id, form_url, extra_context)
