"""`manage.py run_huey`: the job worker (huey's own consumer command).

Provided here rather than by listing huey.contrib.djhuey in INSTALLED_APPS, so that web
processes, commands and tests don't import huey and redis-py at start-up: only the worker
and the code that queues a job do.
"""

from huey.contrib.djhuey.management.commands.run_huey import Command as HueyCommand


class Command(HueyCommand):
    help = "Run the report job worker (huey's consumer): renders PDFs, DOCX and XLSX files."
