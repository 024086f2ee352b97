"""<input type=date> takes only ISO dates (2026-07-17): a value in the site's format (2026/07/17 in zh-hans)
is dropped by browsers, so a form with a default date would not submit until the user typed one."""

import re
from collections.abc import Callable
from datetime import date

import pytest
import time_machine
from django import forms
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from luoshi.alerts.forms import OrderForm
from luoshi.conftest import World
from luoshi.org.queries import access_for
from luoshi.reporting.forms import CalendarDayForm, TrajectoryForm


def test_the_new_order_page_renders_its_default_deadline_in_iso(
    world: World, login: Callable[[User], Client], clock: time_machine.Traveller
) -> None:
    body = login(world.user("supervisor")).get(reverse("alerts:order_new", args=["alpha"])).content.decode()
    field = re.search(r'<input type="date" name="deadline"[^>]*>', body)
    assert field is not None and 'value="2026-07-17"' in field.group(0)  # 2 July + 15 days


def test_the_order_form_renders_iso_in_chinese(world: World) -> None:
    access = access_for(world.user("supervisor"), "alpha")
    with translation.override("zh-hans"):
        html = str(OrderForm(access, initial={"deadline": date(2026, 12, 20)})["deadline"])
    assert 'value="2026-12-20"' in html and "2026/12/20" not in html


@pytest.mark.parametrize(
    "form, name",
    [
        (CalendarDayForm, "date"),
        (TrajectoryForm, "on"),
    ],
)
def test_other_date_inputs_render_iso_in_chinese(form: type[forms.Form], name: str) -> None:
    with translation.override("zh-hans"):
        html = str(form(initial={name: date(2026, 12, 20)})[name])
    assert 'type="date"' in html and 'value="2026-12-20"' in html
