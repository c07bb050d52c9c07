"""Settings package: ``base`` reads everything from the environment; ``test`` speeds up tests."""

from dacr_site.settings.base import *  # noqa: F403
