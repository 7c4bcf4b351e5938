"""What the ratings say: distributions, spread, disagreement, gaps and movement.

Nothing here is a score. The numbers are counts and distances in stages, used to show the spread
and to point the facilitator at the barriers the team should talk about first. What they are
called in words (gaps, movement, stage names) is opassess.wording's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from opassess.workshop import NOT_SURE, Action, Workshop

# Ratings this many stages apart (or more) are a disagreement worth challenging.
WIDE_SPREAD = 2


@dataclass(frozen=True)
class BarrierSummary:
    dimension_id: str
    name: str
    counts: dict[str, int]  # level id -> ratings at that stage, in the framework's order
    not_sure: int
    missing: int  # participants who have not rated this barrier
    spread: int | None  # stages between the lowest and highest definite rating
    majority: str | None  # a stage held by more than half the definite ratings
    disagreement_reasons: tuple[str, ...]
    consensus: str | None
    target: str | None
    gap: int | None  # stages from consensus to target: target_gap()

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def disagreement(self) -> bool:
        return bool(self.disagreement_reasons)

    @property
    def largest_share(self) -> float:
        """The share of definite ratings at the most popular stage (1.0 when all agree)."""
        return max(self.counts.values()) / self.rated if self.rated else 0.0


def summarise_barrier(workshop: Workshop, dimension_id: str) -> BarrierSummary:
    framework = workshop.framework
    counts = dict.fromkeys(framework.level_ids, 0)
    not_sure = 0
    ratings = workshop.ratings_for(dimension_id)
    for rating in ratings:
        if rating.stage == NOT_SURE:
            not_sure += 1
        else:
            counts[rating.stage] += 1
    rated = sum(counts.values())
    used = [framework.level_index(level) for level, n in counts.items() if n]
    spread = max(used) - min(used) if used else None
    majority = next((level for level, n in counts.items() if rated and n * 2 > rated), None)

    reasons = []
    terms = framework.terms
    # A framework whose scale is itself called ratings (delivery confidence) has answers.
    answers = "answers" if terms.level == "rating" else "ratings"
    if spread is not None and spread >= WIDE_SPREAD:
        reasons.append(f"{answers} are {spread} {terms.levels} apart")
    if rated >= 2 and majority is None:
        reasons.append(f"no {terms.level} holds a majority")
    answered = rated + not_sure
    if answered >= 2 and not_sure * 2 >= answered:
        reasons.append("half or more are not sure")

    agreed = workshop.consensus.get(dimension_id)
    target = workshop.targets.get(dimension_id)
    return BarrierSummary(
        dimension_id=dimension_id,
        name=framework.dimension(dimension_id).name,
        counts=counts,
        not_sure=not_sure,
        missing=len(workshop.participants) - len(ratings),
        spread=spread,
        majority=majority,
        disagreement_reasons=tuple(reasons),
        consensus=agreed.stage if agreed else None,
        target=target,
        gap=target_gap(workshop, dimension_id),
    )


def target_gap(workshop: Workshop, dimension_id: str) -> int | None:
    """Stages from a barrier's agreed stage up to its target (negative: a target below it, on
    purpose); None until both are set. opassess.wording.gap_words says it in words."""
    agreed = workshop.consensus.get(dimension_id)
    target = workshop.targets.get(dimension_id)
    if agreed is None or target is None:
        return None
    framework = workshop.framework
    return framework.level_index(target) - framework.level_index(agreed.stage)


def summarise(workshop: Workshop) -> list[BarrierSummary]:
    """One summary per barrier in scope, in the framework's order."""
    return [summarise_barrier(workshop, d.id) for d in workshop.scoped_dimensions()]


def by_disagreement(summaries: Iterable[BarrierSummary]) -> list[BarrierSummary]:
    """Barriers the team disagrees on most first; ties keep the framework's order."""
    return sorted(
        summaries,
        key=lambda s: (
            -len(s.disagreement_reasons),
            -(s.spread or 0),
            s.largest_share if s.rated else 1.0,
            -s.not_sure,
        ),
    )


@dataclass(frozen=True)
class ParticipantProgress:
    participant_id: str
    rated: int  # barriers in scope with a rating (a stage or not sure)
    in_scope: int
    without_evidence: int  # ratings whose evidence is blank

    @property
    def complete(self) -> bool:
        return self.rated == self.in_scope


def rating_progress(workshop: Workshop) -> list[ParticipantProgress]:
    """Who has rated what, and how many of their ratings lack evidence, in participant order."""
    progress = []
    for participant in workshop.participants:
        rated = without_evidence = 0
        for dimension_id in workshop.scope:
            rating = workshop.ratings.get((participant.id, dimension_id))
            if rating is not None:
                rated += 1
                if not rating.evidence.strip():
                    without_evidence += 1
        progress.append(
            ParticipantProgress(participant.id, rated, len(workshop.scope), without_evidence)
        )
    return progress


@dataclass(frozen=True)
class Movement:
    """How one barrier moved between a workshop and the one it re-assesses."""

    dimension_id: str
    name: str
    before: str | None  # the consensus stage last time
    now: str | None
    steps: int | None  # positive: moved forward, negative: slipped back
    target_before: str | None
    reached_target: bool | None
    earlier_actions: tuple[Action, ...]
    # not in the framework version used last time: nothing to compare it with
    new_this_time: bool = False


def movement(previous: Workshop, current: Workshop) -> list[Movement]:
    """Per barrier in the current scope: where the team was, where it is, and last time's actions.

    Stages are compared by id through each workshop's own framework copy, so a wording change
    between the two does not break the comparison.
    """
    moves = []
    for dimension in current.scoped_dimensions():
        was = previous.consensus.get(dimension.id)
        now = current.consensus.get(dimension.id)
        before_stage = was.stage if was else None
        now_stage = now.stage if now else None
        steps = None
        if before_stage in current.framework.level_ids and now_stage is not None:
            steps = current.framework.level_index(now_stage) - current.framework.level_index(
                before_stage
            )
        target_before = previous.targets.get(dimension.id)
        reached = None
        if target_before in current.framework.level_ids and now_stage is not None:
            reached = current.framework.level_index(now_stage) >= current.framework.level_index(
                target_before
            )
        moves.append(
            Movement(
                dimension_id=dimension.id,
                name=dimension.name,
                before=before_stage,
                now=now_stage,
                steps=steps,
                target_before=target_before,
                reached_target=reached,
                earlier_actions=previous.actions_for(dimension.id),
                new_this_time=not previous.framework.has_dimension(dimension.id),
            )
        )
    return moves


@dataclass(frozen=True)
class Unmatched:
    """What a re-assessment on another version of the framework could not compare, by name."""

    dropped_dimensions: tuple[str, ...] = ()  # in scope last time, not in this version
    new_dimensions: tuple[str, ...] = ()  # in scope now, not in last time's version
    dropped_stages: tuple[str, ...] = ()  # agreed or aimed for last time, not in this version

    def __bool__(self) -> bool:
        return bool(self.dropped_dimensions or self.new_dimensions or self.dropped_stages)


def unmatched(previous: Workshop, current: Workshop) -> Unmatched:
    """What `movement` cannot compare between two workshops, matched by id: nothing when both
    use the same framework version."""
    before, now = previous.framework, current.framework
    stages_used = {c.stage for c in previous.consensus.values()} | set(previous.targets.values())
    return Unmatched(
        dropped_dimensions=tuple(
            before.dimension(d).name
            for d in previous.scope
            if before.has_dimension(d) and not now.has_dimension(d)
        ),
        new_dimensions=tuple(
            now.dimension(d).name for d in current.scope if not before.has_dimension(d)
        ),
        dropped_stages=tuple(
            level.name
            for level in before.levels
            if level.id in stages_used and level.id not in now.level_ids
        ),
    )
