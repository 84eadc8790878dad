"""Knowledge resources an analyst edits (data files in ``data/``) and their loaders.

Every loader reads its file once per process (cached): stages call them freely.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


def data_path(name: str):
    return resources.files(__package__).joinpath("data", name)


def read_json(name: str) -> Any:
    return json.loads(data_path(name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Taxonomy:
    event_type_of: dict[str, str]  # sub-event type -> event type
    disorder_of: dict[str, str]  # sub-event type -> disorder type
    precedence: tuple[str, ...]
    inter_codes: dict[int, str]

    @property
    def sub_event_types(self) -> tuple[str, ...]:
        return tuple(self.event_type_of)

    def rank(self, sub_event_type: str) -> int:
        return self.precedence.index(sub_event_type)


@cache
def taxonomy() -> Taxonomy:
    raw = read_json("taxonomy.json")
    event_type_of: dict[str, str] = {}
    disorder_of: dict[str, str] = {}
    for et, spec in raw["event_types"].items():
        for st in spec["sub_event_types"]:
            event_type_of[st] = et
            disorder_of[st] = raw["disorder_type_overrides"].get(st, spec["disorder_type"])
    precedence = tuple(raw["precedence"])
    if set(precedence) != set(event_type_of):
        raise ValueError("taxonomy.json: precedence must list each sub-event type exactly once")
    return Taxonomy(
        event_type_of, disorder_of, precedence, {int(k): v for k, v in raw["inter_codes"].items()}
    )
