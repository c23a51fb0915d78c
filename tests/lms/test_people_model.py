import pytest
from django.core.exceptions import ValidationError

from tests.factories import UserFactory


def test_a_person_cannot_be_their_own_manager(employee):
    employee.manager = employee
    with pytest.raises(ValidationError, match="would be a loop"):
        employee.full_clean()


def test_a_manager_cycle_through_a_chain_names_the_chain(employee, manager):
    top = UserFactory(email="top@example.com", first_name="Top", last_name="Manager")
    manager.manager = top
    manager.save()
    top.manager = employee
    with pytest.raises(ValidationError) as raised:
        top.full_clean()
    message = " ".join(raised.value.message_dict["manager"])
    assert "Top Manager → Team Member → Line Manager → Top Manager" in message


def test_email_is_stored_lower_case(db):
    person = UserFactory(email="Mixed.Case@Example.com")
    person.full_clean()
    assert person.email == "mixed.case@example.com"
