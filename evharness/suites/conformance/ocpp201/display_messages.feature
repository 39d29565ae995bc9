@conformance @ocpp201
Feature: OCPP 2.0.1 block O - display messages
  The operator makes the CSMS set, get and clear the messages a station shows its drivers; the
  tool-station answers as each case says (Accepted, Unknown, NotSupported…, Rejected) and reports
  the messages asked for in NotifyDisplayMessages.

  @TC_O_01_CSMS @block_O @mandatory
  Scenario: TC_O_01_CSMS Set Display Message - Success
    Given the station is booted
    When the operator makes the CSMS send SetDisplayMessage with {"message": {"id": 1, "priority": "NormalCycle", "message": {"format": "UTF8", "language": "en", "content": "Welcome to evharness"}}}
    Then the CSMS sent SetDisplayMessage with message.id = 1
    And the CSMS sent SetDisplayMessage with message.priority = "NormalCycle"
    And the CSMS sent SetDisplayMessage with message.message.format = "UTF8"

  @TC_O_02_CSMS @block_O @mandatory
  Scenario: TC_O_02_CSMS Get all Display Messages - Success
    Given the station is booted
    When the operator makes the CSMS send GetDisplayMessages with {"requestId": 1}
    Then the CSMS sent GetDisplayMessages without id
    And the CSMS sent GetDisplayMessages without priority
    And the CSMS sent GetDisplayMessages without state
    When the station sends NotifyDisplayMessages for the request
    Then the CSMS answers NotifyDisplayMessages

  @TC_O_03_CSMS @block_O @mandatory
  Scenario: TC_O_03_CSMS Get all Display Messages - No DisplayMessages configured
    Given the station is booted
    And the station will answer GetDisplayMessages with status "Unknown"
    When the operator makes the CSMS send GetDisplayMessages with {"requestId": 2}
    Then the CSMS sent GetDisplayMessages without id
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_O_04_CSMS @block_O @mandatory
  Scenario: TC_O_04_CSMS Clear Display Message - Success
    Given the station is booted
    When the operator makes the CSMS send SetDisplayMessage with {"message": {"id": 4, "priority": "NormalCycle", "message": {"format": "UTF8", "language": "en", "content": "Welcome to evharness"}}}
    And the operator makes the CSMS send ClearDisplayMessage with {"id": 4}
    Then the CSMS sent ClearDisplayMessage with id = 4

  @TC_O_05_CSMS @block_O @mandatory
  Scenario: TC_O_05_CSMS Clear Display Message - Unknown Key
    Given the station is booted
    And the station will answer ClearDisplayMessage with status "Unknown"
    When the operator makes the CSMS send ClearDisplayMessage with {"id": 999}
    Then the CSMS sent ClearDisplayMessage with id = 999
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_O_06_CSMS @block_O @mandatory
  Scenario: TC_O_06_CSMS Set Display Message - Specific transaction - Success
    Given the station is charging with the "valid" token
    When the operator makes the CSMS send SetDisplayMessage with {"message": {"id": 6, "priority": "InFront", "transactionId": "<transactionId>", "message": {"format": "UTF8", "language": "en", "content": "Welcome to evharness"}}}
    Then the CSMS sent SetDisplayMessage with message.transactionId = "<transactionId>"

  @TC_O_07_CSMS @block_O @mandatory
  Scenario: TC_O_07_CSMS Get a Specific Display Message - Id
    Given the station is booted
    When the operator makes the CSMS send SetDisplayMessage with {"message": {"id": 7, "priority": "NormalCycle", "message": {"format": "UTF8", "language": "en", "content": "Welcome to evharness"}}}
    And the operator makes the CSMS send GetDisplayMessages with {"requestId": 7, "id": [7]}
    Then the CSMS sent GetDisplayMessages with id = [7]
    When the station sends NotifyDisplayMessages for the request
    Then the CSMS answers NotifyDisplayMessages

  @TC_O_08_CSMS @block_O @mandatory
  Scenario: TC_O_08_CSMS Get a Specific Display Message - Priority
    Given the station is booted
    When the operator makes the CSMS send SetDisplayMessage with {"message": {"id": 8, "priority": "AlwaysFront", "message": {"format": "UTF8", "language": "en", "content": "Welcome to evharness"}}}
    And the operator makes the CSMS send GetDisplayMessages with {"requestId": 8, "priority": "AlwaysFront"}
    Then the CSMS sent GetDisplayMessages with priority = "AlwaysFront"
    When the station sends NotifyDisplayMessages for the request
    Then the CSMS answers NotifyDisplayMessages

  @TC_O_09_CSMS @block_O @mandatory
  Scenario: TC_O_09_CSMS Get a Specific Display Message - State
    Given the station is booted
    When the operator makes the CSMS send SetDisplayMessage with {"message": {"id": 9, "priority": "NormalCycle", "state": "Charging", "message": {"format": "UTF8", "language": "en", "content": "Welcome to evharness"}}}
    And the operator makes the CSMS send GetDisplayMessages with {"requestId": 9, "state": "Charging"}
    Then the CSMS sent GetDisplayMessages with state = "Charging"
    When the station sends NotifyDisplayMessages for the request
    Then the CSMS answers NotifyDisplayMessages

  @TC_O_10_CSMS @block_O @mandatory
  Scenario: TC_O_10_CSMS Set Display Message - Specific transaction - UnknownTransaction
    Given the station is booted
    And the station will answer SetDisplayMessage with status "UnknownTransaction"
    When the operator makes the CSMS send SetDisplayMessage with {"message": {"id": 10, "priority": "InFront", "transactionId": "no-such-transaction", "message": {"format": "UTF8", "language": "en", "content": "Welcome to evharness"}}}
    Then the CSMS sent SetDisplayMessage with message.transactionId = "no-such-transaction"
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_O_11_CSMS @block_O @optional
  Scenario: TC_O_11_CSMS Get a Specific Display Message - Unknown parameters
    Given the station is booted
    And the station will answer GetDisplayMessages with status "Unknown"
    When the operator makes the CSMS send GetDisplayMessages with {"requestId": 11, "id": [999]}
    Then the CSMS sent GetDisplayMessages with id = [999]
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_O_12_CSMS @block_O @mandatory
  Scenario: TC_O_12_CSMS Set Display Message - Replace DisplayMessage
    Given the station is booted
    When the operator makes the CSMS send SetDisplayMessage with {"message": {"id": 12, "priority": "NormalCycle", "message": {"format": "UTF8", "language": "en", "content": "Welcome to evharness"}}}
    And the operator makes the CSMS send SetDisplayMessage with {"message": {"id": 12, "priority": "InFront", "message": {"format": "UTF8", "content": "Replaced"}}}
    Then the CSMS sent SetDisplayMessage with message.id = 12
    And the CSMS sent SetDisplayMessage with message.message.content = "Replaced"

  @TC_O_13_CSMS @block_O @mandatory
  Scenario: TC_O_13_CSMS Set Display Message - Display message at StartTime
    Given the station is booted
    When the operator makes the CSMS send SetDisplayMessage with {"message": {"id": 13, "priority": "NormalCycle", "startDateTime": "<in_60_s>", "message": {"format": "UTF8", "language": "en", "content": "Welcome to evharness"}}}
    Then the CSMS sent SetDisplayMessage with message.startDateTime in the future

  @TC_O_14_CSMS @block_O @mandatory
  Scenario: TC_O_14_CSMS Set Display Message - Remove message after EndTime
    Given the station is booted
    When the operator makes the CSMS send SetDisplayMessage with {"message": {"id": 14, "priority": "NormalCycle", "endDateTime": "<in_60_s>", "message": {"format": "UTF8", "language": "en", "content": "Welcome to evharness"}}}
    Then the CSMS sent SetDisplayMessage with message.endDateTime in the future

  @TC_O_17_CSMS @block_O @mandatory
  Scenario: TC_O_17_CSMS Set Display Message - NotSupportedPriority
    Given the station is booted
    And the station will answer SetDisplayMessage with status "NotSupportedPriority"
    When the operator makes the CSMS send SetDisplayMessage with {"message": {"id": 17, "priority": "AlwaysFront", "message": {"format": "UTF8", "language": "en", "content": "Welcome to evharness"}}}
    Then the CSMS sent SetDisplayMessage with message.priority = "AlwaysFront"
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_O_18_CSMS @block_O @mandatory
  Scenario: TC_O_18_CSMS Set Display Message - NotSupportedState
    Given the station is booted
    And the station will answer SetDisplayMessage with status "NotSupportedState"
    When the operator makes the CSMS send SetDisplayMessage with {"message": {"id": 18, "priority": "NormalCycle", "state": "Faulted", "message": {"format": "UTF8", "language": "en", "content": "Welcome to evharness"}}}
    Then the CSMS sent SetDisplayMessage with message.state = "Faulted"
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_O_19_CSMS @block_O @mandatory
  Scenario: TC_O_19_CSMS Set Display Message - NotSupportedMessageFormat
    Given the station is booted
    And the station will answer SetDisplayMessage with status "NotSupportedMessageFormat"
    When the operator makes the CSMS send SetDisplayMessage with {"message": {"id": 19, "priority": "NormalCycle", "message": {"format": "HTML", "content": "<b>Welcome</b>"}}}
    Then the CSMS sent SetDisplayMessage with message.message.format = "HTML"
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_O_25_CSMS @block_O @optional
  Scenario: TC_O_25_CSMS Set Display Message - Send Specific state
    Given the station is booted
    When the operator makes the CSMS send SetDisplayMessage with {"message": {"id": 25, "priority": "NormalCycle", "state": "Idle", "message": {"format": "UTF8", "language": "en", "content": "Welcome to evharness"}}}
    Then the CSMS sent SetDisplayMessage with message.state = "Idle"

  @TC_O_26_CSMS @block_O @mandatory
  Scenario: TC_O_26_CSMS Set Display Message - Rejected
    Given the station is booted
    And the station will answer SetDisplayMessage with status "Rejected"
    When the operator makes the CSMS send SetDisplayMessage with {"message": {"id": 26, "priority": "NormalCycle", "message": {"format": "UTF8", "language": "en", "content": "Welcome to evharness"}}}
    Then the CSMS sent SetDisplayMessage with message.id = 26
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_O_27_CSMS @block_O @mandatory
  Scenario: TC_O_27_CSMS Set Display Message - Specific transaction - Display message at StartTime
    Given the station is charging with the "valid" token
    When the operator makes the CSMS send SetDisplayMessage with {"message": {"id": 27, "priority": "InFront", "transactionId": "<transactionId>", "startDateTime": "<in_60_s>", "message": {"format": "UTF8", "language": "en", "content": "Welcome to evharness"}}}
    Then the CSMS sent SetDisplayMessage with message.transactionId = "<transactionId>"
    And the CSMS sent SetDisplayMessage with message.startDateTime in the future

  @TC_O_28_CSMS @block_O @mandatory
  Scenario: TC_O_28_CSMS Set Display Message - Specific transaction - Remove message after EndTime
    Given the station is charging with the "valid" token
    When the operator makes the CSMS send SetDisplayMessage with {"message": {"id": 28, "priority": "InFront", "transactionId": "<transactionId>", "endDateTime": "<in_60_s>", "message": {"format": "UTF8", "language": "en", "content": "Welcome to evharness"}}}
    Then the CSMS sent SetDisplayMessage with message.transactionId = "<transactionId>"
    And the CSMS sent SetDisplayMessage with message.endDateTime in the future
