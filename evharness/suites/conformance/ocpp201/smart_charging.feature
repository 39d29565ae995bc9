@conformance @ocpp201
Feature: OCPP 2.0.1 block K - smart charging
  The operator makes the CSMS set, replace, clear and read charging profiles and composite schedules;
  the tool-station answers as each case says and reports its profiles and external limits; an ISO 15118
  EV says its charging needs and the CSMS answers with a schedule for its transaction (K15-K17).

  @TC_K_01_CSMS @block_K @mandatory
  Scenario: TC_K_01_CSMS Set Charging Profile - TxDefaultProfile - Specific EVSE
    Given the station is booted
    When the operator makes the CSMS set a TxDefaultProfile profile on EVSE 1
    Then the CSMS sent SetChargingProfile with evseId = 1
    And the CSMS sent SetChargingProfile with chargingProfile.chargingProfilePurpose = "TxDefaultProfile"
    And the CSMS sent SetChargingProfile without chargingProfile.transactionId

  @TC_K_02_CSMS @block_K @optional
  Scenario: TC_K_02_CSMS Set Charging Profile - TxProfile without ongoing transaction on the specified EVSE
    Given the station is booted
    And the station will answer SetChargingProfile with status "Rejected"
    When the operator makes the CSMS send SetChargingProfile with {"evseId": 1, "chargingProfile": {"id": 102, "stackLevel": 0, "chargingProfilePurpose": "TxProfile", "chargingProfileKind": "Relative", "transactionId": "OCTT-NO-TX", "chargingSchedule": [{"id": 1, "chargingRateUnit": "A", "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.0}]}]}}
    Then the CSMS sent SetChargingProfile with chargingProfile.chargingProfilePurpose = "TxProfile"
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_K_03_CSMS @block_K @mandatory
  Scenario: TC_K_03_CSMS Set Charging Profile - ChargingStationMaxProfile
    Given the station is booted
    When the operator makes the CSMS set a ChargingStationMaxProfile profile on EVSE 0
    Then the CSMS sent SetChargingProfile with evseId = 0
    And the CSMS sent SetChargingProfile with chargingProfile.chargingProfilePurpose = "ChargingStationMaxProfile"

  @TC_K_04_CSMS @block_K @mandatory
  Scenario: TC_K_04_CSMS Replace charging profile - With chargingProfileId
    Given the station is booted
    When the operator makes the CSMS set a TxDefaultProfile profile on EVSE 1 with id 104
    Then the CSMS sent SetChargingProfile with chargingProfile.id = 104
    When the operator makes the CSMS set a TxDefaultProfile profile on EVSE 1 with id 104 limited to 8 A
    Then the CSMS sent SetChargingProfile with chargingProfile.id = 104
    And the CSMS sent SetChargingProfile with chargingProfile.chargingSchedule.0.chargingSchedulePeriod.0.limit = 8.0

  @TC_K_05_CSMS @block_K @mandatory
  Scenario: TC_K_05_CSMS Clear Charging Profile - With chargingProfileId
    Given the station is booted
    When the operator makes the CSMS set a TxDefaultProfile profile on EVSE 1 with id 105
    And the operator makes the CSMS send ClearChargingProfile with {"chargingProfileId": 105}
    Then the CSMS sent ClearChargingProfile with chargingProfileId = 105

  @TC_K_06_CSMS @block_K @mandatory
  Scenario: TC_K_06_CSMS Clear Charging Profile - With stackLevel/purpose combination for one profile
    Given the station is booted
    When the operator makes the CSMS set a TxDefaultProfile profile on EVSE 1 at stack level 1
    And the operator makes the CSMS send ClearChargingProfile with {"chargingProfileCriteria": {"chargingProfilePurpose": "TxDefaultProfile", "stackLevel": 1}}
    Then the CSMS sent ClearChargingProfile with chargingProfileCriteria.chargingProfilePurpose = "TxDefaultProfile"
    And the CSMS sent ClearChargingProfile with chargingProfileCriteria.stackLevel = 1

  @TC_K_08_CSMS @block_K @mandatory
  Scenario: TC_K_08_CSMS Clear Charging Profile - Without previous charging profile
    Given the station is booted
    And the station will answer ClearChargingProfile with status "Unknown"
    When the operator makes the CSMS send ClearChargingProfile with {"chargingProfileCriteria": {"chargingProfilePurpose": "TxDefaultProfile"}}
    Then the CSMS sent ClearChargingProfile with chargingProfileCriteria.chargingProfilePurpose = "TxDefaultProfile"
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_K_10_CSMS @block_K @conditional
  Scenario: TC_K_10_CSMS Set Charging Profile - TxDefaultProfile - All EVSE
    Given the station is booted
    When the operator makes the CSMS set a TxDefaultProfile profile on EVSE 0
    Then the CSMS sent SetChargingProfile with evseId = 0
    And the CSMS sent SetChargingProfile with chargingProfile.chargingProfilePurpose = "TxDefaultProfile"

  @TC_K_15_CSMS @block_K @mandatory
  Scenario: TC_K_15_CSMS Set Charging Profile - Not Supported
    Given the station is booted
    And the station will answer SetChargingProfile with CALLERROR NotSupported
    When the operator makes the CSMS set a TxDefaultProfile profile on EVSE 1
    Then the CSMS sent SetChargingProfile with evseId = 1
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_K_19_CSMS @block_K @mandatory
  Scenario: TC_K_19_CSMS Set Charging Profile - ChargingProfileKind is Recurring
    Given the station is booted
    When the operator makes the CSMS set a TxDefaultProfile profile on EVSE 1 recurring Daily
    Then the CSMS sent SetChargingProfile with chargingProfile.chargingProfileKind = "Recurring"
    And the CSMS sent SetChargingProfile with chargingProfile.recurrencyKind = "Daily"

  @TC_K_29_CSMS @block_K @mandatory
  Scenario: TC_K_29_CSMS Get Charging Profile - EvseId 0
    Given the station is booted
    When the operator makes the CSMS set a ChargingStationMaxProfile profile on EVSE 0
    And the operator makes the CSMS send GetChargingProfiles with {"requestId": 29, "evseId": 0, "chargingProfile": {"chargingProfilePurpose": "ChargingStationMaxProfile"}}
    Then the CSMS sent GetChargingProfiles with evseId = 0
    When the station reports the charging profiles it holds from "CSO"
    Then the CSMS answers ReportChargingProfiles

  @TC_K_30_CSMS @block_K @mandatory
  Scenario: TC_K_30_CSMS Get Charging Profile - EvseId > 0
    Given the station is booted
    When the operator makes the CSMS set a TxDefaultProfile profile on EVSE 1
    And the operator makes the CSMS send GetChargingProfiles with {"requestId": 30, "evseId": 1, "chargingProfile": {"chargingProfilePurpose": "TxDefaultProfile"}}
    Then the CSMS sent GetChargingProfiles with evseId = 1
    When the station reports the charging profiles it holds from "CSO"
    Then the CSMS answers ReportChargingProfiles

  @TC_K_31_CSMS @block_K @mandatory
  Scenario: TC_K_31_CSMS Get Charging Profile - No EvseId
    Given the station is booted
    When the operator makes the CSMS set a TxDefaultProfile profile on EVSE 1
    And the operator makes the CSMS send GetChargingProfiles with {"requestId": 31, "chargingProfile": {"chargingProfilePurpose": "TxDefaultProfile"}}
    Then the CSMS sent GetChargingProfiles without evseId
    When the station reports the charging profiles it holds from "CSO"
    Then the CSMS answers ReportChargingProfiles

  @TC_K_32_CSMS @block_K @mandatory
  Scenario: TC_K_32_CSMS Get Charging Profile - chargingProfileId
    Given the station is booted
    When the operator makes the CSMS set a TxDefaultProfile profile on EVSE 1 with id 132
    And the operator makes the CSMS send GetChargingProfiles with {"requestId": 32, "chargingProfile": {"chargingProfileId": [132]}}
    Then the CSMS sent GetChargingProfiles with chargingProfile.chargingProfileId = [132]
    When the station reports the charging profiles it holds from "CSO"
    Then the CSMS answers ReportChargingProfiles

  @TC_K_33_CSMS @block_K @mandatory
  Scenario: TC_K_33_CSMS Get Charging Profile - EvseId > 0 + stackLevel
    Given the station is booted
    When the operator makes the CSMS set a TxDefaultProfile profile on EVSE 1 at stack level 2
    And the operator makes the CSMS send GetChargingProfiles with {"requestId": 33, "evseId": 1, "chargingProfile": {"stackLevel": 2}}
    Then the CSMS sent GetChargingProfiles with chargingProfile.stackLevel = 2
    When the station reports the charging profiles it holds from "CSO"
    Then the CSMS answers ReportChargingProfiles

  @TC_K_34_CSMS @block_K @mandatory
  Scenario: TC_K_34_CSMS Get Charging Profile - EvseId > 0 + chargingLimitSource
    Given the station is booted
    When the operator makes the CSMS send GetChargingProfiles with {"requestId": 34, "evseId": 1, "chargingProfile": {"chargingLimitSource": ["EMS"]}}
    Then the CSMS sent GetChargingProfiles with chargingProfile.chargingLimitSource = ["EMS"]
    When the station reports the charging profiles it holds from "EMS"
    Then the CSMS answers ReportChargingProfiles

  @TC_K_35_CSMS @block_K @mandatory
  Scenario: TC_K_35_CSMS Get Charging Profile - EvseId > 0 + chargingProfilePurpose
    Given the station is booted
    When the operator makes the CSMS set a TxDefaultProfile profile on EVSE 1
    And the operator makes the CSMS send GetChargingProfiles with {"requestId": 35, "evseId": 1, "chargingProfile": {"chargingProfilePurpose": "TxDefaultProfile"}}
    Then the CSMS sent GetChargingProfiles with chargingProfile.chargingProfilePurpose = "TxDefaultProfile"
    When the station reports the charging profiles it holds from "CSO"
    Then the CSMS answers ReportChargingProfiles

  @TC_K_36_CSMS @block_K @mandatory
  Scenario: TC_K_36_CSMS Get Charging Profile - EvseId > 0 + chargingProfilePurpose + stackLevel
    Given the station is booted
    When the operator makes the CSMS set a TxDefaultProfile profile on EVSE 1 at stack level 3
    And the operator makes the CSMS send GetChargingProfiles with {"requestId": 36, "evseId": 1, "chargingProfile": {"chargingProfilePurpose": "TxDefaultProfile", "stackLevel": 3}}
    Then the CSMS sent GetChargingProfiles with chargingProfile.stackLevel = 3
    When the station reports the charging profiles it holds from "CSO"
    Then the CSMS answers ReportChargingProfiles

  @TC_K_37_CSMS @block_K @mandatory
  Scenario: TC_K_37_CSMS Remote start transaction with charging profile - Success
    Given the station is booted
    And the EV is connected
    When the operator makes the CSMS remote start with a TxProfile for the "valid" token
    Then the CSMS sent RequestStartTransaction with chargingProfile.chargingProfilePurpose = "TxProfile"
    And the CSMS sent RequestStartTransaction without chargingProfile.transactionId
    When the station sends TransactionEvent "Updated" with trigger "RemoteStart" and charging state "Charging" and the "valid" token
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_K_43_CSMS @block_K @mandatory
  Scenario: TC_K_43_CSMS Get Composite Schedule - Specific EVSE
    Given the station is booted
    When the operator makes the CSMS send GetCompositeSchedule with {"duration": 300, "evseId": 1, "chargingRateUnit": "A"}
    Then the CSMS sent GetCompositeSchedule with evseId = 1
    And the CSMS sent GetCompositeSchedule with duration = 300

  @TC_K_44_CSMS @block_K @mandatory
  Scenario: TC_K_44_CSMS Get Composite Schedule - Charging Station
    Given the station is booted
    When the operator makes the CSMS send GetCompositeSchedule with {"duration": 300, "evseId": 0, "chargingRateUnit": "A"}
    Then the CSMS sent GetCompositeSchedule with evseId = 0

  @TC_K_48_CSMS @block_K @optional
  Scenario: TC_K_48_CSMS Set / Update External Charging Limit (not on a transaction)
    Given the station is booted
    When the station sends NotifyChargingLimit from "EMS"
    Then the CSMS answers NotifyChargingLimit

  @TC_K_50_CSMS @block_K @optional
  Scenario: TC_K_50_CSMS Reset / release external charging limit - Without ongoing transaction
    Given the station is booted
    When the station sends NotifyChargingLimit from "EMS"
    And the station sends ClearedChargingLimit from "EMS"
    Then the CSMS answers ClearedChargingLimit

  @TC_K_51_CSMS @block_K @optional
  Scenario: TC_K_51_CSMS Reset / release external charging limit - With ongoing transaction
    Given the station is charging with the "valid" token
    When the station sends NotifyChargingLimit from "EMS" on its EVSE
    Then the CSMS answers NotifyChargingLimit
    When the station sends ClearedChargingLimit from "EMS" on its EVSE
    Then the CSMS answers ClearedChargingLimit
    When the station sends TransactionEvent "Updated" with trigger "ChargingRateChanged"
    Then the CSMS answers TransactionEvent

  @TC_K_52_CSMS @block_K @optional
  Scenario: TC_K_52_CSMS Set / Update External Charging Limit (not on a transaction) - ChargingStationExternalConstraints in report
    Given the station is booted
    When the station sends NotifyChargingLimit from "EMS"
    Then the CSMS answers NotifyChargingLimit
    When the operator makes the CSMS send GetChargingProfiles with {"requestId": 52, "evseId": 0, "chargingProfile": {"chargingLimitSource": ["EMS"]}}
    And the station reports the charging profiles it holds from "EMS"
    Then the CSMS answers ReportChargingProfiles

  @TC_K_53_CSMS @block_K @mandatory
  Scenario: TC_K_53_CSMS Charging with load leveling based on High Level Communication - Success
    Given the target supports "ev_charging_needs"
    And the station is booted
    And the EV is connected
    And the driver is authorized with the "valid" token
    When the station sends NotifyEVChargingNeeds of the EV
    Then the CSMS answers NotifyEVChargingNeeds with status "Accepted or Processing"
    And the CSMS sends a SetChargingProfile for the transaction by itself
    When the station sends NotifyEVChargingSchedule within the CSMS's schedule
    Then the CSMS answers NotifyEVChargingSchedule with status "Accepted"
    When the station sends TransactionEvent "Updated" with trigger "ChargingStateChanged" and charging state "Charging"
    Then the CSMS answers TransactionEvent

  @TC_K_55_CSMS @block_K @mandatory
  Scenario: TC_K_55_CSMS Charging with load leveling based on High Level Communication - EV charging profile exceeds limits
    Given the target supports "ev_charging_needs"
    And the station is booted
    And the EV is connected
    And the driver is authorized with the "valid" token
    When the station sends NotifyEVChargingNeeds of the EV
    Then the CSMS answers NotifyEVChargingNeeds with status "Accepted or Processing"
    And the CSMS sends a SetChargingProfile for the transaction by itself
    When the station sends NotifyEVChargingSchedule over the CSMS's schedule
    Then the CSMS answers NotifyEVChargingSchedule with status "Rejected"
    And the CSMS renegotiates with a SetChargingProfile for the transaction

  @TC_K_57_CSMS @block_K @mandatory
  Scenario: TC_K_57_CSMS Renegotiating a Charging Schedule - Initiated by EV
    Given the target supports "ev_charging_needs"
    And the station is booted
    And the EV is connected
    And the driver is authorized with the "valid" token
    When the station sends NotifyEVChargingNeeds of the EV
    Then the CSMS sends a SetChargingProfile for the transaction by itself
    When the station sends NotifyEVChargingSchedule within the CSMS's schedule
    And the station sends TransactionEvent "Updated" with trigger "ChargingStateChanged" and charging state "Charging"
    And the station sends NotifyEVChargingNeeds of the EV
    Then the CSMS answers NotifyEVChargingNeeds with status "Accepted or Processing"
    And the CSMS sends a SetChargingProfile for the transaction by itself
    When the station sends NotifyEVChargingSchedule within the CSMS's schedule
    Then the CSMS answers NotifyEVChargingSchedule with status "Accepted"

  @TC_K_58_CSMS @block_K @mandatory
  Scenario: TC_K_58_CSMS Renegotiating a Charging Schedule - Initiated by CSMS
    Given the target supports "ev_charging_needs"
    And the station is charging with the "valid" token
    When the operator makes the CSMS set a TxProfile profile on EVSE 1 for the transaction
    Then the CSMS sent SetChargingProfile with chargingProfile.transactionId = "<transactionId>"
    When the station sends NotifyEVChargingSchedule within the CSMS's schedule
    Then the CSMS answers NotifyEVChargingSchedule with status "Accepted"

  @TC_K_59_CSMS @block_K @mandatory
  Scenario: TC_K_59_CSMS Renegotiating a Charging Schedule - Initiated by CSMS - Send NotifyEVChargingNeeds
    Given the target supports "ev_charging_needs"
    And the station is charging with the "valid" token
    When the operator makes the CSMS set a TxProfile profile on EVSE 1 for the transaction
    And the station sends NotifyEVChargingNeeds of the EV
    Then the CSMS answers NotifyEVChargingNeeds with status "Accepted or Processing"
    And the CSMS sends a SetChargingProfile for the transaction by itself

  @TC_K_60_CSMS @block_K @mandatory
  Scenario: TC_K_60_CSMS Set Charging Profile - TxProfile with ongoing transaction on the specified EVSE
    Given the station is charging with the "valid" token
    When the operator makes the CSMS set a TxProfile profile on EVSE 1 for the transaction
    Then the CSMS sent SetChargingProfile with evseId = 1
    And the CSMS sent SetChargingProfile with chargingProfile.chargingProfilePurpose = "TxProfile"
    And the CSMS sent SetChargingProfile with chargingProfile.transactionId = "<transactionId>"

  @TC_K_70_CSMS @block_K @mandatory
  Scenario: TC_K_70_CSMS Set Charging Profile - Multiple Profiles
    Given the station is booted
    When the operator makes the CSMS set a TxDefaultProfile profile on EVSE 1 at stack level 0
    Then the CSMS sent SetChargingProfile with chargingProfile.stackLevel = 0
    When the operator makes the CSMS set a TxDefaultProfile profile on EVSE 1 at stack level 1 limited to 10 A
    Then the CSMS sent SetChargingProfile with chargingProfile.stackLevel = 1
    When the operator makes the CSMS set a ChargingStationMaxProfile profile on EVSE 0
    Then the CSMS sent SetChargingProfile with chargingProfile.chargingProfilePurpose = "ChargingStationMaxProfile"
