"""Assessment pages: overview, review workflow, comments, new rounds and version moves."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import access, selectors
from casework.forms.cases import CommentForm, VersionChoiceForm, WorkflowCommentForm
from casework.models import Comment
from casework.presenters.cases import assessment_links
from casework.presenters.double import double_card
from casework.presenters.rounds import rounds_box
from casework.readmodel import Completion
from casework.services import assessments as services
from casework.services import rounds
from casework.services.errors import ServiceError
from frameworks.models import FrameworkVersion


def _detail_context(request, assessment, **extra):
    assessment_links(assessment)
    comments = selectors.assessment_comments(assessment)
    rounds = rounds_box(request.user, assessment)
    dimensions = selectors.dimension_completion(assessment)
    answered, total = sum(d.answered for d in dimensions), sum(d.total for d in dimensions)
    return {
        "assessment": assessment,
        "case": assessment.case,
        "dimensions": dimensions,
        "completion": Completion(answered, total),
        # The wizard's last step, after one step per dimension.
        "conclusions_url": reverse("wizard_step", args=[assessment.pk, len(dimensions) + 1]),
        # The thread holds what someone wrote; a submit or approve without words is a step
        # of the status history only, not an empty comment.
        "comments": [c for c in comments if c.body.strip()],
        "history": [c for c in comments if c.kind != Comment.Kind.NOTE],
        "rounds": rounds.rows,
        "is_latest_round": rounds.is_latest,
        "comment_form": CommentForm(version=assessment.version),
        "can_edit": access.can_edit_cases(request.user),
        "can_review": access.is_manager(request.user),
        "double": double_card(request.user, assessment),
        "newer_versions": _published_versions(assessment)
        .filter(number__gt=assessment.version.number)
        .exists(),
        **extra,
    }


def _published_versions(assessment):
    return FrameworkVersion.objects.filter(
        framework_id=assessment.framework_id, status=FrameworkVersion.Status.PUBLISHED
    ).order_by("-number")


@login_required
def assessment_detail(request, pk):
    assessment = access.get_assessment_for_user(request.user, pk)
    return render(request, "casework/assessments/detail.html", _detail_context(request, assessment))


def _workflow_step(request, pk, *, action, service, template, required=False, done=""):
    """GET: a confirmation page; POST: run `service`, or show why it can't run."""
    assessment = access.get_assessment_for_user(request.user, pk, action=action)
    data = request.POST if request.method == "POST" else None
    form = WorkflowCommentForm(data, required=required)
    if request.method == "POST" and form.is_valid():
        try:
            service(assessment=assessment, user=request.user, comment=form.cleaned_data["comment"])
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect(assessment)
        messages.success(request, done)
        return redirect(assessment)
    context = _detail_context(request, assessment, form=form)
    return render(request, template, context)


@login_required
def assessment_submit(request, pk):
    return _workflow_step(
        request,
        pk,
        action="submit",
        service=services.assessment_submit,
        template="casework/assessments/submit.html",
        done=_("Submitted for review. The assessment is read-only until a manager returns it."),
    )


@login_required
def assessment_return(request, pk):
    return _workflow_step(
        request,
        pk,
        action="review",
        service=services.assessment_return,
        template="casework/assessments/return.html",
        required=True,
        done=_("Returned to the analyst with your comment."),
    )


@login_required
def assessment_approve(request, pk):
    return _workflow_step(
        request,
        pk,
        action="review",
        service=services.assessment_approve,
        template="casework/assessments/approve.html",
        done=_("Assessment approved."),
    )


@login_required
@require_POST
def assessment_comment(request, pk):
    assessment = access.get_assessment_for_user(request.user, pk, action="comment")
    form = CommentForm(request.POST, version=assessment.version)
    if form.is_valid():
        try:
            services.comment_add(
                assessment=assessment,
                user=request.user,
                body=form.cleaned_data["body"],
                criterion=form.cleaned_data["criterion"],
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Comment posted."))
            return redirect(f"{assessment.get_absolute_url()}#comments")
    # Show the page again with the form's errors and everything typed.
    context = _detail_context(request, assessment, comment_form=form)
    return render(request, "casework/assessments/detail.html", context, status=400)


@login_required
def assessment_start_round(request, pk):
    previous = access.get_assessment_for_user(request.user, pk, action="edit")
    versions = _published_versions(previous).filter(number__gte=previous.version.number)
    form = VersionChoiceForm(
        request.POST or None, versions=versions, initial={"version": previous.version_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = rounds.assessment_start_round(
                previous=previous, user=request.user, version=form.cleaned_data["version"]
            )
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect(previous)
        messages.success(
            request,
            _("Round %(round)s started from the answers and registers of round %(previous)s.")
            % {"round": assessment.round, "previous": previous.round},
        )
        return redirect(assessment)
    context = _detail_context(request, previous, form=form)
    return render(request, "casework/assessments/start_round.html", context)


@login_required
def assessment_version_move(request, pk):
    """Pick a version, see what happens to every answer, then confirm."""
    assessment = access.get_assessment_for_user(request.user, pk, action="edit")
    versions = _published_versions(assessment).exclude(pk=assessment.version_id)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = VersionChoiceForm(data, versions=versions)
    preview = None
    if form.is_bound and form.is_valid():
        to_version = form.cleaned_data["version"]
        try:
            if request.method == "POST" and request.POST.get("confirm"):
                rounds.assessment_version_move(
                    assessment=assessment, to_version=to_version, user=request.user
                )
                messages.success(
                    request,
                    _("The assessment now uses version %(number)s.")
                    % {"number": to_version.number},
                )
                return redirect(assessment)
            preview = rounds.assessment_version_move_preview(
                assessment=assessment, to_version=to_version
            )
        except ServiceError as error:
            messages.error(request, error.message)
            return redirect(assessment)
    context = _detail_context(request, assessment, form=form, preview=preview)
    return render(request, "casework/assessments/version_move.html", context)
