"""Long frames made short for people, without breaking them: elide inside values, never cut the JSON.

`shorten_json(text, width)` gives JSON of at most `width` characters where it can: long strings keep
their head and tail around `…`, then long arrays and objects keep their first members and end with a
`"…"` member, down to none but that one. What comes out always parses; text that is not JSON is cut
with `…` at the end.
"""

from __future__ import annotations

import json

ELLIPSIS = "…"
SHORTEST_STRING = 7  # a string is never shortened below this (3 + … + 3)


def shorten_json(text: str, width: int) -> str:
    """`text` if it fits in `width`, else the same JSON with values elided to fit (see the module)."""
    if len(text) <= width:
        return text
    try:
        value = json.loads(text)
    except ValueError:
        return text[: max(0, width - 1)] + ELLIPSIS
    longest = _longest_string(value)
    for limit in _limits(longest):
        shown = _dump(_elide(value, limit, None))
        if len(shown) <= width:
            return shown
    members = _largest_container(value)
    for keep in range(members - 1, -1, -1):
        shown = _dump(_elide(value, SHORTEST_STRING, keep))
        if len(shown) <= width:
            return shown
    return _dump(_elide(value, SHORTEST_STRING, 0))


def _dump(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _limits(longest: int) -> list[int]:
    """String lengths to try, longest first, down to SHORTEST_STRING."""
    limits, limit = [], longest - 1
    while limit > SHORTEST_STRING:
        limits.append(limit)
        limit = max(SHORTEST_STRING, int(limit * 0.8))
    return [*limits, SHORTEST_STRING]


def _elide(value: object, limit: int, keep: int | None, depth: int = 0) -> object:
    """Strings cut to `limit` and containers to `keep` members (None: all), except the outermost
    container itself and its own strings (a frame's message id and action stay whole)."""
    if isinstance(value, str):
        if depth <= 1 or len(value) <= limit:
            return value
        head = limit // 2
        tail = limit - 1 - head
        return value[:head] + ELLIPSIS + (value[-tail:] if tail else "")
    cut = depth > 0 and keep is not None
    if isinstance(value, list):
        items = [_elide(item, limit, keep, depth + 1) for item in value]
        return [*items[:keep], ELLIPSIS] if cut and keep is not None and len(items) > keep else items
    if isinstance(value, dict):
        pairs = [(key, _elide(item, limit, keep, depth + 1)) for key, item in value.items()]
        if cut and keep is not None and len(pairs) > keep:
            pairs = [*pairs[:keep], (ELLIPSIS, ELLIPSIS)]
        return dict(pairs)
    return value


def _longest_string(value: object) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return max((_longest_string(item) for item in value), default=0)
    if isinstance(value, dict):
        return max((_longest_string(item) for item in value.values()), default=0)
    return 0


def _largest_container(value: object, *, top: bool = True) -> int:
    """The most members of any container below the top one."""
    members = list(value.values()) if isinstance(value, dict) else value if isinstance(value, list) else []
    inner = [_largest_container(item, top=False) for item in members]
    return max([0 if top else len(members), *inner])
