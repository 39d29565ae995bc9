"""TriggerMessage (F06, 1.6 §5.17): the messages a CSMS may ask the station to send now.

Each codec maps its version's `requestedMessage` values onto these (a value it does not map is
answered NotImplemented); the station sends the message once its answer is on its way.
"""

from __future__ import annotations

from enum import Enum


class Trigger(Enum):
    BOOT = "boot"  # BootNotification
    HEARTBEAT = "heartbeat"
    STATUS = "status"  # StatusNotification of every connector
    METER_VALUES = "meter_values"  # a sample of every running transaction
    TRANSACTION_EVENT = "transaction_event"  # 2.0.1: TransactionEvent Updated (Trigger) of each
    FIRMWARE_STATUS = "firmware_status"  # the update under way, else Idle
    LOG_STATUS = "log_status"  # LogStatusNotification (2.0.1, 1.6 ExtendedTriggerMessage)
    DIAGNOSTICS_STATUS = "diagnostics_status"  # 1.6 DiagnosticsStatusNotification
    SIGN_STATION_CERTIFICATE = "sign_station_certificate"  # SignCertificate (A02, 1.6 ExtendedTrigger)
    SIGN_V2G_CERTIFICATE = "sign_v2g_certificate"
    SIGN_COMBINED_CERTIFICATE = "sign_combined_certificate"  # both (A02, 2.0.1 SignCombinedCertificate)
