"""Open files: a station holds one socket, so a process of S stations needs S + `RESERVE` files."""

from __future__ import annotations

import math
import resource

RESERVE = 64  # files besides the stations' sockets: the interpreter, journals being written, the control API


def raise_open_files() -> int:
    """Raise this process's soft limit of open files to its hard limit; the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):  # a platform with a lower ceiling than it claims: keep the soft one
            pass
    return soft if soft != resource.RLIM_INFINITY else 1 << 30


def hard_limit() -> int:
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    return hard if hard != resource.RLIM_INFINITY else 1 << 30


def stations_per_process_max(limit: int) -> int:
    return max(1, limit - RESERVE)


def processes_needed(stations: int, limit: int) -> int:
    """The fewest processes whose stations each fit under `limit` open files."""
    return math.ceil(stations / stations_per_process_max(limit))


def refusal(stations: int, processes: int, limit: int) -> str | None:
    """Why `stations` over `processes` cannot fit under `limit` open files per process, or None."""
    per_process = math.ceil(stations / processes)
    if per_process <= stations_per_process_max(limit):
        return None
    return (
        f"{stations} stations over {processes} process(es) are {per_process} per process, each needing"
        f" an open file, plus {RESERVE}; the open-files hard limit is {limit} (ulimit -Hn): use"
        f" --processes {processes_needed(stations, limit)} or more, or raise the hard limit"
    )
