"""A CSV file as text, one row per line, in one scan by DuckDB: temp table `lines` (rowid + 1 = the line
number) and `records` (_line, t): the lines after the header, a quoted value running over several lines
joined into its record (numbered by the line it starts on).

DuckDB's CSV reader is used with a delimiter that does not occur in the file and no quoting, so every
physical line is one value: it splits CRLF and LF alike, keeps blank lines (as NULL) so numbering holds, and
takes lines up to READ_LINE_LIMIT bytes (longer ones than MAX_LINE_BYTES are quarantined by the scan).
"""

from __future__ import annotations

from pathlib import Path

from duckdb import DuckDBPyConnection

from ..sql import fetch_row, quote_literal, scalar
from .sniff import BadFileError

MAX_LINE_BYTES = 2_097_152  # DuckDB's own default line limit: a longer line is quarantined, the rest loads
READ_LINE_LIMIT = 64 << 20  # what the line reader accepts at most (its buffers grow with it)
QUOTES_ODD = "(contains(t, '\"') AND (strlen(t) - strlen(replace(t, '\"', ''))) % 2 = 1)"


def sql_literal(value: str) -> str:
    """A path or a pattern as a SQL string literal (lib/sql's quoting, which refuses control characters)."""
    return quote_literal(value)


def constant_literal(value: str) -> str:
    """One of Cartera's own constants as a SQL literal: the line-read separator and blank characters hold
    control characters lib/sql refuses in names and paths, and never a quote."""
    if "'" in value:
        raise ValueError(f"constant {value!r} holds a quote")
    return f"'{value}'"


def load_records(
    con: DuckDBPyConnection,
    name: str,
    text_path: Path,
    line_delimiter: str | None,
    lines: int,
    header_line: int,
    quotes: bool = True,
) -> None:
    """Fill `lines` and `records` from the UTF-8 file `text_path` (`lines` = its line count, checked)."""
    if line_delimiter is None:
        raise BadFileError(f"{name}: could not be read line by line (it holds every reserved separator)")
    limit = max(1 << 20, min(text_path.stat().st_size + 16, READ_LINE_LIMIT))
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE lines AS SELECT t FROM read_csv({sql_literal(str(text_path))},
            columns={{'t': 'VARCHAR'}}, header=false, delim={constant_literal(line_delimiter)}, quote='', escape='',
            comment='', auto_detect=false, strict_mode=false, encoding='utf-8', max_line_size={limit})"""
    )
    got = scalar(con, "SELECT count(*) FROM lines")
    if got != lines:
        raise BadFileError(
            f"{name}: could not be read line by line ({got:,} of {lines:,} lines read; "
            f"a line longer than {READ_LINE_LIMIT:,} bytes or lone carriage returns as line ends?)"
        )
    odd = fetch_row(con, f"SELECT count(*) FILTER ({QUOTES_ODD}) FROM lines") if quotes else (0,)
    if odd[0] and header_line > 1:  # quotes before the header don't count
        odd = fetch_row(con, f"SELECT count(*) FILTER ({QUOTES_ODD}) FROM lines WHERE rowid >= {int(header_line)}")
    if not odd[0]:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW records AS SELECT rowid + 1 AS _line, t FROM lines WHERE rowid >= {header_line}"
        )
        return
    # A line with an odd number of quotes opens (or closes) a quoted value spanning lines. An opening never
    # closed (an odd total) joins nothing: those lines stay records of their own.
    last_open = 1 << 62
    if odd[0] % 2:
        last_open = scalar(
            con,
            f"""SELECT max(_line) FROM (SELECT rowid + 1 AS _line, {QUOTES_ODD}::INT AS odd,
                    sum({QUOTES_ODD}::INT) OVER (ORDER BY rowid ROWS UNBOUNDED PRECEDING) - odd AS before
                FROM lines WHERE rowid >= {header_line}) WHERE odd = 1 AND before % 2 = 0""",
        )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE joined_records AS
            WITH q AS (SELECT rowid + 1 AS _line, t, {QUOTES_ODD}::INT AS odd FROM lines WHERE rowid >= {header_line}),
                 g AS (SELECT *, sum(odd) OVER (ORDER BY _line ROWS UNBOUNDED PRECEDING) - odd AS before FROM q),
                 s AS (SELECT *, sum(CASE WHEN before % 2 = 0 OR _line > {last_open} THEN 1 ELSE 0 END)
                                 OVER (ORDER BY _line ROWS UNBOUNDED PRECEDING) AS rec FROM g)
            SELECT min(_line) AS _line,
                   CASE WHEN count(*) = 1 THEN any_value(t) ELSE string_agg(coalesce(t, ''), chr(10) ORDER BY _line) END AS t
            FROM s GROUP BY rec"""
    )
    con.execute("CREATE OR REPLACE TEMP VIEW records AS SELECT _line, t FROM joined_records")
