@conformance @ocpp201
Feature: OCPP 2.0.1 block B - provisioning
  Booting, device model variables, reports, resets and network profiles.

  @TC_B_01_CSMS @block_B @mandatory
  Scenario: TC_B_01_CSMS Cold Boot Charging Station - Accepted
    Given the station is connected
    When the station sends BootNotification
    Then the CSMS answers BootNotification with status "Accepted"
    And the CSMS gives a heartbeat interval and its current time
    When the station reports the connector "Available"
    Then the CSMS answers StatusNotification
    When the station sends a Heartbeat
    Then the CSMS answers the Heartbeat with its current time

  @TC_B_02_CSMS @block_B @conditional
  Scenario: TC_B_02_CSMS Cold Boot Charging Station - Pending
    Given the target supports "boot_pending"
    And the CSMS is configured to first answer BootNotification "Pending"
    And the station is connected
    When the station sends BootNotification
    Then the CSMS answers BootNotification with status "Pending"
    When the station sends BootNotification again after the interval
    Then the CSMS answers BootNotification with status "Accepted"
    When the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_B_06_CSMS @block_B @mandatory
  Scenario: TC_B_06_CSMS Get Variables - single value
    Given the station is booted
    And the station will answer GetVariables with the payload {"getVariableResult": [{"attributeStatus": "Accepted", "attributeType": "Actual", "attributeValue": "60", "component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}]}
    When the operator makes the CSMS send GetVariables with {"getVariableData": [{"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}]}
    Then the CSMS sent GetVariables with getVariableData.0.component.name = "OCPPCommCtrlr"
    And the CSMS sent GetVariables with getVariableData.0.variable.name = "OfflineThreshold"
    And the CSMS sent GetVariables with getVariableData.0.attributeType absent or one of "Actual, Target, MinSet, MaxSet"

  @TC_B_07_CSMS @block_B @conditional
  Scenario: TC_B_07_CSMS Get Variables - multiple values
    Given the station is booted
    And the station will answer GetVariables with the payload {"getVariableResult": [{"attributeStatus": "Accepted", "attributeValue": "60", "component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}, {"attributeStatus": "Accepted", "attributeValue": "true", "component": {"name": "AuthCtrlr"}, "variable": {"name": "AuthorizeRemoteStart"}}]}
    When the operator makes the CSMS send GetVariables with {"getVariableData": [{"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}, {"component": {"name": "AuthCtrlr"}, "variable": {"name": "AuthorizeRemoteStart"}}]}
    Then the CSMS sent GetVariables with getVariableData.1.variable.name = "AuthorizeRemoteStart"

  @TC_B_08_CSMS @block_B @optional
  Scenario: TC_B_08_CSMS Get Variables - limit to maximum number of values
    Given the station is booted
    And the station will answer GetVariables with the payload {"getVariableResult": [{"attributeStatus": "Accepted", "attributeValue": "4", "component": {"name": "DeviceDataCtrlr"}, "variable": {"name": "ItemsPerMessage", "instance": "GetVariables"}}]}
    When the operator makes the CSMS send GetVariables with {"getVariableData": [{"component": {"name": "DeviceDataCtrlr"}, "variable": {"name": "ItemsPerMessage", "instance": "GetReport"}}, {"component": {"name": "DeviceDataCtrlr"}, "variable": {"name": "ItemsPerMessage", "instance": "GetVariables"}}, {"component": {"name": "DeviceDataCtrlr"}, "variable": {"name": "BytesPerMessage", "instance": "GetReport"}}, {"component": {"name": "DeviceDataCtrlr"}, "variable": {"name": "BytesPerMessage", "instance": "GetVariables"}}]}
    And the operator makes the CSMS send GetVariables with {"getVariableData": [{"component": {"name": "DeviceDataCtrlr"}, "variable": {"name": "ItemsPerMessage", "instance": "SetVariables"}}]}
    Then every GetVariables the CSMS sent asked for at most 4 variables

  @TC_B_09_CSMS @block_B @mandatory
  Scenario: TC_B_09_CSMS Set Variables - single value
    Given the station is booted
    And the station will answer SetVariables with the payload {"setVariableResult": [{"attributeStatus": "Accepted", "component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}]}
    When the operator makes the CSMS send SetVariables with {"setVariableData": [{"attributeValue": "123", "component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}]}
    Then the CSMS sent SetVariables with setVariableData.0.attributeValue = "123"
    And the CSMS sent SetVariables with setVariableData.0.variable.name = "OfflineThreshold"
    And the CSMS sent SetVariables with setVariableData.0.attributeType absent or one of "Actual"

  @TC_B_10_CSMS @block_B @conditional
  Scenario: TC_B_10_CSMS Set Variables - multiple values
    Given the station is booted
    And the station will answer SetVariables with the payload {"setVariableResult": [{"attributeStatus": "Accepted", "component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}, {"attributeStatus": "Accepted", "component": {"name": "AuthCtrlr"}, "variable": {"name": "AuthorizeRemoteStart"}}]}
    When the operator makes the CSMS send SetVariables with {"setVariableData": [{"attributeValue": "123", "component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}, {"attributeValue": "false", "component": {"name": "AuthCtrlr"}, "variable": {"name": "AuthorizeRemoteStart"}}]}
    Then the CSMS sent SetVariables with setVariableData.1.attributeValue = "false"

  @TC_B_12_CSMS @block_B @conditional
  Scenario: TC_B_12_CSMS Get Base Report - ConfigurationInventory
    Given the station is booted
    When the operator makes the CSMS send GetBaseReport with {"requestId": 1, "reportBase": "ConfigurationInventory"}
    Then the CSMS sent GetBaseReport with reportBase = "ConfigurationInventory"
    And the CSMS sent GetBaseReport with requestId at least 0
    When the station sends the report for request 1
    Then the CSMS answers NotifyReport

  @TC_B_13_CSMS @block_B @conditional
  Scenario: TC_B_13_CSMS Get Base Report - FullInventory
    Given the station is booted
    When the operator makes the CSMS send GetBaseReport with {"requestId": 2, "reportBase": "FullInventory"}
    Then the CSMS sent GetBaseReport with reportBase = "FullInventory"
    And the CSMS sent GetBaseReport with requestId at least 0
    When the station sends the report for request 2
    Then the CSMS answers NotifyReport

  @TC_B_14_CSMS @block_B @mandatory
  Scenario: TC_B_14_CSMS Get Base Report - SummaryInventory
    Given the station is booted
    When the operator makes the CSMS send GetBaseReport with {"requestId": 3, "reportBase": "SummaryInventory"}
    Then the CSMS sent GetBaseReport with reportBase = "SummaryInventory"
    And the CSMS sent GetBaseReport with requestId at least 0
    When the station sends the report for request 3
    Then the CSMS answers NotifyReport

  @TC_B_18_CSMS @block_B @mandatory
  Scenario: TC_B_18_CSMS Get Custom Report - with componentCriteria and component/variables
    Given the station is booted
    When the operator makes the CSMS send GetReport with {"requestId": 4, "componentCriteria": ["Problem"], "componentVariable": [{"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "AvailabilityState"}}]}
    Then the CSMS sent GetReport with componentCriteria = ["Problem"]
    And the CSMS sent GetReport with componentVariable.0.variable.name = "AvailabilityState"
    When the station sends the report for request 4
    Then the CSMS answers NotifyReport

  @TC_B_20_CSMS @block_B @mandatory
  Scenario: TC_B_20_CSMS Reset Charging Station - Without ongoing transaction - OnIdle
    Given the station is booted
    When the operator makes the CSMS send Reset with {"type": "OnIdle"}
    Then the CSMS sent Reset with type = "OnIdle"
    When the station reboots
    Then the CSMS answers BootNotification with status "Accepted"

  @TC_B_21_CSMS @block_B @mandatory
  Scenario: TC_B_21_CSMS Reset Charging Station - With Ongoing Transaction - OnIdle
    Given the station is charging with the "valid" token
    And the station will answer Reset with status "Scheduled"
    When the operator makes the CSMS send Reset with {"type": "OnIdle"}
    Then the CSMS sent Reset with type = "OnIdle"
    When the station sends TransactionEvent "Ended" with trigger "StopAuthorized" and stopped reason "Local" and the "valid" token
    Then the CSMS answers TransactionEvent with status "Accepted"
    When the station reboots
    Then the CSMS answers BootNotification with status "Accepted"

  @TC_B_22_CSMS @block_B @mandatory
  Scenario: TC_B_22_CSMS Reset Charging Station - With Ongoing Transaction - Immediate
    Given the station is charging with the "valid" token
    When the operator makes the CSMS send Reset with {"type": "Immediate"}
    Then the CSMS sent Reset with type = "Immediate"
    When the station sends TransactionEvent "Ended" with trigger "ResetCommand" and stopped reason "ImmediateReset"
    Then the CSMS answers TransactionEvent
    When the station reboots
    Then the CSMS answers BootNotification with status "Accepted"

  @TC_B_25_CSMS @block_B @conditional
  Scenario: TC_B_25_CSMS Reset EVSE - Without ongoing transaction
    Given the station is booted
    When the operator makes the CSMS send Reset with {"type": "OnIdle", "evseId": 1}
    Then the CSMS sent Reset with evseId = 1
    When the station reports the connector "Unavailable"
    And the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_B_26_CSMS @block_B @conditional
  Scenario: TC_B_26_CSMS Reset EVSE - With Ongoing Transaction - OnIdle
    Given the station is charging with the "valid" token
    And the station will answer Reset with status "Scheduled"
    When the operator makes the CSMS send Reset with {"type": "OnIdle", "evseId": 1}
    Then the CSMS sent Reset with evseId = 1
    When the station sends TransactionEvent "Ended" with trigger "StopAuthorized" and stopped reason "Local" and the "valid" token
    And the station reports the connector "Unavailable"
    And the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_B_27_CSMS @block_B @conditional
  Scenario: TC_B_27_CSMS Reset EVSE - With Ongoing Transaction - Immediate
    Given the station is charging with the "valid" token
    When the operator makes the CSMS send Reset with {"type": "Immediate", "evseId": 1}
    Then the CSMS sent Reset with type = "Immediate"
    When the station sends TransactionEvent "Ended" with trigger "ResetCommand" and stopped reason "ImmediateReset"
    Then the CSMS answers TransactionEvent
    When the station reports the connector "Unavailable"
    And the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_B_30_CSMS @block_B @conditional
  Scenario: TC_B_30_CSMS Cold Boot Charging Station - Pending/Rejected - SecurityError
    Given the target supports "boot_pending"
    And the CSMS is configured to first answer BootNotification "Rejected"
    And the station is connected
    When the station sends BootNotification
    Then the CSMS answers BootNotification with status "Pending or Rejected"
    When the station reports the connector "Available"
    Then the CSMS answers StatusNotification with a CALLERROR "SecurityError"
    When the station notifies the connector's AvailabilityState "Available"
    Then the CSMS answers NotifyEvent with a CALLERROR "SecurityError"

  @TC_B_31_CSMS @block_B @conditional
  Scenario: TC_B_31_CSMS Cold Boot Charging Station - Pending/Rejected - TriggerMessage
    Given the target supports "boot_pending"
    And the CSMS is configured to first answer BootNotification "Pending" and then to trigger it
    And the station is connected
    When the station sends BootNotification
    Then the CSMS answers BootNotification with status "Pending or Rejected"
    And the CSMS sends TriggerMessage by itself
    And the CSMS sent TriggerMessage with requestedMessage = "BootNotification"
    When the station sends BootNotification with reason "Triggered"
    Then the CSMS answers BootNotification with status "Accepted"
    When the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_B_42_CSMS @block_B @mandatory
  Scenario: TC_B_42_CSMS Set new NetworkConnectionProfile - Accepted
    Given the station is booted
    When the operator makes the CSMS send SetNetworkProfile with {"configurationSlot": 2, "connectionData": {"messageTimeout": 30, "ocppCsmsUrl": "ws://127.0.0.1:9000/ocpp", "ocppInterface": "Wired0", "ocppTransport": "JSON", "ocppVersion": "OCPP20", "securityProfile": 1}}
    Then the CSMS sent SetNetworkProfile with configurationSlot = 2
    And the CSMS sent SetNetworkProfile with connectionData.ocppTransport = "JSON"

  @TC_B_44_CSMS @block_B @mandatory
  Scenario: TC_B_44_CSMS Set new NetworkConnectionProfile - Failed
    Given the station is booted
    And the station will answer SetNetworkProfile with status "Failed"
    When the operator makes the CSMS send SetNetworkProfile with {"configurationSlot": 2, "connectionData": {"messageTimeout": 30, "ocppCsmsUrl": "ws://127.0.0.1:9000/ocpp", "ocppInterface": "Wired0", "ocppTransport": "JSON", "ocppVersion": "OCPP20", "securityProfile": 1}}
    Then the CSMS sent SetNetworkProfile with configurationSlot = 2

  @TC_B_58_CSMS @block_B @mandatory
  Scenario: TC_B_58_CSMS WebSocket Subprotocol validation
    When a station connects offering only "ocpp0.1"
    Then the CSMS refuses the upgrade
    When a station connects offering "ocpp0.1, ocpp2.0.1"
    Then the CSMS upgrades with "ocpp2.0.1"
