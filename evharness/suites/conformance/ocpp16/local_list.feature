@conformance @ocpp16
Feature: OCPP 1.6 local authorization list management
  The Central System reads the list version and sends full and differential lists (OCPP 1.6 §5.10,
  §5.15); the checks follow CATALOG §3.4: Full lists carry idTagInfo on every entry, a differential
  update's version is greater than the station's.

  @TC_042_1_CSMS @local_auth_list @mandatory
  Scenario: TC_042_1_CSMS Get Local List Version (not supported)
    Given the station is booted
    And the station will answer GetLocalListVersion with the payload {"listVersion": -1}
    When the operator makes the CSMS send GetLocalListVersion with {}
    Then the CSMS sent GetLocalListVersion with an empty payload

  @TC_042_2_CSMS @local_auth_list @mandatory
  Scenario: TC_042_2_CSMS Get Local List Version (empty)
    Given the station is booted
    And the station will answer GetLocalListVersion with the payload {"listVersion": 0}
    When the operator makes the CSMS send GetLocalListVersion with {}
    Then the CSMS sent GetLocalListVersion with an empty payload

  @TC_043_1_CSMS @local_auth_list @mandatory
  Scenario: TC_043_1_CSMS Send Local Authorization List - NotSupported
    Given the station is booted
    And the station will answer SendLocalList with status "NotSupported"
    When the operator makes the CSMS send SendLocalList with {"listVersion": 1, "updateType": "Full", "localAuthorizationList": [{"idTag": "<valid>", "idTagInfo": {"status": "Accepted"}}]}
    Then the CSMS sent SendLocalList with "full"

  @TC_043_3_CSMS @local_auth_list @mandatory
  Scenario: TC_043_3_CSMS Send Local Authorization List - Failed
    Given the station is booted
    And the station will answer SendLocalList with status "Failed"
    When the operator makes the CSMS send SendLocalList with {"listVersion": 1, "updateType": "Full", "localAuthorizationList": [{"idTag": "<valid>", "idTagInfo": {"status": "Accepted"}}]}
    Then the CSMS sent SendLocalList with "full"

  @TC_043_4_CSMS @local_auth_list @mandatory
  Scenario: TC_043_4_CSMS Send Local Authorization List - Full
    Given the station is booted
    And the station will answer SendLocalList with status "Accepted"
    When the operator makes the CSMS send SendLocalList with {"listVersion": 1, "updateType": "Full", "localAuthorizationList": [{"idTag": "<valid>", "idTagInfo": {"status": "Accepted"}}, {"idTag": "<blocked>", "idTagInfo": {"status": "Blocked"}}]}
    Then the CSMS sent SendLocalList with "full, positive version, every entry has info, unique tokens"

  @TC_043_5_CSMS @local_auth_list @mandatory
  Scenario: TC_043_5_CSMS Send Local Authorization List - Differential
    Given the station is booted
    And the station holds local list version 3
    When the operator makes the CSMS send GetLocalListVersion with {}
    And the operator makes the CSMS send SendLocalList with {"listVersion": 4, "updateType": "Differential", "localAuthorizationList": [{"idTag": "<valid>", "idTagInfo": {"status": "Accepted"}}]}
    Then the CSMS sent GetLocalListVersion before SendLocalList
    And the CSMS sent SendLocalList with "differential, newer version, not empty, every entry has info"
