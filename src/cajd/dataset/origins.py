"""Two ways into one record: the loader mirrors dataset rows and never destroys workspace work.

A row whose ``origin`` is ``workspace`` was created in the app, or was a dataset row the app has
since changed or deleted (the write path sets the origin on every write). The loader:

- never deletes a workspace row the dataset does not hold (the dataset does not claim it);
- leaves a workspace row alone when the dataset holds the very same values;
- treats a workspace row the dataset holds *differently* as a conflict: the load lists every one
  and stops, writing nothing, unless told which side wins (``prefer``): ``dataset`` writes the
  dataset's values (the row becomes a dataset row again, restored if it was deleted),
  ``workspace`` keeps the app's row as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import sqlalchemy as sa

from cajd.dataset.build import Row, Rows
from cajd.dataset.moments import same
from cajd.vocab import Origin

Prefer = Literal["dataset", "workspace"]
Existing = dict[str, dict[str, sa.RowMapping]]
# Dataset rows say the dataset's whole state: a dataset row is never soft-deleted.
DATASET_STATE: Row = {"origin": Origin.DATASET.value, "deleted_at": None, "deleted_by": None}


@dataclass(frozen=True)
class Clash:
    table: str
    id: str
    fields: list[str]  # the columns on which the two sides differ ("deleted_at": deleted in app)

    def __str__(self) -> str:
        return f"{self.table} {self.id!r}: {', '.join(self.fields)}"


class WorkspaceConflict(Exception):
    """The dataset would overwrite work done in the app; nothing was written."""

    def __init__(self, clashes: list[Clash]) -> None:
        self.clashes = clashes
        super().__init__(
            f"{len(clashes)} row(s) changed in the workspace differ from the dataset; "
            "nothing was written (choose a side with --prefer dataset|workspace)"
        )


@dataclass
class Guarded:
    """What the writer should mirror, once the workspace's rows are set aside."""

    rows: Rows
    existing: Existing
    kept: dict[str, int] = field(default_factory=dict)  # workspace rows left as they are
    clashes: list[Clash] = field(default_factory=list)


def _differing(old: sa.RowMapping, new: Row) -> list[str]:
    return sorted(k for k, v in new.items() if k != "origin" and not same(old[k], v))


def guard(existing: Existing, rows: Rows, prefer: Prefer | None) -> Guarded:
    """Split the load into what the dataset may write and what stays the workspace's.

    Raises ``WorkspaceConflict`` (before anything is written) on a clash with no ``prefer``.
    """
    out = Guarded(rows={}, existing={})
    for table, old in existing.items():
        wanted = {key: {**row, **DATASET_STATE} for key, row in rows.get(table, {}).items()}
        mirrored: dict[str, sa.RowMapping] = {}
        kept = 0
        for key, row in old.items():
            if row["origin"] != Origin.WORKSPACE:
                mirrored[key] = row
                continue
            new = wanted.get(key)
            differs = _differing(row, new) if new is not None else []
            if differs:
                out.clashes.append(Clash(table, key, differs))
            if differs and prefer == "dataset":
                mirrored[key] = row  # the writer will update it with the dataset's values
                continue
            kept += 1
            wanted.pop(key, None)
        out.rows[table], out.existing[table], out.kept[table] = wanted, mirrored, kept
    if out.clashes and prefer is None:
        raise WorkspaceConflict(out.clashes)
    return out


def jsonable(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | None) else str(value)
