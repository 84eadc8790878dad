"""Shared fixtures for the composed-system tests (pipeline, CLI, end to end).

The gazetteer index is built once (~40 s) and cached under the default cache dir: tests share that
cache on purpose, so no fixture here points MARSAD_CACHE_DIR at a temporary folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad.knowledge import taxonomy
from marsad.model import Event

ROOT = Path(__file__).resolve().parents[1]
E2E = Path(__file__).resolve().parent / "fixtures" / "e2e"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def warm_pipeline() -> Iterator[None]:
    """Load the gazetteer and every knowledge file once per test session."""
    from marsad.pipeline import warm

    warm()
    yield


@pytest.fixture(scope="session")
def e2e_dir() -> Path:
    return E2E


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Per-test env isolation for CLI runs that leaves the gazetteer cache alone."""
    monkeypatch.delenv("MARSAD_EVAL_DIR", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


def assert_evidence_points_at_text(event: Event, text: str) -> None:
    """Every evidence span must quote the article text exactly at its offsets."""
    for name, ev in event.evidence.items():
        assert ev.spans or ev.rule, f"{name}: evidence with neither span nor rule"
        for s in ev.spans:
            assert 0 <= s.start < s.end <= len(text), f"{name}: span {s} out of range"
            assert text[s.start : s.end] == s.text, f"{name}: span {s} does not quote the text"


def assert_taxonomy_consistent(event: Event) -> None:
    tax = taxonomy()
    assert event.sub_event_type in tax.event_type_of, event.sub_event_type
    assert event.event_type == tax.event_type_of[event.sub_event_type]
    assert event.disorder_type == tax.disorder_of[event.sub_event_type]
