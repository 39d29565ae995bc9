@charging @reference_backend
Feature: The reference backend records a charging session and its energy
  The packaged charging suite (`evharness/suites/charging`) runs against any CSMS; this one reads the
  reference backend's database, so it stays here and is deselected with --csms-url.

  Scenario Outline: The reference backend records the session and its energy, on OCPP <protocol>
    Given a booted station that speaks OCPP <protocol>
    When the driver plugs in and presents the PIN code "driver" of scenario "pin_charging"
    And the EV charges 12.5 kWh
    And the driver stops charging and unplugs
    Then the backend recorded one finished transaction of 12.5 kWh for the station
    And the backend stored the meter values of that transaction

    Examples:
      | protocol |
      | 1.6      |
      | 2.0.1    |
