@roles @reference_backend
Feature: Smart charging through the console: charging profiles by their roles, and a site limit shared by the sessions
  Each profile purpose has its action of the permission matrix: the installer's ChargingStationMaxProfile
  (maximum current), the facility owner's TxDefaultProfile (charging times) and TxProfile (priorities).
  The installation's site limit is the installer's load balancer: the backend shares it between the
  running sessions of the site's stations and pushes each station's TxDefaultProfile when one starts or
  stops. Stations are simulated and online over real websockets.

  Background:
    Given station "CP-1" with every role held

  Scenario Outline: Profiles set, listed and cleared by the roles the matrix names (<version>)
    Given station "CP-1" is online on OCPP <version>
    When Ivan calls POST /api/stations/CP-1/charging-profiles with {"purpose": "ChargingStationMaxProfile", "periods": [{"limit": 24}]}
    Then the answer is 200
    And the operation answered Accepted
    And station "CP-1" holds charging profile 1 limited to 24
    When Fred calls POST /api/stations/CP-1/charging-profiles with {"purpose": "TxDefaultProfile", "evse": 1, "kind": "Recurring", "recurrency": "Daily", "periods": [{"limit": 16}, {"start": 3600, "limit": 8}]}
    Then the operation answered Accepted
    And station "CP-1" holds charging profile 2 limited to 16
    And Eve sees the charging profiles of station "CP-1" as 1 ChargingStationMaxProfile, 2 TxDefaultProfile
    When Eve calls POST /api/stations/CP-1/composite-schedule with {"evse": 1, "duration": 600}
    Then the operation answered Accepted
    When Fred calls POST /api/stations/CP-1/charging-profiles/clear with {"id": 2}
    Then the operation answered Accepted
    And Eve sees the charging profiles of station "CP-1" as 1 ChargingStationMaxProfile

    Examples:
      | version |
      | 1.6     |
      | 2.0.1   |

  Scenario: Each role's profiles are its own; a bad profile is refused naming its field, nothing sent
    Given station "CP-1" is online on OCPP 2.0.1
    When Fred calls POST /api/stations/CP-1/charging-profiles with {"purpose": "ChargingStationMaxProfile", "periods": [{"limit": 63}]}
    Then the answer is 403 naming "set_max_current on station CP-1"
    When Ivan calls POST /api/stations/CP-1/charging-profiles with {"purpose": "TxDefaultProfile", "periods": [{"limit": 6}]}
    Then the answer is 403 naming "set_charging_times on station CP-1"
    When Carl calls POST /api/stations/CP-1/charging-profiles/clear with {}
    Then the answer is 403 naming "on station CP-1"
    When Fred calls POST /api/stations/CP-1/charging-profiles with {"purpose": "TxProfile", "evse": 1, "periods": [{"limit": 6}]}
    Then the answer is 422 for the field "transaction_id"
    When Fred calls POST /api/stations/CP-1/charging-profiles with {"purpose": "TxDefaultProfile", "periods": [{"start": 60, "limit": 6}]}
    Then the answer is 422 for the field "periods"
    When Fred calls POST /api/stations/CP-1/charging-profiles with {"purpose": "ChargingStationExternalConstraints", "periods": [{"limit": 6}]}
    Then the answer is 422 for the field "purpose"
    When Fred calls POST /api/stations/CP-1/charging-profiles with {"purpose": "TxDefaultProfile", "unit": "kW", "periods": [{"limit": 6}]}
    Then the answer is 422 for the field "unit"
    And Eve sees the charging profiles of station "CP-1" as none

  Scenario Outline: A site limit shared by the running sessions of the installation's stations (<version>)
    Given Pia registered station "CP-2" for "Volt Supply"
    And Ivan added station "CP-2" to installation "Garage"
    And Ivan set max_current of station "CP-2" to 32
    And station "CP-1" is online on OCPP <version>
    And station "CP-2" is online on OCPP <version>
    And Fred added the RFID card "04AABBCC" at station "CP-1"
    And Fred added the RFID card "04DDEEFF" at station "CP-2"
    When Fred sets the site limit of installation "Garage" to 32
    Then the answer is 403 naming "configure_accessories"
    When Ivan sets the site limit of installation "Garage" to 32
    Then the answer is 200
    And station "CP-1" holds the site profile limited to 32
    And station "CP-2" holds the site profile limited to 32
    When an EV starts charging at station "CP-1" with the card "04AABBCC"
    Then station "CP-2" holds the site profile limited to 32
    When an EV starts charging at station "CP-2" with the card "04DDEEFF"
    Then station "CP-1" holds the site profile limited to 16
    And station "CP-2" holds the site profile limited to 16
    When the session at station "CP-1" stops
    Then station "CP-2" holds the site profile limited to 32
    When Ivan removes the site limit of installation "Garage"
    Then station "CP-1" holds no site profile
    And station "CP-2" holds no site profile

    Examples:
      | version |
      | 1.6     |
      | 2.0.1   |

  Scenario: A station that connects after the site limit was set gets its share at its boot
    Given Pia registered station "CP-2" for "Volt Supply"
    And Ivan added station "CP-2" to installation "Garage"
    And Ivan set max_current of station "CP-2" to 32
    And station "CP-1" is online on OCPP 2.0.1
    When Ivan sets the site limit of installation "Garage" to 24
    Then station "CP-1" holds the site profile limited to 24
    When station "CP-2" connects on OCPP 1.6
    Then station "CP-2" holds the site profile limited to 24

  Scenario: An ISO 15118 EV's needs answered with a schedule within the site share, which the EV follows
    Given station "CP-1" is online on OCPP 2.0.1 with an ISO 15118 EV
    And Fred added the RFID card "04AABBCC" at station "CP-1"
    When Ivan sets the site limit of installation "Garage" to 10
    And an EV starts charging at station "CP-1" with the card "04AABBCC"
    Then station "CP-1" holds charging profile 1000002 limited to 10
    And Eve sees the notices of station "CP-1" as NotifyEVChargingNeeds Accepted, NotifyEVChargingSchedule Accepted
