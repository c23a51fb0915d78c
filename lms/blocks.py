"""StreamField blocks for training modules and campaigns."""

from django.utils.functional import cached_property
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from lms.audience import Audience
from lms.markdown import render_markdown
from lms.models.people import ManagementLevel


class MarkdownBlock(blocks.TextBlock):
    def render_basic(self, value, context=None):
        return render_markdown(value)

    class Meta:
        icon = "code"
        template = "blocks/markdown.html"
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

    class Meta:
        icon = "media"
        template = "blocks/video.html"
        description = "A YouTube or Vimeo video with a transcript."
        preview_value = {
            "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "title": "Toolbox talk: reporting a near miss",
            "transcript": "",
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

    class Meta:
        icon = "group"
        template = "blocks/audience_section.html"
        value_class = AudienceSectionValue
        description = "Content shown only to chosen management levels, departments or job roles."


class SectionContentBlock(ContentBlock):
    audience_section = AudienceSectionBlock()


class SectionBlock(blocks.StructBlock):
    """One section of a module: the learner marks each section done. Sections are explicit blocks,
    not headings, so a section keeps its id (and the learner their progress) when an editor
    rewords its title or moves it."""

    title = blocks.CharBlock()
    content = SectionContentBlock()

    class Meta:
        icon = "doc-empty"
        template = "blocks/section.html"
        description = "A part of the module that the learner marks as done."
