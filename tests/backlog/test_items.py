"""The PDCA state machine and targets."""

from __future__ import annotations

import pytest

from voc.backlog.items import Status, Target, check_transition, parse_status, parse_target
from voc.errors import ConfigError


@pytest.mark.parametrize(("current", "new"), [
    (Status.PLAN, Status.DO), (Status.DO, Status.CHECK), (Status.CHECK, Status.ACT),
    (Status.CHECK, Status.PLAN), (Status.CHECK, Status.DO), (Status.ACT, Status.CLOSED),
    (Status.CLOSED, Status.PLAN), (Status.PLAN, Status.PLAN), (Status.DO, Status.CLOSED),
])
def test_allowed_moves(current: Status, new: Status) -> None:
    check_transition("x", current, new)


@pytest.mark.parametrize(("current", "new"), [
    (Status.PLAN, Status.CHECK), (Status.PLAN, Status.ACT), (Status.DO, Status.ACT),
    (Status.ACT, Status.DO), (Status.CLOSED, Status.DO),
])
def test_illegal_moves_are_refused_with_the_allowed_ones(current: Status, new: Status) -> None:
    with pytest.raises(ConfigError, match=f"cannot go from {current.value} to {new.value}") as e:
        check_transition("refund_return", current, new)
    assert "refund_return" in str(e.value) and "from " + current.value + ":" in str(e.value)


def test_status_and_target_parsing() -> None:
    assert parse_status(" DO ") is Status.DO
    with pytest.raises(ConfigError, match="not one of plan, do, check, act, closed"):
        parse_status("doing")
    assert parse_target("negative_rate -30%") == Target("negative_rate", -0.3)
    assert parse_target("complaint_share - 12.5 %").relative_change == pytest.approx(-0.125)
    assert parse_target("") is None and parse_target(None) is None
    assert Target("share", -0.3).text() == "share -30%"
    for bad in ("nps +5", "negative_rate 30", "happiness -10%"):
        with pytest.raises(ConfigError, match="must look like"):
            parse_target(bad)
