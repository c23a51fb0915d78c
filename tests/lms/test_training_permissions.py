import pytest

from tests.lms.factories_training import make_catalogue


@pytest.mark.parametrize(
    "url",
    [
        "/cms/images/multiple/add/",
        "/cms/documents/multiple/add/",
        "/cms/snippets/lms/assignmentrule/",
        "/cms/snippets/lms/isostandard/",
    ],
)
def test_hr_reaches_what_running_training_needs(client, hr, url):
    client.force_login(hr)
    assert client.get(url).status_code == 200


def test_hr_and_communications_can_add_a_module_to_the_catalogue(client, hr, comms):
    catalogue = make_catalogue()
    url = f"/cms/pages/add/lms/trainingmodule/{catalogue.pk}/"
    for person in (hr, comms):
        client.force_login(person)
        assert client.get(url).status_code == 200


def test_an_employee_cannot_add_images(client, employee):
    client.force_login(employee)
    response = client.get("/cms/images/multiple/add/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
