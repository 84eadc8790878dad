"""The extraction version: which knowledge and code produced a stored article's reports.

``marsad reextract`` re-runs the pipeline over articles whose recorded version differs from the
current one, so the string must change whenever an analyst edits a knowledge file (a trigger, an
actor name) or marsad itself is upgraded, and stay the same otherwise.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from importlib import resources
from pathlib import Path

import marsad


def _data_files() -> list[tuple[str, bytes]]:
    root = resources.files("marsad.knowledge").joinpath("data")
    out: list[tuple[str, bytes]] = []
    stack = [(root, "")]
    while stack:
        node, prefix = stack.pop()
        for child in node.iterdir():
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                if child.name != "__pycache__":
                    stack.append((child, rel + "/"))
            elif child.is_file():
                out.append((rel, child.read_bytes()))
    return sorted(out)


def _user_model() -> tuple[str, str]:
    # a model fitted with `marsad train` (MARSAD_MODEL) changes extraction as much as a knowledge file
    if os.environ.get("MARSAD_LEARNED", "1") == "0":
        return ("learned:off", "")
    path = os.environ.get("MARSAD_MODEL")
    if not path:
        return ("learned:shipped", "")
    try:
        st = Path(path).stat()
    except OSError:
        return ("learned:unreadable", path)
    return ("learned:user", _file_digest(path, st.st_mtime_ns, st.st_size))


@cache
def _file_digest(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def extraction_version() -> str:
    """``marsad <version>+<hash of knowledge/data and the learned model in use>``."""
    return _version(*_user_model())


@cache
def _version(model_tag: str, model_digest: str) -> str:
    h = hashlib.sha256()
    for rel, data in _data_files():
        # the name is hashed too: renaming a file changes what loaders find
        h.update(rel.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    h.update(f"{model_tag}\0{model_digest}".encode())
    return f"{marsad.__version__}+{h.hexdigest()[:12]}"
