@conformance @ocpp201
Feature: OCPP 2.0.1 block D - local authorization list management
  SendLocalList and GetLocalListVersion (D01, D02), checked as CATALOG §3.4 says: versionNumber > 0,
  a differential update newer than the station's list, removals without idTokenInfo, an empty Full
  list with the field omitted (the schema's minItems 1).

  @TC_D_01_CSMS @block_D @mandatory
  Scenario: TC_D_01_CSMS Send Local Authorization List - Full
    Given the station is booted
    When the operator makes the CSMS send SendLocalList with {"versionNumber": 1, "updateType": "Full", "localAuthorizationList": [{"idToken": "<valid_token>", "idTokenInfo": {"status": "Accepted"}}, {"idToken": "<blocked_token>", "idTokenInfo": {"status": "Blocked"}}]}
    Then the CSMS sent SendLocalList with "full, positive version, not empty, every entry has info, unique tokens"

  @TC_D_02_CSMS @block_D @mandatory
  Scenario: TC_D_02_CSMS Send Local Authorization List - Differential Update
    Given the station is booted
    And the station holds local list version 2
    When the operator makes the CSMS send SendLocalList with {"versionNumber": 3, "updateType": "Differential", "localAuthorizationList": [{"idToken": "<valid_token>", "idTokenInfo": {"status": "Accepted"}}]}
    Then the CSMS sent SendLocalList with "differential, newer version, not empty"

  @TC_D_03_CSMS @block_D @mandatory
  Scenario: TC_D_03_CSMS Send Local Authorization List - Differential Remove
    Given the station is booted
    And the station holds local list version 3
    When the operator makes the CSMS send SendLocalList with {"versionNumber": 4, "updateType": "Differential", "localAuthorizationList": [{"idToken": "<blocked_token>"}]}
    Then the CSMS sent SendLocalList with "differential, newer version, not empty, removals only"

  @TC_D_04_CSMS @block_D @mandatory
  Scenario: TC_D_04_CSMS Send Local Authorization List - Full with empy list
    Given the station is booted
    When the operator makes the CSMS send SendLocalList with {"versionNumber": 5, "updateType": "Full"}
    Then the CSMS sent SendLocalList with "full, positive version, empty"

  @TC_D_08_CSMS @block_D @conditional
  Scenario: TC_D_08_CSMS Get Local List Version - Success
    Given the station is booted
    And the station holds local list version 5
    When the operator makes the CSMS send GetLocalListVersion with {}
    Then the CSMS sent GetLocalListVersion with an empty payload

  @TC_D_09_CSMS @block_D @mandatory
  Scenario: TC_D_09_CSMS Get Local List Version - No list available
    Given the station is booted
    And the station holds local list version 0
    When the operator makes the CSMS send GetLocalListVersion with {}
    Then the CSMS sent GetLocalListVersion with an empty payload
