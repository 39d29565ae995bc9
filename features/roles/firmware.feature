@roles @reference_backend
Feature: Firmware and logs through the console
  The installer runs a firmware campaign (`update_firmware`): each named station on which he holds a role
  downloads the image the operator put on the backend, installs it and reboots with the new version; a
  station he holds no role on is refused without stopping the others. The CPO retrieves a station's log
  (`retrieve_logs`), which the station uploads to the backend. Every role sees what the stations reported.

  Background:
    Given station "CP-1" with every role held

  Scenario Outline: A firmware campaign on OCPP <version>
    Given station "CP-1" is online on OCPP <version>
    And the operator put the firmware image "sim-3.0.0.bin" on the backend
    When Ivan runs a firmware campaign of "sim-3.0.0.bin" on "CP-1, CP-404"
    Then the campaign answered CP-1 "Accepted" and CP-404 "refused"
    When 60 seconds pass at station "CP-1"
    Then Eve soon sees the report FirmwareStatusNotification "Installed" of station "CP-1"
    And station "CP-1" runs firmware "sim-3.0.0"

    Examples:
      | version |
      | 1.6     |
      | 2.0.1   |

  Scenario: A log the station uploads to the backend
    Given station "CP-1" is online on OCPP 2.0.1
    When Carl retrieves the diagnostics log of station "CP-1"
    Then the operation answered Accepted
    When 10 seconds pass at station "CP-1"
    Then Eve soon sees the report LogStatusNotification "Uploaded" of station "CP-1"
    And Eve sees the file "CP-1-diagnostics" of station "CP-1"
