"""The extraction version: which knowledge and code produced a stored article's reports.

``marsad reextract`` re-runs the pipeline over articles whose recorded version differs from the
current one, so the string must change whenever an analyst edits a knowledge file (a trigger, an
actor name) or marsad itself is upgraded, and stay the same otherwise.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

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


@cache
def extraction_version() -> str:
    """``marsad <version>+<hash of knowledge/data>``; read once per process."""
    h = hashlib.sha256()
    for rel, data in _data_files():
        # the name is hashed too: renaming a file changes what loaders find
        h.update(rel.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return f"{marsad.__version__}+{h.hexdigest()[:12]}"
