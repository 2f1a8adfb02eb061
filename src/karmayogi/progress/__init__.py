"""Progress: enrolment records, the ledger that joins them, and roll-ups over the
organisation tree and financial-year periods.

The state of one person on one course is a join-semilattice (status only rises,
progress takes the maximum, the first enrolment and completion the minimum,
certificates the union), so records may come in any order, twice, or split, and the
numbers do not change. A :class:`Rollup` counts every unit (with its descendants) and
every period; it takes records one at a time, at the cost of the tree's depth, or in bulk.
:func:`roll_up_export` goes from the platform's export to the tables in one call, on the
reference engine or the columnar one, as ``karmayogi progress`` does.

**The reader contract.** Every reader of records (:func:`read_consumption_report`,
:func:`read_cbp_report`, :func:`read_xapi`, :func:`read_enrolments`, and the frame
reader :func:`karmayogi.columnar.read_consumption_frame`) gives one kind of result, an
:class:`Import` (with frames, a :class:`~karmayogi.columnar.FrameImport`):

- what was read: the ``ledger`` (the frame reader: ``records``), and where the input says
  so, the organisation ``tree`` and each person's unit (``places``);
- the row account: ``rows`` read, each ``used``, merged into an earlier row's entry
  (``duplicates``), ``voided`` (xAPI) or rejected (``rejected_rows``, and the first
  :data:`~karmayogi.progress.Import.rejected` listed with their file, row, field and
  reasons), so that ``accounted`` holds: the counts add up to the rows;
- ``findings``: what was read but is worth knowing, each with a stable ``code``;
- ``summary()``, a line that says all of it, and ``_repr_html_()`` for a notebook.

A problem that stops a whole input (a missing column, a file past the limits) raises
:class:`~karmayogi.errors.ValidationError` with every problem at once; a problem of one
row rejects that row and is counted. Each :class:`~karmayogi.errors.Problem` and
:class:`~karmayogi.errors.Finding` carries a ``code`` that tests and portals match on.

>>> import datetime as dt
>>> from karmayogi.org import OrgTree, Person, Unit
>>> tree = OrgTree([Unit(id="rev", name="Revenue", level="department"),
...                 Unit(id="raipur", name="Raipur", level="district", parent="rev")])
>>> people = [Person(id="a", organisation="rev", unit="raipur"),
...           Person(id="b", organisation="rev")]
>>> rollup = Rollup(tree, people=people, by="fy")
>>> rollup.add(Enrolment(person="a", course="do_1", status=Status.COMPLETED, progress=100,
...                      enrolled_at=dt.datetime(2025, 4, 2, 10, 0),
...                      completed_at=dt.datetime(2025, 4, 9, 18, 0),
...                      certificates={"c-1"}, duration=5400))
>>> rollup.add(Enrolment(person="b", course="do_1", enrolled_at=dt.datetime(2025, 6, 1, 9, 0)))
>>> row = rollup.row("rev", "2025-26")
>>> row.users, row.enrolled_users, row.completions, row.completion_rate, row.learning_hours
(2, 2, 1, 0.5, 1.5)
"""

from __future__ import annotations

from karmayogi._api import presented
from karmayogi._publish import pseudonym
from karmayogi.progress._account import Import, Rejection, RowAccount
from karmayogi.progress._campaign import (
    Campaign,
    CampaignRow,
    CampaignTable,
    KarmaCredit,
    KarmaRules,
    KarmaTable,
    Window,
)
from karmayogi.progress._export import RolledUpExport, roll_up_export
from karmayogi.progress._lrs import LRS
from karmayogi.progress._membership import (
    UNIT_RULES,
    Membership,
    Move,
    UnitRule,
    read_membership_csv,
)
from karmayogi.progress._offline import Attendance, OfflineRow, OfflineTable
from karmayogi.progress._readers import read_cbp_report, read_consumption_report, read_enrolments
from karmayogi.progress._records import Enrolment, Ledger, Origin, StatementLog, Status
from karmayogi.progress._rollup import Rollup
from karmayogi.progress._rules import METRICS, CountingPolicy, View
from karmayogi.progress._tables import (
    ComplianceTable,
    Explanation,
    Learners,
    PersonCompliance,
    ProgressRow,
    ProgressTable,
    Release,
    UnitCompliance,
)
from karmayogi.progress._xapi import read_xapi

__all__ = [
    "LRS",
    "METRICS",
    "UNIT_RULES",
    "Attendance",
    "Campaign",
    "CampaignRow",
    "CampaignTable",
    "ComplianceTable",
    "CountingPolicy",
    "Enrolment",
    "Explanation",
    "Import",
    "KarmaCredit",
    "KarmaRules",
    "KarmaTable",
    "Learners",
    "Ledger",
    "Membership",
    "Move",
    "OfflineRow",
    "OfflineTable",
    "Origin",
    "PersonCompliance",
    "ProgressRow",
    "ProgressTable",
    "Rejection",
    "Release",
    "RolledUpExport",
    "Rollup",
    "RowAccount",
    "StatementLog",
    "Status",
    "UnitCompliance",
    "UnitRule",
    "View",
    "Window",
    "pseudonym",
    "read_cbp_report",
    "read_consumption_report",
    "read_enrolments",
    "read_membership_csv",
    "read_xapi",
    "roll_up_export",
]

__dir__ = presented(__name__, globals(), __all__)
