"""Test settings: fast hasher, temporary media; the database and broker still come from the env."""

import tempfile
from pathlib import Path

from dacr_site.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="dacr-test-media-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# In tests without a broker, failures should surface instead of being swallowed.
CELERY_TASK_EAGER_PROPAGATES = True
# The same in every environment (CI has a broker, a laptop may not); tests that need the
# post-grading locate task turn it on.
DACR_LOCATE_AFTER_GRADING = False
