@simulator @reference_backend
Feature: The station obeys the charging profiles the CSMS sets
  The power a station delivers is the least of what the EV asks for, the EVSE's maximum and the
  limit of the charging profiles in force (K01, 1.6 §3.13); its meter values report it.

  Scenario Outline: A TxProfile of 10 A caps an 11 kW session on OCPP <protocol>
    Given a reference backend with security profile 0
    And a booted station at that backend that speaks OCPP <protocol>
    When the driver plugs in and presents the RFID card "fleet-card" of scenario "rfid_charging"
    Then the CSMS answers "Accepted"
    When the CSMS limits the transaction to 10 A per phase
    And the EV asks for 11 kW for 60 minutes
    Then the station delivered 6.9 kWh
    And the station's last meter value shows 6.9 kW and 10 A per phase
    When the CSMS clears the charging profile
    And the EV asks for 11 kW for 30 minutes
    Then the station delivered 5.5 kWh
    And no OCPP call of the station failed

    @ocpp16
    Examples: OCPP 1.6
      | protocol |
      | 1.6      |

    @ocpp201
    Examples: OCPP 2.0.1
      | protocol |
      | 2.0.1    |
