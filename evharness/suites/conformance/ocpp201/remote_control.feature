@conformance @ocpp201
Feature: OCPP 2.0.1 block F - remote control
  RequestStartTransaction, UnlockConnector and TriggerMessage, sent by the CSMS on the operator's
  request (through the driver); the station answers and then does what was asked.

  @TC_F_01_CSMS @block_F @mandatory
  Scenario: TC_F_01_CSMS Remote start transaction - Cable plugin first
    Given the station is booted
    And the EV is connected
    When the operator makes the CSMS send RequestStartTransaction with {"idToken": "<valid_token>", "remoteStartId": 1, "evseId": 1}
    Then the CSMS sent RequestStartTransaction with idToken.idToken = "<valid>"
    And the CSMS sent RequestStartTransaction with idToken.type = "<valid_type>"
    When the station sends TransactionEvent "Updated" with trigger "RemoteStart" and charging state "Charging" and the "valid" token
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_F_02_CSMS @block_F @mandatory
  Scenario: TC_F_02_CSMS Remote start transaction - Remote start first - AuthorizeRemoteStart is true
    Given the station is booted
    When the operator makes the CSMS send RequestStartTransaction with {"idToken": "<valid_token>", "remoteStartId": 2}
    Then the CSMS sent RequestStartTransaction with idToken.idToken = "<valid>"
    When the driver presents the "valid" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station sends TransactionEvent "Started" with trigger "RemoteStart" and the "valid" token
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_F_03_CSMS @block_F @mandatory
  Scenario: TC_F_03_CSMS Remote start transaction - Remote start first - AuthorizeRemoteStart is false
    Given the station is booted
    When the operator makes the CSMS send RequestStartTransaction with {"idToken": "<valid_token>", "remoteStartId": 3}
    Then the CSMS sent RequestStartTransaction with idToken.idToken = "<valid>"
    When the station sends TransactionEvent "Started" with trigger "RemoteStart" and the "valid" token
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_F_04_CSMS @block_F @mandatory
  Scenario: TC_F_04_CSMS Remote start transaction - Remote start first - Cable plugin timeout
    Given the station is booted
    When the operator makes the CSMS send RequestStartTransaction with {"idToken": "<valid_token>", "remoteStartId": 4}
    Then the CSMS sent RequestStartTransaction with idToken.idToken = "<valid>"
    When the station sends TransactionEvent "Started" with trigger "RemoteStart" and the "valid" token
    And the station sends TransactionEvent "Ended" with trigger "EVConnectTimeout" and stopped reason "Timeout"
    Then the CSMS answers TransactionEvent

  @TC_F_06_CSMS @block_F @conditional
  Scenario: TC_F_06_CSMS Remote unlock Connector - Without ongoing transaction - Accepted
    Given the station is booted
    And the station will answer UnlockConnector with status "Unlocked"
    When the operator makes the CSMS send UnlockConnector with {"evseId": 1, "connectorId": "<connector>"}
    Then the CSMS sent UnlockConnector with evseId = 1
    And the CSMS sent UnlockConnector with connectorId = "<connector>"

  @TC_F_11_CSMS @block_F @conditional
  Scenario: TC_F_11_CSMS Trigger message - MeterValues - Specific EVSE
    Given the station is booted
    When the operator makes the CSMS send TriggerMessage with {"requestedMessage": "MeterValues", "evse": {"id": 1}}
    Then the CSMS sent TriggerMessage with requestedMessage = "MeterValues"
    And the CSMS sent TriggerMessage with evse.id = 1
    When the station sends MeterValues as triggered
    Then the CSMS answers MeterValues

  @TC_F_12_CSMS @block_F @conditional
  Scenario: TC_F_12_CSMS Trigger message - MeterValues - All EVSE
    Given the station is booted
    When the operator makes the CSMS send TriggerMessage with {"requestedMessage": "MeterValues"}
    Then the CSMS sent TriggerMessage with requestedMessage = "MeterValues"
    When the station sends MeterValues as triggered
    Then the CSMS answers MeterValues

  @TC_F_13_CSMS @block_F @conditional
  Scenario: TC_F_13_CSMS Trigger message - TransactionEvent - Specific EVSE
    Given the station is charging with the "valid" token
    When the operator makes the CSMS send TriggerMessage with {"requestedMessage": "TransactionEvent", "evse": {"id": 1}}
    Then the CSMS sent TriggerMessage with requestedMessage = "TransactionEvent"
    And the CSMS sent TriggerMessage with evse.id = 1
    When the station sends TransactionEvent "Updated" with trigger "Trigger" and charging state "Charging" and Sample.Periodic meter values
    Then the CSMS answers TransactionEvent

  @TC_F_14_CSMS @block_F @conditional
  Scenario: TC_F_14_CSMS Trigger message - TransactionEvent - All EVSE
    Given the station is charging with the "valid" token
    When the operator makes the CSMS send TriggerMessage with {"requestedMessage": "TransactionEvent"}
    Then the CSMS sent TriggerMessage with requestedMessage = "TransactionEvent"
    When the station sends TransactionEvent "Updated" with trigger "Trigger" and charging state "Charging"
    Then the CSMS answers TransactionEvent

  @TC_F_15_CSMS @block_F @conditional
  Scenario: TC_F_15_CSMS Trigger message - LogStatusNotification - Idle
    Given the station is booted
    When the operator makes the CSMS send TriggerMessage with {"requestedMessage": "LogStatusNotification"}
    Then the CSMS sent TriggerMessage with requestedMessage = "LogStatusNotification"
    When the station reports "LogStatusNotification" with status "Idle"
    Then the CSMS answers LogStatusNotification

  @TC_F_18_CSMS @block_F @conditional
  Scenario: TC_F_18_CSMS Trigger message - FirmwareStatusNotification - Idle
    Given the station is booted
    When the operator makes the CSMS send TriggerMessage with {"requestedMessage": "FirmwareStatusNotification"}
    Then the CSMS sent TriggerMessage with requestedMessage = "FirmwareStatusNotification"
    When the station reports "FirmwareStatusNotification" with status "Idle"
    Then the CSMS answers FirmwareStatusNotification

  @TC_F_20_CSMS @block_F @mandatory
  Scenario: TC_F_20_CSMS Trigger message - Heartbeat
    Given the station is booted
    When the operator makes the CSMS send TriggerMessage with {"requestedMessage": "Heartbeat"}
    Then the CSMS sent TriggerMessage with requestedMessage = "Heartbeat"
    When the station sends a Heartbeat
    Then the CSMS answers the Heartbeat with its current time

  @TC_F_23_CSMS @block_F @conditional
  Scenario: TC_F_23_CSMS Trigger message - StatusNotification - Specific EVSE - Available
    Given the station is booted
    When the operator makes the CSMS send TriggerMessage with {"requestedMessage": "StatusNotification", "evse": {"id": 1, "connectorId": 1}}
    Then the CSMS sent TriggerMessage with requestedMessage = "StatusNotification"
    And the CSMS sent TriggerMessage with evse.id = 1
    When the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_F_24_CSMS @block_F @conditional
  Scenario: TC_F_24_CSMS Trigger message - StatusNotification - Specific EVSE - Occupied
    Given the station is booted
    And the EV is connected
    When the operator makes the CSMS send TriggerMessage with {"requestedMessage": "StatusNotification", "evse": {"id": 1, "connectorId": 1}}
    Then the CSMS sent TriggerMessage with requestedMessage = "StatusNotification"
    And the CSMS sent TriggerMessage with evse.id = 1
    When the station reports the connector "Occupied"
    Then the CSMS answers StatusNotification

  @TC_F_27_CSMS @block_F @mandatory
  Scenario: TC_F_27_CSMS Trigger message - NotImplemented
    Given the station is booted
    And the station will answer TriggerMessage with status "NotImplemented"
    When the operator makes the CSMS send TriggerMessage with {"requestedMessage": "SignV2GCertificate"}
    Then the CSMS sent TriggerMessage with requestedMessage = "SignV2GCertificate"
    When the station sends a Heartbeat
    Then the CSMS answers the Heartbeat with its current time
