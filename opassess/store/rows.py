"""A workshop as rows and back: reading one, the rows of each table, writing only what changed.

Tables are normalised (one row per participant, rating, consensus, target and action) so a small
edit writes only the rows it changed. Framework copies are stored once each, named by the
SHA-256 of their JSON, and parsed ones are kept in a cache shared by every open library.
"""

from __future__ import annotations

import json
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence, Set
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from opassess.files import date_from_text, date_text
from opassess.store.errors import LibraryError, WorkshopNotFound

# The workshop model is imported where a workshop is read, not here: the home window lists
# workshops from their summary rows alone, and the model's import is a cost at start-up.
if TYPE_CHECKING:
    from opassess.changes import WorkshopChange
    from opassess.frameworks import Framework
    from opassess.workshop import Action, Workshop

K = TypeVar("K")

LOAD_SQL = {
    "workshop": "SELECT title, organisation, team, held_on, facilitator, name_display, "
    "reassess_on, reassesses, created_at, scope_json, framework, tags_json "
    "FROM workshops WHERE id = ?",
    "participants": "SELECT id, name, role FROM participants WHERE workshop_id = ? "
    "ORDER BY position",
    "ratings": "SELECT participant_id, dimension_id, stage, evidence FROM ratings "
    "WHERE workshop_id = ? ORDER BY seq",
    "consensus": "SELECT dimension_id, stage, rationale, dissent FROM consensus "
    "WHERE workshop_id = ? ORDER BY seq",
    "targets": "SELECT dimension_id, stage FROM targets WHERE workshop_id = ? ORDER BY seq",
    "actions": "SELECT dimension_id, position, id, text, responsible, accountable, due_on, "
    "status FROM actions WHERE workshop_id = ? ORDER BY seq",
    "followups": "SELECT action_id, outcome, note FROM followups WHERE workshop_id = ? "
    "ORDER BY seq",
}
# Only when the copy a workshop names is not in the cache of parsed frameworks yet.
FRAMEWORK_SQL = "SELECT json FROM frameworks WHERE fingerprint = ?"

# A copy already stored (another workshop has the same wording) is left as it is.
_INSERT_FRAMEWORK = (
    "INSERT INTO frameworks (fingerprint, json) VALUES (?, ?) ON CONFLICT (fingerprint) DO NOTHING"
)
# After a workshop stops naming a copy: remove it unless another workshop still names it.
_DROP_UNUSED_FRAMEWORK = (
    "DELETE FROM frameworks WHERE fingerprint = ? AND NOT EXISTS "
    "(SELECT 1 FROM workshops AS w WHERE w.framework = frameworks.fingerprint)"
)

_INSERT_PARTICIPANT = (
    "INSERT INTO participants (workshop_id, id, position, name, role) VALUES (?, ?, ?, ?, ?)"
)
_UPSERT_RATING = (
    "INSERT INTO ratings (workshop_id, participant_id, dimension_id, stage, evidence) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (workshop_id, participant_id, dimension_id) "
    "DO UPDATE SET stage = excluded.stage, evidence = excluded.evidence"
)
_UPSERT_CONSENSUS = (
    "INSERT INTO consensus (workshop_id, dimension_id, stage, rationale, dissent) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (workshop_id, dimension_id) DO UPDATE SET "
    "stage = excluded.stage, rationale = excluded.rationale, dissent = excluded.dissent"
)
_UPSERT_TARGET = (
    "INSERT INTO targets (workshop_id, dimension_id, stage) VALUES (?, ?, ?) "
    "ON CONFLICT (workshop_id, dimension_id) DO UPDATE SET stage = excluded.stage"
)
_UPSERT_FOLLOW_UP = (
    "INSERT INTO followups (workshop_id, action_id, outcome, note) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (workshop_id, action_id) DO UPDATE SET "
    "outcome = excluded.outcome, note = excluded.note"
)
_INSERT_ACTION = (
    "INSERT INTO actions (workshop_id, id, dimension_id, position, text, responsible, "
    "accountable, due_on, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _exists(conn: sqlite3.Connection, workshop_id: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM workshops WHERE id = ?", (workshop_id,)).fetchone() is not None
    )


def _framework_of(conn: sqlite3.Connection, workshop_id: str) -> str | None:
    """The fingerprint of the framework copy a workshop names; None if there is no such workshop."""
    row = conn.execute("SELECT framework FROM workshops WHERE id = ?", (workshop_id,)).fetchone()
    return None if row is None else row[0]


def _load(conn: sqlite3.Connection, workshop_id: str) -> Workshop:
    from opassess.workshop import Action, Consensus, FollowUp, Participant, Rating, Workshop

    key = (workshop_id,)
    row = conn.execute(LOAD_SQL["workshop"], key).fetchone()
    if row is None:
        raise WorkshopNotFound(workshop_id)
    (title, organisation, team, held_on, facilitator, name_display, reassess_on, reassesses,
     created_at, scope_json, fingerprint, tags_json) = row  # fmt: skip
    participants = tuple(
        Participant(pid, name, role)
        for pid, name, role in conn.execute(LOAD_SQL["participants"], key)
    )
    ratings = {
        (pid, did): Rating(pid, did, stage, evidence)
        for pid, did, stage, evidence in conn.execute(LOAD_SQL["ratings"], key)
    }
    consensus = {
        did: Consensus(stage, rationale, dissent)
        for did, stage, rationale, dissent in conn.execute(LOAD_SQL["consensus"], key)
    }
    targets = dict(conn.execute(LOAD_SQL["targets"], key).fetchall())
    grouped: dict[str, list[tuple[int, Action]]] = {}
    for did, position, aid, text, responsible, accountable, due_on, status in conn.execute(
        LOAD_SQL["actions"], key
    ):
        action = Action(aid, text, responsible, accountable, date_from_text(due_on), status)
        grouped.setdefault(did, []).append((position, action))
    actions = {
        did: tuple(action for _, action in sorted(items, key=lambda item: item[0]))
        for did, items in grouped.items()
    }
    return Workshop(
        id=workshop_id,
        title=title,
        framework=_stored_framework(conn, fingerprint),
        organisation=organisation,
        team=team,
        held_on=date_from_text(held_on),
        facilitator=facilitator,
        participants=participants,
        scope=tuple(json.loads(scope_json)),
        ratings=ratings,
        consensus=consensus,
        targets=targets,
        actions=actions,
        reassess_on=date_from_text(reassess_on),
        reassesses=reassesses,
        name_display=name_display,
        created_at=datetime.fromisoformat(created_at),
        tags=tuple(json.loads(tags_json)),
        followups={
            aid: FollowUp(outcome, note)
            for aid, outcome, note in conn.execute(LOAD_SQL["followups"], key)
        },
    )


def _detail_columns(w: Workshop) -> dict[str, Any]:
    return {
        "title": w.title,
        "organisation": w.organisation,
        "team": w.team,
        "held_on": date_text(w.held_on),
        "facilitator": w.facilitator,
        "name_display": w.name_display,
        "reassess_on": date_text(w.reassess_on),
        "reassesses": w.reassesses,
        "created_at": w.created_at.isoformat(),
        "search_text": "\n".join((w.title, w.organisation, w.team, *w.tags)).casefold(),
        "tags_json": _dumps(list(w.tags)),
    }


def _participant_rows(w: Workshop) -> list[tuple[Any, ...]]:
    return [(w.id, p.id, i, p.name, p.role) for i, p in enumerate(w.participants)]


def _action_rows(
    workshop_id: str, dimension_id: str, actions: Sequence[Action], start: int = 0
) -> list[tuple[Any, ...]]:
    return [
        (
            workshop_id,
            a.id,
            dimension_id,
            i,
            a.text,
            a.responsible,
            a.accountable,
            date_text(a.due_on),
            a.status,
        )
        for i, a in enumerate(actions[start:], start)
    ]


# -- writing only what changed, in order --------------------------------------------------------


def order_plan(
    before_keys: Sequence[K], after_keys: Sequence[K], changed: Set[K]
) -> tuple[list[K], list[K]]:
    """Which changed keys to rewrite where they are, and which to move to the end (in order).

    Rows are read back in the order they were added (seq), as a dict keeps its keys, so a
    workshop always reopens in the order it was saved in. A changed key that stays in place
    keeps its row (an upsert); every key from the first one out of place onwards gets a new row,
    in the new order. An edit only ever adds keys at the end, so that is the changed keys alone;
    an undo can put a key back in the middle, and then the rows after it (unchanged or not) are
    written again, content as it was, so that the order is what the workshop had.
    """
    position = {key: i for i, key in enumerate(before_keys)}
    # The longest prefix of the new order that the old rows already have, in the same order.
    prefix = 0
    last = -1
    for key in after_keys:
        i = position.get(key)
        if i is None or i < last:
            break
        last = i
        prefix += 1
    # A key new to `after` that `changed` does not name is not part of this change: not written.
    moved = [k for k in after_keys[prefix:] if k in changed or k in position]
    return [k for k in after_keys[:prefix] if k in changed], moved


def _write_keyed(
    conn: sqlite3.Connection,
    workshop_id: str,
    before: Mapping[K, Any],
    after: Mapping[K, Any],
    changed: Set[K],
    *,
    delete: str,
    upsert: str,
    key_params: Callable[[K], tuple[Any, ...]],
    row: Callable[[K, Any], tuple[Any, ...]],
) -> None:
    """Write the changed keys of one-row-per-key mapping (ratings, consensus, targets)."""
    in_place, moved = order_plan(list(before), list(after), changed)
    gone = [key for key in changed if key not in after]
    # A moved key that existed loses its old row so its new one sorts last.
    drop = gone + [key for key in moved if key in before]
    if drop:
        conn.executemany(delete, [(workshop_id, *key_params(key)) for key in drop])
    writes = in_place + moved
    if writes:
        # A key moved only to keep the order is written again as it was stored.
        conn.executemany(
            upsert, [row(key, after[key] if key in changed else before[key]) for key in writes]
        )


def _write_actions(
    conn: sqlite3.Connection,
    workshop_id: str,
    before: Mapping[str, Sequence[Action]],
    after: Mapping[str, Sequence[Action]],
    changed: Set[str],
) -> None:
    """Rewrite the actions of the changed barriers, keeping the mapping's order of barriers."""
    in_place, moved = order_plan(list(before), list(after), changed)
    delete_all = "DELETE FROM actions WHERE workshop_id = ? AND dimension_id = ?"
    gone = [dimension_id for dimension_id in changed if dimension_id not in after]
    for dimension_id in gone + [d for d in moved if d in before]:
        conn.execute(delete_all, (workshop_id, dimension_id))
    for dimension_id in in_place:
        items = after[dimension_id]
        # The barrier's place is its first row (lowest seq): keep that row, rewritten as the
        # first action, and replace the rest.
        anchor = conn.execute(
            "SELECT min(seq) FROM actions WHERE workshop_id = ? AND dimension_id = ?",
            (workshop_id, dimension_id),
        ).fetchone()[0]
        if anchor is None:
            conn.executemany(_INSERT_ACTION, _action_rows(workshop_id, dimension_id, items))
            continue
        conn.execute(
            "DELETE FROM actions WHERE workshop_id = ? AND dimension_id = ? AND seq <> ?",
            (workshop_id, dimension_id, anchor),
        )
        first = items[0]
        conn.execute(
            "UPDATE actions SET id = ?, position = 0, text = ?, responsible = ?, "
            "accountable = ?, due_on = ?, status = ? WHERE seq = ?",
            (
                first.id,
                first.text,
                first.responsible,
                first.accountable,
                date_text(first.due_on),
                first.status,
                anchor,
            ),
        )
        conn.executemany(_INSERT_ACTION, _action_rows(workshop_id, dimension_id, items, 1))
    for dimension_id in moved:
        items = after[dimension_id] if dimension_id in changed else before[dimension_id]
        conn.executemany(_INSERT_ACTION, _action_rows(workshop_id, dimension_id, items))


def _write_changed_rows(
    conn: sqlite3.Connection, before: Workshop, after: Workshop, change: WorkshopChange
) -> None:
    """Rewrite the participant, rating, consensus, target and action rows `change` names."""
    wid = after.id
    if change.participants:
        conn.execute("DELETE FROM participants WHERE workshop_id = ?", (wid,))
        conn.executemany(_INSERT_PARTICIPANT, _participant_rows(after))
    if change.ratings:
        _write_keyed(
            conn,
            wid,
            before.ratings,
            after.ratings,
            change.ratings,
            delete="DELETE FROM ratings WHERE workshop_id = ? "
            "AND participant_id = ? AND dimension_id = ?",
            upsert=_UPSERT_RATING,
            key_params=lambda key: key,
            row=lambda key, r: (wid, key[0], key[1], r.stage, r.evidence),
        )
    if change.consensus:
        _write_keyed(
            conn,
            wid,
            before.consensus,
            after.consensus,
            change.consensus,
            delete="DELETE FROM consensus WHERE workshop_id = ? AND dimension_id = ?",
            upsert=_UPSERT_CONSENSUS,
            key_params=lambda key: (key,),
            row=lambda key, c: (wid, key, c.stage, c.rationale, c.dissent),
        )
    if change.targets:
        _write_keyed(
            conn,
            wid,
            before.targets,
            after.targets,
            change.targets,
            delete="DELETE FROM targets WHERE workshop_id = ? AND dimension_id = ?",
            upsert=_UPSERT_TARGET,
            key_params=lambda key: (key,),
            row=lambda key, stage: (wid, key, stage),
        )
    if change.actions:
        _write_actions(conn, wid, before.actions, after.actions, change.actions)
    if change.followups:
        _write_keyed(
            conn,
            wid,
            before.followups,
            after.followups,
            change.followups,
            delete="DELETE FROM followups WHERE workshop_id = ? AND action_id = ?",
            upsert=_UPSERT_FOLLOW_UP,
            key_params=lambda key: (key,),
            row=lambda key, f: (wid, key, f.outcome, f.note),
        )


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class _FrameworkCache:
    """Parsed framework copies by fingerprint, the most recently used kept.

    A fingerprint names one content in any library, so the cache can serve them all. Workshops
    share frameworks, so it also shares one object between them (and `is` compares them fast).
    """

    def __init__(self, size: int = 32) -> None:
        self._size = size
        self._items: OrderedDict[str, Framework] = OrderedDict()

    def get(self, fingerprint: str) -> Framework | None:
        framework = self._items.get(fingerprint)
        if framework is not None:
            self._items.move_to_end(fingerprint)
        return framework

    def put(self, fingerprint: str, framework: Framework) -> None:
        self._items[fingerprint] = framework
        self._items.move_to_end(fingerprint)
        while len(self._items) > self._size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()


_FRAMEWORKS = _FrameworkCache()


def _stored_framework(conn: sqlite3.Connection, fingerprint: str) -> Framework:
    """The framework copy stored under `fingerprint`, read without the file schema."""
    framework = _FRAMEWORKS.get(fingerprint)
    if framework is None:
        row = conn.execute(FRAMEWORK_SQL, (fingerprint,)).fetchone()
        if row is None:
            raise LibraryError(
                "The library file is damaged: a workshop's framework is missing. "
                "Restore the newest backup."
            )
        from opassess.frameworks import framework_from_trusted_dict

        framework = framework_from_trusted_dict(json.loads(row[0]))
        _FRAMEWORKS.put(fingerprint, framework)
    return framework
