"""Near-duplicate articles: MinHash signatures of word shingles and an LSH index over them.

A syndicated copy or a light rewrite of a wire story shares most of its word 5-shingles with the
original, while a different story on the same topic shares few, so the Jaccard similarity of the
shingle sets separates them; MinHash estimates it from a fixed-size signature and LSH finds the
candidates without comparing every pair (the store holds many thousands of articles).
"""

from __future__ import annotations

import re
import zlib
from functools import cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from marsad.text import fold

NUM_PERM = 128
SHINGLE = 5
# Fixed seed: signatures written to the store today must compare with those computed next year.
_SEED = 1


_WORD = re.compile(r"\w+")
_MASK32 = np.uint64(0xFFFFFFFF)
# Multipliers of the polynomial that combines SHINGLE word hashes into one shingle hash.
_POW = np.array([pow(1_000_003, SHINGLE - 1 - i, 1 << 32) for i in range(SHINGLE)], dtype=np.uint64)


# The apostrophes marsad.text.fold drops (so "Ma'arrat" and "Maarrat" are one word).
_APOSTROPHES = ("'", "’", "‘", "ʻ", "ʿ", "ʾ")


def _words(text: str) -> list[str]:
    # The words marsad.text.fold would give, but fold's Unicode normalisation costs ~1 ms on a
    # 700-word article, so only the rare non-ASCII words go through it.
    text = text.lower()
    for a in _APOSTROPHES:  # str.replace is far faster than str.translate on non-ASCII text
        text = text.replace(a, "")
    out: list[str] = []
    for w in _WORD.findall(text):
        if w.isascii():
            out.append(w)
        else:
            out.extend(fold(w).split())
    return out


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the folded text's word 5-shingles (the whole text when it is shorter)."""
    words = _words(text)
    if not words:
        return np.zeros(0, dtype=np.uint64)
    wh = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    if len(wh) < SHINGLE:
        wh = np.concatenate([np.zeros(SHINGLE - len(wh), dtype=np.uint64), wh])
    n = len(wh) - SHINGLE + 1
    acc = np.zeros(n, dtype=np.uint64)
    for i in range(SHINGLE):
        # uint64 arithmetic wraps modulo 2**64; the mask keeps the low 32 bits
        acc = (acc + wh[i : i + n] * _POW[i]) & _MASK32
    return acc


@cache
def _template() -> MinHash:
    # Building the permutations costs more than hashing an article: make them once and copy.
    return MinHash(num_perm=NUM_PERM, seed=_SEED, hashfunc=int)


def _minhash(text: str) -> MinHash:
    mh = _template().copy()
    hashes = shingle_hashes(text)
    if len(hashes):
        mh.update_batch(hashes.tolist())
    return mh


def signature(text: str) -> bytes:
    """MinHash of the folded text's word 5-shingles, as bytes (NUM_PERM little-endian uint64)."""
    return _minhash(text).hashvalues.astype("<u8").tobytes()


def _from_bytes(sig: bytes) -> MinHash:
    if not isinstance(sig, bytes | bytearray | memoryview) or len(sig) != NUM_PERM * 8:
        raise ValueError(f"not a marsad MinHash signature: expected {NUM_PERM * 8} bytes")
    values = np.frombuffer(bytes(sig), dtype="<u8").astype(np.uint64)
    t = _template()
    # the template's permutations: letting MinHash draw them again costs ~1 ms per signature
    return MinHash(seed=_SEED, hashvalues=values, permutations=t.permutations, scheme=t.scheme)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (0..1)."""
    va = np.frombuffer(bytes(a), dtype="<u8")
    vb = np.frombuffer(bytes(b), dtype="<u8")
    if len(va) != NUM_PERM or len(vb) != NUM_PERM:
        raise ValueError(f"not a marsad MinHash signature: expected {NUM_PERM * 8} bytes")
    return float(np.count_nonzero(va == vb)) / NUM_PERM


class NearDuplicateIndex:
    """LSH index of article signatures; ``query`` returns keys whose estimated similarity >= threshold."""

    def __init__(self, threshold: float = 0.8) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._sigs: dict[str, bytes] = {}

    def __len__(self) -> int:
        return len(self._sigs)

    def __contains__(self, key: str) -> bool:
        return key in self._sigs

    def add(self, key: str, sig: bytes) -> None:
        """Index ``sig`` under ``key``; adding a key again is a no-op (idempotent re-ingest)."""
        if key in self._sigs:
            return
        mh = _from_bytes(sig)
        self._lsh.insert(key, mh)
        self._sigs[key] = bytes(sig)

    def query(self, sig: bytes) -> list[str]:
        """Keys of indexed near-duplicates of ``sig``, most similar first (ties by key)."""
        mh = _from_bytes(sig)
        scored = []
        for key in self._lsh.query(mh):
            sim = similarity(sig, self._sigs[key])
            # LSH returns candidates that probably pass; the estimate decides
            if sim >= self.threshold:
                scored.append((-sim, key))
        return [k for _, k in sorted(scored)]
