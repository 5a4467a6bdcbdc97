"""What produced a result: voc and dependency versions, the git commit, a run id.

Recorded with every run so an auditor can reproduce a report's numbers.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from datetime import UTC, datetime
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from voc import __version__

DEPENDENCIES = ("duckdb", "pandas", "pyarrow", "numpy", "opencc", "jieba", "rjieba", "spacy",
                "scikit-learn", "gensim")


@lru_cache(maxsize=1)
def dependency_versions() -> dict[str, str]:
    found = {}
    for name in DEPENDENCIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


@lru_cache(maxsize=1)
def git_sha() -> str | None:
    """The commit of the voc source tree, with '-dirty' when it has local changes."""
    root = Path(__file__).resolve().parent.parent
    if not (root / ".git").exists():
        return None
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                             text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=root, capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return sha + ("-dirty" if dirty.strip() else "")


def now_utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def run_record(batch: str, command: str, config_hash: str, seed: int,
               started_at: datetime) -> dict[str, Any]:
    return {
        "run_id": uuid.uuid4().hex,
        "batch": batch,
        "command": command,
        "started_at": started_at,
        "finished_at": now_utc(),
        "config_hash": config_hash,
        "seed": seed,
        "voc_version": __version__,
        "versions": json.dumps(dependency_versions(), sort_keys=True),
        "git_sha": git_sha(),
    }
