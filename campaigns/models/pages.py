"""Awareness campaigns (ISO 9001 / 14001 / 45001 clause 7.3) as CMS pages.

A campaign is written and published by Communications, with Wagtail's revisions, preview and
scheduled publishing (go-live and expiry). Each publication is recorded as a release; a release
marked as a material change asks the audience to acknowledge again, a minor one asks nobody.
"""

from django import forms
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from campaigns.permissions import CampaignPermissionTester
from lms.audience import AudienceFields
from lms.blocks import ContentBlock
from lms.models import IsoClause, IsoStandard, TrainingModule
from lms.widgets import DeferredSnippetChooser
from quizzes.models import Quiz

# Awareness is checked in a minute, not examined: competence has the module quizzes.
MAX_AWARENESS_QUESTIONS = 3
DEFAULT_ACKNOWLEDGEMENT = "I have read and understood this, and I know what it asks of me."


class CampaignIndexPage(Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["campaigns.CampaignPage"]
    max_count = 1

    class Meta:
        verbose_name = "campaign index"

    def serve(self, request, *args, **kwargs):
        from campaigns.views.reading import serve_campaign_index

        return serve_campaign_index(request, self)

    def permissions_for_user(self, user):
        return CampaignPermissionTester(user, self)


class CampaignPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Whether a change is material is decided for each publication, never carried over
        # from the revision the editor starts from.
        self.initial["material_change"] = False
        self.initial["change_summary"] = ""

    def clean(self):
        cleaned = super().clean()
        quiz = cleaned.get("awareness_check")
        if quiz is not None:
            asked = quiz.questions_to_draw or len(quiz.questions)
            if not 1 <= asked <= MAX_AWARENESS_QUESTIONS:
                self.add_error(
                    "awareness_check",
                    f"An awareness check asks one to {MAX_AWARENESS_QUESTIONS} questions; "
                    f"“{quiz}” asks {asked}. Choose a shorter quiz, or draw fewer questions.",
                )
        return cleaned


class CampaignPage(AudienceFields, Page):
    summary = models.TextField(help_text="One or two sentences: why this matters to the reader.")
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(ContentBlock(), min_num=1)
    send_in_app = models.BooleanField("in-app", default=True)
    send_email = models.BooleanField("e-mail", default=True)
    standards = ParentalManyToManyField(
        IsoStandard, blank=True, related_name="campaigns", verbose_name="ISO standards"
    )
    clauses = ParentalManyToManyField(
        IsoClause, blank=True, related_name="campaigns", verbose_name="ISO clauses"
    )
    related_modules = ParentalManyToManyField(
        TrainingModule, blank=True, related_name="campaigns", verbose_name="related modules"
    )
    needs_acknowledgement = models.BooleanField(
        default=False, help_text="Ask each reader to confirm they have read and understood it."
    )
    acknowledgement_text = models.CharField(
        "acknowledgement wording", max_length=300, default=DEFAULT_ACKNOWLEDGEMENT
    )
    awareness_check = models.ForeignKey(
        Quiz,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
        help_text="One to three questions measuring awareness (not competence).",
    )
    is_policy = models.BooleanField(
        "stands for a policy or procedure",
        default=False,
        help_text="The campaign is the document itself: a new material revision asks the "
        "audience to acknowledge it again and shows them what changed.",
    )
    policy_reference = models.CharField(
        max_length=60, blank=True, help_text='The document\'s number, e.g. "POL-QA-001".'
    )
    material_change = models.BooleanField(
        "this publication is a material change",
        default=False,
        help_text="Tick when the change alters what people must know or do: the audience is "
        "asked to acknowledge again and sees what changed. Leave unticked for a typo or a "
        "wording change; nobody is asked again.",
    )
    change_summary = models.CharField(
        max_length=300, blank=True, help_text="What changed, in one line, for the readers."
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
    ]
    delivery_panels = [
        MultiFieldPanel(
            [
                FieldPanel("audience_levels"),
                FieldPanel("audience_departments", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audience_job_roles", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Audience",
            help_text="Who receives it. Leave everything empty for everyone.",
        ),
        MultiFieldPanel([FieldPanel("send_in_app"), FieldPanel("send_email")], heading="Channels"),
        MultiFieldPanel(
            [
                FieldPanel("needs_acknowledgement"),
                FieldPanel("acknowledgement_text"),
                FieldPanel("awareness_check", widget=DeferredSnippetChooser(Quiz)),
            ],
            heading="Acknowledgement and awareness",
        ),
        MultiFieldPanel(
            [
                FieldPanel("is_policy"),
                FieldPanel("policy_reference"),
                FieldPanel("material_change"),
                FieldPanel("change_summary"),
            ],
            heading="Policy revisions",
        ),
        FieldPanel("standards", widget=forms.CheckboxSelectMultiple),
        FieldPanel("clauses", widget=forms.CheckboxSelectMultiple),
        FieldPanel("related_modules", widget=forms.CheckboxSelectMultiple),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(delivery_panels, heading="Audience and delivery"),
            ObjectList(Page.promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )
    base_form_class = CampaignPageForm
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["campaigns.CampaignIndexPage"]
    subpage_types: list[str] = []
    template = "campaigns/campaign_page.html"

    class Meta:
        verbose_name = "campaign"
        permissions = [("publish_campaign", "Can publish campaigns")]

    def serve(self, request, *args, **kwargs):
        from campaigns.views.reading import serve_campaign

        return serve_campaign(request, self)

    def permissions_for_user(self, user):
        return CampaignPermissionTester(user, self)
