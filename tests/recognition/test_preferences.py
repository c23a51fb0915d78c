"""Each person's choice to appear on the recognition wall and the leaderboards."""

from django.urls import reverse

from recognition.models import RecognitionPreference

URL = reverse("recognition_preferences")


def test_both_boxes_are_ticked_until_someone_chooses(client, employee):
    client.force_login(employee)

    page = client.get(URL).content.decode()

    assert page.count("checked") == 2
    assert not RecognitionPreference.objects.exists()


def test_unticking_a_box_saves_it_with_a_message(client, employee):
    client.force_login(employee)

    response = client.post(URL, {"show_on_leaderboards": "on"}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "Your recognition preferences are saved." in response.content.decode()
    preference = RecognitionPreference.objects.get(user=employee)
    assert (preference.show_on_wall, preference.show_on_leaderboards) == (False, True)
    assert response.content.decode().count("checked") == 1


def test_saving_again_changes_the_one_row(client, employee):
    client.force_login(employee)
    client.post(URL, {})

    client.post(URL, {"show_on_wall": "on", "show_on_leaderboards": "on"})

    preference = RecognitionPreference.objects.get(user=employee)
    assert (preference.show_on_wall, preference.show_on_leaderboards) == (True, True)


def test_each_person_saves_only_their_own(client, employee, outsider):
    client.force_login(employee)

    client.post(URL, {})

    assert list(RecognitionPreference.objects.values_list("user", flat=True)) == [employee.pk]
