@conformance @ocpp16
Feature: OCPP 1.6 security extension - certificates and security events (white paper)
  ExtendedTriggerMessage SignChargePointCertificate, SignCertificate and the CertificateSigned the
  Central System sends by itself; InstallCertificate, GetInstalledCertificateIds, DeleteCertificate
  on the operator's request; SecurityEventNotification.

  @TC_073_CSMS @security @mandatory
  Scenario: TC_073_CSMS Update Charge Point Password for HTTP Basic Authentication
    Given the station uses HTTP Basic authentication
    And the station is booted
    When the operator makes the CSMS send ChangeConfiguration with {"key": "AuthorizationKey", "value": "4f4354542d6e65772d70617373776f72642d3733"}
    Then the CSMS sent ChangeConfiguration with key = "AuthorizationKey"
    When the station reconnects with the password the CSMS sent
    And the station sends BootNotification
    Then the CSMS answers BootNotification with status "Accepted"
    And the CSMS gives the station its configured password back

  @TC_074_CSMS @security @mandatory
  Scenario: TC_074_CSMS Update Charge Point Certificate by request of Central System
    Given the station is booted
    When the operator makes the CSMS send ExtendedTriggerMessage with {"requestedMessage": "SignChargePointCertificate"}
    Then the CSMS sent ExtendedTriggerMessage with requestedMessage = "SignChargePointCertificate"
    And the CSMS sent ExtendedTriggerMessage without connectorId
    When the station sends SignCertificate for its "ChargePointCertificate"
    Then the CSMS answers SignCertificate with status "Accepted"
    And the CSMS sends CertificateSigned for the "ChargePointCertificate" by itself

  @TC_075_1_CSMS @security @mandatory
  Scenario: TC_075_1_CSMS Install a certificate on the Charge Point - ManufacturerRootCertificate
    Given the station is booted
    When the operator makes the CSMS install a "ManufacturerRootCertificate" certificate
    Then the CSMS sent InstallCertificate with certificateType = "ManufacturerRootCertificate"
    And the CSMS sent InstallCertificate with the certificate

  @TC_075_2_CSMS @security @mandatory
  Scenario: TC_075_2_CSMS Install a certificate on the Charge Point - CentralSystemRootCertificate
    Given the station is booted
    When the operator makes the CSMS install a "CentralSystemRootCertificate" certificate
    Then the CSMS sent InstallCertificate with certificateType = "CentralSystemRootCertificate"
    And the CSMS sent InstallCertificate with the certificate

  @TC_076_CSMS @security @mandatory
  Scenario: TC_076_CSMS Delete a specific certificate from the Charge Point
    Given the station is booted
    And the station holds the "CentralSystemRootCertificate" certificate of its hash data
    When the operator makes the CSMS send GetInstalledCertificateIds with {"certificateType": "CentralSystemRootCertificate"}
    And the operator makes the CSMS delete the certificate the station reported
    Then the CSMS sent DeleteCertificate with the hash data the station reported

  @TC_077_CSMS @security @mandatory
  Scenario: TC_077_CSMS Invalid ChargePointCertificate Security Event
    Given the station is booted
    And the station will answer CertificateSigned with status "Rejected"
    When the operator makes the CSMS send ExtendedTriggerMessage with {"requestedMessage": "SignChargePointCertificate"}
    Then the CSMS sent ExtendedTriggerMessage with requestedMessage = "SignChargePointCertificate"
    When the station sends SignCertificate for its "ChargePointCertificate"
    Then the CSMS answers SignCertificate with status "Accepted"
    And the CSMS sends CertificateSigned for the "ChargePointCertificate" by itself
    When the station sends SecurityEventNotification "InvalidChargePointCertificate"
    Then the CSMS answers SecurityEventNotification

  @TC_078_CSMS @security @mandatory
  Scenario: TC_078_CSMS Invalid CentralSystemCertificate Security Event
    Given the station is booted
    And the station will answer InstallCertificate with status "Rejected"
    When the operator makes the CSMS install a "CentralSystemRootCertificate" certificate
    Then the CSMS sent InstallCertificate with certificateType = "CentralSystemRootCertificate"
    When the station sends SecurityEventNotification "InvalidCentralSystemCertificate"
    Then the CSMS answers SecurityEventNotification
