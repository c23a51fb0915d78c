"""Named personas shared by every test: an employee, their manager, a manager of another team,
HR, communications, and an outsider with no relation to any of them."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections

from lms.models import ManagementLevel
from tests.factories import DepartmentFactory, UserFactory


@pytest.fixture(autouse=True)
def fresh_shared_cache():
    """Rate-limit counters live in the shared cache. The database cache is rolled back with each
    test; Redis (the integration run) keeps them, so empty it before every test."""
    if "redis" in settings.CACHES["default"]["BACKEND"]:
        cache.clear()


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


@pytest.fixture(scope="module")
def migration_data_kept(django_db_setup, django_db_blocker):
    """Transactional tests end by emptying every table, and pytest-django may run tests that
    expect the migrations' rows (groups, permissions, Wagtail's root page) after them: take a
    copy before the module and put it back after. Use it with serialized_rollback=True, whose
    flush leaves content types and permissions for the copy to restore."""
    with django_db_blocker.unblock():
        snapshot = {
            alias: connections[alias].creation.serialize_db_to_string() for alias in connections
        }
    yield
    with django_db_blocker.unblock():
        for alias, contents in snapshot.items():
            connections[alias].creation.deserialize_db_from_string(contents)
