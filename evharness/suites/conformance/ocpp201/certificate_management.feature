@conformance @ocpp201
Feature: OCPP 2.0.1 block M - ISO 15118 certificate management
  Install, list and delete the certificates on the station (M03-M05), on the operator's request
  through the driver; the station's V2G certificate status through the OCSP responder it names
  (M06, the harness's own responder on 127.0.0.1); the EV's contract certificate (M01/M02).

  @TC_M_01_CSMS @block_M @mandatory
  Scenario: TC_M_01_CSMS Install CA certificate - CSMSRootCertificate
    Given the station is booted
    When the operator makes the CSMS install a "CSMSRootCertificate" certificate
    Then the CSMS sent InstallCertificate with certificateType = "CSMSRootCertificate"
    And the CSMS sent InstallCertificate with the certificate

  @TC_M_02_CSMS @block_M @mandatory
  Scenario: TC_M_02_CSMS Install CA certificate - ManufacturerRootCertificate
    Given the station is booted
    When the operator makes the CSMS install a "ManufacturerRootCertificate" certificate
    Then the CSMS sent InstallCertificate with certificateType = "ManufacturerRootCertificate"
    And the CSMS sent InstallCertificate with the certificate

  @TC_M_03_CSMS @block_M @mandatory
  Scenario: TC_M_03_CSMS Install CA certificate - V2GRootCertificate
    Given the station is booted
    When the operator makes the CSMS install a "V2GRootCertificate" certificate
    Then the CSMS sent InstallCertificate with certificateType = "V2GRootCertificate"
    And the CSMS sent InstallCertificate with the certificate

  @TC_M_04_CSMS @block_M @mandatory
  Scenario: TC_M_04_CSMS Install CA certificate - MORootCertificate
    Given the station is booted
    When the operator makes the CSMS install a "MORootCertificate" certificate
    Then the CSMS sent InstallCertificate with certificateType = "MORootCertificate"
    And the CSMS sent InstallCertificate with the certificate

  @TC_M_05_CSMS @block_M @mandatory
  Scenario: TC_M_05_CSMS Install CA certificate - Failed
    Given the station is booted
    And the station will answer InstallCertificate with status "Failed"
    When the operator makes the CSMS install a "CSMSRootCertificate" certificate
    Then the CSMS sent InstallCertificate with certificateType = "CSMSRootCertificate"

  @TC_M_12_CSMS @block_M @optional
  Scenario: TC_M_12_CSMS Retrieve certificates from Charging Station - CSMSRootCertificate
    Given the station is booted
    And the station holds the "CSMSRootCertificate" certificate of its hash data
    When the operator makes the CSMS send GetInstalledCertificateIds with {"certificateType": ["CSMSRootCertificate"]}
    Then the CSMS sent GetInstalledCertificateIds with certificateType = ["CSMSRootCertificate"]

  @TC_M_13_CSMS @block_M @mandatory
  Scenario: TC_M_13_CSMS Retrieve certificates from Charging Station - ManufacturerRootCertificate
    Given the station is booted
    And the station holds the "ManufacturerRootCertificate" certificate of its hash data
    When the operator makes the CSMS send GetInstalledCertificateIds with {"certificateType": ["ManufacturerRootCertificate"]}
    Then the CSMS sent GetInstalledCertificateIds with certificateType = ["ManufacturerRootCertificate"]

  @TC_M_14_CSMS @block_M @mandatory
  Scenario: TC_M_14_CSMS Retrieve certificates from Charging Station - V2GRootCertificate
    Given the station is booted
    And the station holds the "V2GRootCertificate" certificate of its hash data
    When the operator makes the CSMS send GetInstalledCertificateIds with {"certificateType": ["V2GRootCertificate"]}
    Then the CSMS sent GetInstalledCertificateIds with certificateType = ["V2GRootCertificate"]

  @TC_M_15_CSMS @block_M @mandatory
  Scenario: TC_M_15_CSMS Retrieve certificates from Charging Station - V2GCertificateChain
    Given the station is booted
    And the station holds the "V2GCertificateChain" certificate of its hash data
    When the operator makes the CSMS send GetInstalledCertificateIds with {"certificateType": ["V2GCertificateChain"]}
    Then the CSMS sent GetInstalledCertificateIds with certificateType = ["V2GCertificateChain"]

  @TC_M_16_CSMS @block_M @mandatory
  Scenario: TC_M_16_CSMS Retrieve certificates from Charging Station - MORootCertificate
    Given the station is booted
    And the station holds the "MORootCertificate" certificate of its hash data
    When the operator makes the CSMS send GetInstalledCertificateIds with {"certificateType": ["MORootCertificate"]}
    Then the CSMS sent GetInstalledCertificateIds with certificateType = ["MORootCertificate"]

  @TC_M_17_CSMS @block_M @optional
  Scenario: TC_M_17_CSMS Retrieve certificates from Charging Station - CSMSRootCertificate & ManufacturerRootCertificate
    Given the station is booted
    And the station holds the "CSMSRootCertificate" certificate of its hash data
    When the operator makes the CSMS send GetInstalledCertificateIds with {"certificateType": ["CSMSRootCertificate", "ManufacturerRootCertificate"]}
    Then the CSMS sent GetInstalledCertificateIds with certificateType = ["CSMSRootCertificate", "ManufacturerRootCertificate"]

  @TC_M_18_CSMS @block_M @mandatory
  Scenario: TC_M_18_CSMS Retrieve certificates from Charging Station - All certificateTypes
    Given the station is booted
    And the station holds the "CSMSRootCertificate" certificate of its hash data
    When the operator makes the CSMS send GetInstalledCertificateIds with {}
    Then the CSMS sent GetInstalledCertificateIds without certificateType

  @TC_M_19_CSMS @block_M @mandatory
  Scenario: TC_M_19_CSMS Retrieve certificates from Charging Station - No matching certificate found
    Given the station is booted
    And the station will answer GetInstalledCertificateIds with status "NotFound"
    When the operator makes the CSMS send GetInstalledCertificateIds with {"certificateType": ["V2GRootCertificate"]}
    Then the CSMS sent GetInstalledCertificateIds with certificateType = ["V2GRootCertificate"]

  @TC_M_20_CSMS @block_M @mandatory
  Scenario: TC_M_20_CSMS Delete a certificate from a Charging Station - Success
    Given the station is booted
    And the station holds the "CSMSRootCertificate" certificate of its hash data
    When the operator makes the CSMS send GetInstalledCertificateIds with {"certificateType": ["CSMSRootCertificate"]}
    And the operator makes the CSMS delete the certificate the station reported
    Then the CSMS sent DeleteCertificate with the hash data the station reported

  @TC_M_21_CSMS @block_M @mandatory
  Scenario: TC_M_21_CSMS Delete a certificate from a Charging Station - Failed
    Given the station is booted
    And the station holds the "CSMSRootCertificate" certificate of its hash data
    And the station will answer DeleteCertificate with status "Failed"
    When the operator makes the CSMS send GetInstalledCertificateIds with {"certificateType": ["CSMSRootCertificate"]}
    And the operator makes the CSMS delete the certificate the station reported
    Then the CSMS sent DeleteCertificate with the hash data the station reported

  @TC_M_24_CSMS @block_M @mandatory
  Scenario: TC_M_24_CSMS Get Charging Station Certificate status - Success
    Given the station is booted
    And the station holds a V2G certificate whose OCSP responder runs
    When the station sends GetCertificateStatus for its V2G certificate
    Then the CSMS answers GetCertificateStatus with the responder's "GOOD" result

  @TC_M_26_CSMS @block_M @mandatory
  Scenario: TC_M_26_CSMS Certificate Installation EV - Success
    Given the station is booted
    When the station sends Get15118EVCertificate "Install"
    Then the CSMS answers Get15118EVCertificate with an EXI response

  @TC_M_28_CSMS @block_M @mandatory
  Scenario: TC_M_28_CSMS Certificate Update EV - Success
    Given the station is booted
    When the station sends Get15118EVCertificate "Update"
    Then the CSMS answers Get15118EVCertificate with an EXI response
