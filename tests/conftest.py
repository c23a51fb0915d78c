"""Named personas shared by every test: an employee, their manager, a manager of another team,
HR, communications, and an outsider with no relation to any of them."""

import pytest

from lms.models import ManagementLevel
from tests.factories import DepartmentFactory, UserFactory


@pytest.fixture
def operations(db):
    return DepartmentFactory(name="Operations")


@pytest.fixture
def manager(operations):
    return UserFactory(
        email="manager@example.com",
        first_name="Line",
        last_name="Manager",
        department=operations,
        management_level=ManagementLevel.MIDDLE,
    )


@pytest.fixture
def employee(manager, operations):
    return UserFactory(
        email="employee@example.com",
        first_name="Team",
        last_name="Member",
        department=operations,
        manager=manager,
    )


@pytest.fixture
def other_manager(db):
    quality = DepartmentFactory(name="Quality")
    boss = UserFactory(
        email="other.manager@example.com",
        department=quality,
        management_level=ManagementLevel.FRONTLINE,
    )
    UserFactory(email="other.report@example.com", department=quality, manager=boss)
    return boss


@pytest.fixture
def hr(db):
    return UserFactory(
        email="hr@example.com", department=DepartmentFactory(name="HR"), groups=["HR"]
    )


@pytest.fixture
def comms(db):
    return UserFactory(
        email="comms@example.com",
        department=DepartmentFactory(name="Communications"),
        groups=["Communications"],
    )


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@example.com", department=DepartmentFactory(name="Finance"))


@pytest.fixture
def personas(employee, manager, other_manager, hr, comms, outsider):
    return {
        "employee": employee,
        "manager": manager,
        "other_manager": other_manager,
        "hr": hr,
        "comms": comms,
        "outsider": outsider,
    }
