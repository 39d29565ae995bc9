@simulator
Feature: Offline replay
  When the connection drops during a session, the station keeps charging, queues its transaction
  messages, and replays them in order once it is back: 1.6 StopTransaction with transactionData,
  2.0.1 TransactionEvents with offline true and a gap-free seqNo.

  Scenario Outline: A session outlives a connection loss on OCPP <protocol>
    Given a booted station that speaks OCPP <protocol> and records its frames
    When the driver plugs in and presents the RFID card "fleet-card" of scenario "rfid_charging"
    Then the CSMS answers "Accepted"
    When the EV charges 2 kWh
    And the connection drops
    And the EV charges 3 kWh
    And the driver stops charging and unplugs
    Then the CSMS has heard nothing of the transaction's end yet
    When the connection comes back
    Then every queued transaction message was delivered in order
    And the backend recorded one finished transaction of 5 kWh for the station

    @ocpp16
    Examples: OCPP 1.6
      | protocol |
      | 1.6      |

    @ocpp201
    Examples: OCPP 2.0.1
      | protocol |
      | 2.0.1    |
