import json
import signal
from collections.abc import Sequence
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from luoshi.alerts.actions import SweepResult
from luoshi.alerts.choices import RuleCode
from luoshi.alerts.management.commands import sweep as command
from luoshi.alerts.tests.conftest import at
from luoshi.conftest import World
from luoshi.org.models import Zone


def run(*args: str) -> str:
    out = StringIO()
    with time_machine.travel(at(2026, 7, 8, 10), tick=False):
        call_command("sweep", *args, stdout=out)
    return out.getvalue()


def test_json_is_exactly_the_contract(world: World) -> None:
    data = json.loads(run("--json"))
    assert list(data) == ["created", "updated", "resolved", "open", "by_rule"]
    assert list(data["open"]) == ["yellow", "red", "blue"]
    assert list(data["by_rule"]) == list(RuleCode.values)
    # 1.培育高新技术企业 is overdue (30 June), the other two measures are due within the year: no reports needed.
    assert data["created"] == data["open"]["red"] == data["by_rule"]["OVERDUE"] == 1
    assert json.loads(run("--json"))["created"] == 0


def test_text_output_and_one_zone(world: World) -> None:
    assert "新增 1 条" in run("--zone", "alpha")
    assert "新增 0 条" in run("--zone", "beta")
    with pytest.raises(CommandError):
        run("--zone", "nowhere")
    with pytest.raises(CommandError):
        run("--interval", "0")


def test_loop_survives_a_failure_and_stops_on_sigterm(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    rounds: list[Sequence[Zone] | None] = []

    def flaky(zones: Sequence[Zone] | None) -> SweepResult:
        rounds.append(zones)
        if len(rounds) == 1:
            raise RuntimeError("database went away")
        signal.raise_signal(signal.SIGTERM)  # the operator stops the service during the second round
        return real(zones)

    real = command.sweep
    monkeypatch.setattr(command, "sweep", flaky)
    # Inside the test's transaction the connection must stay open (the loop closes it between rounds).
    monkeypatch.setattr(command, "close_old_connections", lambda: None)
    out = run("--loop", "--interval", "0.01", "--json")
    assert len(rounds) == 2
    assert json.loads(out)["created"] == 1
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
