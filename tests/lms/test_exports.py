"""Streaming exports: formula-safe cells, CSV lines, an XLSX that a spreadsheet library reads back
cell for cell, and a ZIP written while it streams whose manifest digests are right."""

import datetime
import hashlib
import io
import zipfile

import openpyxl
import pytest
from django.utils import timezone

from lms.exports import (
    ZipStream,
    csv_lines,
    neutralise,
    streaming_download,
    table_bytes,
    xlsx_bytes,
)

TRIGGERS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("trigger", TRIGGERS, ids=repr)
def test_text_starting_with_a_formula_trigger_gets_a_leading_apostrophe(trigger):
    assert neutralise(f"{trigger}SUM(A1:A9)") == f"'{trigger}SUM(A1:A9)"


@pytest.mark.parametrize(
    "value",
    [
        "Ada Adams",
        "a=b",
        " =not at the start",
        "",
        None,
        -3,
        2.5,
        datetime.date(2024, 5, 1),
        datetime.datetime(2024, 5, 1, 9, 30, tzinfo=datetime.UTC),
    ],
    ids=repr,
)
def test_anything_else_is_left_as_it_is(value):
    assert neutralise(value) == value


def test_csv_lines_are_one_row_each_with_every_cell_neutralised():
    rows = [
        ["=1+1", datetime.date(2024, 5, 1), 3],
        ["plain, with a comma", None, -2.5],
        ["@cmd", datetime.datetime(2024, 5, 1, 9, 30, 15, tzinfo=datetime.UTC), "-1"],
    ]

    lines = list(csv_lines(["Name", "=When", "Count"], rows))

    assert lines == [
        "Name,'=When,Count\r\n",
        "'=1+1,2024-05-01,3\r\n",
        '"plain, with a comma",,-2.5\r\n',
        "'@cmd,2024-05-01T09:30:15+00:00,'-1\r\n",
    ]


def test_a_csv_download_starts_with_a_byte_order_mark():
    data = b"".join(table_bytes("csv", ["Name"], [["Ada"]], title="People"))

    assert data == "\ufeffName\r\nAda\r\n".encode()


def _read_xlsx(chunks):
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(chunks)))
    return workbook, [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_an_xlsx_reads_back_with_the_same_cells_dates_as_dates_and_formulas_as_text(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    moment = datetime.datetime(2024, 7, 1, 6, 15, 30, tzinfo=datetime.UTC)
    rows = [
        ["Ada Adams", 3, 2.5, datetime.date(2024, 5, 1), moment],
        ['=HYPERLINK("http://evil.example")', -1, None, None, ""],
        ["\tindented", 0, 0.0, datetime.date(1999, 12, 31), None],
    ]

    workbook, cells = _read_xlsx(
        xlsx_bytes(["Name", "Count", "Score", "On", "At"], rows, sheet_name="People & more")
    )

    assert workbook.sheetnames == ["People & more"]
    assert cells[0] == ["Name", "Count", "Score", "On", "At"]
    assert cells[1] == [
        "Ada Adams",
        3,
        2.5,
        datetime.datetime(2024, 5, 1),
        timezone.localtime(moment).replace(tzinfo=None),
    ]
    assert cells[1][4] == datetime.datetime(2024, 7, 1, 8, 15, 30)
    assert cells[2] == ['\'=HYPERLINK("http://evil.example")', -1, None, None, None]
    assert cells[3] == ["'\tindented", 0, 0, datetime.datetime(1999, 12, 31), None]
    assert workbook.active["A2"].data_type == "s"
    assert workbook.active["D2"].is_date


def test_a_control_character_does_not_break_the_xlsx_nor_hide_a_formula():
    rows = [["before\x01after"], ["\x01=1+1"], ["line\nbreak"]]

    _, cells = _read_xlsx(xlsx_bytes(["Text\x02"], rows, sheet_name="Sheet"))

    assert cells == [["Text"], ["beforeafter"], ["'=1+1"], ["line\nbreak"]]


def test_a_download_streams_with_the_format_its_name_and_no_caching():
    made = []

    def rows():
        made.append(True)
        yield ["Ada"]

    response = streaming_download(
        export_format="xlsx", filename="people", header=["Name"], rows=rows, title="People"
    )

    assert response.streaming
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="people.xlsx"'
    assert response["Cache-Control"] == "no-store"
    _, cells = _read_xlsx(response.streaming_content)
    assert cells == [["Name"], ["Ada"]]
    assert made == [True]


def test_an_unknown_format_is_refused_before_anything_is_sent():
    with pytest.raises(ValueError, match="Unknown export format 'pdf'"):
        table_bytes("pdf", ["Name"], [], title="People")


def test_a_zip_stream_opens_with_zipfile_and_its_digests_match_the_members():
    archive = ZipStream()
    big = [bytes([n % 251]) * 70_000 for n in range(5)]
    chunks = [
        *archive.add("manifest-first.txt", b"hello\n"),
        *archive.add_stream("data/big.bin", iter(big)),
        *archive.add("empty.txt", b""),
    ]
    chunks.append(archive.close())

    with zipfile.ZipFile(io.BytesIO(b"".join(chunks))) as opened:
        assert opened.testzip() is None
        assert opened.namelist() == ["manifest-first.txt", "data/big.bin", "empty.txt"]
        members = {name: opened.read(name) for name in opened.namelist()}

    assert members["data/big.bin"] == b"".join(big)
    assert archive.digests == {
        name: (hashlib.sha256(data).hexdigest(), len(data)) for name, data in members.items()
    }


def test_a_zip_stream_hands_bytes_on_while_a_member_is_still_being_written():
    archive = ZipStream(compression=zipfile.ZIP_STORED)
    sent = []
    pieces = (b"x" * 1000 for _ in range(3))

    for chunk in archive.add_stream("part.bin", pieces):
        sent.append(len(chunk))

    # Stored, each 1000-byte piece leaves as it is written, before the member is finished.
    assert sum(1 for size in sent if size >= 1000) == 3
