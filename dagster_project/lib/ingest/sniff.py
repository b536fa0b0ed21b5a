"""Recognise how an export was written: encoding, separator, decimal mark, header.

Spanish spreadsheets save CSV with ';' as separator, ',' as decimal mark and Windows-1252 ("ANSI", Latin-1
plus € and curly quotes in bytes 0x80-0x9F) or UTF-8 with a BOM; other tools write ',' and '.'. Everything
here can also be declared instead of detected. DuckDB reads only UTF-8 and strict Latin-1 (it refuses the
byte of €), so a file that is not UTF-8 is read through a UTF-8 copy (`transcode_to_utf8`).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SAMPLE_BYTES = 4 << 20  # enough to judge the encoding of any real export's first rows
DELIMITERS = (",", ";", "\t", "|")


class BadFileError(ValueError):
    """The whole file is refused (the message names the file and the reason)."""


@dataclass(frozen=True)
class CsvFormat:
    encoding: str  # 'utf-8' or 'cp1252' (detected), or as declared (a Python codec name)
    delimiter: str
    decimal: str  # '.' or ','
    header: tuple[str, ...]  # normalised column names as they appear in the file


def normalise_header(name: str) -> str:
    """'  Customer ID ' -> 'customer_id'; 'Fecha Pedido' -> 'fecha_pedido'; accents dropped."""
    name = unicodedata.normalize("NFKD", name.replace("\ufeff", "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


def detect_encoding(sample: bytes) -> str:
    """UTF-8 when the sample is valid UTF-8 (or starts with its BOM), else Windows-1252."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a character cut at the sample's end is not an error
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


_CP1252 = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if bytes([b]).decode("cp1252", "ignore")}


def _decoder(encoding: str) -> Callable[[bytes], str]:
    """Chunk decoder; Windows-1252 keeps its five undefined bytes as their Latin-1 characters, never fails."""
    if codecs.lookup(encoding).name in ("cp1252", "latin-1", "iso8859-1"):
        return lambda chunk: chunk.decode("latin-1").translate(_CP1252)
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return decoder.decode


def transcode_to_utf8(path: Path, encoding: str, dest: Path) -> None:
    decode = _decoder(encoding)
    with open(path, "rb") as src, open(dest, "w", encoding="utf-8", newline="") as out:
        while chunk := src.read(8 << 20):
            out.write(decode(chunk))


def detect_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def sniff_csv(
    path: Path, *, encoding: str | None = None, delimiter: str | None = None, decimal: str | None = None
) -> CsvFormat:
    """Detect (or take as declared) the format of a CSV export and read its header."""
    with open(path, "rb") as f:
        sample = f.read(SAMPLE_BYTES)
    if not sample.removeprefix(codecs.BOM_UTF8).strip(b"\r\n\t ,;"):
        raise BadFileError(f"{path.name}: the file is empty (no header, no rows)")
    encoding = encoding or detect_encoding(sample)
    text = _decoder(encoding)(sample).lstrip("\ufeff")
    first_line = text.splitlines()[0] if text.splitlines() else ""
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
    return CsvFormat(encoding=encoding, delimiter=delimiter, decimal=decimal, header=header)
