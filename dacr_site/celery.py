"""The Celery app. Queues: ``default`` (parsing, generation, grading) and ``gpu`` (training,
local-model evaluation). Settings come from Django's ``CELERY_*`` settings."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dacr_site.settings")

app = Celery("dacr_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("gpu"))
app.autodiscover_tasks()
