@conformance @ocpp16
Feature: OCPP 1.6 Remote Trigger profile
  The operator makes the Central System ask for a message (TriggerMessage); the tool-station accepts
  and sends it, or rejects the request.

  @TC_054_CSMS @remote_trigger @mandatory
  Scenario: TC_054_CSMS Trigger Message
    Given the station is booted
    When the operator makes the CSMS send TriggerMessage with {"requestedMessage": "MeterValues", "connectorId": "<connector>"}
    Then the CSMS sent TriggerMessage with requestedMessage = "MeterValues"
    And the CSMS sent TriggerMessage with connectorId = "<connector>"
    When the station sends MeterValues as triggered
    Then the CSMS answers MeterValues
    When the operator makes the CSMS send TriggerMessage with {"requestedMessage": "StatusNotification", "connectorId": "<connector>"}
    Then the CSMS sent TriggerMessage with requestedMessage = "StatusNotification"
    When the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_055_CSMS @remote_trigger @mandatory
  Scenario: TC_055_CSMS Trigger Message - Rejected
    Given the station is booted
    And the station will answer TriggerMessage with status "Rejected"
    When the operator makes the CSMS send TriggerMessage with {"requestedMessage": "MeterValues", "connectorId": "<connector>"}
    Then the CSMS sent TriggerMessage with requestedMessage = "MeterValues"
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat
