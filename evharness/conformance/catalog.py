"""The OCTT CSMS test cases in this harness's scope, as one table (CATALOG §1.4, §1.5, §2.2).

`mandatory` is the Part 5 certification marking for the CSMS: "M" mandatory, "C" conditional on
an optional feature, "-" not in the Part 5 tables. OCPP 1.6 has no such marking; its cases are
mandatory for their feature profile (`block`: core, local-auth-list, reservation, remote-trigger,
security).
"""

from __future__ import annotations

from dataclasses import dataclass

from evharness.ocppj.versions import OcppVersion

V16 = OcppVersion.V16
V201 = OcppVersion.V201


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    version: OcppVersion
    block: str
    title: str
    mandatory: str

    @property
    def tag(self) -> str:
        return self.id

    @property
    def block_tag(self) -> str:
        return ("block_" + self.block if self.version is V201 else self.block).replace("-", "_")

    @property
    def mandatory_tag(self) -> str:
        return {"M": "mandatory", "C": "conditional", "-": "optional"}[self.mandatory]


CASES: tuple[Case, ...] = (
    Case("TC_001_CSMS", V16, "core", "Cold Boot Charge Point", "M"),
    Case("TC_003_CSMS", V16, "core", "Regular Charging Session - Plugin First", "M"),
    Case("TC_004_1_CSMS", V16, "core", "Regular Charging Session - Identification First", "M"),
    Case(
        "TC_004_2_CSMS",
        V16,
        "core",
        "Regular Charging Session - Identification First - ConnectionTimeOut",
        "M",
    ),
    Case(
        "TC_005_1_CSMS", V16, "core", "EV Side Disconnected - StopTransactionOnEVSideDisconnect = true", "M"
    ),
    Case("TC_007_CSMS", V16, "core", "Regular Start Charging Session - Cached Id", "M"),
    Case("TC_010_CSMS", V16, "core", "Remote Start Charging Session - Cable Plugged in First", "M"),
    Case("TC_011_1_CSMS", V16, "core", "Remote Start Charging Session - Remote Start First", "M"),
    Case("TC_011_2_CSMS", V16, "core", "Remote Start Charging Session - Time Out", "M"),
    Case("TC_012_CSMS", V16, "core", "Remote Stop Charging Session", "M"),
    Case("TC_013_CSMS", V16, "core", "Hard Reset", "M"),
    Case("TC_014_CSMS", V16, "core", "Soft Reset", "M"),
    Case(
        "TC_017_1_CSMS", V16, "core", "Unlock connector - no charging session running (Not fixed cable)", "M"
    ),
    Case("TC_017_2_CSMS", V16, "core", "Unlock connector - no charging session running (Fixed cable)", "M"),
    Case("TC_018_1_CSMS", V16, "core", "Unlock Connector - With Charging Session (Not fixed cable)", "M"),
    Case("TC_019_1_CSMS", V16, "core", "Retrieve all configuration keys", "M"),
    Case("TC_019_2_CSMS", V16, "core", "Retrieve Specific Configuration Key", "M"),
    Case("TC_021_CSMS", V16, "core", "Change/set Configuration", "M"),
    Case("TC_023_1_CSMS", V16, "core", "Start Charging Session - Authorize invalid", "M"),
    Case("TC_023_2_CSMS", V16, "core", "Start Charging Session - Authorize expired", "M"),
    Case("TC_023_3_CSMS", V16, "core", "Start Charging Session - Authorize blocked", "M"),
    Case("TC_024_CSMS", V16, "core", "Start Charging Session Lock Failure", "M"),
    Case("TC_026_CSMS", V16, "core", "Remote Start Charging Session - Rejected", "M"),
    Case("TC_028_CSMS", V16, "core", "Remote Stop Transaction - Rejected", "M"),
    Case("TC_030_CSMS", V16, "core", "Unlock Connector - Unlock Failure", "M"),
    Case("TC_031_CSMS", V16, "core", "Unlock Connector - Unknown Connector", "M"),
    Case(
        "TC_032_1_CSMS",
        V16,
        "core",
        "Power failure boot charging point-configured to stop transaction(s)",
        "M",
    ),
    Case("TC_037_1_CSMS", V16, "core", "Offline Start Transaction - Valid IdTag", "M"),
    Case(
        "TC_037_3_CSMS",
        V16,
        "core",
        "Offline Start Transaction - Invalid IdTag - StopTransactionOnInvalidId = true",
        "M",
    ),
    Case("TC_039_CSMS", V16, "core", "Offline Transaction", "M"),
    Case("TC_040_1_CSMS", V16, "core", "Configuration keys - NotSupported", "M"),
    Case("TC_040_2_CSMS", V16, "core", "Configuration keys - Invalid value", "M"),
    Case("TC_042_1_CSMS", V16, "local-auth-list", "Get Local List Version (not supported)", "M"),
    Case("TC_042_2_CSMS", V16, "local-auth-list", "Get Local List Version (empty)", "M"),
    Case("TC_043_1_CSMS", V16, "local-auth-list", "Send Local Authorization List - NotSupported", "M"),
    Case("TC_043_3_CSMS", V16, "local-auth-list", "Send Local Authorization List - Failed", "M"),
    Case("TC_043_4_CSMS", V16, "local-auth-list", "Send Local Authorization List - Full", "M"),
    Case("TC_043_5_CSMS", V16, "local-auth-list", "Send Local Authorization List - Differential", "M"),
    Case("TC_061_CSMS", V16, "core", "Clear Authorization Data in Authorization Cache", "M"),
    Case("TC_064_CSMS", V16, "core", "Data Transfer to a Central System", "M"),
    Case("TC_046_CSMS", V16, "reservation", "Reservation of a Connector - Transaction", "M"),
    Case("TC_047_CSMS", V16, "reservation", "Reservation of a Connector - Expire", "M"),
    Case("TC_048_1_CSMS", V16, "reservation", "Reservation of a Connector - Faulted", "M"),
    Case("TC_048_2_CSMS", V16, "reservation", "Reservation of a Connector - Occupied", "M"),
    Case("TC_048_3_CSMS", V16, "reservation", "Reservation of a Connector - Unavailable", "M"),
    Case("TC_048_4_CSMS", V16, "reservation", "Reservation of a Connector - Rejected", "M"),
    Case("TC_049_CSMS", V16, "reservation", "Reservation of a Charge Point - Transaction", "M"),
    Case("TC_051_CSMS", V16, "reservation", "Cancel Reservation", "M"),
    Case("TC_052_CSMS", V16, "reservation", "Cancel Reservation - Rejected", "M"),
    Case("TC_053_CSMS", V16, "reservation", "Use a Reserved Connector with parentIdTag", "M"),
    Case("TC_054_CSMS", V16, "remote-trigger", "Trigger Message", "M"),
    Case("TC_055_CSMS", V16, "remote-trigger", "Trigger Message - Rejected", "M"),
    Case("TC_088_CSMS", V16, "security", "WebSocket Subprotocol negotiation", "M"),
    Case("TC_A_01_CSMS", V201, "A", "Basic Authentication - Valid username/password combination", "M"),
    Case("TC_A_02_CSMS", V201, "A", "Basic Authentication - Username does not equal ChargingStationId", "M"),
    Case("TC_A_03_CSMS", V201, "A", "Basic Authentication - Invalid password", "M"),
    Case("TC_B_01_CSMS", V201, "B", "Cold Boot Charging Station - Accepted", "M"),
    Case("TC_B_02_CSMS", V201, "B", "Cold Boot Charging Station - Pending", "C"),
    Case("TC_B_06_CSMS", V201, "B", "Get Variables - single value", "M"),
    Case("TC_B_07_CSMS", V201, "B", "Get Variables - multiple values", "C"),
    Case("TC_B_08_CSMS", V201, "B", "Get Variables - limit to maximum number of values", "-"),
    Case("TC_B_09_CSMS", V201, "B", "Set Variables - single value", "M"),
    Case("TC_B_10_CSMS", V201, "B", "Set Variables - multiple values", "C"),
    Case("TC_B_12_CSMS", V201, "B", "Get Base Report - ConfigurationInventory", "C"),
    Case("TC_B_13_CSMS", V201, "B", "Get Base Report - FullInventory", "C"),
    Case("TC_B_14_CSMS", V201, "B", "Get Base Report - SummaryInventory", "M"),
    Case(
        "TC_B_18_CSMS", V201, "B", "Get Custom Report - with componentCriteria and component/variables", "M"
    ),
    Case("TC_B_20_CSMS", V201, "B", "Reset Charging Station - Without ongoing transaction - OnIdle", "M"),
    Case("TC_B_21_CSMS", V201, "B", "Reset Charging Station - With Ongoing Transaction - OnIdle", "M"),
    Case("TC_B_22_CSMS", V201, "B", "Reset Charging Station - With Ongoing Transaction - Immediate", "M"),
    Case("TC_B_25_CSMS", V201, "B", "Reset EVSE - Without ongoing transaction", "C"),
    Case("TC_B_26_CSMS", V201, "B", "Reset EVSE - With Ongoing Transaction - OnIdle", "C"),
    Case("TC_B_27_CSMS", V201, "B", "Reset EVSE - With Ongoing Transaction - Immediate", "C"),
    Case("TC_B_30_CSMS", V201, "B", "Cold Boot Charging Station - Pending/Rejected - SecurityError", "C"),
    Case("TC_B_31_CSMS", V201, "B", "Cold Boot Charging Station - Pending/Rejected - TriggerMessage", "C"),
    Case("TC_B_42_CSMS", V201, "B", "Set new NetworkConnectionProfile - Accepted", "M"),
    Case("TC_B_44_CSMS", V201, "B", "Set new NetworkConnectionProfile - Failed", "M"),
    Case("TC_C_02_CSMS", V201, "C", "Local start transaction - Authorization Invalid/Unknown", "M"),
    Case("TC_C_06_CSMS", V201, "C", "Local start transaction - Authorization Blocked", "M"),
    Case("TC_C_07_CSMS", V201, "C", "Local start transaction - Authorization Expired", "M"),
    Case("TC_C_08_CSMS", V201, "C", "Authorization through authorization cache - Accepted", "M"),
    Case("TC_C_20_CSMS", V201, "C", "Authorization through authorization cache - Invalid", "M"),
    Case("TC_C_37_CSMS", V201, "C", "Clear Authorization Data in Authorization Cache - Accepted", "M"),
    Case("TC_C_38_CSMS", V201, "C", "Clear Authorization Data in Authorization Cache - Rejected", "M"),
    Case("TC_C_39_CSMS", V201, "C", "Authorization by GroupId - Success", "M"),
    Case("TC_C_40_CSMS", V201, "C", "Authorization by GroupId - Success with Local Authorization List", "M"),
    Case(
        "TC_C_43_CSMS",
        V201,
        "C",
        "Authorization by GroupId - Invalid status with Local Authorization List",
        "M",
    ),
    Case("TC_C_47_CSMS", V201, "C", "Stop Transaction with a Master Pass - With UI - All transactions", "M"),
    Case(
        "TC_C_48_CSMS",
        V201,
        "C",
        "Stop Transaction with a Master Pass - With UI - With UI - Specific transactions",
        "M",
    ),
    Case("TC_C_49_CSMS", V201, "C", "Stop Transaction with a Master Pass - Without UI", "M"),
    Case(
        "TC_C_50_CSMS",
        V201,
        "C",
        "Authorization using Contract Certificates 15118 - Online - "
        "Local contract certificate validation - Accepted",
        "M",
    ),
    Case(
        "TC_C_51_CSMS",
        V201,
        "C",
        "Authorization using Contract Certificates 15118 - Online - "
        "Local contract certificate validation - Rejected",
        "M",
    ),
    Case(
        "TC_C_52_CSMS",
        V201,
        "C",
        "Authorization using Contract Certificates 15118 - Online - "
        "Central contract certificate validation - Accepted",
        "M",
    ),
    Case("TC_D_01_CSMS", V201, "D", "Send Local Authorization List - Full", "M"),
    Case("TC_D_02_CSMS", V201, "D", "Send Local Authorization List - Differential Update", "M"),
    Case("TC_D_03_CSMS", V201, "D", "Send Local Authorization List - Differential Remove", "M"),
    Case("TC_D_04_CSMS", V201, "D", "Send Local Authorization List - Full with empy list", "M"),
    Case("TC_D_08_CSMS", V201, "D", "Get Local List Version - Success", "C"),
    Case("TC_D_09_CSMS", V201, "D", "Get Local List Version - No list available", "M"),
    Case("TC_E_01_CSMS", V201, "E", "Start transaction options - PowerPathClosed", "M"),
    Case("TC_E_02_CSMS", V201, "E", "Start transaction options - EnergyTransfer", "M"),
    Case("TC_E_03_CSMS", V201, "E", "Local start transaction - Cable plugin first - Success", "M"),
    Case("TC_E_04_CSMS", V201, "E", "Local start transaction - Authorization first - Success", "M"),
    Case("TC_E_07_CSMS", V201, "E", "Stop transaction options - PowerPathClosed - Local stop", "M"),
    Case(
        "TC_E_08_CSMS", V201, "E", "Stop transaction options - EnergyTransfer stopped - StopAuthorized", "M"
    ),
    Case("TC_E_09_CSMS", V201, "E", "Start transaction options - EVConnected", "M"),
    Case("TC_E_10_CSMS", V201, "E", "Start transaction options - Authorized - Local", "M"),
    Case("TC_E_11_CSMS", V201, "E", "Start transaction options - DataSigned", "M"),
    Case("TC_E_12_CSMS", V201, "E", "Start transaction options - ParkingBayOccupied", "M"),
    Case("TC_E_14_CSMS", V201, "E", "Stop transaction options - EVDisconnected - Charging Station side", "M"),
    Case("TC_E_15_CSMS", V201, "E", "Stop transaction options - StopAuthorized - Local", "M"),
    Case("TC_E_16_CSMS", V201, "E", "Stop transaction options - Deauthorized - Invalid idToken", "M"),
    Case("TC_E_17_CSMS", V201, "E", "Stop transaction options - Deauthorized - EV side disconnect", "M"),
    Case("TC_E_19_CSMS", V201, "E", "Stop transaction options - ParkingBayUnoccupied", "M"),
    Case(
        "TC_E_20_CSMS",
        V201,
        "E",
        "Stop transaction options - EVDisconnected - EV side (able to charge IEC 61851-1 EV)",
        "M",
    ),
    Case("TC_E_21_CSMS", V201, "E", "Stop transaction options - StopAuthorized - Remote", "M"),
    Case("TC_E_22_CSMS", V201, "E", "Stop transaction options - EnergyTransfer stopped - SuspendedEV", "M"),
    Case("TC_E_26_CSMS", V201, "E", "Disconnect cable on EV-side - Suspend transaction", "M"),
    Case(
        "TC_E_29_CSMS",
        V201,
        "E",
        "Check Transaction status - Transaction with id ongoing - with message in queue",
        "C",
    ),
    Case(
        "TC_E_30_CSMS",
        V201,
        "E",
        "Check Transaction status - Transaction with id ongoing - without message in queue",
        "C",
    ),
    Case(
        "TC_E_31_CSMS",
        V201,
        "E",
        "Check Transaction status - Transaction with id ended - with message in queue",
        "C",
    ),
    Case(
        "TC_E_33_CSMS",
        V201,
        "E",
        "Check Transaction status - Without transactionId - with message in queue",
        "C",
    ),
    Case(
        "TC_E_34_CSMS",
        V201,
        "E",
        "Check Transaction status - Without transactionId - without message in queue",
        "C",
    ),
    Case("TC_E_38_CSMS", V201, "E", "Local start transaction - EV not ready", "M"),
    Case("TC_E_39_CSMS", V201, "E", "Stop transaction options - Deauthorized - timeout", "M"),
    Case(
        "TC_E_53_CSMS",
        V201,
        "E",
        "Reset Sequence Number - CSMS accepting seqNo = 0 at start of transaction",
        "M",
    ),
    Case("TC_F_01_CSMS", V201, "F", "Remote start transaction - Cable plugin first", "M"),
    Case(
        "TC_F_02_CSMS",
        V201,
        "F",
        "Remote start transaction - Remote start first - AuthorizeRemoteStart is true",
        "M",
    ),
    Case(
        "TC_F_03_CSMS",
        V201,
        "F",
        "Remote start transaction - Remote start first - AuthorizeRemoteStart is false",
        "M",
    ),
    Case(
        "TC_F_04_CSMS", V201, "F", "Remote start transaction - Remote start first - Cable plugin timeout", "M"
    ),
    Case("TC_F_06_CSMS", V201, "F", "Remote unlock Connector - Without ongoing transaction - Accepted", "C"),
    Case("TC_F_11_CSMS", V201, "F", "Trigger message - MeterValues - Specific EVSE", "C"),
    Case("TC_F_12_CSMS", V201, "F", "Trigger message - MeterValues - All EVSE", "C"),
    Case("TC_F_13_CSMS", V201, "F", "Trigger message - TransactionEvent - Specific EVSE", "C"),
    Case("TC_F_14_CSMS", V201, "F", "Trigger message - TransactionEvent - All EVSE", "C"),
    Case("TC_F_15_CSMS", V201, "F", "Trigger message - LogStatusNotification - Idle", "C"),
    Case("TC_F_18_CSMS", V201, "F", "Trigger message - FirmwareStatusNotification - Idle", "C"),
    Case("TC_F_20_CSMS", V201, "F", "Trigger message - Heartbeat", "M"),
    Case("TC_F_23_CSMS", V201, "F", "Trigger message - StatusNotification - Specific EVSE - Available", "C"),
    Case("TC_F_24_CSMS", V201, "F", "Trigger message - StatusNotification - Specific EVSE - Occupied", "C"),
    Case("TC_F_27_CSMS", V201, "F", "Trigger message - NotImplemented", "M"),
    Case("TC_G_03_CSMS", V201, "G", "Change Availability EVSE - Operative to inoperative", "M"),
    Case("TC_G_04_CSMS", V201, "G", "Change Availability EVSE - Inoperative to operative", "M"),
    Case("TC_G_05_CSMS", V201, "G", "Change Availability Charging Station - Operative to inoperative", "M"),
    Case("TC_G_06_CSMS", V201, "G", "Change Availability Charging Station - Inoperative to operative", "M"),
    Case("TC_G_07_CSMS", V201, "G", "Change Availability Connector - Operative to inoperative", "M"),
    Case("TC_G_08_CSMS", V201, "G", "Change Availability Connector - Inoperative to operative", "M"),
    Case("TC_G_11_CSMS", V201, "G", "Change Availability EVSE - With ongoing transaction", "M"),
    Case("TC_G_14_CSMS", V201, "G", "Change Availability Charging Station - With ongoing transaction", "M"),
    Case("TC_G_17_CSMS", V201, "G", "Change Availability Connector - With ongoing transaction", "M"),
    Case("TC_G_20_CSMS", V201, "G", "Connector status Notification - Lock Failure", "M"),
    Case("TC_H_01_CSMS", V201, "H", "Reserve a specific EVSE - Accepted - Valid idToken", "M"),
    Case("TC_H_07_CSMS", V201, "H", "Reserve a specific EVSE - Reservation Ended / not used", "M"),
    Case("TC_H_08_CSMS", V201, "H", "Reserve an unspecified EVSE - Accepted", "C"),
    Case(
        "TC_H_14_CSMS",
        V201,
        "H",
        "Reserve an unspecified EVSE - Amount of EVSEs available equals the amount of reservations",
        "C",
    ),
    Case("TC_H_15_CSMS", V201, "H", "Reserve a connector with a specific type - Success", "C"),
    Case("TC_H_17_CSMS", V201, "H", "Cancel reservation of an EVSE - Success", "M"),
    Case("TC_H_19_CSMS", V201, "H", "Reserve a specific EVSE - Use a reserved EVSE with GroupId", "M"),
    Case("TC_H_20_CSMS", V201, "H", "Charging Station cancels reservation when Faulted", "M"),
    Case("TC_H_22_CSMS", V201, "H", "Reserve a specific EVSE - Configured to Reject", "M"),
    Case("TC_J_01_CSMS", V201, "J", "Clock-aligned Meter Values - No transaction ongoing", "M"),
    Case("TC_J_02_CSMS", V201, "J", "Clock-aligned Meter Values - Transaction ongoing", "M"),
    Case("TC_J_03_CSMS", V201, "J", "Clock-aligned Meter Values - EventType Ended", "M"),
    Case("TC_J_04_CSMS", V201, "J", "Clock-aligned Meter Values - Signed", "M"),
    Case("TC_J_07_CSMS", V201, "J", "Sampled Meter Values - EventType Started - EVSE known", "M"),
    Case("TC_J_08_CSMS", V201, "J", "Sampled Meter Values - Context Transaction.Begin - EVSE not known", "M"),
    Case("TC_J_09_CSMS", V201, "J", "Sampled Meter Values - EventType Updated", "M"),
    Case("TC_J_10_CSMS", V201, "J", "Sampled Meter Values - EventType Ended", "M"),
    Case("TC_J_11_CSMS", V201, "J", "Sampled Meter Values - Signed", "M"),
    Case("TC_B_58_CSMS", V201, "B", "WebSocket Subprotocol validation", "M"),
    Case("TC_O_01_CSMS", V201, "O", "Set Display Message - Success", "M"),
    Case("TC_O_02_CSMS", V201, "O", "Get all Display Messages - Success", "M"),
    Case("TC_O_03_CSMS", V201, "O", "Get all Display Messages - No DisplayMessages configured", "M"),
    Case("TC_O_04_CSMS", V201, "O", "Clear Display Message - Success", "M"),
    Case("TC_O_05_CSMS", V201, "O", "Clear Display Message - Unknown Key", "M"),
    Case("TC_O_06_CSMS", V201, "O", "Set Display Message - Specific transaction - Success", "M"),
    Case("TC_O_07_CSMS", V201, "O", "Get a Specific Display Message - Id", "M"),
    Case("TC_O_08_CSMS", V201, "O", "Get a Specific Display Message - Priority", "M"),
    Case("TC_O_09_CSMS", V201, "O", "Get a Specific Display Message - State", "M"),
    Case("TC_O_10_CSMS", V201, "O", "Set Display Message - Specific transaction - UnknownTransaction", "M"),
    Case("TC_O_11_CSMS", V201, "O", "Get a Specific Display Message - Unknown parameters", "-"),
    Case("TC_O_12_CSMS", V201, "O", "Set Display Message - Replace DisplayMessage", "M"),
    Case("TC_O_13_CSMS", V201, "O", "Set Display Message - Display message at StartTime", "M"),
    Case("TC_O_14_CSMS", V201, "O", "Set Display Message - Remove message after EndTime", "M"),
    Case("TC_O_17_CSMS", V201, "O", "Set Display Message - NotSupportedPriority", "M"),
    Case("TC_O_18_CSMS", V201, "O", "Set Display Message - NotSupportedState", "M"),
    Case("TC_O_19_CSMS", V201, "O", "Set Display Message - NotSupportedMessageFormat", "M"),
    Case("TC_O_25_CSMS", V201, "O", "Set Display Message - Send Specific state", "-"),
    Case("TC_O_26_CSMS", V201, "O", "Set Display Message - Rejected", "M"),
    Case(
        "TC_O_27_CSMS",
        V201,
        "O",
        "Set Display Message - Specific transaction - Display message at StartTime",
        "M",
    ),
    Case(
        "TC_O_28_CSMS",
        V201,
        "O",
        "Set Display Message - Specific transaction - Remove message after EndTime",
        "M",
    ),
    Case(
        "TC_P_02_CSMS",
        V201,
        "P",
        "Data Transfer to the CSMS - Rejected / Unknown VendorId / Unknown MessageId",
        "M",
    ),
    Case("TC_P_03_CSMS", V201, "P", "CustomData - Receive custom data", "M"),
)

BY_ID: dict[str, Case] = {case.id: case for case in CASES}
