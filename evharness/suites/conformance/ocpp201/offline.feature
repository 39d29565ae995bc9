@conformance @ocpp201
Feature: OCPP 2.0.1 offline - the CSMS takes a transaction replayed after the connection came back
  Not an OCTT CSMS test case (tagged @extra, CATALOG §7.5): the station loses its connection, keeps
  its TransactionEvents with offline = true and their original timestamps (E04.FR.03, E12) and sends
  them in order once it is back. The CSMS must answer every one and check the token (E01.FR.11).

  @extra @offline
  Scenario: A whole transaction happens offline and is replayed
    Given the station is booted
    When the station goes offline
    And while offline the station starts a transaction with the "valid" token
    And the EV consumes 3000 Wh
    And while offline the station sends sampled meter values
    And the EV consumes 2000 Wh
    And while offline the station stops the transaction with reason "Local"
    And the station reconnects and sends its queued messages
    Then the CSMS answers every replayed message
    And the CSMS answers TransactionEvent with status "Accepted"
    And every replayed TransactionEvent was marked offline, with seqNo from 0 without gaps

  @extra @offline
  Scenario: A transaction started offline with a token the CSMS refuses
    Given the station is booted
    When the station goes offline
    And while offline the station starts a transaction with the "invalid" token
    And the station reconnects and sends its queued messages
    Then the CSMS answers TransactionEvent with status "Invalid or Unknown"
    When the station sends TransactionEvent "Ended" with trigger "Deauthorized" and stopped reason "DeAuthorized"
    Then the CSMS answers TransactionEvent
