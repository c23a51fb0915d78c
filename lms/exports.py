"""Streaming downloads: CSV, XLSX and ZIP written row by row, so the first bytes leave while the
rest is still being read from the database and memory stays flat whatever the size.

Every text cell is neutralised against formula injection: a cell starting with `=`, `+`, `-`,
`@`, a tab or a carriage return gets a leading apostrophe, so a spreadsheet shows it as text and
never runs it. Numbers, dates and empty cells are written as they are; they cannot be formulas.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.http import StreamingHttpResponse
from django.utils import timezone

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Rows are gathered into chunks of about this many bytes before they are handed to the server:
# one write per row would cost more in the WSGI server than the rows themselves.
CHUNK_BYTES = 64 * 1024

Cell = str | int | float | datetime.date | datetime.datetime | None


def neutralise(value: Cell) -> Cell:
    """`value` made safe for a spreadsheet: text that a spreadsheet would run as a formula gets a
    leading apostrophe; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _chunked(pieces: Iterable[str | bytes], *, encode: bool) -> Iterator[bytes]:
    buffer: list[bytes] = []
    size = 0
    for piece in pieces:
        data = piece.encode() if encode else piece
        buffer.append(data)
        size += len(data)
        if size >= CHUNK_BYTES:
            yield b"".join(buffer)
            buffer.clear()
            size = 0
    if buffer:
        yield b"".join(buffer)


class _Line:
    """A file-like object for `csv.writer` that hands back what one row wrote."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text = text


def csv_lines(header: list[str], rows: Iterable[list[Cell]]) -> Iterator[str]:
    """The CSV text of `header` and `rows`, one line at a time, every cell neutralised."""
    line = _Line()
    writer = csv.writer(line)
    writer.writerow([neutralise(cell) for cell in header])
    yield line.text
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
        yield line.text


def _csv_cell(value: Cell) -> str:
    # Most cells are text that needs nothing done: checked first, as this runs once per cell.
    if type(value) is str and not value.startswith(FORMULA_TRIGGERS):
        return value
    return _text(neutralise(value))


# --- ZIP written to a stream that cannot seek


class _Sink(io.RawIOBase):
    """Collects what `zipfile` writes until the generator hands it on. It cannot seek, so
    `zipfile` writes each entry's sizes after its data instead of going back for them."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


@dataclass
class ZipStream:
    """A ZIP archive produced while it is written. `add` and `add_stream` return the bytes ready
    to send; `close` the central directory. The SHA-256 and size of each member are kept, for a
    manifest."""

    compression: int = zipfile.ZIP_DEFLATED
    digests: dict[str, tuple[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._sink = _Sink()
        self._zip = zipfile.ZipFile(self._sink, mode="w", compression=self.compression)

    def add_stream(self, name: str, pieces: Iterable[bytes]) -> Iterator[bytes]:
        digest = hashlib.sha256()
        size = 0
        info = zipfile.ZipInfo(name, date_time=_zip_time())
        info.compress_type = self.compression
        with self._zip.open(info, mode="w") as member:
            for piece in pieces:
                digest.update(piece)
                size += len(piece)
                member.write(piece)
                if piece:
                    yield self._sink.drain()
        self.digests[name] = (digest.hexdigest(), size)
        yield self._sink.drain()

    def add(self, name: str, data: bytes) -> Iterator[bytes]:
        yield from self.add_stream(name, [data])

    def close(self) -> bytes:
        self._zip.close()
        return self._sink.drain()


def _zip_time() -> tuple[int, int, int, int, int, int]:
    now = datetime.datetime.now()
    return (now.year, now.month, now.day, now.hour, now.minute, now.second)


# --- XLSX: a ZIP of a few fixed XML parts and one sheet written row by row

_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    # Style 1 shows a date, style 2 a date and time; style 3 is the bold header.
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}
_EPOCH = datetime.datetime(1899, 12, 30)


def _workbook(sheet_name: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(sheet_name[:31], {chr(34): "&quot;"})}" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>'
    )


def _xlsx_cell(value: Cell, *, header: bool = False) -> str:
    if isinstance(value, str):
        # Dropped before neutralising, so a formula hidden behind a control character is caught.
        value = _xml_safe(value)
    value = neutralise(value)
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f"<c><v>{value}</v></c>"
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = timezone.localtime(value).replace(tzinfo=None)
        serial = (value - _EPOCH) / datetime.timedelta(days=1)
        return f'<c s="2"><v>{serial:.10f}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c s="1"><v>{(value - _EPOCH.date()).days}</v></c>'
    style = ' s="3"' if header else ""
    text = escape(str(value))
    return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{text}</t></is></c>'


# XML 1.0 cannot carry most control characters, nor U+FFFE and U+FFFF: a spreadsheet would
# refuse the whole file.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _NOT_IN_XML.sub("", text)


def _sheet(header: list[str], rows: Iterable[list[Cell]]) -> Iterator[str]:
    yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>'
    )
    yield "<row>" + "".join(_xlsx_cell(cell, header=True) for cell in header) + "</row>"
    for row in rows:
        yield "<row>" + "".join(_xlsx_cell(cell) for cell in row) + "</row>"
    yield "</sheetData></worksheet>"


def xlsx_bytes(
    header: list[str], rows: Iterable[list[Cell]], *, sheet_name: str
) -> Iterator[bytes]:
    """An XLSX workbook of one sheet, produced while `rows` are read."""
    archive = ZipStream()
    for name, xml in _XLSX_PARTS.items():
        yield from archive.add(name, xml.encode())
    yield from archive.add("xl/workbook.xml", _workbook(sheet_name).encode())
    yield from archive.add_stream(
        "xl/worksheets/sheet1.xml", _chunked(_sheet(header, rows), encode=True)
    )
    yield archive.close()


def table_bytes(
    export_format: str, header: list[str], rows: Iterable[list[Cell]], *, title: str
) -> Iterator[bytes]:
    """`header` and `rows` as CSV (UTF-8 with a byte order mark, which spreadsheets need to read
    the encoding) or XLSX bytes."""
    if export_format == "csv":
        return _chunked(_with_bom(csv_lines(header, rows)), encode=True)
    if export_format == "xlsx":
        return xlsx_bytes(header, rows, sheet_name=title)
    raise ValueError(f"Unknown export format {export_format!r}.")


def _with_bom(lines: Iterator[str]) -> Iterator[str]:
    yield "\ufeff"
    yield from lines


def streaming_download(
    *,
    export_format: str,
    filename: str,
    header: list[str],
    rows: Iterable[list[Cell]] | Callable[[], Iterable[list[Cell]]],
    title: str = "Report",
) -> StreamingHttpResponse:
    """A download of a table that starts sending at once. `filename` has no extension."""
    rows = rows() if callable(rows) else rows
    response = StreamingHttpResponse(
        table_bytes(export_format, header, rows, title=title),
        content_type=FORMATS[export_format],
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export_format}"'
    response["Cache-Control"] = "no-store"
    return response


def streaming_zip(*, filename: str, chunks: Iterable[bytes]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}.zip"'
    response["Cache-Control"] = "no-store"
    return response
