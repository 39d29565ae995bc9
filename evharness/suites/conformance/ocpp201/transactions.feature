@conformance @ocpp201
Feature: OCPP 2.0.1 block E - transactions
  The CSMS handles transactions started and stopped at every TxStartPoint / TxStopPoint (E01, E06),
  from either side of the cable, with seqNo restarting at 0 for every transaction (E01.FR.07), and
  checks every idToken a TransactionEvent carries (E01.FR.11/12).

  @TC_E_01_CSMS @block_E @mandatory
  Scenario: TC_E_01_CSMS Start transaction options - PowerPathClosed
    Given the station is booted
    When the driver presents the "valid" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station reports the connector "Occupied"
    And the station sends TransactionEvent "Started" with trigger "ChargingStateChanged" and charging state "Charging" and the "valid" token
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_E_02_CSMS @block_E @mandatory
  Scenario: TC_E_02_CSMS Start transaction options - EnergyTransfer
    Given the station is booted
    When the driver presents the "valid" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station reports the connector "Occupied"
    And the station sends TransactionEvent "Started" with trigger "ChargingStateChanged" and charging state "Charging" and the "valid" token and Transaction.Begin meter values
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_E_03_CSMS @block_E @mandatory
  Scenario: TC_E_03_CSMS Local start transaction - Cable plugin first - Success
    Given the station is booted
    And the EV is connected
    And the driver is authorized with the "valid" token
    When energy transfer starts
    Then the CSMS answers TransactionEvent

  @TC_E_04_CSMS @block_E @mandatory
  Scenario Outline: TC_E_04_CSMS Local start transaction - Authorization first - Success
    Given the station is booted
    When the driver presents the "<token>" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station sends TransactionEvent "Started" with trigger "Authorized" and the "<token>" token
    Then the CSMS answers TransactionEvent with status "Accepted"
    When the station reports the connector "Occupied"
    And the station sends TransactionEvent "Updated" with trigger "CablePluggedIn" and charging state "EVConnected"
    And energy transfer starts
    Then the CSMS answers TransactionEvent

    Examples: an ISO 14443 card and a KeyCode (PIN, C-32)
      | token     |
      | valid     |
      | valid_pin |

  @TC_E_07_CSMS @block_E @mandatory
  Scenario: TC_E_07_CSMS Stop transaction options - PowerPathClosed - Local stop
    Given the station is charging with the "valid" token
    When the driver presents the "valid" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station sends TransactionEvent "Ended" with trigger "StopAuthorized" and charging state "EVConnected" and stopped reason "Local" and the "valid" token and Transaction.End meter values
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_E_08_CSMS @block_E @mandatory
  Scenario: TC_E_08_CSMS Stop transaction options - EnergyTransfer stopped - StopAuthorized
    Given the station is charging with the "valid" token
    When the station sends TransactionEvent "Updated" with trigger "StopAuthorized" and charging state "EVConnected" and the "valid" token
    Then the CSMS answers TransactionEvent with status "Accepted"
    When the station sends TransactionEvent "Ended" with trigger "EVCommunicationLost" and charging state "Idle" and stopped reason "EVDisconnected"
    Then the CSMS answers TransactionEvent

  @TC_E_09_CSMS @block_E @mandatory
  Scenario: TC_E_09_CSMS Start transaction options - EVConnected
    Given the station is booted
    When the EV is plugged in
    Then the CSMS answers TransactionEvent
    And the CSMS answers NotifyEvent

  @TC_E_10_CSMS @block_E @mandatory
  Scenario: TC_E_10_CSMS Start transaction options - Authorized - Local
    Given the station is booted
    When the driver presents the "valid" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station sends TransactionEvent "Started" with trigger "Authorized" and the "valid" token
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_E_11_CSMS @block_E @mandatory
  Scenario: TC_E_11_CSMS Start transaction options - DataSigned
    Given the station is booted
    When the driver presents the "valid" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station reports the connector "Occupied"
    And the station sends TransactionEvent "Started" with trigger "SignedDataReceived" and charging state "EVConnected" and the "valid" token and Transaction.Begin signed meter values
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_E_12_CSMS @block_E @mandatory
  Scenario: TC_E_12_CSMS Start transaction options - ParkingBayOccupied
    Given the station is booted
    When the station sends TransactionEvent "Started" with trigger "EVDetected"
    Then the CSMS answers TransactionEvent

  @TC_E_14_CSMS @block_E @mandatory
  Scenario: TC_E_14_CSMS Stop transaction options - EVDisconnected - Charging Station side
    Given the station is charging with the "valid" token
    When the station reports the connector "Available"
    And the station sends TransactionEvent "Ended" with trigger "EVCommunicationLost" and charging state "Idle" and stopped reason "EVDisconnected" and Transaction.End meter values
    Then the CSMS answers TransactionEvent

  @TC_E_15_CSMS @block_E @mandatory
  Scenario: TC_E_15_CSMS Stop transaction options - StopAuthorized - Local
    Given the station is charging with the "valid" token
    When the driver presents the "valid" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station stops the transaction with reason "Local" and the "valid" token
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_E_16_CSMS @block_E @mandatory
  Scenario: TC_E_16_CSMS Stop transaction options - Deauthorized - Invalid idToken
    Given the station is booted
    And the EV is connected
    When the station sends TransactionEvent "Updated" with trigger "Authorized" and the "invalid" token
    Then the CSMS answers TransactionEvent with status "Invalid or Unknown"
    When the station sends TransactionEvent "Ended" with trigger "Deauthorized" and charging state "EVConnected" and stopped reason "DeAuthorized"
    Then the CSMS answers TransactionEvent

  @TC_E_17_CSMS @block_E @mandatory
  Scenario: TC_E_17_CSMS Stop transaction options - Deauthorized - EV side disconnect
    Given the station is charging with the "valid" token
    When the station sends TransactionEvent "Ended" with trigger "EVCommunicationLost" and charging state "Idle" and stopped reason "EVDisconnected"
    Then the CSMS answers TransactionEvent

  @TC_E_19_CSMS @block_E @mandatory
  Scenario: TC_E_19_CSMS Stop transaction options - ParkingBayUnoccupied
    Given the station is charging with the "valid" token
    When the station reports the connector "Available"
    And the station sends TransactionEvent "Ended" with trigger "EVDeparted" and charging state "Idle" and stopped reason "EVDisconnected"
    Then the CSMS answers TransactionEvent

  @TC_E_20_CSMS @block_E @mandatory
  Scenario: TC_E_20_CSMS Stop transaction options - EVDisconnected - EV side (able to charge IEC 61851-1 EV)
    Given the station is charging with the "valid" token
    When the station sends TransactionEvent "Ended" with trigger "EVCommunicationLost" and charging state "Idle" and stopped reason "EVDisconnected" and Transaction.End meter values
    And the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_E_21_CSMS @block_E @mandatory
  Scenario: TC_E_21_CSMS Stop transaction options - StopAuthorized - Remote
    Given the station is charging with the "valid" token
    When the operator makes the CSMS send RequestStopTransaction with {"transactionId": "<transactionId>"}
    Then the CSMS sent RequestStopTransaction with transactionId = "<transactionId>"
    When the station sends TransactionEvent "Ended" with trigger "RemoteStop" and charging state "EVConnected" and stopped reason "Remote"
    Then the CSMS answers TransactionEvent

  @TC_E_22_CSMS @block_E @mandatory
  Scenario: TC_E_22_CSMS Stop transaction options - EnergyTransfer stopped - SuspendedEV
    Given the station is charging with the "valid" token
    When the station sends TransactionEvent "Updated" with trigger "ChargingStateChanged" and charging state "SuspendedEV"
    And the station sends TransactionEvent "Ended" with trigger "ChargingStateChanged" and charging state "EVConnected" and stopped reason "StoppedByEV"
    Then the CSMS answers TransactionEvent

  @TC_E_26_CSMS @block_E @mandatory
  Scenario: TC_E_26_CSMS Disconnect cable on EV-side - Suspend transaction
    Given the station is charging with the "valid" token
    When the station sends TransactionEvent "Updated" with trigger "EVCommunicationLost" and charging state "Idle"
    And the station sends TransactionEvent "Updated" with trigger "CablePluggedIn" and charging state "EVConnected"
    And the station sends TransactionEvent "Updated" with trigger "ChargingStateChanged" and charging state "Charging"
    Then the CSMS answers TransactionEvent

  @TC_E_29_CSMS @block_E @conditional
  Scenario: TC_E_29_CSMS Check Transaction status - Transaction with id ongoing - with message in queue
    Given the station is charging with the "valid" token
    And the station will answer GetTransactionStatus with the payload {"ongoingIndicator": true, "messagesInQueue": true}
    When the operator makes the CSMS send GetTransactionStatus with {"transactionId": "<transactionId>"}
    Then the CSMS sent GetTransactionStatus with transactionId = "<transactionId>"
    When the station sends TransactionEvent "Updated" with trigger "MeterValuePeriodic" and Sample.Periodic meter values
    Then the CSMS answers TransactionEvent

  @TC_E_30_CSMS @block_E @conditional
  Scenario: TC_E_30_CSMS Check Transaction status - Transaction with id ongoing - without message in queue
    Given the station is charging with the "valid" token
    And the station will answer GetTransactionStatus with the payload {"ongoingIndicator": true, "messagesInQueue": false}
    When the operator makes the CSMS send GetTransactionStatus with {"transactionId": "<transactionId>"}
    Then the CSMS sent GetTransactionStatus with transactionId = "<transactionId>"

  @TC_E_31_CSMS @block_E @conditional
  Scenario: TC_E_31_CSMS Check Transaction status - Transaction with id ended - with message in queue
    Given the station is charging with the "valid" token
    And the station will answer GetTransactionStatus with the payload {"ongoingIndicator": false, "messagesInQueue": true}
    When the operator makes the CSMS send GetTransactionStatus with {"transactionId": "<transactionId>"}
    Then the CSMS sent GetTransactionStatus with transactionId = "<transactionId>"
    When the station stops the transaction with reason "Local" and the "valid" token
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_E_33_CSMS @block_E @conditional
  Scenario: TC_E_33_CSMS Check Transaction status - Without transactionId - with message in queue
    Given the station is charging with the "valid" token
    And the station will answer GetTransactionStatus with the payload {"messagesInQueue": true}
    When the operator makes the CSMS send GetTransactionStatus with {}
    Then the CSMS sent GetTransactionStatus without transactionId
    When the station sends TransactionEvent "Updated" with trigger "MeterValuePeriodic" and Sample.Periodic meter values
    Then the CSMS answers TransactionEvent

  @TC_E_34_CSMS @block_E @conditional
  Scenario: TC_E_34_CSMS Check Transaction status - Without transactionId - without message in queue
    Given the station is booted
    And the station will answer GetTransactionStatus with the payload {"messagesInQueue": false}
    When the operator makes the CSMS send GetTransactionStatus with {}
    Then the CSMS sent GetTransactionStatus without transactionId

  @TC_E_38_CSMS @block_E @mandatory
  Scenario: TC_E_38_CSMS Local start transaction - EV not ready
    Given the station is booted
    And the EV is connected
    And the driver is authorized with the "valid" token
    When the station sends TransactionEvent "Updated" with trigger "ChargingStateChanged" and charging state "SuspendedEV"
    Then the CSMS answers TransactionEvent

  @TC_E_39_CSMS @block_E @mandatory
  Scenario: TC_E_39_CSMS Stop transaction options - Deauthorized - timeout
    Given the station is booted
    When the driver presents the "valid" token
    And the station sends TransactionEvent "Started" with trigger "Authorized" and the "valid" token
    Then the CSMS answers TransactionEvent with status "Accepted"
    When the station sends TransactionEvent "Ended" with trigger "EVConnectTimeout" and stopped reason "Timeout"
    Then the CSMS answers TransactionEvent

  @TC_E_53_CSMS @block_E @mandatory
  Scenario: TC_E_53_CSMS Reset Sequence Number - CSMS accepting seqNo = 0 at start of transaction
    Given the station is booted
    When the station sends TransactionEvent "Started" with trigger "Authorized" and the "valid" token
    Then the CSMS answers TransactionEvent with status "Accepted"
    When the station stops the transaction with reason "Local" and the "valid" token
    And the station sends TransactionEvent "Started" with trigger "Authorized" and the "valid" token
    Then the CSMS answers TransactionEvent with status "Accepted"
    And the last TransactionEvent had seqNo 0
