"""CMS widgets that start without an inline script, which the Content Security Policy forbids."""

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.widgets import AdminSnippetChooser


class DeferredSnippetChooser(AdminSnippetChooser):
    """Wagtail's snippet chooser, started by static/js/cms-csp.js from data attributes instead of
    the inline `<script>new SnippetChooser(...)</script>` Wagtail writes after it."""

    def render(self, name, value, attrs=None, renderer=None):
        id_ = attrs["id"]
        value_data = self.get_value_data(value)
        marker = format_html(
            '<span hidden data-lms-init="{}" data-lms-target="{}" data-lms-config="{}"></span>',
            self.js_constructor,
            id_,
            json.dumps(self.get_js_init_options(id_, name, value_data)),
        )
        return mark_safe(self.render_html(name, value_data, attrs) + marker)  # noqa: S308


class DeferredSnippetChooserViewSet(SnippetChooserViewSet):
    """Makes every foreign key to the snippet use `DeferredSnippetChooser` in CMS forms."""

    base_widget_class = DeferredSnippetChooser
