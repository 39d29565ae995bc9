@conformance @ocpp16
Feature: OCPP 1.6 Reservation profile
  The operator makes the Central System reserve a connector (or the whole Charge Point, connector 0)
  for an idTag and cancel it; the tool-station answers ReserveNow and CancelReservation as each case
  says, shows the connector Reserved and starts on the reservation (StartTransaction reservationId).

  @TC_046_CSMS @reservation @mandatory
  Scenario: TC_046_CSMS Reservation of a Connector - Transaction
    Given the station is booted
    When the operator makes the CSMS reserve connector 1 for the "valid" token
    Then the CSMS sent ReserveNow with connectorId = "<connector>"
    And the CSMS sent ReserveNow with idTag = "<valid>"
    And the CSMS sent ReserveNow with expiryDate in the future
    When the station reports the connector "Reserved"
    Then the CSMS answers StatusNotification
    When the driver presents the "valid" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station reports the connector "Preparing"
    And the station starts a transaction with the "valid" token on the reservation
    Then the CSMS answers StartTransaction with status "Accepted"
    When the station reports the connector "Charging"
    Then the CSMS answers StatusNotification

  @TC_047_CSMS @reservation @mandatory
  Scenario: TC_047_CSMS Reservation of a Connector - Expire
    Given the station is booted
    When the operator makes the CSMS reserve connector 1 for the "valid" token
    Then the CSMS sent ReserveNow with expiryDate in the future
    When the station reports the connector "Reserved"
    And the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_048_1_CSMS @reservation @mandatory
  Scenario: TC_048_1_CSMS Reservation of a Connector - Faulted
    Given the station is booted
    And the station will answer ReserveNow with status "Faulted"
    When the station reports the connector "Faulted"
    And the operator makes the CSMS reserve connector 1 for the "valid" token
    Then the CSMS sent ReserveNow with connectorId = "<connector>"
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_048_2_CSMS @reservation @mandatory
  Scenario: TC_048_2_CSMS Reservation of a Connector - Occupied
    Given the station is booted
    And the station will answer ReserveNow with status "Occupied"
    When the station reports the connector "Preparing"
    And the operator makes the CSMS reserve connector 1 for the "valid" token
    Then the CSMS sent ReserveNow with connectorId = "<connector>"
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_048_3_CSMS @reservation @mandatory
  Scenario: TC_048_3_CSMS Reservation of a Connector - Unavailable
    Given the station is booted
    And the station will answer ReserveNow with status "Unavailable"
    When the station reports the connector "Unavailable"
    And the operator makes the CSMS reserve connector 1 for the "valid" token
    Then the CSMS sent ReserveNow with connectorId = "<connector>"
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_048_4_CSMS @reservation @mandatory
  Scenario: TC_048_4_CSMS Reservation of a Connector - Rejected
    Given the station is booted
    And the station will answer ReserveNow with status "Rejected"
    When the operator makes the CSMS reserve connector 1 for the "valid" token
    Then the CSMS sent ReserveNow with connectorId = "<connector>"
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_049_CSMS @reservation @mandatory
  Scenario: TC_049_CSMS Reservation of a Charge Point - Transaction
    Given the station is booted
    When the operator makes the CSMS reserve connector 0 for the "valid" token
    Then the CSMS sent ReserveNow with connectorId = 0
    When the station reports the connector "Reserved"
    Then the CSMS answers StatusNotification
    When the driver presents the "valid" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station starts a transaction with the "valid" token on the reservation
    Then the CSMS answers StartTransaction with status "Accepted"

  @TC_051_CSMS @reservation @mandatory
  Scenario: TC_051_CSMS Cancel Reservation
    Given the station is booted
    When the operator makes the CSMS reserve connector 1 for the "valid" token
    And the station reports the connector "Reserved"
    And the operator makes the CSMS cancel the reservation
    Then the CSMS sent CancelReservation for the reservation
    When the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_052_CSMS @reservation @mandatory
  Scenario: TC_052_CSMS Cancel Reservation - Rejected
    Given the station is booted
    And the station will answer CancelReservation with status "Rejected"
    When the operator makes the CSMS reserve connector 1 for the "valid" token
    And the station reports the connector "Reserved"
    And the operator makes the CSMS cancel the reservation
    Then the CSMS sent CancelReservation for the reservation
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat
    # the reservation ends later, on its expiry
    When the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_053_CSMS @reservation @mandatory
  Scenario: TC_053_CSMS Use a Reserved Connector with parentIdTag
    Given the station is booted
    When the operator makes the CSMS reserve connector 1 for the "valid" token and its group
    Then the CSMS sent ReserveNow with the group of "group_id"
    When the station reports the connector "Reserved"
    And the driver presents the "valid" token
    Then the CSMS answers Authorize with the groupIdToken of "group_id"
    When the station starts a transaction with the "valid" token on the reservation
    Then the CSMS answers StartTransaction with status "Accepted"
