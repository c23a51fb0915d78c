"""StreamField blocks for training modules and campaigns.

Templates live in templates/blocks/. Pages render blocks with `{% include_block %}` so that each
block sees the page's context: `viewer` (the person reading), `department_tree` (see
`lms.audience.department_parents`) and, in an editor's preview, `viewer_level` or
`show_every_audience`, which decide what an audience section renders.
"""

import re
from urllib.parse import parse_qs, urlsplit

from django.utils.functional import cached_property
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from lms.audience import Audience
from lms.markdown import render_markdown
from lms.models.people import ManagementLevel

PREVIEW_TEMPLATE = "blocks/preview.html"
YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
VIMEO_ID = re.compile(r"[0-9]{1,12}")


def video_embed_url(url: str) -> str | None:
    """The privacy-friendly player address for a YouTube or Vimeo link (the only frame sources
    the Content Security Policy allows), or None for any other address."""
    parts = urlsplit(url or "")
    if parts.scheme not in {"http", "https"}:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    segments = [segment for segment in parts.path.split("/") if segment]
    video_id = None
    if host in {"youtube.com", "youtube-nocookie.com"}:
        if segments[:1] == ["watch"]:
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(segments) >= 2 and segments[0] in {"embed", "shorts", "live", "v"}:
            video_id = segments[1]
        if video_id and YOUTUBE_ID.fullmatch(video_id):
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
    elif host == "youtu.be" and segments:
        if YOUTUBE_ID.fullmatch(segments[0]):
            return f"https://www.youtube-nocookie.com/embed/{segments[0]}"
    elif host == "vimeo.com" and segments:
        if VIMEO_ID.fullmatch(segments[-1]):
            return f"https://player.vimeo.com/video/{segments[-1]}"
    elif host == "player.vimeo.com" and segments[:1] == ["video"] and len(segments) >= 2:
        video_id = segments[1]
        if VIMEO_ID.fullmatch(video_id):
            return f"https://player.vimeo.com/video/{video_id}"
    return None


class MarkdownBlock(blocks.TextBlock):
    def render_basic(self, value, context=None):
        return render_markdown(value)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["html"] = render_markdown(value)
        return context

    class Meta:
        icon = "code"
        template = "blocks/markdown.html"
        preview_template = PREVIEW_TEMPLATE
        description = "Text written in Markdown; raw HTML is removed."
        preview_value = (
            "**Why it matters:** a calibrated gauge is the difference between a good part "
            "and a recall."
        )


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False, help_text="What the image shows, for people who cannot see it."
    )
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        description = "An image with a caption and a text alternative."


class VideoBlock(blocks.StructBlock):
    url = blocks.URLBlock(help_text="A YouTube or Vimeo address.")
    title = blocks.CharBlock(help_text="Names the video for screen readers.")
    transcript = blocks.TextBlock(required=False, help_text="Shown under the video.")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["embed_url"] = video_embed_url(value.get("url"))
        return context

    class Meta:
        icon = "media"
        template = "blocks/video.html"
        preview_template = PREVIEW_TEMPLATE
        description = "A YouTube or Vimeo video with a transcript."
        preview_value = {
            "url": "https://intranet.demo.example/videos/near-miss-toolbox-talk",
            "title": "Toolbox talk: reporting a near miss",
            "transcript": "A forklift clips a rack upright. Nobody is hurt. The driver reports it "
            "before the end of the shift, and the rack is taken out of use until it is inspected.",
        }


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    label = blocks.CharBlock(required=False, help_text="Link text; the document's title if empty.")

    class Meta:
        icon = "doc-full"
        template = "blocks/document.html"
        description = "A link to download a procedure, form or work instruction."


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[
            ("tip", "Tip"),
            ("warning", "Warning"),
            ("why", "Why this matters to you"),
        ],
        default="tip",
    )
    title = blocks.CharBlock(required=False)
    text = MarkdownBlock()

    class Meta:
        icon = "warning"
        template = "blocks/callout.html"
        preview_template = PREVIEW_TEMPLATE
        description = "A highlighted tip, warning or 'why this matters to you' box."
        preview_value = {
            "kind": "why",
            "title": "Why this matters to you",
            "text": "Fewer repeat faults means fewer late shifts for your team.",
        }


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False)
    items = blocks.ListBlock(blocks.CharBlock(label="Item"))

    class Meta:
        icon = "list-ul"
        template = "blocks/checklist.html"
        preview_template = PREVIEW_TEMPLATE
        description = "A list of things to check or do."
        preview_value = {
            "title": "Before the shift starts",
            "items": ["Check the calibration label", "Read the handover log"],
        }


class IsoClauseBlock(blocks.StructBlock):
    clause = SnippetChooserBlock("lms.IsoClause")
    note = blocks.TextBlock(required=False, help_text="What the clause asks of the reader.")

    class Meta:
        icon = "tag"
        label = "ISO clause"
        template = "blocks/iso_clause.html"
        description = "A reference to the ISO clause this content serves."


class ContentBlock(blocks.StreamBlock):
    """What a section or an audience section may contain."""

    rich_text = blocks.RichTextBlock(
        features=["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]
    )
    markdown = MarkdownBlock()
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    checklist = ChecklistBlock()
    iso_clause = IsoClauseBlock()


class AudienceSectionValue(blocks.StructValue):
    @cached_property
    def audience(self) -> Audience:
        return Audience(
            levels=frozenset(self.get("levels") or ()),
            department_ids=frozenset(d.pk for d in self.get("departments") or () if d),
            job_role_ids=frozenset(r.pk for r in self.get("job_roles") or () if r),
        )


class AudienceSectionBlock(blocks.StructBlock):
    """Content only its audience receives: it is left out of the page for everyone else."""

    levels = blocks.MultipleChoiceBlock(choices=ManagementLevel.choices, required=False)
    departments = blocks.ListBlock(SnippetChooserBlock("lms.Department"), required=False)
    job_roles = blocks.ListBlock(SnippetChooserBlock("lms.JobRole"), required=False)
    content = ContentBlock()

    def is_shown(self, value, context) -> bool:
        """Whether the reader in `context` is in the section's audience. With no reader at all
        (a bare `{{ block }}`, an e-mail, an API) the section is left out: it fails closed."""
        context = context or {}
        if context.get("show_every_audience"):
            return True
        audience = value.audience
        level = context.get("viewer_level")
        if level:
            # An editor previewing as a level: departments and job roles are not narrowed.
            return not audience.levels or level in audience.levels
        viewer = context.get("viewer")
        if viewer is None or not getattr(viewer, "is_authenticated", False):
            return False
        return audience.includes(viewer, department_tree=context.get("department_tree"))

    def render(self, value, context=None):
        if not self.is_shown(value, context):
            return ""
        return super().render(value, context=context)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        labels = dict(ManagementLevel.choices)
        names = [labels[level] for level in value.get("levels") or () if level in labels]
        names += [str(item) for item in value.get("departments") or () if item]
        names += [str(item) for item in value.get("job_roles") or () if item]
        context["audience_label"] = ", ".join(names) or "Everyone"
        return context

    def get_preview_context(self, value, parent_context=None):
        context = super().get_preview_context(value, parent_context=parent_context)
        context["show_every_audience"] = True
        return context

    class Meta:
        icon = "group"
        template = "blocks/audience_section.html"
        preview_template = PREVIEW_TEMPLATE
        value_class = AudienceSectionValue
        description = "Content shown only to chosen management levels, departments or job roles."
        # Start with empty lists: otherwise each list offers one blank (required) chooser, and
        # a section aimed only at levels cannot be saved until the editor deletes both.
        default = {"departments": [], "job_roles": []}
        preview_value = {
            "levels": ["middle"],
            "departments": [],
            "job_roles": [],
            "content": [
                {
                    "type": "markdown",
                    "value": "**How to lead this in your team:** open the weekly meeting with "
                    "one quality result, and ask who has an idea to improve it.",
                }
            ],
        }


class SectionContentBlock(ContentBlock):
    audience_section = AudienceSectionBlock()


class SectionBlock(blocks.StructBlock):
    """One section of a module: the learner marks each section done. Sections are explicit blocks,
    not headings, so a section keeps its id (and the learner their progress) when an editor
    rewords its title or moves it."""

    title = blocks.CharBlock()
    content = SectionContentBlock()

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        # The page passes `section_id`; a StreamField child sets `id` itself.
        section_id = context.get("section_id") or context.get("id")
        context["section_id"] = section_id
        context["section_done"] = section_id in (context.get("done_section_ids") or ())
        return context

    class Meta:
        icon = "doc-empty"
        template = "blocks/section.html"
        preview_template = PREVIEW_TEMPLATE
        description = "A part of the module that the learner marks as done."
        preview_value = {
            "title": "Why calibration matters",
            "content": [
                {
                    "type": "markdown",
                    "value": "A gauge out of calibration passes parts that should fail. "
                    "Check the label before you measure.",
                },
                {
                    "type": "checklist",
                    "value": {
                        "title": "Before you measure",
                        "items": ["The label is in date", "The gauge is clean and undamaged"],
                    },
                },
            ],
        }


# Raw StreamField values, for code that writes module bodies itself (the demo seed, tests).


def markdown_value(text: str) -> dict:
    return {"type": "markdown", "value": text}


def section_value(title: str, *content: dict) -> dict:
    return {"type": "section", "value": {"title": title, "content": list(content)}}


def audience_section_value(
    *content: dict,
    levels: tuple[str, ...] = (),
    department_ids: tuple[int, ...] = (),
    job_role_ids: tuple[int, ...] = (),
) -> dict:
    return {
        "type": "audience_section",
        "value": {
            "levels": list(levels),
            "departments": list(department_ids),
            "job_roles": list(job_role_ids),
            "content": list(content),
        },
    }
