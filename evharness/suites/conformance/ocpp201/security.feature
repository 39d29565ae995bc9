@conformance @ocpp201
Feature: OCPP 2.0.1 block A - security profile 1, HTTP Basic authentication
  The station sends `Authorization: Basic base64(identity:password)` with the upgrade request
  (A00.FR.204). Needs the station's password: --basic-auth-password or the target file.

  @TC_A_01_CSMS @block_A @mandatory
  Scenario: TC_A_01_CSMS Basic Authentication - Valid username/password combination
    Given the station uses HTTP Basic authentication
    And the station is connected
    When the station sends BootNotification
    Then the CSMS answers BootNotification with status "Accepted"

  @TC_A_02_CSMS @block_A @mandatory
  Scenario: TC_A_02_CSMS Basic Authentication - Username does not equal ChargingStationId
    Given the station uses HTTP Basic authentication
    When the station presents the username "SOMEONE-ELSE"
    Then the CSMS refuses the connection

  @TC_A_03_CSMS @block_A @mandatory
  Scenario: TC_A_03_CSMS Basic Authentication - Invalid password
    Given the station uses HTTP Basic authentication
    When the station presents the password "not-the-password-0123"
    Then the CSMS refuses the connection

  @TC_A_09_CSMS @block_A @mandatory
  Scenario: TC_A_09_CSMS Update Charging Station Password for HTTP Basic Authentication - Accepted
    Given the station uses HTTP Basic authentication
    And the station is booted
    And the station will answer SetVariables with the payload {"setVariableResult": [{"attributeStatus": "Accepted", "component": {"name": "SecurityCtrlr"}, "variable": {"name": "BasicAuthPassword"}}]}
    When the operator makes the CSMS send SetVariables with {"setVariableData": [{"attributeValue": "OCTT-new-password-09", "component": {"name": "SecurityCtrlr"}, "variable": {"name": "BasicAuthPassword"}}]}
    Then the CSMS sent SetVariables with setVariableData.0.component.name = "SecurityCtrlr"
    And the CSMS sent SetVariables with setVariableData.0.variable.name = "BasicAuthPassword"
    When the station reconnects with the password the CSMS sent
    And the station sends BootNotification
    Then the CSMS answers BootNotification with status "Accepted"
    And the CSMS gives the station its configured password back

  @TC_A_10_CSMS @block_A @mandatory
  Scenario: TC_A_10_CSMS Update Charging Station Password for HTTP Basic Authentication - Rejected
    Given the station uses HTTP Basic authentication
    And the station is booted
    And the station will answer SetVariables with the payload {"setVariableResult": [{"attributeStatus": "Rejected", "component": {"name": "SecurityCtrlr"}, "variable": {"name": "BasicAuthPassword"}}]}
    When the operator makes the CSMS send SetVariables with {"setVariableData": [{"attributeValue": "OCTT-new-password-10", "component": {"name": "SecurityCtrlr"}, "variable": {"name": "BasicAuthPassword"}}]}
    Then the CSMS sent SetVariables with setVariableData.0.variable.name = "BasicAuthPassword"
    When the station reconnects with its password
    And the station sends BootNotification
    Then the CSMS answers BootNotification with status "Accepted"
