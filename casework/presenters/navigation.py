"""Where the wizard's links and redirects lead: the steps, the assessment page, the case."""

from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from casework.models import Assessment
from frameworks.models import Dimension


def item_dom_id(code: str) -> str:
    """The id of an item's card, the anchor that links to it."""
    return "item-" + "".join(c if c.isalnum() else "-" for c in code)


def exit_url(assessment: Assessment) -> str:
    # assessment_detail belongs to the assessment pages; fall back to the first step without it.
    try:
        return reverse("assessment_detail", args=[assessment.pk])
    except NoReverseMatch:
        return reverse("wizard_step", args=[assessment.pk, 1])


def case_url(assessment: Assessment) -> str:
    try:
        return reverse("case_detail", args=[assessment.case_id])
    except NoReverseMatch:
        return exit_url(assessment)


def conclusions_url(assessment, dimensions=None) -> str:
    if dimensions is None:
        count = Dimension.objects.filter(version_id=assessment.version_id).count()
    else:
        count = len(dimensions)
    return reverse("wizard_step", args=[assessment.pk, count + 1])


def register_step_url(assessment, register) -> str:
    """The wizard step that edits `register` (the first step for an unknown one)."""
    codes = list(
        Dimension.objects.filter(version_id=assessment.version_id)
        .order_by("order", "code")
        .values_list("registers", flat=True)
    )
    number = next((i for i, names in enumerate(codes, 1) if register in (names or [])), 1)
    return reverse("wizard_step", args=[assessment.pk, number]) + f"#register-{register}"


def step_redirect(request, assessment, number, last):
    """Where the step form's buttons lead: stay, back, next, a numbered step or out."""
    go = request.POST.get("go", "stay")
    if go == "exit":
        return redirect(exit_url(assessment))
    if go == "next" and number < last:
        number += 1
    elif go == "back" and number > 1:
        number -= 1
    elif go.startswith("step-") and go[5:].isdigit() and 1 <= int(go[5:]) <= last:
        number = int(go[5:])
    return redirect("wizard_step", assessment.pk, number)
