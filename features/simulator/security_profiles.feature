@simulator @reference_backend
Feature: Security profiles 1 to 3
  A station proves who it is as its security profile says — HTTP Basic auth with its identity as
  the username (1), the same over TLS (2), or a client certificate naming it (3) — and the CSMS
  lets in exactly the stations that do. Certificates are made for the run.

  Scenario Outline: Security profile <profile> on OCPP <protocol>
    Given a reference backend with security profile <profile>
    When a station connects over OCPP <protocol> with the right credentials and boots
    Then the CSMS accepts the station
    When a station connects over OCPP <protocol> with wrong credentials
    Then the CSMS refuses the connection

    @ocpp16
    Examples: OCPP 1.6
      | protocol | profile |
      | 1.6      | 1       |
      | 1.6      | 2       |
      | 1.6      | 3       |

    @ocpp201
    Examples: OCPP 2.0.1
      | protocol | profile |
      | 2.0.1    | 1       |
      | 2.0.1    | 2       |
      | 2.0.1    | 3       |
