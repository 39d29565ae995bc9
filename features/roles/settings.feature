@roles @reference_backend
Feature: Settings are stored as desired and pushed over OCPP, now or when the station connects
  ChangeConfiguration on 1.6, SetVariables on 2.0.1; the API shows desired vs. reported values and each
  push's outcome. The simulated station obeys a pushed maximum current in its meter values.

  Background:
    Given station "CP-1" with every role held

  Scenario Outline: A station that connects later gets the settings made while it was offline (<version>)
    Then the push status of max_current of station "CP-1" is pending
    When station "CP-1" connects on OCPP <version>
    Then the reported max_current of station "CP-1" becomes 16
    And station "CP-1" holds MaxChargingCurrent 16
    And the audit trail of station "CP-1" has a push of max_current

    Examples:
      | version |
      | 1.6     |
      | 2.0.1   |

  Scenario Outline: Settings pushed to an online station at once, obeyed in its meter values (<version>)
    Given station "CP-1" is online on OCPP <version>
    When Ivan sets max_current of station "CP-1" to 10
    Then the answer is 200
    And the push of max_current answered Accepted
    And the reported max_current of station "CP-1" becomes 10
    And station "CP-1" holds MaxChargingCurrent 10
    Given Fred added the RFID card "04AABBCC" at station "CP-1"
    And an EV charged 2 kWh at station "CP-1" with the card "04AABBCC"
    Then the current station "CP-1" reported never exceeded 10 A

    Examples:
      | version |
      | 1.6     |
      | 2.0.1   |

  Scenario: Several settings by their roles, each pushed (2.0.1)
    Given station "CP-1" is online on OCPP 2.0.1
    When Fred sets tariff of station "CP-1" to "Night"
    Then the answer is 200
    When Carl sets price_per_kwh of station "CP-1" to 0.3
    Then the answer is 200
    And the reported tariff of station "CP-1" becomes Night
    And the reported price_per_kwh of station "CP-1" becomes 0.3

  Scenario: Bad values are refused naming the field, and nothing is stored
    When Ivan sets max_current of station "CP-1" to 500
    Then the answer is 422 for the field "max_current"
    And nothing at all changed in the database
    When Ivan sets colour of station "CP-1" to "red"
    Then the answer is 422 for the field "colour"

  Scenario: Remote operations through the API, by permission
    Given station "CP-1" is online on OCPP 1.6
    When Pia calls POST /api/stations/CP-1/operations/trigger with {"message": "Heartbeat"}
    Then the answer is 200
    And the operation answered Accepted
    When Fred calls POST /api/stations/CP-1/operations/reset with {"type": "hard"}
    Then the answer is 403 naming "reset on station CP-1"
    And the audit trail of station "CP-1" has an operation trigger

  Scenario: The outcome of an operation the station refuses is shown, not hidden
    Given station "CP-1" is online on OCPP 2.0.1
    When Carl calls POST /api/stations/CP-1/operations/unlock with {"evse": 9, "connector": 1}
    Then the answer is 200
    And the operation answered UnknownConnector
    And the audit trail of station "CP-1" has an operation unlock
    When Carl calls POST /api/stations/CP-1/operations/reset with {"type": "soft"}
    Then the operation answered Accepted

  Scenario: An operation on a station that is offline is a conflict, and a bad field is named
    When Pia calls POST /api/stations/CP-1/operations/clear-cache with {}
    Then the answer is 409 naming "offline"
    Given station "CP-1" is online on OCPP 1.6
    When Pia calls POST /api/stations/CP-1/operations/trigger with {"message": "Authorize"}
    Then the answer is 422 for the field "message"

  Scenario: Reservations and display messages through the console, kept with the station's answers
    Given station "CP-1" is online on OCPP 2.0.1
    When Carl calls POST /api/stations/CP-1/operations/reserve with {"id_tag": "04A1B2C3", "expires_in": 600}
    Then the answer is 200
    And the operation answered Accepted
    And station "CP-1" lists reservation 1 as active for "04A1B2C3"
    When Carl calls POST /api/stations/CP-1/operations/cancel-reservation with {"reservation_id": 1}
    Then the operation answered Accepted
    And station "CP-1" lists reservation 1 as cancelled for "04A1B2C3"
    When Fred calls POST /api/stations/CP-1/operations/set-display-message with {"message_id": 3, "content": "0,35 €/kWh", "language": "nl"}
    Then the operation answered Accepted
    And station "CP-1" lists the display message "0,35 €/kWh"
    When Fred sets price_per_kwh of station "CP-1" to "0.35"
    And Fred calls POST /api/stations/CP-1/operations/tariff-message with {"message_id": 20, "language": "nl"}
    Then the operation answered Accepted
    And station "CP-1" lists the display message "Prijs: 0.35 per kWh"
    When Fred calls PUT /api/stations/CP-1/tariff with {"currency": "EUR", "energy_price_per_kwh": "0.35", "texts": {"es": "0,35 EUR por kWh"}}
    And Fred calls POST /api/stations/CP-1/operations/tariff-message with {"message_id": 21, "language": "es"}
    Then the operation answered Accepted
    And station "CP-1" lists the display message "0,35 EUR por kWh"
    When Fred calls POST /api/stations/CP-1/operations/tariff-message with {"language": "xx"}
    Then the answer is 422 for the field "language"
    When Ivan calls POST /api/stations/CP-1/operations/reserve with {"id_tag": "04A1B2C3"}
    Then the answer is 403 naming "reserve on station CP-1"
    When Carl calls POST /api/stations/CP-1/operations/reserve with {"id_tag": "04A1B2C3", "group": "Fleet #1"}
    Then the answer is 422 for the field "group"
    When Carl calls POST /api/stations/CP-1/operations/remote-stop with {"transaction_id": "tx/1"}
    Then the answer is 422 for the field "transaction_id"
    When Fred calls POST /api/stations/CP-1/operations/set-display-message with {"content": "x", "priority": "Top"}
    Then the answer is 422 for the field "priority"
