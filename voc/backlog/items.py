"""PDCA backlog items: the state machine, targets, and what a run does to the backlog.

An item follows one issue (keyed by its category id or an emerging topic's stable id, so it
survives re-runs and months) through Plan → Do → Check → Act. People move items (`voc backlog
set`); a run opens items for new important issues, appends each item's metrics for the batch,
and gives items that have been in Do since an earlier batch their Check verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from voc.errors import ConfigError


class Status(StrEnum):
    PLAN = "plan"
    DO = "do"
    CHECK = "check"
    ACT = "act"
    CLOSED = "closed"


# Where an item may go from each status. Check can send it on (act), back (plan), or keep the
# action running another batch (do); anything can be closed; closed items can be reopened.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.PLAN: frozenset({Status.DO, Status.CLOSED}),
    Status.DO: frozenset({Status.CHECK, Status.PLAN, Status.CLOSED}),
    Status.CHECK: frozenset({Status.ACT, Status.PLAN, Status.DO, Status.CLOSED}),
    Status.ACT: frozenset({Status.CLOSED, Status.PLAN}),
    Status.CLOSED: frozenset({Status.PLAN}),
}
EDITABLE = ("status", "owner", "action", "target", "due")


def parse_status(value: str, where: str = "") -> Status:
    try:
        return Status(value.strip().lower())
    except ValueError:
        allowed = ", ".join(status.value for status in Status)
        raise ConfigError(f"{where}status '{value}' is not one of {allowed}") from None


def check_transition(item_id: str, current: Status, new: Status) -> None:
    """Refuse a move the PDCA cycle does not allow, saying which moves it does."""
    if new == current or new in TRANSITIONS[current]:
        return
    allowed = ", ".join(sorted(status.value for status in TRANSITIONS[current]))
    raise ConfigError(f"item {item_id}: cannot go from {current.value} to {new.value} "
                      f"(from {current.value}: {allowed})")


@dataclass(frozen=True)
class Target:
    """"negative_rate -30%": the metric should fall by at least 30% from the baseline."""

    metric: str
    relative_change: float  # -0.30 for -30%

    def text(self) -> str:
        return f"{self.metric} {self.relative_change * 100:+.0f}%"


TARGET_METRICS = ("complaint_share", "negative_rate", "share", "volume")
_TARGET = re.compile(r"^\s*([a-z_]+)\s*([+-]\s*\d+(?:\.\d+)?)\s*%\s*$")
DEFAULT_TARGET = Target("complaint_share", -0.2)


def parse_target(value: str | None) -> Target | None:
    """None for an empty target; a clear error for one voc cannot check."""
    if value is None or not value.strip():
        return None
    match = _TARGET.match(value.lower())
    if not match or match.group(1) not in TARGET_METRICS:
        raise ConfigError(f"target '{value}' must look like 'negative_rate -30%' with one of "
                          f"{', '.join(TARGET_METRICS)}")
    return Target(match.group(1), float(match.group(2).replace(" ", "")) / 100)
