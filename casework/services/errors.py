"""Errors the services raise; views turn them into messages or status codes."""

from django.utils.translation import gettext_lazy as _


class ServiceError(Exception):
    """Base class: `message` is safe to show to the user."""

    default_message = _("The change could not be made.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class AssessmentLocked(ServiceError):
    """The assessment is submitted or approved, so it is read-only."""

    default_message = _(
        "This assessment has been submitted or approved and can no longer be edited."
    )


class EditConflict(ServiceError):
    """Someone else saved the same record since this user loaded it."""

    default_message = _(
        "Someone else changed this item while you were editing it. Compare both versions and save again."
    )

    def __init__(self, current, message=None):
        self.current = current
        super().__init__(message)


class WorkflowError(ServiceError):
    """A status change that the workflow does not allow from here."""

    default_message = _("That step is not possible in the assessment's current state.")
