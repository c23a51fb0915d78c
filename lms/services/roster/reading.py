"""Reading the roster CSV into rows, refusing what is not a roster."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.conf import settings

from .results import LINE_KEY, ROSTER_COLUMNS, RosterInvalid, RosterProblem


def read_roster_csv(*, data: bytes) -> list[dict[str, str]]:
    """Parse a roster CSV into rows keyed by column, each with its line number under LINE_KEY.

    Raises RosterInvalid for problems with the file as a whole (encoding, header, shape, size);
    the rows' values are checked by `import_roster`.
    """
    text = _decode(data)
    if not text.strip():
        raise RosterInvalid([RosterProblem(None, None, "The file is empty.")])
    if "\x00" in text:
        raise RosterInvalid([_not_csv(None, "it contains binary data")])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        header_line, header = _read_header(reader)
        rows, problems = _read_rows(reader, header)
    except csv.Error as error:
        raise RosterInvalid([_not_csv(reader.line_num, str(error))]) from None
    if problems:
        raise RosterInvalid(problems)
    if not rows:
        raise RosterInvalid(
            [RosterProblem(header_line, None, "the file has a header but no people.")]
        )
    return rows


def _decode(data: bytes) -> str:
    try:
        # utf-8-sig drops the byte-order mark Excel writes in front of "CSV UTF-8" files.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = "the file is not UTF-8 text; save it from your spreadsheet as 'CSV UTF-8'."
        raise RosterInvalid([RosterProblem(line, None, message)]) from None


def _not_csv(line: int | None, detail: str) -> RosterProblem:
    message = f"this is not a CSV file ({detail}); save it from your spreadsheet as 'CSV UTF-8'."
    return RosterProblem(line, None, message if line else message[0].upper() + message[1:])


def _delimiter(text: str) -> str:
    # Spreadsheets in many European locales save "CSV" with semicolons; accept that as written.
    first_line = text.lstrip().split("\n", 1)[0]
    if "," not in first_line:
        for candidate in (";", "\t"):
            if candidate in first_line:
                return candidate
    return ","


def _read_header(reader) -> tuple[int, list[str]]:
    for values in reader:
        if any(value.strip() for value in values):
            break
    else:
        raise RosterInvalid([RosterProblem(None, None, "The file is empty.")])
    line = reader.line_num
    header = [value.strip().lower() for value in values]
    missing = [column for column in ROSTER_COLUMNS if column not in header]
    if missing:
        raise RosterInvalid(
            [
                RosterProblem(
                    line,
                    None,
                    f"the header lacks the column{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(missing)}; it needs {', '.join(ROSTER_COLUMNS)}.",
                )
            ]
        )
    repeated = sorted({column for column in header if column and header.count(column) > 1})
    if repeated:
        raise RosterInvalid(
            [RosterProblem(line, None, f"the header repeats {', '.join(repeated)}.")]
        )
    return line, header


def _read_rows(reader, header: list[str]) -> tuple[list[dict[str, str]], list[RosterProblem]]:
    rows: list[dict[str, str]] = []
    problems: list[RosterProblem] = []
    max_rows = settings.LMS_ROSTER_MAX_ROWS
    for line, values in _records_with_start_line(reader):
        if len(values) > len(header):
            problems.append(
                RosterProblem(
                    line,
                    None,
                    f"this row has {len(values)} values but the header names {len(header)} "
                    "columns; a value with a comma in it needs quotes.",
                )
            )
            continue
        # A short row is padded: hand-made files often leave out trailing empty values.
        padded = values + [""] * (len(header) - len(values))
        row = {column: value.strip() for column, value in zip(header, padded, strict=True)}
        rows.append({column: row[column] for column in ROSTER_COLUMNS} | {LINE_KEY: str(line)})
        if len(rows) > max_rows:
            raise RosterInvalid([_too_many_rows(max_rows)])
    return rows, problems


def _records_with_start_line(reader) -> Iterator[tuple[int, list[str]]]:
    # A quoted value may span lines, so a record starts on the line after the previous one ended.
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        if any(value.strip() for value in values):
            yield start, values


def _too_many_rows(max_rows: int) -> RosterProblem:
    return RosterProblem(
        None,
        None,
        f"The roster has more than {max_rows:,} people, the most one import takes "
        "(setting LMS_ROSTER_MAX_ROWS).",
    )
