@authorization @reference_backend
Feature: The station's local authorization list follows the changes Eve makes in the console
  The backend keeps each station's Local Authorization List in sync (OCPP 1.6 §5.15, 2.0.1 D01): a Full
  list the first time, then after every change in the console only the changed entries, as a Differential
  SendLocalList with the next version. An entry carries the status the decision table gives the code now
  (Accepted, Blocked, Expired, Invalid); an entry without idTagInfo / idTokenInfo removes the code. The
  station keeps the list and decides from it when it may (see offline.feature).

  Scenario Outline: Adding, blocking, unblocking and deleting reach the station's list, on OCPP <protocol>
    Given Eve's station is online on OCPP <protocol>
    And Eve added the local user Lea with the RFID card "<card>"
    Then the station's local list holds "<card>" as Accepted
    And the backend sent a Full update: "<card>" Accepted
    When Eve gives Lea the PIN code "#97531"
    Then the station's local list holds "#97531" as Accepted
    And the backend sent a Differential update: "#97531" Accepted
    When Eve blocks Lea
    Then the station's local list holds "<card>" as Blocked
    And the station's local list holds "#97531" as Blocked
    And the backend sent a Differential update: "<card>" Blocked, "#97531" Blocked
    When Eve unblocks Lea
    Then the station's local list holds "#97531" as Accepted
    When Eve deletes the RFID card "<card>"
    Then the station's local list no longer holds "<card>"
    And the backend sent a Differential update: "<card>" removed
    And the station accepted every update, each with a higher version than the one before

    @ocpp16
    Examples: OCPP 1.6
      | protocol | card     |
      | 1.6      | 04B1C2D3 |

    @ocpp201
    Examples: OCPP 2.0.1
      | protocol | card           |
      | 2.0.1    | 04B1C2D3E4F5A6 |

  Scenario Outline: A code the console refuses never reaches the station, on OCPP <protocol>
    A bad code is refused with 422 naming the field and the rule it broke; a code the station already
    has (compared case-insensitively) is a 409. Nothing is stored and no SendLocalList goes out.

    Given Eve's station is online on OCPP <protocol>
    And Eve added the local user Lea with the RFID card "04B1C2D3"
    And the station's local list is up to date
    When Eve tries to give Lea the <kind> "<code>"
    Then the answer is <answer> naming "<rule>"
    And nothing changed in the database
    And the station's local list is still the one it had

    @ocpp16
    Examples: OCPP 1.6
      | protocol | kind      | code     | answer | rule              |
      | 1.6      | PIN code  | 1234     | 422    | must start with   |
      | 1.6      | PIN code  | #12      | 422    | 4 to 8 digits     |
      | 1.6      | RFID card | 04B1C2D3 | 409    | 04B1C2D3          |

    @ocpp201
    Examples: OCPP 2.0.1
      | protocol | kind      | code     | answer | rule              |
      | 2.0.1    | RFID card | XYZ12345 | 422    | hexadecimal       |
      | 2.0.1    | RFID card | 04b1c2d3 | 409    | 04B1C2D3          |
