"""DACR Lab project package: settings, URLs, the Celery app and auth wiring."""

from dacr_site.celery import app as celery_app

__all__ = ["celery_app"]
