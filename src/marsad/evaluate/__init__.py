"""Evaluation against the dev sets in ``../shared/eval`` (read-only, evaluation use only).

The data never ships with the package: every entry point resolves the path
through :func:`gold_path_or_explain` so that a missing checkout of the shared
data gives one clear message instead of a bare ``FileNotFoundError``.
"""

from __future__ import annotations

import os
from pathlib import Path

# Where the dev sets live relative to the repository root (and an override for other layouts).
DEFAULT_EVAL_DIR = Path("..") / "shared" / "eval"
EVAL_DIR_ENV = "MARSAD_EVAL_DIR"


class EvalDataNotFound(FileNotFoundError):
    """The evaluation data is not where it was looked for."""


def eval_dir() -> Path:
    """The evaluation data folder: $MARSAD_EVAL_DIR, else ../shared/eval (from the working directory)."""
    env = os.environ.get(EVAL_DIR_ENV)
    return Path(env) if env else DEFAULT_EVAL_DIR


def gold_path_or_explain(path: str | Path | None = None, default_name: str = "acled_dev.jsonl") -> Path:
    """Resolve a gold file, or raise :class:`EvalDataNotFound` with a message saying where to find it.

    ``path`` may be a file, a folder holding ``default_name``, a bare file name looked up in
    :func:`eval_dir`, or None for ``eval_dir()/default_name``.
    """
    if path is None or str(path) == "":
        candidate = eval_dir() / default_name
    else:
        candidate = Path(path)
        if candidate.is_dir():
            candidate = candidate / default_name
        elif not candidate.exists() and len(candidate.parts) == 1:
            candidate = eval_dir() / candidate
    if candidate.is_file():
        return candidate
    raise EvalDataNotFound(
        f"evaluation data not found at {candidate}; the dev sets live in ../shared/eval (see README)"
    )


__all__ = ["DEFAULT_EVAL_DIR", "EvalDataNotFound", "eval_dir", "gold_path_or_explain"]
