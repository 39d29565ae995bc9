"""The CSMS a run of the suites talks to: given by `--csms-url`, or the reference backend started for it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CsmsTarget:
    """What the `running_backend` fixture hands to every suite."""

    ocpp_url: str
    api_url: str | None = None
    database_url: str | None = None  # only when it is the reference backend started for this run
    operator_token: str | None = None

    @property
    def is_reference(self) -> bool:
        return self.database_url is not None
