@conformance @ocpp201
Feature: OCPP 2.0.1 block I - tariff and cost
  Memory state: the CSMS has a tariff based on energy for the station (the reference driver sets one;
  with another CSMS, configure one and set `features.tariff` in the target file). The CSMS shows the
  running cost during charging (I02: a CostUpdated, or totalCost in the answer) and the final cost in
  the answer to the Ended TransactionEvent (I03).

  @TC_I_01_CSMS @block_I @mandatory
  Scenario: TC_I_01_CSMS Show EV Driver running total cost during charging - costUpdatedRequest
    Given the CSMS has a tariff for the station
    And the station is charging with the "valid" token
    When the EV consumes 1500 Wh
    And the station sends sampled meter values of the transaction
    Then the CSMS shows the running cost of the transaction
    When the EV consumes 1500 Wh
    And the station sends sampled meter values of the transaction
    Then the CSMS shows the running cost of the transaction

  @TC_I_02_CSMS @block_I @mandatory
  Scenario: TC_I_02_CSMS Show EV Driver Final Total Cost After Charging
    Given the CSMS has a tariff for the station
    And the station is charging with the "valid" token
    When the EV consumes 5000 Wh
    And the station stops the transaction with reason "EVDisconnected"
    Then the CSMS answers the Ended TransactionEvent with its totalCost
