@charging
Feature: A station boots and charges with an RFID card and with a PIN code
  A simulated station connects to the CSMS over OCPP, boots, and a driver charges with a token
  the CSMS knows. The tokens are those of the bundled scenarios: provision an external CSMS with
  what `evharness scenario tokens pin_charging` and `… rfid_charging` list.

  Scenario Outline: Charging with <kind> on OCPP <protocol>
    Given a station that speaks OCPP <protocol>
    When the station boots
    Then the CSMS accepts the station
    When the driver plugs in and presents the <kind> "<token>" of scenario "<scenario>"
    Then the CSMS answers "Accepted"
    And a transaction is running
    When the EV charges <kwh> kWh
    And the driver stops charging and unplugs
    Then the station metered <kwh> kWh in that transaction
    And no OCPP call of the station failed

    @ocpp16
    Examples: OCPP 1.6
      | protocol | kind      | token      | scenario      | kwh |
      | 1.6      | RFID card | fleet-card | rfid_charging | 7.5 |
      | 1.6      | PIN code  | driver     | pin_charging  | 4   |

    @ocpp201
    Examples: OCPP 2.0.1
      | protocol | kind      | token      | scenario      | kwh |
      | 2.0.1    | RFID card | fleet-card | rfid_charging | 7.5 |
      | 2.0.1    | PIN code  | driver     | pin_charging  | 4   |

  Scenario Outline: The CSMS refuses a <kind> it must not accept, on OCPP <protocol>
    Given a booted station that speaks OCPP <protocol>
    When the driver plugs in and presents the <kind> "<token>" of scenario "<scenario>"
    Then the CSMS answers one of "<statuses>"
    And no transaction is running

    @ocpp16
    Examples: OCPP 1.6
      | protocol | kind      | token          | scenario      | statuses        |
      | 1.6      | PIN code  | blocked-driver | pin_charging  | Blocked         |
      | 1.6      | PIN code  | unknown-pin    | pin_charging  | Invalid         |
      | 1.6      | RFID card | inactive-card  | rfid_charging | Invalid         |
      | 1.6      | RFID card | unknown-card   | rfid_charging | Invalid         |

    @ocpp201
    Examples: OCPP 2.0.1
      | protocol | kind      | token          | scenario      | statuses        |
      | 2.0.1    | PIN code  | blocked-driver | pin_charging  | Blocked         |
      | 2.0.1    | PIN code  | unknown-pin    | pin_charging  | Unknown,Invalid |
      | 2.0.1    | RFID card | inactive-card  | rfid_charging | Invalid         |
      | 2.0.1    | RFID card | unknown-card   | rfid_charging | Unknown,Invalid |
