"""Setting a row's columns and noting what changed: the ``{field: [old, new]}`` revisions keep."""
from __future__ import annotations

import enum
from typing import Any


def jsonable(value: Any) -> Any:
    """``value`` as a revision's JSON keeps it: dates and times in ISO 8601, enums as values."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value.value if isinstance(value, enum.Enum) else value


def assign(row: Any, values: dict[str, Any]) -> dict[str, list]:
    """Set ``values`` on ``row``; ``{field: [old, new]}``, made :func:`jsonable`, for those
    that changed (the others are left alone)."""
    changes = {}
    for name, new in values.items():
        old = getattr(row, name)
        if old != new:
            changes[name] = [jsonable(old), jsonable(new)]
            setattr(row, name, new)
    return changes
