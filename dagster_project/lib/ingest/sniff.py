"""Recognise how an export was written: encoding, separator, decimal mark, header.

Spanish spreadsheets save CSV with ';' as separator, ',' as decimal mark and Windows-1252 ("ANSI", Latin-1
plus € and curly quotes in bytes 0x80-0x9F) or UTF-8 with a BOM; other tools write ',' and '.'. Everything
here can also be declared instead of detected. DuckDB reads only UTF-8 and strict Latin-1 (it refuses the
byte of €), so a file that is not UTF-8 is read through a UTF-8 copy (`transcode_to_utf8`).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SAMPLE_BYTES = 4 << 20  # the header is looked for in the first 4 MiB (the encoding is judged on all of it)
DELIMITERS = (",", ";", "\t", "|")


class BadFileError(ValueError):
    """The whole file is refused (the message names the file and the reason)."""


@dataclass(frozen=True)
class CsvFormat:
    encoding: str  # 'utf-8' or 'cp1252' (detected), or as declared (a Python codec name)
    delimiter: str
    decimal: str  # '.' or ','
    header: tuple[str, ...]  # normalised column names as they appear in the file
    header_line: int = 1  # the header's line (blank lines before it are skipped)
    written: tuple[str, ...] = ()  # the header's names as written (for matching synonyms and for messages)


def normalise_header(name: str) -> str:
    """'  Customer ID ' -> 'customer_id'; 'Fecha Pedido' -> 'fecha_pedido'; accents dropped."""
    name = unicodedata.normalize("NFKD", name.replace("\ufeff", "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


# What a file named .csv really is when it is not text, by its first bytes.
MAGIC = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip archive, not CSV text: save it as CSV"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls), not CSV text: save it as CSV"),
    (b"%PDF", "a PDF document, not CSV text"),
    (b"PAR1", "a Parquet file: rename it to .parquet"),
    (b"\x1f\x8b", "a gzip-compressed file: uncompress it first"),
    (b"SQLite format 3", "a SQLite database, not CSV text"),
)
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Byte sequences that split a file into whole lines when DuckDB reads it as one text column (text.py);
# the first one absent from the file is used.
LINE_READ_DELIMITERS = ("\x1e\x1f\x1e\x1f", "\x1f\x1e\x1f\x1e", "\x1d\x1c\x1d\x1c")


@dataclass(frozen=True)
class FileFacts:
    """What one pass over the bytes of a file found: checksum, encoding (judged on the whole file), lines."""

    checksum: str
    encoding: str  # 'utf-8', 'utf-16' (with a BOM) or 'cp1252'
    lines: int  # newline-terminated lines, plus a last line without one (UTF-8 files only)
    line_delimiter: str | None  # a LINE_READ_DELIMITERS entry absent from the file
    not_text: str | None = None  # what the file is when it is not text
    has_quotes: bool = True  # a '"' occurs somewhere (else no value can span lines)
    has_nul: bool = True  # a NUL byte occurs somewhere (else no row can break the NUL rule)


def inspect_file(path: Path) -> FileFacts:
    """One read of the file: sha256, whether every byte is valid UTF-8, line count, what a binary file is."""
    digest, decoder = hashlib.sha256(), codecs.getincrementaldecoder("utf-8")()
    utf8, lines, last, head, tail = True, 0, b"\n", b"", b""
    present: set[str] = set()
    quotes = nul = False
    with open(path, "rb") as f:
        while chunk := f.read(16 << 20):
            digest.update(chunk)
            head = head or chunk[:65536]
            if utf8 and not (chunk.isascii() and not decoder.getstate()[0]):  # ASCII is UTF-8 (fast path)
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            lines += chunk.count(b"\n")
            if any(b in chunk for b in (b"\x1c", b"\x1d", b"\x1e", b"\x1f")):  # rare: only then the slow search
                window = tail + chunk
                present.update(d for d in LINE_READ_DELIMITERS if d.encode() in window)
            quotes = quotes or b'"' in chunk
            nul = nul or b"\x00" in chunk
            tail, last = chunk[-3:], chunk[-1:]
    lines += last != b"\n"
    if head.startswith(UTF16_BOMS):
        encoding = "utf-16"
    else:
        encoding = "utf-8" if utf8 else "cp1252"
    delimiter = next((d for d in LINE_READ_DELIMITERS if d not in present), None)
    not_text = None if encoding == "utf-16" else what_binary(head)
    utf16 = encoding == "utf-16"
    return FileFacts(digest.hexdigest(), encoding, lines, delimiter, not_text, quotes or utf16, nul or utf16)


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(16 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def what_binary(head: bytes) -> str | None:
    """What a file is when its first bytes are not text: a known format, or binary data."""
    for magic, what in MAGIC:
        if head.startswith(magic):
            return what
    controls = sum(head.count(bytes([b])) for b in range(32) if b not in (9, 10, 13))
    if head and controls > max(8, len(head) // 100):
        return "binary data (or UTF-16 text without a byte order mark), not CSV text"
    return None


_CP1252 = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if bytes([b]).decode("cp1252", "ignore")}


def _decoder(encoding: str) -> Callable[[bytes], str]:
    """Chunk decoder; Windows-1252 keeps its five undefined bytes as their Latin-1 characters, never fails."""
    if codecs.lookup(encoding).name in ("cp1252", "latin-1", "iso8859-1"):
        return lambda chunk: chunk.decode("latin-1").translate(_CP1252)
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return decoder.decode


def transcode_to_utf8(path: Path, encoding: str, dest: Path) -> int:
    """Write a UTF-8 copy of the file (line numbers unchanged); returns its line count. A cp1252 file's lines
    that are valid UTF-8 (a file concatenated from two exports) are kept as UTF-8."""
    decode, lines, last = _decoder(encoding), 0, "\n"
    mixed = encoding == "cp1252"
    with open(path, "rb") as src, open(dest, "w", encoding="utf-8", newline="") as out:
        if mixed:
            for raw in src:
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    text = decode(raw)
                out.write(text)
                lines += 1
                last = text[-1:]
            return lines
        while chunk := src.read(8 << 20):
            text = decode(chunk)
            if text.startswith("\ufeff") and not lines and last == "\n":
                text = text[1:]
            out.write(text)
            lines += text.count("\n")
            last = text[-1:] or last
    return lines + (last != "\n")


def detect_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_header(
    path: Path, text_path: Path, encoding: str, *, delimiter: str | None = None, decimal: str | None = None
) -> CsvFormat:
    """Detect (or take as declared) the separator and decimal mark of a CSV export and read its header: the
    first line that is not blank. `text_path` is the file as UTF-8 (the file itself or a transcoded copy)."""
    with open(text_path, "rb") as f:
        sample = f.read(SAMPLE_BYTES).decode("utf-8", errors="replace")
    lines = sample.split("\n")
    header_at = next((i for i, line in enumerate(lines) if line.replace("\ufeff", "").strip(" \r\t,;|")), None)
    if header_at is None:
        raise BadFileError(f"{path.name}: the file is empty (no header, no rows)")
    first_line = lines[header_at].replace("\ufeff", "").rstrip("\r")
    delimiter = delimiter or detect_delimiter(first_line)
    header_row = next(csv.reader(io.StringIO(first_line), delimiter=delimiter), [])
    header = tuple(normalise_header(h) for h in header_row)
    if not any(header):
        raise BadFileError(f"{path.name}: the first line is not a header row")
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        raise BadFileError(f"{path.name}: column(s) {', '.join(dupes)} appear more than once in the header")
    # Spreadsheets that separate with ';' write decimals with ','; declared formats win.
    decimal = decimal or ("," if delimiter == ";" else ".")
    if decimal not in (".", ","):
        raise BadFileError(f"{path.name}: decimal mark must be '.' or ',', not {decimal!r}")
    return CsvFormat(encoding, delimiter, decimal, header, header_at + 1, tuple(h.strip() for h in header_row))
