"""What produced a result, for the self-describing records of runs and datasets: the code
revision and the versions of the packages that shape the numbers. Pure."""

from __future__ import annotations

import os
import platform
import subprocess
from functools import lru_cache
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = (
    "django",
    "numpy",
    "torch",
    "transformers",
    "peft",
    "trl",
    "datasets",
    "bitsandbytes",
    "accelerate",
)


@lru_cache(maxsize=1)
def code_revision() -> str:
    """``DACR_CODE_REVISION`` when set (deployments without a checkout), else the git commit
    of this checkout with ``-dirty`` when it has uncommitted changes, else ``unknown``."""
    if os.environ.get("DACR_CODE_REVISION"):
        return os.environ["DACR_CODE_REVISION"]
    try:
        head = _git("rev-parse", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}-dirty" if dirty else head


def _git(*args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=True
    )
    return done.stdout.strip()


def package_versions(names=PACKAGES) -> dict[str, str]:
    """Installed versions of ``names`` (absent ones left out)."""
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def provenance() -> dict:
    return {"code_revision": code_revision(), "packages": package_versions()}
