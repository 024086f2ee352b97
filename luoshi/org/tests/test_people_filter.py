"""The `person` filter names people as the pages do, and never fails on no one."""

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template


def _render(source: str, **context: object) -> str:
    return Template("{% load people %}" + source).render(Context(context))


@pytest.mark.django_db
def test_a_person_by_name_else_by_username_else_the_fallback() -> None:
    named = User.objects.create_user("zhao", first_name="赵静")
    plain = User.objects.create_user("li")
    assert _render("{{ u|person }}", u=named) == "赵静"
    assert _render("{{ u|person }}", u=plain) == "li"
    assert _render("{{ u|person }}", u=None) == "—"
    assert _render('{{ u|person:"系统" }}', u=None) == "系统"
