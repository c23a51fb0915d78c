"""CMS forms whose foreign keys point at snippets start their choosers from static/js/cms-csp.js:
the Content Security Policy would block the inline script Wagtail writes, and the chooser button
would do nothing."""

import pytest
from django.urls import reverse

from tests.lms.factories_training import make_case_study, make_competence, make_standard


def _inline_scripts(html: str) -> int:
    return html.replace(" ", "").count("<script>")


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("wagtailsnippets_lms_competence:edit", args=[make_competence().pk]),
        lambda: reverse("wagtailsnippets_lms_competence:add"),
        lambda: reverse("wagtailsnippets_lms_department:add"),
        lambda: reverse("wagtailadmin_pages:edit", args=[make_case_study().pk]),
    ],
    ids=["competence edit", "competence add", "department add", "case study edit"],
)
def test_snippet_choosers_start_without_an_inline_script(client, hr, url):
    make_standard(name="ISO 45001:2018")
    client.force_login(hr)
    response = client.get(url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "snippet-chooser" in html
    assert 'data-lms-init="SnippetChooser"' in html
    assert _inline_scripts(html) == 0
