@conformance @ocpp201
Feature: OCPP-J 2.0.1 RPC framework - what the CSMS answers to frames it must refuse
  Not OCTT test cases (tagged @extra): the wire rules of CATALOG §4.2 and §4.3, provoked. A payload that
  breaks its schema gets a payload-error CALLERROR in this version's spelling (both Occur(r)ence spellings
  accepted); an unknown action gets NotImplemented; the connection stays open.

  @extra @wire
  Scenario: A payload that breaks its schema gets a CALLERROR of the negotiated version
    Given the station is booted
    When the station sends a bad payload
    Then the CSMS answers with a CALLERROR of the negotiated version
    And the connection stays open

  @extra @wire
  Scenario: An unknown action gets NotImplemented
    Given the station is booted
    When the station sends an unknown action
    Then the CSMS answers with a CALLERROR of the negotiated version
    And the connection stays open

  @extra @wire
  Scenario: An unknown message type gets MessageTypeNotSupported or is ignored
    Given the station is booted
    When the station sends an unknown message type
    Then the CSMS answers with a CALLERROR of the negotiated version, or nothing
    And the connection stays open

  @extra @wire
  Scenario: Crossing CALLs - the CSMS answers the station while its own CALL waits for an answer
    Given the station is booted
    When the operator makes the CSMS send ClearCache and the station holds its answer
    And the station sends a Heartbeat
    Then the CSMS answers the Heartbeat with its current time
    When the station releases its answer
    And the station sends a Heartbeat
    Then the CSMS answers the Heartbeat with its current time

  @extra @wire
  Scenario: A malformed CALLRESULT or CALLERROR of the station is left unanswered
    Given the station is booted
    When the station sends malformed answers to no CALL of the CSMS
    Then the CSMS answers none of them and answers the next Heartbeat
    And the connection stays open
