@conformance @ocpp201
Feature: OCPP 2.0.1 block C - authorization
  The CSMS decides on tokens presented locally and on tokens in TransactionEvents; the accepted
  statuses are the OCTT's sets (CATALOG §3.1): a conformant CSMS may say Invalid where another
  says Unknown. C_02 runs with an RFID card and with a PIN (KeyCode, C04.FR.01).

  @TC_C_02_CSMS @block_C @mandatory
  Scenario Outline: TC_C_02_CSMS Local start transaction - Authorization Invalid/Unknown
    Given the station is booted
    When the driver presents the "<token>" token
    Then the CSMS answers Authorize with status "Invalid or Unknown"

    Examples:
      | token       |
      | invalid     |
      | invalid_pin |

  @TC_C_06_CSMS @block_C @mandatory
  Scenario: TC_C_06_CSMS Local start transaction - Authorization Blocked
    Given the station is booted
    When the driver presents the "blocked" token
    Then the CSMS answers Authorize with status "Blocked or Invalid"

  @TC_C_07_CSMS @block_C @mandatory
  Scenario: TC_C_07_CSMS Local start transaction - Authorization Expired
    Given the station is booted
    When the driver presents the "expired" token
    Then the CSMS answers Authorize with status "Expired or Invalid"

  @TC_C_08_CSMS @block_C @mandatory
  Scenario: TC_C_08_CSMS Authorization through authorization cache - Accepted
    Given the station is booted
    And the EV is connected
    When the station sends TransactionEvent "Updated" with trigger "Authorized" and the "valid" token
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_C_20_CSMS @block_C @mandatory
  Scenario: TC_C_20_CSMS Authorization through authorization cache - Invalid
    Given the station is booted
    And the EV is connected
    When the station sends TransactionEvent "Updated" with trigger "Authorized" and the "invalid" token
    Then the CSMS answers TransactionEvent with status "Invalid or Unknown"

  @TC_C_37_CSMS @block_C @mandatory
  Scenario: TC_C_37_CSMS Clear Authorization Data in Authorization Cache - Accepted
    Given the station is booted
    When the operator makes the CSMS send ClearCache with {}
    Then the CSMS sent ClearCache with an empty payload

  @TC_C_38_CSMS @block_C @mandatory
  Scenario: TC_C_38_CSMS Clear Authorization Data in Authorization Cache - Rejected
    Given the station is booted
    And the station will answer ClearCache with status "Rejected"
    When the operator makes the CSMS send ClearCache with {}
    Then the CSMS sent ClearCache with an empty payload

  @TC_C_39_CSMS @block_C @mandatory
  Scenario: TC_C_39_CSMS Authorization by GroupId - Success
    Given the target supports "group_id"
    And the station is booted
    When the driver presents the "valid" token
    Then the CSMS answers Authorize with status "Accepted"
    And the CSMS answers Authorize with the groupIdToken of "group_id"
    When the EV is plugged in
    And the station sends TransactionEvent "Updated" with trigger "Authorized" and the "valid" token
    Then the CSMS answers TransactionEvent with status "Accepted"
    And the CSMS answers TransactionEvent with the groupIdToken of "group_id"

  @TC_C_40_CSMS @block_C @mandatory
  Scenario: TC_C_40_CSMS Authorization by GroupId - Success with Local Authorization List
    Given the target supports "group_id"
    And the station is booted
    And the EV is connected
    When the station sends TransactionEvent "Updated" with trigger "Authorized" and the "valid" token
    Then the CSMS answers TransactionEvent with status "Accepted"
    And the CSMS answers TransactionEvent with the groupIdToken of "group_id"
    When the station sends TransactionEvent "Ended" with trigger "StopAuthorized" and stopped reason "Local" and the "valid" token
    Then the CSMS answers TransactionEvent with status "Accepted"
    And the CSMS answers TransactionEvent with the groupIdToken of "group_id"

  @TC_C_43_CSMS @block_C @mandatory
  Scenario: TC_C_43_CSMS Authorization by GroupId - Invalid status with Local Authorization List
    Given the target supports "group_id"
    And the station is booted
    And the EV is connected
    When the station sends TransactionEvent "Updated" with trigger "Authorized" and the "valid" token
    Then the CSMS answers TransactionEvent with status "Accepted"
    And the CSMS answers TransactionEvent with the groupIdToken of "group_id"
    When the driver presents the "valid" token
    Then the CSMS answers Authorize with status "Accepted"
    And the CSMS answers Authorize with the groupIdToken of "group_id"

  @TC_C_47_CSMS @block_C @mandatory
  Scenario: TC_C_47_CSMS Stop Transaction with a Master Pass - With UI - All transactions
    Given the target supports "master_pass"
    And the station is charging with the "valid" token
    When the driver presents the "master" token
    Then the CSMS answers Authorize with status "Accepted"
    And the CSMS answers Authorize with the groupIdToken of "master_pass"
    When the station sends TransactionEvent "Ended" with trigger "StopAuthorized" and stopped reason "MasterPass" and the "master" token
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_C_48_CSMS @block_C @mandatory
  Scenario: TC_C_48_CSMS Stop Transaction with a Master Pass - With UI - With UI - Specific transactions
    Given the target supports "master_pass"
    And the station is charging with the "valid" token
    When the driver presents the "master" token
    Then the CSMS answers Authorize with status "Accepted"
    And the CSMS answers Authorize with the groupIdToken of "master_pass"
    When the station sends TransactionEvent "Ended" with trigger "StopAuthorized" and stopped reason "MasterPass" and the "master" token
    Then the CSMS answers TransactionEvent with status "Accepted"
    And the CSMS answers TransactionEvent with the groupIdToken of "master_pass"

  @TC_C_49_CSMS @block_C @mandatory
  Scenario: TC_C_49_CSMS Stop Transaction with a Master Pass - Without UI
    Given the target supports "master_pass"
    And the station is charging with the "valid" token
    When the driver presents the "master" token
    Then the CSMS answers Authorize with status "Accepted"
    When the station sends TransactionEvent "Ended" with trigger "StopAuthorized" and stopped reason "MasterPass" and the "master" token
    Then the CSMS answers TransactionEvent

  @TC_C_50_CSMS @block_C @mandatory
  Scenario: TC_C_50_CSMS Authorization using Contract Certificates 15118 - Online - Local contract certificate validation - Accepted
    Given the target supports "iso15118"
    And the station is booted
    And the EV holds a valid contract certificate whose OCSP responder runs
    When the EV presents its contract certificate by its hash data
    Then the CSMS answers Authorize with status "Accepted"
    And the CSMS answers Authorize with certificateStatus "Accepted" after asking its responder
    When the station starts a transaction with the contract's eMAID
    Then the CSMS answers TransactionEvent with status "Accepted"

  @TC_C_51_CSMS @block_C @mandatory
  Scenario: TC_C_51_CSMS Authorization using Contract Certificates 15118 - Online - Local contract certificate validation - Rejected
    Given the target supports "iso15118"
    And the station is booted
    And the EV holds a revoked contract certificate whose OCSP responder runs
    When the EV presents its contract certificate by its hash data
    Then the CSMS answers Authorize with status "Invalid, Unknown, Blocked, Expired or NoCredit"
    And the CSMS answers Authorize with certificateStatus "CertificateRevoked" after asking its responder

  @TC_C_52_CSMS @block_C @mandatory
  Scenario: TC_C_52_CSMS Authorization using Contract Certificates 15118 - Online - Central contract certificate validation - Accepted
    Given the target supports "iso15118"
    And the station is booted
    And the EV holds a valid contract certificate whose OCSP responder runs
    When the EV presents its contract certificate chain
    Then the CSMS answers Authorize with status "Accepted"
    And the CSMS answers Authorize with certificateStatus "Accepted" after asking its responder
    When the station starts a transaction with the contract's eMAID
    Then the CSMS answers TransactionEvent with status "Accepted"
