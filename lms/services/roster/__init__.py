"""The HR roster import: one CSV from the HR system keeps people and the org chart in step.

The whole roster is checked before anything is written; a single bad row means nothing changes.
Writes are a handful of bulk statements in one transaction, so a 10,000-person file costs about
the same number of queries as a 10-person one.
"""

from .importing import import_roster
from .reading import read_roster_csv
from .results import (
    LINE_KEY,
    ROSTER_COLUMNS,
    RosterInvalid,
    RosterProblem,
    RosterResult,
)

__all__ = [
    "LINE_KEY",
    "ROSTER_COLUMNS",
    "RosterInvalid",
    "RosterProblem",
    "RosterResult",
    "import_roster",
    "read_roster_csv",
]
