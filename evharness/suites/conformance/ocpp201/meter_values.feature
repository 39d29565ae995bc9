@conformance @ocpp201
Feature: OCPP 2.0.1 block J - meter values
  Clock-aligned (J01) and sampled (J02) meter values, in MeterValues and in TransactionEvents,
  plain and signed; the CSMS must answer every one (J01.FR.18, J02.FR.19).

  @TC_J_01_CSMS @block_J @mandatory
  Scenario: TC_J_01_CSMS Clock-aligned Meter Values - No transaction ongoing
    Given the station is booted
    When the station sends clock-aligned meter values outside a transaction
    Then the CSMS answers MeterValues

  @TC_J_02_CSMS @block_J @mandatory
  Scenario: TC_J_02_CSMS Clock-aligned Meter Values - Transaction ongoing
    Given the station is charging with the "valid" token
    When the EV consumes 1500 Wh
    And the station sends TransactionEvent "Updated" with trigger "MeterValueClock" and Sample.Clock meter values
    Then the CSMS answers TransactionEvent

  @TC_J_03_CSMS @block_J @mandatory
  Scenario: TC_J_03_CSMS Clock-aligned Meter Values - EventType Ended
    Given the station is charging with the "valid" token
    When the EV consumes 1500 Wh
    And the station sends TransactionEvent "Ended" with trigger "StopAuthorized" and stopped reason "Local" and the "valid" token and Sample.Clock meter values
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_J_04_CSMS @block_J @mandatory
  Scenario: TC_J_04_CSMS Clock-aligned Meter Values - Signed
    Given the station is charging with the "valid" token
    When the EV consumes 1500 Wh
    And the station sends TransactionEvent "Ended" with trigger "StopAuthorized" and stopped reason "Local" and the "valid" token and Sample.Clock signed meter values
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_J_07_CSMS @block_J @mandatory
  Scenario: TC_J_07_CSMS Sampled Meter Values - EventType Started - EVSE known
    Given the station is booted
    When the station sends TransactionEvent "Started" with trigger "Authorized" and the "valid" token and Transaction.Begin meter values
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_J_08_CSMS @block_J @mandatory
  Scenario: TC_J_08_CSMS Sampled Meter Values - Context Transaction.Begin - EVSE not known
    Given the station is booted
    When the station sends TransactionEvent "Started" with trigger "Authorized" and the "valid" token and Transaction.Begin meter values without the EVSE
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_J_09_CSMS @block_J @mandatory
  Scenario: TC_J_09_CSMS Sampled Meter Values - EventType Updated
    Given the station is charging with the "valid" token
    When the EV consumes 1500 Wh
    And the station sends TransactionEvent "Updated" with trigger "MeterValuePeriodic" and Sample.Periodic meter values
    Then the CSMS answers TransactionEvent

  @TC_J_10_CSMS @block_J @mandatory
  Scenario: TC_J_10_CSMS Sampled Meter Values - EventType Ended
    Given the station is charging with the "valid" token
    When the EV consumes 1500 Wh
    And the station sends TransactionEvent "Ended" with trigger "StopAuthorized" and stopped reason "Local" and the "valid" token and Transaction.End meter values
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_J_11_CSMS @block_J @mandatory
  Scenario: TC_J_11_CSMS Sampled Meter Values - Signed
    Given the station is charging with the "valid" token
    When the EV consumes 1500 Wh
    And the station sends TransactionEvent "Ended" with trigger "StopAuthorized" and stopped reason "Local" and the "valid" token and Transaction.End signed meter values
    Then the CSMS answers TransactionEvent with status "Accepted"
