"""What an edit changed, worked out by comparing two workshop values.

The store writes only the rows named here; a window redraws only what its part shows. Edits
never mutate, so an unchanged part is the very same object and `is` answers in nanoseconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from opassess.workshop import Workshop

K = TypeVar("K")


@dataclass(frozen=True)
class WorkshopChange:
    details: bool = False
    framework: bool = False
    scope: bool = False
    participants: bool = False
    ratings: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    consensus: frozenset[str] = field(default_factory=frozenset)
    targets: frozenset[str] = field(default_factory=frozenset)
    actions: frozenset[str] = field(default_factory=frozenset)
    followups: frozenset[str] = field(default_factory=frozenset)  # earlier actions' ids

    def __bool__(self) -> bool:
        return bool(
            self.details
            or self.framework
            or self.scope
            or self.participants
            or self.ratings
            or self.consensus
            or self.targets
            or self.actions
            or self.followups
        )

    @property
    def plan(self) -> bool:
        """Anything the plan step shows: consensus, targets or actions."""
        return bool(self.consensus or self.targets or self.actions)


_DETAIL_FIELDS = (
    "title",
    "organisation",
    "team",
    "held_on",
    "facilitator",
    "reassess_on",
    "reassesses",
    "name_display",
    "created_at",
    "tags",
)


def changes_between(before: Workshop, after: Workshop) -> WorkshopChange:
    """The parts of a workshop that differ between two values of it."""
    if before.id != after.id:
        raise ValueError("changes_between compares two values of one workshop")
    return WorkshopChange(
        details=any(getattr(before, f) != getattr(after, f) for f in _DETAIL_FIELDS),
        framework=before.framework is not after.framework and before.framework != after.framework,
        scope=before.scope != after.scope,
        participants=before.participants is not after.participants
        and before.participants != after.participants,
        ratings=_changed_keys(before.ratings, after.ratings),
        consensus=_changed_keys(before.consensus, after.consensus),
        targets=_changed_keys(before.targets, after.targets),
        actions=_changed_keys(before.actions, after.actions),
        followups=_changed_keys(before.followups, after.followups),
    )


def _changed_keys(before: Mapping[K, object], after: Mapping[K, object]) -> frozenset[K]:
    if before is after:
        return frozenset()
    changed = {key for key, value in after.items() if before.get(key) != value}
    changed.update(key for key in before if key not in after)
    return frozenset(changed)
