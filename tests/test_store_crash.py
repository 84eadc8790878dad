"""Crash safety: an ingest killed with SIGKILL loses nothing committed, and a rerun completes it.

The writer is a separate process (benchmarks/bench_store.py feeding generated articles and
reports to the store, one transaction per article) killed mid-way; the rerun must skip what is
stored, add the rest without duplicates, and end with the same incidents as an uninterrupted run.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marsad.store import Store

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks" / "bench_store.py"
N = 160


def _bench():
    spec = importlib.util.spec_from_file_location("bench_store", BENCH)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _writer(db: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [
            sys.executable,
            str(BENCH),
            "--articles",
            str(N),
            "--db",
            str(db),
            "--keep",
            "--progress",
            "--words",
            "120",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _state(st: Store) -> tuple[dict, dict]:
    incidents = {}
    for inc in st.iter_incidents():
        d = inc.to_dict()
        d.pop("created_at")
        d.pop("updated_at")
        incidents[inc.event_id] = d
    return incidents, st.article_incidents()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_mid_ingest_then_rerun(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    proc = _writer(db)
    committed = 0
    deadline = time.monotonic() + 240
    assert proc.stdout is not None
    for line in proc.stdout:  # each line is printed after its article's transaction committed
        committed = int(line)
        if committed >= N // 3 or time.monotonic() > deadline:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    assert 0 < committed < N

    with Store(db) as st:  # the WAL is recovered on open
        assert st.integrity_check() == "ok"
        stored = st.count_articles()
        assert committed <= stored <= committed + 1  # nothing committed lost; at most one more landed
        assert st.count_reports() == stored  # each generated article has one report, never half of one
        orphans = st._db.execute(
            "SELECT COUNT(*) FROM events e LEFT JOIN incidents i ON i.incident_id = e.incident_id"
            " WHERE i.incident_id IS NULL OR i.deleted_at IS NOT NULL"
        ).fetchone()[0]
        assert orphans == 0  # every stored report belongs to a live incident

    rerun = _writer(db)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    with Store(db) as st:
        assert st.integrity_check() == "ok"
        assert st.count_articles() == N and st.count_reports() == N
        dup = st._db.execute("SELECT COUNT(*) - COUNT(DISTINCT content_hash) FROM articles").fetchone()[0]
        assert dup == 0
        resumed = _state(st)

    # the same articles without a crash give the same incidents
    with Store(tmp_path / "clean.db") as clean:
        for article, events in _bench().generate(N, 0, 120):
            clean.add_article(article, events)
        assert _state(clean) == resumed
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
