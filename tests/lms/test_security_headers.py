import re

import pytest
from django.urls import reverse


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.parametrize("url_name", ["account_login", "home", "hr_people"])
def test_pages_enforce_a_policy_that_allows_no_inline_script(client, hr, url_name):
    if url_name != "account_login":
        client.force_login(hr)
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert "Content-Security-Policy-Report-Only" not in response
    script_src = _directives(response)["script-src"]
    assert script_src == ["'self'"]
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())
    assert inline_scripts == []


def test_pages_cannot_be_framed_by_other_sites(client, db):
    response = client.get(reverse("account_login"))
    assert response["X-Frame-Options"] == "DENY"
    assert _directives(response)["frame-ancestors"] == ["'self'"]


@pytest.mark.parametrize("widget_class", ["AdminDateInput", "AdminDateTimeInput", "AdminTimeInput"])
def test_cms_date_widgets_render_without_inline_script(widget_class):
    from wagtail.admin import widgets

    html = getattr(widgets, widget_class)().render("when", None, attrs={"id": "id_when"})

    assert "<script" not in html
    assert 'data-lms-target="id_when"' in html
