@conformance @ocpp16
Feature: OCPP 1.6 offline behaviour - the Central System takes transaction messages replayed late
  The Charge Point loses its connection, queues its transaction messages (OCPP 1.6 §3.7) and sends
  them, in order and with their original timestamps, once it is back online.

  @TC_037_1_CSMS @core @mandatory
  Scenario: TC_037_1_CSMS Offline Start Transaction - Valid IdTag
    Given the station is booted
    When the station goes offline
    And while offline the station starts a transaction with the "valid" token
    And the station reconnects and sends its queued messages
    Then the CSMS answers StartTransaction with status "Accepted"
    When the station reports the connector "Charging"
    Then the CSMS answers StatusNotification

  @TC_037_3_CSMS @core @mandatory
  Scenario: TC_037_3_CSMS Offline Start Transaction - Invalid IdTag - StopTransactionOnInvalidId = true
    Given the station is booted
    When the station goes offline
    And while offline the station starts a transaction with the "invalid" token
    And the station reconnects and sends its queued messages
    Then the CSMS answers StartTransaction with status "Invalid"
    When the station reports the connector "Charging"
    And the station stops the transaction with reason "DeAuthorized"
    Then the CSMS answers StopTransaction
    When the station reports the connector "Finishing"
    Then the CSMS answers StatusNotification

  @TC_039_CSMS @core @mandatory
  Scenario: TC_039_CSMS Offline Transaction
    Given the station is booted
    When the station goes offline
    And while offline the station starts a transaction with the "valid" token
    And the EV consumes 4000 Wh
    And while offline the station stops the transaction with reason "Local"
    And the station reconnects and sends its queued messages
    Then the CSMS answers StartTransaction with status "Accepted"
    And the CSMS answers StopTransaction

  @extra @offline
  Scenario: Meter values of an offline transaction are replayed between its start and stop
    Given the station is booted
    When the station goes offline
    And while offline the station starts a transaction with the "valid" token
    And the EV consumes 3000 Wh
    And while offline the station sends sampled meter values
    And the EV consumes 2000 Wh
    And while offline the station stops the transaction with reason "Local"
    And the station reconnects and sends its queued messages
    Then the CSMS answers every replayed message
    And the CSMS answers StartTransaction with status "Accepted"
