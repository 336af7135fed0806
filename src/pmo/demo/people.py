"""The demo's organisation, people and sign-ins (``pmo demo``).

Org units and people come from :mod:`pmo.demo.data`; the README's users
(:data:`DEMO_USERS`) and one account per other project manager share
:data:`DEMO_PASSWORD`.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from pmo.accounts.models import OrgUnit, Person, Role, User
from pmo.demo import data
from pmo.demo.language import ENGLISH, text

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "create_org_units",
    "create_people",
    "create_users",
    "pm_usernames",
]

DEMO_PASSWORD = "pmo-demo"
DEMO_USERS = [
    # username, role, person name (or None), is_staff
    ("admin", Role.PMO_ADMIN, None, True),
    ("pmo", Role.PMO_MEMBER, "Li Na", False),
    ("pm", Role.PROJECT_MANAGER, "Zhang Wei", False),
    ("pm.uk", Role.PROJECT_MANAGER, "Emma Clarke", False),
    ("exec", Role.EXECUTIVE, "Robert Hale (COO)", False),
    ("viewer", Role.VIEWER, "Wang Fang", False),
    ("director", Role.RESOURCE_MANAGER, "Lin Xiaoyun (VP R&D)", False),
]


def create_org_units() -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {}
    for code, kind, parent, name, name_zh in data.ORG:
        unit = OrgUnit(
            code=code,
            kind=kind,
            parent=units.get(parent) if parent else None,
            name=name,
            name_zh=name_zh,
        )
        unit.save()
        units[code] = unit
    return units


def create_people(
    units: dict[str, OrgUnit], language: str = ENGLISH
) -> tuple[list[Person], list[Person]]:
    """The staff and the sponsors, their job titles in ``language``."""
    staff = Person.objects.bulk_create(
        Person(
            name=n,
            name_zh=z,
            org_unit=units[u],
            email=n.lower().replace(" ", ".") + "@example.com",
            title=text(data.TITLES.get(n, data.PROJECT_MANAGER), language),
        )
        for n, z, u in data.PEOPLE
    )
    sponsors = Person.objects.bulk_create(
        Person(name=n, name_zh=z, org_unit=units[u], title=text(data.SPONSOR, language))
        for n, z, u in data.SPONSORS
    )
    return staff, sponsors


def pm_usernames() -> dict[str, str]:
    """Person name → username of the project managers without a README sign-in."""
    named = {person for _u, _r, person, _s in DEMO_USERS if person}
    return {
        n: n.lower().replace(" ", ".")
        for n, _z, _u in data.PEOPLE
        if n not in data.TITLES and n not in named
    }


def create_users(people: dict[str, Person]) -> dict[str, User]:
    """The README's users and an account for every other project manager (same password)."""
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    rows = [*DEMO_USERS, *((u, Role.PROJECT_MANAGER, n, False) for n, u in pm_usernames().items())]
    users = {}
    for username, role, person_name, staff in rows:
        user = User(
            username=username,
            role=role,
            is_staff=staff,
            is_superuser=role == Role.PMO_ADMIN,
            email=f"{username}@example.com",
            password=password,
        )
        user.save()
        users[username] = user
        if person_name:
            person = people[person_name]
            Person.objects.filter(pk=person.pk).update(user=user)
            person.user = user
    return users
