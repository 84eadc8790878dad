"""Bytes -> str: binary detection and encoding detection with an explicit report of what was used."""

from __future__ import annotations

import codecs
import re

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document; convert it to text first (e.g. pdftotext)"),
    (b"PK\x03\x04", "a ZIP archive or Office document; extract or convert it to text first"),
    (b"\x1f\x8b", "a gzip-compressed file; decompress it first"),
    (b"BZh", "a bzip2-compressed file; decompress it first"),
    (b"\xfd7zXZ\x00", "an xz-compressed file; decompress it first"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "a legacy Office document; convert it to text first"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Charset declarations in HTML <meta> and the XML prolog: reading them is encoding sniffing, not parsing.
_DECLARED = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})|"""
    rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""",
    re.IGNORECASE,
)
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")

# Legacy single-byte encodings that cp1252 is preferred over when both read the bytes equally well:
# Western newsroom files are overwhelmingly cp1252, while detectors guess Baltic or DOS pages on short text.
_WESTERN = "cp1252"


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can identify."""


def bom_encoding(data: bytes) -> str | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    return None


def binary_reason(head: bytes) -> str | None:
    """Why ``head`` (the first bytes of an input) is not text, or None if it looks like text."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return f"binary file: looks like {what}"
    if bom_encoding(head) in ("utf-16", "utf-32"):
        return None  # NUL bytes are normal there
    if b"\x00" in head:
        return "binary file: contains NUL bytes (not a text, HTML, JSONL or feed file)"
    sample = head[:8192]
    if sample and len(_CONTROL.findall(sample)) > 0.05 * len(sample):
        return "binary file: mostly non-text bytes"
    return None


def declared_charset(head: bytes) -> str | None:
    """The charset an HTML or XML document declares for itself, if it is one Python knows."""
    m = _DECLARED.search(head[:4096])
    if not m:
        return None
    name = (m.group(1) or m.group(2)).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes, *, declared: str | None = None) -> tuple[str, str | None]:
    """Decode ``data``; return ``(text, note)`` where ``note`` says which non-UTF-8 encoding was used.

    Order: byte-order mark, strict UTF-8, the document's own declared charset, then detection
    (charset_normalizer, preferring cp1252 on ties). Raises DecodeError when nothing fits.
    """
    bom = bom_encoding(data)
    if bom:
        try:
            text = data.decode(bom)
        except UnicodeDecodeError as e:
            raise DecodeError(f"starts with a {bom} byte-order mark but is not valid {bom}: {e}") from None
        return text, (None if bom == "utf-8-sig" else f"decoded as {bom} (byte-order mark)")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    if declared and codecs.lookup(declared).name != "utf-8":
        try:
            return data.decode(declared), f"not UTF-8; decoded as {declared} (declared in the document)"
        except (UnicodeDecodeError, LookupError):
            pass
    enc = _detect(data)
    if enc:
        try:
            return data.decode(
                enc
            ), f"not UTF-8; decoded as {enc} (detected); re-save as UTF-8 to avoid guessing"
        except (UnicodeDecodeError, LookupError):
            pass
    raise DecodeError("not valid UTF-8 and no other text encoding fits; re-save the file as UTF-8")


def _detect(data: bytes) -> str | None:
    try:
        import charset_normalizer
    except ImportError:  # pragma: no cover - trafilatura depends on it
        charset_normalizer = None
    if charset_normalizer is not None:
        matches = charset_normalizer.from_bytes(data[:200_000])
        best = matches.best()
        if best is not None:
            for m in matches:
                if m.chaos <= best.chaos + 0.01 and (
                    m.encoding == _WESTERN or _WESTERN in m.could_be_from_charset
                ):
                    return _WESTERN
            return best.encoding
    try:
        data.decode(_WESTERN)
        return _WESTERN
    except UnicodeDecodeError:
        return None
