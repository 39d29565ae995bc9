@authorization @reference_backend
Feature: A driver charges with a PIN code or an RFID card, from plug-in to unplug
  Eve, the EVSE owner, adds a local user with a PIN code ("#" and digits) or an RFID card (its UID in
  hex) through the console. A driver plugs in and presents it; the backend accepts it, the EV charges,
  the driver stops and unplugs, and the backend records the session with the energy the station metered.
  On OCPP 1.6 the token is the idTag ("#4711" for a PIN); on 2.0.1 an IdToken of type KeyCode (the PIN's digits) or
  ISO14443 (card). The first token check of a transaction is StartTransaction (1.6) or the
  TransactionEvent that carries the token (2.0.1).

  Scenario Outline: A <kind> session on OCPP <protocol>
    Given Eve's station is online on OCPP <protocol>
    And Eve added the <kind> "<code>" for a new local user Lea
    When a driver plugs in and presents the <kind> "<code>"
    Then the station is told "Accepted"
    And the station's Authorize carried the token as <wire>
    And the answer to the station's Authorize said "Accepted"
    And charging starts
    When the EV charges <kwh> kWh
    And the driver stops charging and unplugs
    Then the answer to the station's <start> said "Accepted"
    And the backend recorded a finished transaction of <kwh> kWh with the <kind> "<code>"
    And no OCPP call of the station failed

    @ocpp16
    Examples: OCPP 1.6
      | protocol | kind      | code     | kwh | start            | wire             |
      | 1.6      | PIN code  | #4711    | 6.5 | StartTransaction | idTag "#4711"    |
      | 1.6      | RFID card | 04A1B2C3 | 3   | StartTransaction | idTag "04A1B2C3" |

    @ocpp201
    Examples: OCPP 2.0.1
      | protocol | kind      | code           | kwh | start            | wire                      |
      | 2.0.1    | PIN code  | #4711          | 6.5 | TransactionEvent | KeyCode "4711"            |
      | 2.0.1    | RFID card | 04A1B2C3D4E5F6 | 3   | TransactionEvent | ISO14443 "04A1B2C3D4E5F6" |
