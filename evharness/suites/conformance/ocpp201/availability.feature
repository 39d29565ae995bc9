@conformance @ocpp201
Feature: OCPP 2.0.1 block G - availability
  ChangeAvailability for the station, an EVSE and a connector, with and without a transaction
  (G03, G04), and the CSMS's answer to a connector lock failure (G05).

  @TC_G_03_CSMS @block_G @mandatory
  Scenario: TC_G_03_CSMS Change Availability EVSE - Operative to inoperative
    Given the station is booted
    When the operator makes the CSMS send ChangeAvailability with {"operationalStatus": "Inoperative", "evse": {"id": 1}}
    Then the CSMS sent ChangeAvailability with operationalStatus = "Inoperative"
    And the CSMS sent ChangeAvailability with evse.id = 1
    When the station reports the connector "Unavailable"
    Then the CSMS answers StatusNotification

  @TC_G_04_CSMS @block_G @mandatory
  Scenario: TC_G_04_CSMS Change Availability EVSE - Inoperative to operative
    Given the station is booted
    And the station reports the connector "Unavailable"
    When the operator makes the CSMS send ChangeAvailability with {"operationalStatus": "Operative", "evse": {"id": 1}}
    Then the CSMS sent ChangeAvailability with operationalStatus = "Operative"
    And the CSMS sent ChangeAvailability with evse.id = 1
    And the CSMS sent ChangeAvailability without evse.connectorId
    When the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_G_05_CSMS @block_G @mandatory
  Scenario: TC_G_05_CSMS Change Availability Charging Station - Operative to inoperative
    Given the station is booted
    When the operator makes the CSMS send ChangeAvailability with {"operationalStatus": "Inoperative"}
    Then the CSMS sent ChangeAvailability with operationalStatus = "Inoperative"
    And the CSMS sent ChangeAvailability without evse
    When the station reports the connector "Unavailable"
    Then the CSMS answers StatusNotification

  @TC_G_06_CSMS @block_G @mandatory
  Scenario: TC_G_06_CSMS Change Availability Charging Station - Inoperative to operative
    Given the station is booted
    And the station reports the connector "Unavailable"
    When the operator makes the CSMS send ChangeAvailability with {"operationalStatus": "Operative"}
    Then the CSMS sent ChangeAvailability with operationalStatus = "Operative"
    And the CSMS sent ChangeAvailability without evse
    When the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_G_07_CSMS @block_G @mandatory
  Scenario: TC_G_07_CSMS Change Availability Connector - Operative to inoperative
    Given the station is booted
    When the operator makes the CSMS send ChangeAvailability with {"operationalStatus": "Inoperative", "evse": {"id": 1, "connectorId": "<connector>"}}
    Then the CSMS sent ChangeAvailability with operationalStatus = "Inoperative"
    And the CSMS sent ChangeAvailability with evse.connectorId = "<connector>"
    When the station reports the connector "Unavailable"
    Then the CSMS answers StatusNotification

  @TC_G_08_CSMS @block_G @mandatory
  Scenario: TC_G_08_CSMS Change Availability Connector - Inoperative to operative
    Given the station is booted
    And the station reports the connector "Unavailable"
    When the operator makes the CSMS send ChangeAvailability with {"operationalStatus": "Operative", "evse": {"id": 1, "connectorId": "<connector>"}}
    Then the CSMS sent ChangeAvailability with operationalStatus = "Operative"
    And the CSMS sent ChangeAvailability with evse.connectorId = "<connector>"
    When the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_G_11_CSMS @block_G @mandatory
  Scenario: TC_G_11_CSMS Change Availability EVSE - With ongoing transaction
    Given the station is charging with the "valid" token
    And the station will answer ChangeAvailability with status "Scheduled"
    When the operator makes the CSMS send ChangeAvailability with {"operationalStatus": "Inoperative", "evse": {"id": 1}}
    Then the CSMS sent ChangeAvailability with evse.id = 1
    When the station stops the transaction with reason "Local" and the "valid" token
    And the station reports the connector "Unavailable"
    Then the CSMS answers StatusNotification

  @TC_G_14_CSMS @block_G @mandatory
  Scenario: TC_G_14_CSMS Change Availability Charging Station - With ongoing transaction
    Given the station is charging with the "valid" token
    And the station will answer ChangeAvailability with status "Scheduled"
    When the operator makes the CSMS send ChangeAvailability with {"operationalStatus": "Inoperative"}
    Then the CSMS sent ChangeAvailability without evse
    When the station stops the transaction with reason "Local" and the "valid" token
    And the station reports the connector "Unavailable"
    Then the CSMS answers StatusNotification

  @TC_G_17_CSMS @block_G @mandatory
  Scenario: TC_G_17_CSMS Change Availability Connector - With ongoing transaction
    Given the station is charging with the "valid" token
    And the station will answer ChangeAvailability with status "Scheduled"
    When the operator makes the CSMS send ChangeAvailability with {"operationalStatus": "Inoperative", "evse": {"id": 1, "connectorId": "<connector>"}}
    Then the CSMS sent ChangeAvailability with evse.connectorId = "<connector>"
    When the station stops the transaction with reason "Local" and the "valid" token
    And the station reports the connector "Unavailable"
    Then the CSMS answers StatusNotification

  @TC_G_20_CSMS @block_G @mandatory
  Scenario: TC_G_20_CSMS Connector status Notification - Lock Failure
    Given the station is booted
    When the station notifies a connector lock failure
    Then the CSMS answers NotifyEvent
