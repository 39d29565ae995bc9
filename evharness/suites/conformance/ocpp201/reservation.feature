@conformance @ocpp201
Feature: OCPP 2.0.1 block H - reservation
  The operator makes the CSMS reserve an EVSE, a connector type or any EVSE for a token, and cancel
  it; the tool-station shows the EVSE Reserved, starts on the reservation or reports its end
  (ReservationStatusUpdate), and the CSMS answers each message.

  @TC_H_01_CSMS @block_H @mandatory
  Scenario: TC_H_01_CSMS Reserve a specific EVSE - Accepted - Valid idToken
    Given the station is booted
    When the operator makes the CSMS reserve EVSE 1 for the "valid" token
    Then the CSMS sent ReserveNow with evseId = 1
    And the CSMS sent ReserveNow with idToken.idToken = "<valid>"
    And the CSMS sent ReserveNow with expiryDateTime in the future
    When the station reports the connector "Reserved"
    Then the CSMS answers StatusNotification
    When the driver presents the "valid" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station starts a transaction with the "valid" token on the reservation
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_H_07_CSMS @block_H @mandatory
  Scenario: TC_H_07_CSMS Reserve a specific EVSE - Reservation Ended / not used
    Given the station is booted
    When the operator makes the CSMS reserve EVSE 1 for the "valid" token
    Then the CSMS sent ReserveNow with evseId = 1
    When the station reports the connector "Reserved"
    And the station sends ReservationStatusUpdate "Expired" for the reservation
    Then the CSMS answers ReservationStatusUpdate
    When the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_H_08_CSMS @block_H @conditional
  Scenario: TC_H_08_CSMS Reserve an unspecified EVSE - Accepted
    Given the station is booted
    And the target supports "reserve_unspecified"
    When the operator makes the CSMS reserve EVSE any for the "valid" token
    Then the CSMS sent ReserveNow without evseId
    And the CSMS sent ReserveNow with idToken.idToken = "<valid>"
    When the driver presents the "valid" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station starts a transaction with the "valid" token on the reservation
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_H_14_CSMS @block_H @conditional
  Scenario: TC_H_14_CSMS Reserve an unspecified EVSE - Amount of EVSEs available equals the amount of reservations
    Given the station is booted
    And the target supports "reserve_unspecified"
    When the operator makes the CSMS reserve EVSE any for the "valid" token
    Then the CSMS sent ReserveNow without evseId
    When the station reports the connector "Reserved"
    Then the CSMS answers StatusNotification
    When the station sends ReservationStatusUpdate "Expired" for the reservation
    Then the CSMS answers ReservationStatusUpdate
    When the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_H_15_CSMS @block_H @conditional
  Scenario: TC_H_15_CSMS Reserve a connector with a specific type - Success
    Given the station is booted
    And the target supports "reserve_connector_type"
    When the operator makes the CSMS reserve a "cType2" connector for the "valid" token
    Then the CSMS sent ReserveNow with connectorType = "cType2"
    When the station reports the connector "Reserved"
    Then the CSMS answers StatusNotification
    When the driver presents the "valid" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station starts a transaction with the "valid" token on the reservation
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_H_17_CSMS @block_H @mandatory
  Scenario: TC_H_17_CSMS Cancel reservation of an EVSE - Success
    Given the station is booted
    When the operator makes the CSMS reserve EVSE 1 for the "valid" token
    And the station reports the connector "Reserved"
    And the operator makes the CSMS cancel the reservation
    Then the CSMS sent CancelReservation for the reservation
    When the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_H_19_CSMS @block_H @mandatory
  Scenario: TC_H_19_CSMS Reserve a specific EVSE - Use a reserved EVSE with GroupId
    Given the station is booted
    When the operator makes the CSMS reserve EVSE 1 for the "valid" token and its group
    Then the CSMS sent ReserveNow with the group of "group_id"
    When the station reports the connector "Reserved"
    And the driver presents the "valid" token
    Then the CSMS answers Authorize with the groupIdToken of "group_id"
    When the station starts a transaction with the "valid" token on the reservation
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_H_20_CSMS @block_H @mandatory
  Scenario: TC_H_20_CSMS Charging Station cancels reservation when Faulted
    Given the station is booted
    When the operator makes the CSMS reserve EVSE 1 for the "valid" token
    And the station reports the connector "Reserved"
    And the station reports the connector "Faulted"
    And the station sends ReservationStatusUpdate "Removed" for the reservation
    Then the CSMS answers ReservationStatusUpdate

  @TC_H_22_CSMS @block_H @mandatory
  Scenario: TC_H_22_CSMS Reserve a specific EVSE - Configured to Reject
    Given the station is booted
    And the station will answer ReserveNow with status "Rejected"
    When the operator makes the CSMS reserve EVSE 1 for the "valid" token
    Then the CSMS sent ReserveNow with evseId = 1
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat
