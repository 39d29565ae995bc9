@conformance @ocpp16
Feature: OCPP 1.6 Smart Charging profile
  The operator makes the Central System set charging profiles (TxDefaultProfile, TxProfile, with a remote
  start), get a composite schedule and clear profiles; the tool-station answers Accepted.

  @TC_056_CSMS @smart_charging @mandatory
  Scenario: TC_056_CSMS Central Smart Charging - TxDefaultProfile
    Given the station is booted
    When the operator makes the CSMS set a TxDefaultProfile profile on connector 1 at stack level 1
    Then the CSMS sent SetChargingProfile with connectorId = "<connector>"
    And the CSMS sent SetChargingProfile with csChargingProfiles.stackLevel = 1
    And the CSMS sent SetChargingProfile with csChargingProfiles.chargingProfilePurpose = "TxDefaultProfile"

  @TC_057_CSMS @smart_charging @mandatory
  Scenario: TC_057_CSMS Central Smart Charging - TxProfile
    Given the station is charging with the "valid" token
    When the operator makes the CSMS set a TxProfile profile on connector 1 for the transaction
    Then the CSMS sent SetChargingProfile with connectorId = "<connector>"
    And the CSMS sent SetChargingProfile with csChargingProfiles.chargingProfilePurpose = "TxProfile"
    And the CSMS sent SetChargingProfile with csChargingProfiles.transactionId = "<transactionId>"

  @TC_059_CSMS @smart_charging @mandatory
  Scenario: TC_059_CSMS Remote Start Transaction with Charging Profile
    Given the station is booted
    When the operator makes the CSMS remote start with a TxProfile for the "valid" token
    Then the CSMS sent RemoteStartTransaction with idTag = "<valid>"
    And the CSMS sent RemoteStartTransaction with chargingProfile.chargingProfilePurpose = "TxProfile"
    And the CSMS sent RemoteStartTransaction without chargingProfile.transactionId
    When the station reports the connector "Preparing"
    And the station starts a transaction with the "valid" token
    Then the CSMS answers StartTransaction with status "Accepted"

  @TC_066_CSMS @smart_charging @mandatory
  Scenario: TC_066_CSMS Get Composite Schedule
    Given the station is booted
    When the operator makes the CSMS send GetCompositeSchedule with {"connectorId": 1, "duration": 300, "chargingRateUnit": "A"}
    Then the CSMS sent GetCompositeSchedule with connectorId = "<connector>"
    And the CSMS sent GetCompositeSchedule with duration = 300
    And the CSMS sent GetCompositeSchedule with chargingRateUnit = "A"

  @TC_067_CSMS @smart_charging @mandatory
  Scenario: TC_067_CSMS Clear Charging Profile
    Given the station is booted
    When the operator makes the CSMS set a ChargingStationMaxProfile profile on connector 0 with id 671
    And the operator makes the CSMS set a TxDefaultProfile profile on connector 1 with id 672
    And the operator makes the CSMS set a TxDefaultProfile profile on connector 1 with id 673 at stack level 1
    And the operator makes the CSMS send ClearChargingProfile with {"id": 672}
    Then the CSMS sent ClearChargingProfile with id = 672
    When the operator makes the CSMS send ClearChargingProfile with {"connectorId": 1, "chargingProfilePurpose": "TxDefaultProfile", "stackLevel": 1}
    Then the CSMS sent ClearChargingProfile with chargingProfilePurpose = "TxDefaultProfile"
