"""StreamField blocks: each renders through its template, videos embed only from the allowed
players, and an audience section never reaches a reader outside its audience."""

import pytest
from django.template.loader import get_template, render_to_string
from django.test import RequestFactory

from lms import blocks
from lms.models import ManagementLevel
from tests.factories import DepartmentFactory, JobRoleFactory, UserFactory
from tests.lms.factories_training import for_audience, make_clause, make_standard, md

ALL_BLOCKS = [
    blocks.MarkdownBlock,
    blocks.ImageBlock,
    blocks.VideoBlock,
    blocks.DocumentBlock,
    blocks.CalloutBlock,
    blocks.ChecklistBlock,
    blocks.IsoClauseBlock,
    blocks.AudienceSectionBlock,
    blocks.SectionBlock,
]
# These hold a chosen image, document or clause: a preview needs a real object in the database.
NEEDS_A_REAL_OBJECT = {blocks.ImageBlock, blocks.DocumentBlock, blocks.IsoClauseBlock}
SECRET = "Only middle managers may read this."


def render(block, raw, context=None):
    return str(block.render(block.to_python(raw), context=context))


@pytest.mark.parametrize("block_class", ALL_BLOCKS, ids=lambda c: c.__name__)
def test_every_block_has_an_icon_a_description_and_a_template_that_exists(block_class):
    block = block_class()
    assert block.meta.icon
    assert block.meta.description
    assert block.meta.template.startswith("blocks/")
    get_template(block.meta.template)


@pytest.mark.parametrize(
    "block_class", [c for c in ALL_BLOCKS if c not in NEEDS_A_REAL_OBJECT], ids=lambda c: c.__name__
)
def test_every_block_without_a_chosen_object_previews_its_sample_in_the_site_styles(block_class):
    block = block_class()
    block.set_name(block_class.__name__.lower())
    assert block.is_previewable
    value = block.get_preview_value()
    context = {
        "request": RequestFactory().get("/"),
        "block_def": block,
        "block_class": block_class,
        "bound_block": block.bind(value),
    }
    html = render_to_string(
        block.get_preview_template(value, context), block.get_preview_context(value, context)
    )
    assert "css/site.css" in html
    text = block.meta.preview_value
    sample = text if isinstance(text, str) else (text.get("title") or text.get("url"))
    if block_class is blocks.AudienceSectionBlock:
        sample = "How to lead this in your team"
    assert sample.split("**")[-1][:20] in html


def test_markdown_block_renders_sanitised_html():
    html = render(blocks.MarkdownBlock(), "**Bold** <script>alert(1)</script>")
    assert '<div class="prose"><p><strong>Bold</strong> </p></div>' in html
    assert "script" not in html


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://m.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871"),
    ],
)
def test_youtube_and_vimeo_links_become_a_titled_player_iframe(url, embed):
    html = render(blocks.VideoBlock(), {"url": url, "title": "Toolbox talk", "transcript": ""})
    assert f'<iframe src="{embed}" title="Toolbox talk"' in html


@pytest.mark.parametrize(
    "url",
    [
        "https://videos.example.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=not-an-id",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload%3D",
        "https://evilyoutube.com/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/channels/staffpicks",
    ],
)
def test_other_video_addresses_become_a_plain_link(url):
    html = render(blocks.VideoBlock(), {"url": url, "title": "Safety video", "transcript": ""})
    assert "<iframe" not in html
    assert "Watch the video: Safety video" in html


def test_a_video_transcript_is_in_a_details_element_and_escaped():
    html = render(
        blocks.VideoBlock(),
        {
            "url": "https://vimeo.com/1",
            "title": "Spill drill",
            "transcript": "Stop the leak.\n\n<b>Call</b> HSE.",
        },
    )
    assert "<details" in html
    assert "<summary>Transcript" in html
    assert "<p>Stop the leak.</p>" in html
    assert "&lt;b&gt;Call&lt;/b&gt;" in html


def test_a_callout_renders_its_kind_title_and_markdown_text():
    html = render(
        blocks.CalloutBlock(),
        {"kind": "why", "title": "", "text": "Fewer **reworks**."},
    )
    assert 'class="callout callout--why"' in html
    assert "Why this matters to you" in html
    assert "<strong>reworks</strong>" in html


def test_a_checklist_renders_each_item():
    html = render(
        blocks.ChecklistBlock(), {"title": "Before you start", "items": ["Guard on", "PPE"]}
    )
    assert "Before you start" in html
    assert "<li>Guard on</li>" in html
    assert "<li>PPE</li>" in html


@pytest.mark.django_db
def test_an_iso_clause_reference_names_the_standard_clause_and_note():
    clause = make_clause(
        standard=make_standard(name="ISO 45001:2018"), number="5.4", title="Consultation"
    )
    html = render(
        blocks.IsoClauseBlock(), {"clause": clause.pk, "note": "Ask the people who do it."}
    )
    assert "ISO 45001:2018 clause 5.4" in html
    assert "Consultation" in html
    assert "Ask the people who do it." in html


def test_a_section_renders_its_title_as_a_heading_with_a_done_button_only_when_asked():
    block = blocks.SectionBlock()
    value = block.to_python({"title": "Spills", "content": [md("Use the kit.")]})
    plain = str(block.render(value, context={"section_id": "abc"}))
    assert '<h2 class="module-section__title" id="section-abc-title">Spills</h2>' in plain
    assert "Use the kit." in plain
    assert "<form" not in plain


@pytest.mark.django_db
class TestAudienceSection:
    @pytest.fixture
    def production(self):
        operations = DepartmentFactory(name="Operations")
        return DepartmentFactory(name="Production", parent=operations)

    def section(self, **audience):
        block = blocks.AudienceSectionBlock()
        return block, block.to_python(for_audience(md(SECRET), **audience)["value"])

    def test_it_is_absent_for_a_viewer_outside_the_levels_and_present_inside(self):
        block, value = self.section(levels=[ManagementLevel.MIDDLE])
        staff = UserFactory(management_level=ManagementLevel.STAFF)
        middle = UserFactory(management_level=ManagementLevel.MIDDLE)
        assert block.render(value, context={"viewer": staff}) == ""
        html = str(block.render(value, context={"viewer": middle}))
        assert SECRET in html
        assert "For Middle management" in html

    def test_it_reaches_a_department_and_its_sub_departments_only(self, production):
        block, value = self.section(departments=[production.parent])
        in_sub_department = UserFactory(department=production)
        elsewhere = UserFactory(department=DepartmentFactory(name="Finance"))
        assert SECRET in str(block.render(value, context={"viewer": in_sub_department}))
        assert block.render(value, context={"viewer": elsewhere}) == ""

    def test_it_reaches_a_job_role_only(self):
        driver = JobRoleFactory(name="Forklift Driver")
        block, value = self.section(job_roles=[driver])
        assert SECRET in str(block.render(value, context={"viewer": UserFactory(job_role=driver)}))
        assert block.render(value, context={"viewer": UserFactory()}) == ""

    def test_without_a_viewer_it_renders_nothing(self):
        block, value = self.section(levels=[ManagementLevel.STAFF])
        assert block.render(value) == ""
        assert block.render(value, context={}) == ""
        assert str(block.bind(value)) == ""

    def test_an_editor_previewing_as_a_level_sees_the_sections_for_that_level(self):
        block, value = self.section(levels=[ManagementLevel.MIDDLE], departments=[])
        staff_editor = UserFactory(management_level=ManagementLevel.STAFF)
        as_middle = {"viewer": staff_editor, "viewer_level": ManagementLevel.MIDDLE}
        as_top = {"viewer": staff_editor, "viewer_level": ManagementLevel.TOP}
        assert SECRET in str(block.render(value, context=as_middle))
        assert block.render(value, context=as_top) == ""

    def test_show_every_audience_shows_it_with_its_audience_named(self, production):
        block, value = self.section(levels=[ManagementLevel.TOP], departments=[production])
        html = str(block.render(value, context={"show_every_audience": True}))
        assert SECRET in html
        assert "For Top management, Production" in html

    def test_a_new_audience_section_starts_with_no_blank_department_or_job_role(self):
        default = blocks.AudienceSectionBlock().get_default()
        assert list(default["departments"]) == []
        assert list(default["job_roles"]) == []
