"""The roll-up rule (goals.health): worst-of for red and behind, done only when everything is, progress the mean
of the children's, with the reasons in counts."""

from luoshi.goals.health import Health, Own, Rolled, combine, roll_up

RULES = {"PROJECT_INVESTMENT": "投资滞后序时", "OVERDUE": "到期未完成"}
QUIET = Own(done=False, level="", progress=None)


def test_an_item_on_its_own() -> None:
    assert roll_up(Own(False, "red", ("OVERDUE",), 40), [], [], RULES) == Rolled(
        Health.RED, 40, ("到期未完成",)
    )
    assert roll_up(Own(False, "yellow", (), 40), [], [], RULES).health == Health.BEHIND
    assert roll_up(Own(True, "", (), 100), [], [], RULES).health == Health.DONE
    assert roll_up(Own(False, "", (), 55), [], [], RULES).health == Health.ON_TRACK
    assert roll_up(QUIET, [], [], RULES).health == Health.NO_DATA


def test_red_anywhere_under_it_is_red() -> None:
    lagging = Own(False, "red", ("PROJECT_INVESTMENT",), 1.0)
    rolled = roll_up(Own(False, "", (), 80), [lagging, lagging], [], RULES)
    assert rolled.health == Health.RED and rolled.reasons == ("2 个关联项目投资滞后序时",)
    child = Rolled(Health.RED, 30)
    parent = roll_up(QUIET, [], [child, Rolled(Health.ON_TRACK, 70)], RULES)
    assert parent == Rolled(Health.RED, 50, ("1 项下级事项红色预警",))


def test_done_only_when_everything_is() -> None:
    assert roll_up(Own(True, "", (), 100), [], [Rolled(Health.DONE, 100)], RULES).health == Health.DONE
    assert roll_up(QUIET, [], [Rolled(Health.DONE, 100)], RULES).health == Health.ON_TRACK  # not itself
    assert combine([Health.DONE, Health.NO_DATA]) == Health.ON_TRACK
    assert combine([Health.NO_DATA, Health.NO_DATA]) == Health.NO_DATA
    assert combine([]) == Health.NO_DATA


def test_behind_below_red() -> None:
    assert combine([Health.BEHIND, Health.ON_TRACK, Health.DONE]) == Health.BEHIND
    assert combine([Health.BEHIND, Health.RED]) == Health.RED
    rolled = roll_up(QUIET, [], [Rolled(Health.BEHIND, 20), Rolled(Health.NO_DATA, None)], RULES)
    assert rolled == Rolled(Health.BEHIND, 20, ("1 项下级事项滞后",))
