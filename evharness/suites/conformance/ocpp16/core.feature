@conformance @ocpp16
Feature: OCPP 1.6 core - the Central System handles what a Charge Point sends
  OCTT Central System test cases (Compliancy Testing Tool test case document, §3.1-3.8) in which
  the Charge Point acts by itself. The tool-station is the one of the target file (`stations."1.6"`)
  and presents the target file's tokens.

  @TC_001_CSMS @core @mandatory
  Scenario: TC_001_CSMS Cold Boot Charge Point
    Given the station is connected
    When the station sends BootNotification
    Then the CSMS answers BootNotification with status "Accepted"
    And the CSMS gives a heartbeat interval and its current time
    When the station reports the connector "Available"
    Then the CSMS answers StatusNotification
    When the station sends a Heartbeat
    Then the CSMS answers the Heartbeat with its current time

  @TC_003_CSMS @core @mandatory
  Scenario Outline: TC_003_CSMS Regular Charging Session - Plugin First
    Given the station is booted
    When the station reports the connector "Preparing"
    And the driver presents the "<token>" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station starts a transaction with the "<token>" token
    Then the CSMS answers StartTransaction with status "Accepted"
    And the CSMS gives a transactionId
    When the station reports the connector "Charging"
    And the EV consumes 2500 Wh
    And the station sends sampled meter values
    Then the CSMS answers MeterValues
    When the station stops the transaction with reason "Local" and the "<token>" token
    Then the CSMS answers StopTransaction
    When the station reports the connector "Finishing"
    And the station reports the connector "Available"
    Then the CSMS answers StatusNotification

    Examples: an RFID card and a PIN code (idTag "#" + digits)
      | token     |
      | valid     |
      | valid_pin |

  @TC_004_1_CSMS @core @mandatory
  Scenario: TC_004_1_CSMS Regular Charging Session - Identification First
    Given the station is booted
    When the driver presents the "valid" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station reports the connector "Preparing"
    And the station starts a transaction with the "valid" token
    Then the CSMS answers StartTransaction with status "Accepted"
    When the station reports the connector "Charging"
    Then the CSMS answers StatusNotification

  @TC_004_2_CSMS @core @mandatory
  Scenario: TC_004_2_CSMS Regular Charging Session - Identification First - ConnectionTimeOut
    Given the station is booted
    When the driver presents the "valid" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station reports the connector "Preparing"
    And the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_005_1_CSMS @core @mandatory
  Scenario: TC_005_1_CSMS EV Side Disconnected - StopTransactionOnEVSideDisconnect = true
    Given the station is charging with the "valid" token
    When the station reports the connector "SuspendedEV"
    And the station stops the transaction with reason "EVDisconnected"
    Then the CSMS answers StopTransaction
    When the station reports the connector "Finishing"
    And the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_007_CSMS @core @mandatory
  Scenario: TC_007_CSMS Regular Start Charging Session - Cached Id
    Given the station is booted
    When the station reports the connector "Preparing"
    And the station starts a transaction with the "valid" token
    Then the CSMS answers StartTransaction with status "Accepted"
    When the station reports the connector "Charging"
    Then the CSMS answers StatusNotification

  @TC_023_1_CSMS @core @mandatory
  Scenario Outline: TC_023_1_CSMS Start Charging Session - Authorize invalid
    Given the station is booted
    When the driver presents the "<token>" token
    Then the CSMS answers Authorize with status "Invalid"

    Examples: an unknown RFID card and an unknown PIN code
      | token       |
      | invalid     |
      | invalid_pin |

  @TC_023_2_CSMS @core @mandatory
  Scenario: TC_023_2_CSMS Start Charging Session - Authorize expired
    Given the station is booted
    When the driver presents the "expired" token
    Then the CSMS answers Authorize with status "Expired"

  @TC_023_3_CSMS @core @mandatory
  Scenario: TC_023_3_CSMS Start Charging Session - Authorize blocked
    Given the station is booted
    When the driver presents the "blocked" token
    Then the CSMS answers Authorize with status "Blocked"

  @TC_024_CSMS @core @mandatory
  Scenario: TC_024_CSMS Start Charging Session Lock Failure
    Given the station is booted
    When the station reports the connector "Preparing"
    And the driver presents the "valid" token
    And the station reports the connector "Faulted" with error "ConnectorLockFailure"
    Then the CSMS answers StatusNotification

  @TC_032_1_CSMS @core @mandatory
  Scenario: TC_032_1_CSMS Power failure boot charging point-configured to stop transaction(s)
    Given the station is charging with the "valid" token
    When the station loses power and boots again
    Then the CSMS answers BootNotification with status "Accepted"
    When the station reports the connector "Finishing"
    And the station stops the transaction with reason "PowerLoss"
    Then the CSMS answers StopTransaction
    When the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_064_CSMS @core @mandatory
  Scenario: TC_064_CSMS Data Transfer to a Central System
    Given the station is booted
    When the station sends a DataTransfer
    Then the CSMS answers DataTransfer with status "Rejected, UnknownMessageId, UnknownVendorId, Accepted"

  @TC_088_CSMS @security @mandatory
  Scenario: TC_088_CSMS WebSocket Subprotocol negotiation
    When a station connects offering only "ocpp0.1"
    Then the CSMS refuses the upgrade
    When a station connects offering "ocpp0.1, ocpp1.6"
    Then the CSMS upgrades with "ocpp1.6"
