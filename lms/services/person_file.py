"""A person's competence file as a PDF: the header, the standing against requirements and every
record with its evidence trail, printed from the same lines the page shows
(`lms.selectors.person_file`), in the core fonts as certificates are."""

from __future__ import annotations

import re

from django.utils.text import slugify
from fpdf import FPDF

from lms.models import User
from lms.selectors.person_file import PersonFile, day
from lms.services.certificates import latin1, organisation_name

FONT = "helvetica"
LABEL_WIDTH = 42
LINE_HEIGHT = 5
INDENT = 6


class _FilePdf(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(80, 80, 80)
        self.cell(0, 5, f"{self.footer_text} - page {self.page_no()} of {{nb}}", align="C")


def person_file_filename(person: User) -> str:
    """`<employee id>-<name>`, as the file is named in a download or an evidence pack: the
    employee id as it is, but for characters a file name cannot safely hold."""
    employee_id = re.sub(r"[^A-Za-z0-9._-]+", "-", person.employee_id or "").strip("-.")
    name = slugify(person.get_full_name()) or slugify(person.email.split("@")[0]) or "person"
    return f"{employee_id or f'person-{person.pk}'}-{name}"


def render_person_file_pdf(
    *, person_file: PersonFile, organisation: str | None = None, compress: bool = True
) -> bytes:
    """The competence file as an A4 PDF. `organisation` saves looking up its name for each of
    many files; `compress=False` keeps the page text readable in the file, for tests."""
    person = person_file.person
    name = person.get_full_name() or person.email
    organisation = organisation or organisation_name()
    pdf = _FilePdf(format="A4")
    pdf.set_compression(compress)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(latin1(f"Competence file: {name}"))
    pdf.set_creator(latin1(organisation))
    pdf.footer_text = latin1(
        f"Competence file of {name}, generated {day(person_file.generated_at)}"
    )
    pdf.add_page()

    def heading(text: str, size: float) -> None:
        pdf.set_font(FONT, "B", size)
        pdf.multi_cell(0, size * 0.5, latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    def labelled(label: str, text: str) -> None:
        pdf.set_font(FONT, "B", 9)
        pdf.cell(LABEL_WIDTH, LINE_HEIGHT, latin1(label), new_x="RIGHT", new_y="TOP")
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(0, LINE_HEIGHT, latin1(text) or "-", new_x="LMARGIN", new_y="NEXT")

    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 6, latin1(organisation), new_x="LMARGIN", new_y="NEXT")
    heading("Competence file", 20)
    for label, text in person_file.header:
        labelled(label, text)

    pdf.ln(4)
    heading("Standing against requirements", 13)
    if person_file.standing:
        for competence, text in person_file.standing:
            pdf.set_font(FONT, "B", 9)
            pdf.multi_cell(0, LINE_HEIGHT, latin1(competence), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(FONT, "", 9)
            pdf.set_x(pdf.l_margin + INDENT)
            pdf.multi_cell(0, LINE_HEIGHT, latin1(text), new_x="LMARGIN", new_y="NEXT")
    else:
        labelled("Requirements", "nothing in the competence framework applies or is held")

    pdf.ln(4)
    heading("Records, in the order they were recorded", 13)
    if not person_file.entries:
        labelled("Records", "no competence has been recorded")
    for entry in person_file.entries:
        pdf.ln(2)
        pdf.set_draw_color(180, 180, 180)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(1)
        heading(f"{day(entry.record.recorded_at)} - {entry.heading}", 11)
        labelled("State", entry.state_text)
        for label, text in entry.trail:
            labelled(label, text)
    return bytes(pdf.output())
