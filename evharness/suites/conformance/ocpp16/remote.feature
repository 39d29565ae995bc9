@conformance @ocpp16
Feature: OCPP 1.6 core - remote actions of the Central System
  The operator makes the CSMS act (through the driver: the reference backend's operations API,
  a person with `--driver manual`, or your own module); the tool-station answers as the case says.
  Without a driver these cases are NOT APPLICABLE.

  @TC_010_CSMS @core @mandatory
  Scenario: TC_010_CSMS Remote Start Charging Session - Cable Plugged in First
    Given the station is booted
    When the station reports the connector "Preparing"
    And the operator makes the CSMS send RemoteStartTransaction with {"idTag": "<valid>", "connectorId": "<connector>"}
    Then the CSMS sent RemoteStartTransaction with idTag = "<valid>"
    When the driver presents the "valid" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station starts a transaction with the "valid" token
    Then the CSMS answers StartTransaction with status "Accepted"
    When the station reports the connector "Charging"
    Then the CSMS answers StatusNotification

  @TC_011_1_CSMS @core @mandatory
  Scenario: TC_011_1_CSMS Remote Start Charging Session - Remote Start First
    Given the station is booted
    When the operator makes the CSMS send RemoteStartTransaction with {"idTag": "<valid>"}
    Then the CSMS sent RemoteStartTransaction with idTag = "<valid>"
    When the driver presents the "valid" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station reports the connector "Preparing"
    And the station starts a transaction with the "valid" token
    Then the CSMS answers StartTransaction with status "Accepted"
    When the station reports the connector "Charging"
    Then the CSMS answers StatusNotification

  @TC_011_2_CSMS @core @mandatory
  Scenario: TC_011_2_CSMS Remote Start Charging Session - Time Out
    Given the station is booted
    When the operator makes the CSMS send RemoteStartTransaction with {"idTag": "<valid>"}
    And the driver presents the "valid" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station reports the connector "Preparing"
    And the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_012_CSMS @core @mandatory
  Scenario: TC_012_CSMS Remote Stop Charging Session
    Given the station is charging with the "valid" token
    When the operator makes the CSMS send RemoteStopTransaction with {"transactionId": "<transactionId>"}
    Then the CSMS sent RemoteStopTransaction with transactionId = "<transactionId>"
    When the station stops the transaction with reason "Remote"
    Then the CSMS answers StopTransaction
    When the station reports the connector "Finishing"
    And the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_013_CSMS @core @mandatory
  Scenario: TC_013_CSMS Hard Reset
    Given the station is booted
    When the operator makes the CSMS send Reset with {"type": "Hard"}
    Then the CSMS sent Reset with type = "Hard"
    When the station reboots
    Then the CSMS answers BootNotification with status "Accepted"

  @TC_014_CSMS @core @mandatory
  Scenario: TC_014_CSMS Soft Reset
    Given the station is booted
    When the operator makes the CSMS send Reset with {"type": "Soft"}
    Then the CSMS sent Reset with type = "Soft"
    When the station reboots
    Then the CSMS answers BootNotification with status "Accepted"

  @TC_017_1_CSMS @core @mandatory
  Scenario: TC_017_1_CSMS Unlock connector - no charging session running (Not fixed cable)
    Given the station is booted
    And the station will answer UnlockConnector with status "Unlocked"
    When the operator makes the CSMS send UnlockConnector with {"connectorId": "<connector>"}
    Then the CSMS sent UnlockConnector with connectorId = "<connector>"

  @TC_017_2_CSMS @core @mandatory
  Scenario: TC_017_2_CSMS Unlock connector - no charging session running (Fixed cable)
    Given the station is booted
    And the station will answer UnlockConnector with status "NotSupported"
    When the operator makes the CSMS send UnlockConnector with {"connectorId": "<connector>"}
    Then the CSMS sent UnlockConnector with connectorId = "<connector>"

  @TC_018_1_CSMS @core @mandatory
  Scenario: TC_018_1_CSMS Unlock Connector - With Charging Session (Not fixed cable)
    Given the station is charging with the "valid" token
    And the station will answer UnlockConnector with status "Unlocked"
    When the operator makes the CSMS send UnlockConnector with {"connectorId": "<connector>"}
    Then the CSMS sent UnlockConnector with connectorId = "<connector>"
    When the station reports the connector "Finishing"
    And the station stops the transaction with reason "UnlockCommand"
    Then the CSMS answers StopTransaction
    When the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_019_1_CSMS @core @mandatory
  Scenario: TC_019_1_CSMS Retrieve all configuration keys
    Given the station is booted
    And the station will answer GetConfiguration with the payload {"configurationKey": [{"key": "HeartbeatInterval", "readonly": false, "value": "300"}, {"key": "SupportedFeatureProfiles", "readonly": true, "value": "Core,LocalAuthListManagement"}]}
    When the operator makes the CSMS send GetConfiguration with {}
    Then the CSMS sent GetConfiguration without key

  @TC_019_2_CSMS @core @mandatory
  Scenario: TC_019_2_CSMS Retrieve Specific Configuration Key
    Given the station is booted
    And the station will answer GetConfiguration with the payload {"configurationKey": [{"key": "SupportedFeatureProfiles", "readonly": true, "value": "Core,LocalAuthListManagement"}], "unknownKey": []}
    When the operator makes the CSMS send GetConfiguration with {"key": ["SupportedFeatureProfiles"]}
    Then the CSMS sent GetConfiguration with key = ["SupportedFeatureProfiles"]

  @TC_021_CSMS @core @mandatory
  Scenario: TC_021_CSMS Change/set Configuration
    Given the station is booted
    When the operator makes the CSMS send ChangeConfiguration with {"key": "MeterValueSampleInterval", "value": "60"}
    Then the CSMS sent ChangeConfiguration with key = "MeterValueSampleInterval"
    And the CSMS sent ChangeConfiguration with value = "60"

  @TC_026_CSMS @core @mandatory
  Scenario: TC_026_CSMS Remote Start Charging Session - Rejected
    Given the station is booted
    And the station will answer RemoteStartTransaction with status "Rejected"
    When the operator makes the CSMS send RemoteStartTransaction with {"idTag": "<valid>"}
    Then the CSMS sent RemoteStartTransaction with idTag = "<valid>"

  @TC_028_CSMS @core @mandatory
  Scenario: TC_028_CSMS Remote Stop Transaction - Rejected
    Given the station is charging with the "valid" token
    And the station will answer RemoteStopTransaction with status "Rejected"
    When the operator makes the CSMS send RemoteStopTransaction with {"transactionId": "<transactionId>"}
    Then the CSMS sent RemoteStopTransaction with transactionId = "<transactionId>"

  @TC_030_CSMS @core @mandatory
  Scenario: TC_030_CSMS Unlock Connector - Unlock Failure
    Given the station is booted
    And the station will answer UnlockConnector with status "UnlockFailed"
    When the operator makes the CSMS send UnlockConnector with {"connectorId": "<connector>"}
    Then the CSMS sent UnlockConnector with connectorId = "<connector>"

  @TC_031_CSMS @core @mandatory
  Scenario: TC_031_CSMS Unlock Connector - Unknown Connector
    Given the station is booted
    And the station will answer UnlockConnector with status "NotSupported"
    When the operator makes the CSMS send UnlockConnector with {"connectorId": 9}
    Then the CSMS sent UnlockConnector with connectorId = 9

  @TC_040_1_CSMS @core @mandatory
  Scenario: TC_040_1_CSMS Configuration keys - NotSupported
    Given the station is booted
    And the station will answer ChangeConfiguration with status "NotSupported"
    When the operator makes the CSMS send ChangeConfiguration with {"key": "NonExistingKey", "value": "1"}
    Then the CSMS sent ChangeConfiguration with key = "NonExistingKey"

  @TC_040_2_CSMS @core @mandatory
  Scenario: TC_040_2_CSMS Configuration keys - Invalid value
    Given the station is booted
    And the station will answer ChangeConfiguration with status "Rejected"
    When the operator makes the CSMS send ChangeConfiguration with {"key": "MeterValueSampleInterval", "value": "-1"}
    Then the CSMS sent ChangeConfiguration with key = "MeterValueSampleInterval"

  @TC_061_CSMS @core @mandatory
  Scenario: TC_061_CSMS Clear Authorization Data in Authorization Cache
    Given the station is booted
    When the operator makes the CSMS send ClearCache with {}
    Then the CSMS sent ClearCache with an empty payload
