"""OCPP 2.1: the 2.0.1 handlers, for the actions whose 2.1 schemas agree on every field they read and write.

Checked against the `ocpp` package's 2.1 schemas: 2.1 only adds optional fields to these actions
(tariffs, cost details, transaction limits) and widens IdToken.type from an enum to a string of
20 characters; the connection validates payloads against the 2.1 schemas.
"""

from __future__ import annotations

from evharness.ocppj.vocabulary import Action
from evharness.reference_backend.handlers import v201
from evharness.reference_backend.handlers.base import Handler

SAME_AS_201 = (
    Action.BootNotification,
    Action.Heartbeat,
    Action.StatusNotification,
    Action.Authorize,
    Action.TransactionEvent,
    Action.MeterValues,
    Action.NotifyEvent,
    Action.NotifyReport,
    Action.LogStatusNotification,
    Action.FirmwareStatusNotification,
    Action.DataTransfer,
    Action.ReservationStatusUpdate,
    Action.NotifyDisplayMessages,
    Action.SignCertificate,
    Action.SecurityEventNotification,
    Action.PublishFirmwareStatusNotification,
    Action.NotifyMonitoringReport,
    Action.NotifyCustomerInformation,
    Action.Get15118EVCertificate,
    Action.GetCertificateStatus,
    Action.ReportChargingProfiles,
    Action.NotifyChargingLimit,
    Action.ClearedChargingLimit,
)

HANDLERS: dict[str, Handler] = {action: v201.HANDLERS[action] for action in SAME_AS_201}
