"""What stations report about firmware (L), logs and diagnostics (N01, 1.6 §4.4), monitoring (N02-N08),
customer information (N09/N10) and their device model (B07): each message is kept, then answered with
its empty response — the CSMS listens, the console shows it (`GET /api/stations/{identity}/reports`).

`REPORTED` says, per action, which field holds the message's status (if it has one): the handler is
the same for all of them. The request id, where the message has one, is `requestId`.
"""

from __future__ import annotations

from evharness.ocppj.frames import Payload
from evharness.ocppj.vocabulary import Action
from evharness.reference_backend.handlers.base import Handler, HandlerContext

# action → the field with the message's status (None: the message has none)
REPORTED: dict[str, str | None] = {
    Action.FirmwareStatusNotification: "status",
    Action.SignedFirmwareStatusNotification: "status",  # 1.6 security extension
    Action.DiagnosticsStatusNotification: "status",  # 1.6
    Action.LogStatusNotification: "status",
    Action.PublishFirmwareStatusNotification: "status",
    Action.NotifyEvent: None,
    Action.NotifyMonitoringReport: None,
    Action.NotifyCustomerInformation: None,
    Action.NotifyReport: None,
}
ONLY_16 = (Action.SignedFirmwareStatusNotification, Action.DiagnosticsStatusNotification)
V16_ACTIONS = (Action.FirmwareStatusNotification, Action.LogStatusNotification, *ONLY_16)


def handler(action: str) -> Handler:
    status_field = REPORTED[action]

    def keep(ctx: HandlerContext, payload: Payload) -> Payload:
        status = None if status_field is None else payload.get(status_field)
        request_id = payload.get("requestId")
        ctx.store.record_report(ctx.station, action, status, request_id, payload, ctx.now)
        return {}

    keep.__name__ = keep.__qualname__ = f"keep_{action}"
    keep.__doc__ = f"{action}: kept for the console, answered with its empty response."
    return keep


V201_HANDLERS: dict[str, Handler] = {action: handler(action) for action in REPORTED if action not in ONLY_16}
V16_HANDLERS: dict[str, Handler] = {action: handler(action) for action in V16_ACTIONS}
