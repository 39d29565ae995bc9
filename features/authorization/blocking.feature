@authorization @reference_backend
Feature: Eve blocks a local user while they are charging
  Blocking takes effect at the next token check (DESIGN §2, issue 5). The backend sends the station a
  Differential SendLocalList at once, so the station's own list says Blocked; whether the running session
  hears of it depends on the protocol:

  - OCPP 2.0.1: the backend checks every TransactionEvent that carries a token (E01.FR.11) and answers its
    status in idTokenInfo. Periodic meter value events carry no token and are answered without one; the
    next event that does carry the driver's token is answered Blocked, and the station must act on that
    answer (C15.FR.05: StopTxOnInvalidId stops the transaction or only the energy).
  - OCPP 1.6: a token is checked only in Authorize, StartTransaction and StopTransaction; MeterValues.conf
    has no idTagInfo, so the running session cannot be told and charges to its end. The answer to its
    StopTransaction says Blocked (for the station's authorization cache), the backend records the whole
    session's energy, and the next session with the token is refused Blocked.

  Scenario: On OCPP 2.0.1, the next TransactionEvent carrying the driver's token is answered Blocked
    The driver ends the session with the PIN (E07): the Ended event carries the token (triggerReason
    StopAuthorized, E07.FR.02), the backend answers it Blocked, and the station caches that answer.
    The last scenario shows a station acting on Blocked while the transaction still runs.

    Given Eve's station is online on OCPP 2.0.1
    And Eve added the local user Lea with the PIN code "#2468"
    And a driver plugs in and presents the PIN code "#2468"
    And the EV charges 2 kWh
    When Eve blocks Lea
    Then the station's local list holds "#2468" as Blocked
    When the EV charges 1 kWh
    Then no answer to the station's periodic TransactionEvent carried a token status
    When the driver stops charging and unplugs
    Then the answer to the station's TransactionEvent said "Blocked"
    And the backend recorded a finished transaction of 3 kWh with the PIN code "#2468"
    When a driver plugs in and presents the PIN code "#2468"
    Then the station is told "Blocked"
    And charging does not start

  Scenario: On OCPP 1.6, the session charges to its end and its StopTransaction is answered Blocked
    Given Eve's station is online on OCPP 1.6
    And Eve added the local user Lea with the RFID card "04ABCDEF"
    And a driver plugs in and presents the RFID card "04ABCDEF"
    And the EV charges 2 kWh
    When Eve blocks Lea
    Then the station's local list holds "04ABCDEF" as Blocked
    When the EV charges 3 kWh
    Then no answer to the station's MeterValues carried a token status
    When the driver stops charging and unplugs
    Then the answer to the station's StopTransaction said "Blocked"
    And the backend recorded a finished transaction of 5 kWh with the RFID card "04ABCDEF"
    When a driver plugs in and presents the RFID card "04ABCDEF"
    Then the station is told "Blocked"
    And charging does not start

  Scenario Outline: Blocked while the station is offline: the replayed start is answered Blocked, OCPP <protocol>
    The station authorized the PIN from its local list while offline and charges. Eve blocks Lea meanwhile.
    Back online, the station sends what it queued; the backend answers the transaction's token check
    (<start>) Blocked, and the station, bound by that answer (StopTxOnInvalidId, true by default), ends
    the transaction as DeAuthorized. The backend then brings the station's local list up to date.

    Given Eve's station is online on OCPP <protocol>
    And the PIN code "#1212" is active at the station
    And the station's local list is up to date
    When the station loses its connection to the backend
    And a driver plugs in and presents the PIN code "#1212"
    Then the station is told "Accepted"
    When the EV charges 2 kWh
    And Eve blocks Lea
    And the station is back online
    Then the answer to the station's <start> said "Blocked"
    And the backend recorded a finished transaction of 2 kWh with the PIN code "#1212"
    And the transaction with the PIN code "#1212" ended as DeAuthorized
    And the station's local list holds "#1212" as Blocked

    @ocpp16
    Examples: OCPP 1.6
      | protocol | start            |
      | 1.6      | StartTransaction |

    @ocpp201
    Examples: OCPP 2.0.1
      | protocol | start            |
      | 2.0.1    | TransactionEvent |
