@roles @reference_backend
Feature: Each role's actions are its own, and the seed's exceptions
  Seed 000: the facility owner cannot adjust the maximum charging current the installer set; adding RFID
  cards and seeing settings and meter values are open to every role on the station.

  Background:
    Given station "CP-1" with every role held
    And station "CP-1" is online on OCPP 1.6

  Scenario: The facility owner cannot change the maximum current the installer set
    Then the reported max_current of station "CP-1" becomes 16
    When Fred sets max_current of station "CP-1" to 10
    Then the answer is 403 naming "set_max_current on station CP-1"
    And the answer is 403 naming "your roles there: facility_owner"
    And nothing at all changed in the database
    And the desired max_current of station "CP-1" is 16
    And station "CP-1" holds MaxChargingCurrent 16

  Scenario: The installer's tech support may change it
    When Pia sets max_current of station "CP-1" to 10
    Then the answer is 200
    And the reported max_current of station "CP-1" becomes 10

  Scenario Outline: Every role may add RFID cards: <person>
    When <person> adds the RFID card "<uid>" at station "CP-1"
    Then the answer is 201

    Examples:
      | person | uid      |
      | Ivan   | 04A1B2C1 |
      | Pia    | 04A1B2C2 |
      | Fred   | 04A1B2C3 |
      | Eve    | 04A1B2C4 |
      | Carl   | 04A1B2C5 |

  Scenario Outline: Every role sees settings and meter values: <person>
    Given Fred added the RFID card "04AABBCC" at station "CP-1"
    And an EV charged 1 kWh at station "CP-1" with the card "04AABBCC"
    When <person> reads the meter values of station "CP-1"
    Then the answer is 200
    And the meter values include Energy.Active.Import.Register
    And <person> sees the desired max_current of station "CP-1" as 16

    Examples:
      | person |
      | Ivan   |
      | Pia    |
      | Fred   |
      | Eve    |
      | Carl   |

  Scenario: Someone without a role on the station sees nothing of it
    Given Zed is a confirmed user without any company
    When Zed calls GET /api/stations/CP-1/meter-values
    Then the answer is 403 naming "view_settings on station CP-1"
    And the answer is 403 naming "your roles there: none"
