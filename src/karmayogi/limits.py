"""How much of one input a reader takes before it refuses it.

Every reader accepts ``limits=``: a cap on the file's size, its rows, the characters of
one field and the columns of its header. An input over any of them is refused whole with
:class:`~karmayogi.errors.LimitExceeded` (a :class:`~karmayogi.errors.ValidationError`,
so it says where), before it can exhaust a portal's memory or time. The defaults fit a
large state's year of exports (five million rows are 1.4 GiB); a portal reading uploads
sets its own, tighter ones.

>>> import io
>>> from karmayogi.org import read_people_csv
>>> upload = io.StringIO("Person,Organisation\\nu1,mdo-revenue\\nu2,mdo-revenue\\n")
>>> try:
...     read_people_csv(upload, limits=Limits(rows=1))
... except LimitExceeded as exc:
...     print(exc.limit, exc.allowed); print(exc)
rows 1
row 3: is over the limit on rows (expected at most 1 rows, got 'more')
"""

from __future__ import annotations

from typing import Any

import attrs

from karmayogi._api import presented
from karmayogi.errors import LimitExceeded

__all__ = ["DEFAULT_LIMITS", "NO_LIMITS", "LimitExceeded", "Limits"]

_MIB = 1 << 20


def _positive(instance: object, attribute: Any, value: int | None) -> None:
    del instance
    if value is not None and (isinstance(value, bool) or value < 1):
        raise ValueError(f"{attribute.name} must be a positive number or None, got {value!r}")


@attrs.frozen(kw_only=True)
class Limits:
    """Caps on one input; ``None`` means no cap on that measure.

    - ``file_size``: bytes of a file (characters, for a text stream already open);
    - ``rows``: data rows (records, for xAPI; the header is not a row);
    - ``field_size``: characters of one field (cell); the csv module refuses fields over
      ``csv.field_size_limit()`` (128 KiB unless raised) whatever this says;
    - ``columns``: columns of a header;
    - ``periods``: periods of one progress table (months, quarters or years with data),
      which a roll-up refuses past: a few rows dated centuries apart would otherwise
      make a table of every unit in thousands of periods.
    """

    file_size: int | None = attrs.field(default=2048 * _MIB, validator=_positive)
    rows: int | None = attrs.field(default=10_000_000, validator=_positive)
    field_size: int | None = attrs.field(default=131_072, validator=_positive)
    columns: int | None = attrs.field(default=1_000, validator=_positive)
    periods: int | None = attrs.field(default=1_200, validator=_positive)


DEFAULT_LIMITS = Limits()
"""What every reader applies unless told otherwise: 2 GiB, ten million rows, 128 KiB in a
field, a thousand columns; and every roll-up, 1,200 periods (a century of months)."""

NO_LIMITS = Limits(file_size=None, rows=None, field_size=None, columns=None, periods=None)
"""No caps at all, for trusted files larger than the defaults allow."""

__dir__ = presented(__name__, globals(), __all__)
