from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Cases and assessments")

    def ready(self):
        from casework import (
            db_statistics,
            production,  # noqa: F401  (registers the deploy check)
        )
        from casework.services import documents  # noqa: F401  (deletes the files of deleted rows)
        from frameworks.usage import register_version_use

        register_version_use(_assessments_using)
        db_statistics.connect()  # SQLite's planner statistics, kept current


def _assessments_using(version) -> int:
    from casework.models import Assessment

    return Assessment.objects.filter(version=version).count()
