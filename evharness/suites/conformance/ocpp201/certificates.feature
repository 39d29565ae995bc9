@conformance @ocpp201
Feature: OCPP 2.0.1 block A - the station's certificates, signed by the CSMS
  The operator makes the CSMS ask for a new certificate (TriggerMessage); the station sends a real
  CSR (CN its identity); the CSMS accepts it and sends by itself a CertificateSigned whose chain is
  valid for the CSR's key (A02.FR.02-05).

  @TC_A_11_CSMS @block_A @mandatory
  Scenario: TC_A_11_CSMS Update Charging Station Certificate by request of CSMS - Success - Charging Station Certificate
    Given the station is booted
    When the operator makes the CSMS send TriggerMessage with {"requestedMessage": "SignChargingStationCertificate"}
    Then the CSMS sent TriggerMessage with requestedMessage = "SignChargingStationCertificate"
    When the station sends SignCertificate for its "ChargingStationCertificate"
    Then the CSMS answers SignCertificate with status "Accepted"
    And the CSMS sends CertificateSigned for the "ChargingStationCertificate" by itself

  @TC_A_12_CSMS @block_A @mandatory
  Scenario: TC_A_12_CSMS Update Charging Station Certificate by request of CSMS - Success - V2G Certificate
    Given the station is booted
    When the operator makes the CSMS send TriggerMessage with {"requestedMessage": "SignV2GCertificate"}
    Then the CSMS sent TriggerMessage with requestedMessage = "SignV2GCertificate"
    When the station sends SignCertificate for its "V2GCertificate"
    Then the CSMS answers SignCertificate with status "Accepted"
    And the CSMS sends CertificateSigned for the "V2GCertificate" by itself

  @TC_A_13_CSMS @block_A @conditional
  Scenario: TC_A_13_CSMS Update Charging Station Certificate by request of CSMS - Success - Combined Certificate
    Given the station is booted
    When the operator makes the CSMS send TriggerMessage with {"requestedMessage": "SignCombinedCertificate"}
    Then the CSMS sent TriggerMessage with requestedMessage = "SignCombinedCertificate"
    When the station sends SignCertificate for its "ChargingStationCertificate"
    Then the CSMS answers SignCertificate with status "Accepted"
    And the CSMS sends CertificateSigned for the "ChargingStationCertificate" by itself
    When the station sends SignCertificate for its "V2GCertificate"
    Then the CSMS answers SignCertificate with status "Accepted"
    And the CSMS sends CertificateSigned for the "V2GCertificate" by itself

  @TC_A_14_CSMS @block_A @mandatory
  Scenario: TC_A_14_CSMS Update Charging Station Certificate by request of CSMS - Invalid certificate
    Given the station is booted
    And the station will answer CertificateSigned with status "Rejected"
    When the operator makes the CSMS send TriggerMessage with {"requestedMessage": "SignChargingStationCertificate"}
    Then the CSMS sent TriggerMessage with requestedMessage = "SignChargingStationCertificate"
    When the station sends SignCertificate for its "ChargingStationCertificate"
    Then the CSMS answers SignCertificate with status "Accepted"
    And the CSMS sends CertificateSigned for the "ChargingStationCertificate" by itself
    When the station sends SecurityEventNotification "InvalidChargingStationCertificate"
    Then the CSMS answers SecurityEventNotification
