"""Who may publish campaigns.

Wagtail grants "publish" on a branch of the page tree, and HR holds it at the root to publish
training. Campaigns speak for the organisation, so publishing, unpublishing and scheduling one
(and publishing a new or copied campaign in the index) also needs `campaigns.publish_campaign`,
which the Communications group holds: anyone else who may edit saves drafts only.
"""

from wagtail.models import PagePermissionTester

PUBLISH_CAMPAIGN = "campaigns.publish_campaign"


class CampaignPermissionTester(PagePermissionTester):
    """Wagtail's tester without the "publish" action for people who may not publish campaigns.

    Every check Wagtail makes (publish, unpublish, unschedule, publish a subpage, reorder, move
    or delete a live page, view restrictions) reads the same set of actions, so dropping
    "publish" from it closes each of those doors at once."""

    def __init__(self, user, page):
        super().__init__(user, page)
        if hasattr(self, "permissions") and not user.has_perm(PUBLISH_CAMPAIGN):
            self.permissions = self.permissions - {"publish"}
