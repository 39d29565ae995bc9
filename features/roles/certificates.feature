@roles @reference_backend
Feature: A station's certificates through the console
  The installer, tech support and the CPO install, list and delete the certificates on a station and
  have it renew its own (`manage_certificates`); the CSMS's CA signs what the station asks for, and
  every role sees the certificates signed and the security events the station reported.

  Background:
    Given station "CP-1" with every role held

  Scenario Outline: Install, list and delete a root certificate on OCPP <version>
    Given station "CP-1" is online on OCPP <version>
    When Ivan installs a new CSMS root certificate on station "CP-1"
    Then the operation answered Accepted
    When Ivan lists the CSMS root certificates of station "CP-1"
    Then the operation answered Accepted
    And the listing holds the certificate Ivan installed
    When Ivan deletes the certificate he installed from station "CP-1"
    Then the operation answered Accepted
    When Ivan lists the CSMS root certificates of station "CP-1"
    Then the operation answered NotFound

    Examples:
      | version |
      | 1.6     |
      | 2.0.1   |

  Scenario Outline: The station renews its certificate and the CSMS signs it, on OCPP <version>
    Given station "CP-1" is online on OCPP <version>
    When Carl calls POST /api/stations/CP-1/operations/renew-certificate with {"which": "station"}
    Then the operation answered Accepted
    And station "CP-1" soon holds a certificate the CSMS signed
    And Eve sees the certificate the CSMS signed for station "CP-1"

    Examples:
      | version |
      | 1.6     |
      | 2.0.1   |

  Scenario: A certificate the station refuses is a security event the console lists
    Given station "CP-1" is online on OCPP 1.6
    And station "CP-1" refuses every CertificateSigned
    When Carl calls POST /api/stations/CP-1/operations/renew-certificate with {"which": "station"}
    Then Eve soon sees the security event "InvalidChargePointCertificate" of station "CP-1"

  Scenario: Bad certificate fields are named
    Given station "CP-1" is online on OCPP 1.6
    When Pia calls POST /api/stations/CP-1/operations/install-certificate with {"certificate_type": "V2GRootCertificate", "certificate": "-----BEGIN CERTIFICATE-----"}
    Then the answer is 422 for the field "certificate_type"
    When Pia calls POST /api/stations/CP-1/operations/install-certificate with {"certificate_type": "CSMSRootCertificate", "certificate": "hello"}
    Then the answer is 422 for the field "certificate"
    When Pia calls POST /api/stations/CP-1/operations/delete-certificate with {"certificate_hash": {"hashAlgorithm": "MD5"}}
    Then the answer is 422 for the field "certificate_hash"
    When Pia calls POST /api/stations/CP-1/operations/renew-certificate with {"which": "v2g"}
    Then the answer is 422 for the field "which"
