"""The words the program shows people, in one place: stage names (and "Not sure", "Not rated"),
action statuses and what became of last time's actions, how far a target is, how a barrier
moved, counts in words, and dates.

Screens, printouts and workbooks all take their wording from here, so the same thing is said the
same way everywhere. A date for people is "5 December 2026", its month named from MONTHS below
and never by strftime: strftime follows the C library's locale, which the GUI's QApplication
sets from the desktop, so the same report would name its months in English from the command
line and in the desktop's language from the GUI. Machine-readable places (session files, the
library, a workbook's date cells) keep ISO dates and real date values, and do not come here.

Only the standard library is imported at module level: the start-up path imports this module.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opassess.analysis import Movement, Unmatched
    from opassess.frameworks import Framework, Terms
    from opassess.workshop import Workshop

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

NOT_SURE_LABEL = "Not sure"  # the answer of someone who cannot judge a barrier
NOT_RATED_LABEL = "Not rated"  # no answer at all yet

# opassess.workshop.ACTION_STATUSES in words (tests/core/test_wording.py keeps the two in step).
ACTION_STATUS_LABELS: Mapping[str, str] = {
    "planned": "Planned",
    "in-progress": "In progress",
    "done": "Done",
    "dropped": "Dropped",
}

# opassess.workshop.FOLLOW_UP_OUTCOMES in words: what became of an action of last time, as a
# re-assessment marked it (tests/core/test_wording.py keeps the two in step).
FOLLOW_UP_LABELS: Mapping[str, str] = {
    "done": "Done",
    "partly": "Partly done",
    "not-done": "Not done",
    "dropped": "Dropped",
}
NOT_MARKED_LABEL = "Not marked yet"  # an action of last time nobody has marked

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


# -- dates ------------------------------------------------------------------------------------


def format_date(value: date | None, missing: str = "") -> str:
    """A date for people: '5 December 2026', the same on every computer; `missing` for None."""
    if value is None:
        return missing
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


# -- stages -----------------------------------------------------------------------------------


def stage_name(source: Workshop | Framework, stage: str | None, missing: str = "") -> str:
    """A stage id as a workshop's (or a framework's) own copy names it: the stage's name,
    "Not sure" for a not-sure answer, the id itself for a stage the framework no longer has,
    and `missing` for no stage at all (None)."""
    from opassess.frameworks import NOT_SURE, Framework

    if stage is None:
        return missing
    if stage == NOT_SURE:
        return NOT_SURE_LABEL
    framework = source if isinstance(source, Framework) else source.framework
    for level in framework.levels:
        if level.id == stage:
            return level.name
    return stage


def compared_stage_name(current: Workshop, previous: Workshop, stage: str | None) -> str | None:
    """A stage's name in a comparison of two workshops: from the current one's framework copy,
    else the earlier one's (a stage may have gone since); None for no stage."""
    if stage is None:
        return None
    for framework in (current.framework, previous.framework):
        if stage in framework.level_ids:
            return stage_name(framework, stage)
    return stage


# -- the framework's words ----------------------------------------------------------------------


def article(word: str) -> str:
    """'a barrier', 'an area', 'an insight': the word with its indefinite article."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def reassess_by(terms: Terms) -> str:
    """The label of the date the team looks again: 'Re-assess by', 'Stocktake by'."""
    if terms.reassessment == "re-assessment":
        return "Re-assess by"
    return f"{terms.reassessment[:1].upper()}{terms.reassessment[1:]} by"


def reassess_on(terms: Terms) -> str:
    """What the team will do on that date, after 'The team will': 're-assess',
    'hold its stocktake'."""
    if terms.reassessment == "re-assessment":
        return "re-assess"
    return f"hold its {terms.reassessment}"


# -- actions ----------------------------------------------------------------------------------


def status_label(status: str) -> str:
    """An action status in words: 'in-progress' -> 'In progress'."""
    return ACTION_STATUS_LABELS.get(status) or status.replace("-", " ").capitalize()


def follow_up_label(outcome: str | None) -> str:
    """What became of one of last time's actions, as a re-assessment marked it: 'Partly done';
    'Not marked yet' for None."""
    if outcome is None:
        return NOT_MARKED_LABEL
    return FOLLOW_UP_LABELS.get(outcome) or outcome.replace("-", " ").capitalize()


def follow_up_summary(outcomes: Sequence[str | None]) -> str:
    """What became of last time's actions, counted: 'Of last time's 18 actions: 9 done,
    4 partly done, 2 not done, 1 dropped; 2 not marked yet.' ('' for no actions). Each outcome
    is a FOLLOW_UP_OUTCOMES value, or None for an action nobody marked."""
    if not outcomes:
        return ""
    counts = Counter(outcomes)
    marked = [
        f"{counts[outcome]} {follow_up_label(outcome).lower()}"
        for outcome in (
            *FOLLOW_UP_LABELS,
            *sorted(o for o in counts if o and o not in FOLLOW_UP_LABELS),
        )
        if counts[outcome]
    ]
    unmarked = f"{counts[None]} {NOT_MARKED_LABEL.lower()}" if counts[None] else ""
    total = len(outcomes)
    said = ", ".join(marked)
    if unmarked:
        said = f"{said}; {unmarked}" if said else unmarked
    return f"Of last time's {total} action{'' if total == 1 else 's'}: {said}."


# -- counts and gaps --------------------------------------------------------------------------


def number_words(count: int) -> str:
    """'two' for 2, as running text says small numbers; digits from ten."""
    return _NUMBER_WORDS[count] if 0 <= count < len(_NUMBER_WORDS) else str(count)


def listed(names: Sequence[str]) -> str:
    """'Ann', 'Ann and Bo', 'Ann, Bo and Cy'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def reveal_question(workshop: Workshop) -> str | None:
    """What to ask before revealing while someone has still to rate every barrier, naming
    them unless the workshop is anonymous; None when everyone has finished."""
    from opassess.analysis import rating_progress
    from opassess.workshop import shows_names

    progress = rating_progress(workshop)
    missing = [p.participant_id for p in progress if not p.complete]
    if not missing:
        return None
    terms = workshop.framework.terms
    done = len(progress) - len(missing)
    people = "person has" if done == 1 else "people have"
    said = (
        f"Only {done} of {len(progress)} {people} rated every {terms.dimension}."
        if done
        else f"Nobody has rated every {terms.dimension} yet."
    )
    if shows_names(workshop):
        names = workshop.display_names()
        still = f"Still to finish: {listed([names[pid] for pid in missing])}."
    else:
        count = number_words(len(missing))
        still = (
            f"{count[:1].upper()}{count[1:]} "
            f"{'person has' if len(missing) == 1 else 'people have'} still to finish."
        )
    return (
        f"{said} {still}\n\nReveal the ratings on every shared screen now? Anyone still to "
        "rate would see the team's ratings before giving their own."
    )


def count_words(count: int, noun: str, plural: str | None = None) -> str:
    """'no stages', 'one stage', 'two stages', '12 stages'; `plural` where adding an s is wrong
    ('one key action', 'two of the ratings' need no plural; 'one query', 'two queries' do)."""
    word = _NUMBER_WORDS[count] if 0 <= count < len(_NUMBER_WORDS) else str(count)
    if count == 1:
        return f"{word} {noun}"
    return f"{word} {plural if plural is not None else noun + 's'}"


def level_count(count: int, terms: Terms | None = None) -> str:
    """'one stage', 'two levels', 'three ratings': a count in the framework's word for a stage."""
    if terms is None:
        return count_words(count, "stage")
    return count_words(count, terms.level, terms.levels)


def spread_words(spread: int | None, terms: Terms | None = None) -> str:
    """How far apart the definite ratings are, in the framework's word for a stage."""
    level, levels = (terms.level, terms.levels) if terms else ("stage", "stages")
    if spread is None:
        return f"No {level} chosen yet"
    if spread == 0:
        return f"All at one {level}"
    return f"{spread} {level if spread == 1 else levels} apart"


def dimension_count(count: int, terms: Terms | None = None) -> str:
    """'one barrier', 'five questions': a count in the framework's word for what is rated."""
    if terms is None:
        return count_words(count, "barrier")
    return count_words(count, terms.dimension, terms.dimensions)


def gap_words(gap: int | None, terms: Terms | None = None) -> str:
    """Stages from the agreed stage to the target, in words ('' when either is missing):
    'one stage to go', 'already there: the aim is to hold this stage', or
    'one stage below the agreed stage, on purpose' (in the framework's word for a stage)."""
    level = terms.level if terms is not None else "stage"
    if gap is None:
        return ""
    if gap > 0:
        return f"{level_count(gap, terms)} to go"
    if gap == 0:
        return f"already there: the aim is to hold this {level}"
    return f"{level_count(-gap, terms)} below the agreed {level}, on purpose"


# -- movement since last time -----------------------------------------------------------------


def movement_words(move: Movement, terms: Terms | None = None) -> str:
    """How a barrier moved, in words: 'forward one stage', 'no change', 'not agreed yet'."""
    if move.new_this_time:
        return "new in this version: nothing to compare with"
    if move.steps is None and move.before is not None and move.now is not None:
        return "not comparable: last time's stage is not in this version"
    if move.steps is None:
        return "not agreed yet" if move.now is None else "not agreed last time"
    if move.steps > 0:
        return f"forward {level_count(move.steps, terms)}"
    if move.steps < 0:
        return f"back {level_count(-move.steps, terms)}"
    return "no change"


def target_words(move: Movement) -> str:
    """Whether last time's target was reached: ' (reached)', ' (not yet reached)' or ''."""
    if move.reached_target is True:
        return " (reached)"
    if move.reached_target is False:
        return " (not yet reached)"
    return ""


def unmatched_words(gaps: Unmatched, terms: Terms | None = None) -> str:
    """What a comparison with last time leaves out, plainly ('' when nothing is): the two
    workshops used different versions of the framework, matched by id."""
    if not gaps:
        return ""
    dimensions = terms.dimensions if terms is not None else "barriers"
    levels = terms.levels if terms is not None else "stages"
    parts = []
    if gaps.dropped_dimensions:
        names = ", ".join(f"“{name}”" for name in gaps.dropped_dimensions)
        them = "them" if len(gaps.dropped_dimensions) > 1 else "it"
        parts.append(
            f"{names} from last time cannot be compared: this version no longer has {them}"
        )
    if gaps.new_dimensions:
        names = ", ".join(f"“{name}”" for name in gaps.new_dimensions)
        verb = "are" if len(gaps.new_dimensions) > 1 else "is"
        parts.append(f"{names} {verb} new in this version, with nothing to compare with")
    if gaps.dropped_stages:
        names = ", ".join(f"“{name}”" for name in gaps.dropped_stages)
        parts.append(f"last time's {names} is not one of this version's {levels}")
    return (
        f"This workshop uses another version of the framework than last time; {dimensions} and "
        f"{levels} are matched by their ids. " + "; ".join(parts) + "."
    )
