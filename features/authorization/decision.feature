@authorization @reference_backend
Feature: The backend answers every PIN code and RFID card by one decision table
  Seed 001: a station's local users hold identifications — a PIN code ("#" and digits) or an RFID card
  (its UID in hex) — each active or inactive, with an optional expiry date; a local user may be blocked,
  and the station's owner chooses which identification types the station supports. The backend answers a
  presented token by the first rule that holds (reference_backend/domain/authorization.py):

    | rule                                             | OCPP 1.6     | OCPP 2.0.1        |
    | identification type not enabled at this station  | Invalid      | Invalid           |
    | unknown code                                     | Invalid      | Unknown           |
    | local user blocked                               | Blocked      | Blocked           |
    | identification inactive                          | Invalid      | Invalid           |
    | past its expiry date                             | Expired      | Expired           |
    | already in a running transaction (at its start)  | ConcurrentTx | ConcurrentTx      |
    | otherwise                                        | Accepted     | Accepted          |

  The same table answers Authorize, StartTransaction (1.6) and every TransactionEvent carrying a token
  (2.0.1). The station is told the status in idTagInfo (1.6) / idTokenInfo (2.0.1); only Accepted charges.

  Scenario Outline: A <kind> that is <state> is answered <status> on OCPP <protocol>
    Given Eve's station is online on OCPP <protocol>
    And the <kind> "<code>" is <state> at the station
    When a driver plugs in and presents the <kind> "<code>"
    Then the station is told "<status>"
    And the answer to the station's Authorize said "<status>"
    And <outcome>

    @ocpp16
    Examples: OCPP 1.6
      | protocol | kind      | code     | state                                  | status   | outcome                  |
      | 1.6      | PIN code  | #1357    | active                                 | Accepted | charging starts          |
      | 1.6      | RFID card | 04A1B2C3 | active                                 | Accepted | charging starts          |
      | 1.6      | PIN code  | #1357    | held by a blocked user                 | Blocked  | charging does not start  |
      | 1.6      | RFID card | 04A1B2C3 | inactive                               | Invalid  | charging does not start  |
      | 1.6      | PIN code  | #1357    | past its expiry date                   | Expired  | charging does not start  |
      | 1.6      | RFID card | 04A1B2C3 | unknown at the station                 | Invalid  | charging does not start  |
      | 1.6      | PIN code  | #1357    | of a type the station does not accept  | Invalid  | charging does not start  |

    @ocpp201
    Examples: OCPP 2.0.1
      | protocol | kind      | code           | state                                  | status   | outcome                  |
      | 2.0.1    | PIN code  | #1357          | active                                 | Accepted | charging starts          |
      | 2.0.1    | RFID card | 04A1B2C3D4E5F6 | active                                 | Accepted | charging starts          |
      | 2.0.1    | RFID card | 04A1B2C3D4E5F6 | held by a blocked user                 | Blocked  | charging does not start  |
      | 2.0.1    | PIN code  | #1357          | inactive                               | Invalid  | charging does not start  |
      | 2.0.1    | RFID card | 04A1B2C3D4E5F6 | past its expiry date                   | Expired  | charging does not start  |
      | 2.0.1    | PIN code  | #1357          | unknown at the station                 | Unknown  | charging does not start  |
      | 2.0.1    | RFID card | 04A1B2C3D4E5F6 | of a type the station does not accept  | Invalid  | charging does not start  |

  Scenario Outline: A <kind> valid until a date is Accepted with that date, on OCPP <protocol>
    The date travels as idTagInfo.expiryDate (1.6) / idTokenInfo.cacheExpiryDateTime (2.0.1): the station
    may keep the token in its cache and its local list until then.

    Given Eve's station is online on OCPP <protocol>
    And the <kind> "<code>" is valid for another month at the station
    When a driver plugs in and presents the <kind> "<code>"
    Then the station is told "Accepted"
    And the answer to the station's Authorize carried the expiry date Eve set for "<code>"
    And the station's local list holds "<code>" until the expiry date Eve set

    @ocpp16
    Examples: OCPP 1.6
      | protocol | kind      | code     |
      | 1.6      | PIN code  | #7531    |

    @ocpp201
    Examples: OCPP 2.0.1
      | protocol | kind      | code           |
      | 2.0.1    | RFID card | 04BEEF01020304 |

  Scenario Outline: Fred disables PIN codes at the station, then enables them again, on OCPP <protocol>
    Given Eve's station with 3 EVSEs is online on OCPP <protocol>
    And the PIN code "#5555" is active at the station
    And the RFID card "<card>" is active at the station
    When Fred sets the station's identification types to rfid
    And a driver plugs in at EVSE 1 and presents the PIN code "#5555"
    Then the station is told "Invalid"
    And charging does not start at EVSE 1
    And the station's local list holds "#5555" as Invalid
    When a driver plugs in at EVSE 2 and presents the RFID card "<card>"
    Then the station is told "Accepted"
    And charging starts at EVSE 2
    When Fred sets the station's identification types to pin, rfid
    And a driver plugs in at EVSE 3 and presents the PIN code "#5555"
    Then the station is told "Accepted"
    And charging starts at EVSE 3
    And the station's local list holds "#5555" as Accepted

    @ocpp16
    Examples: OCPP 1.6
      | protocol | card     |
      | 1.6      | 04CAFE01 |

    @ocpp201
    Examples: OCPP 2.0.1
      | protocol | card           |
      | 2.0.1    | 04CAFE01020304 |

  Scenario Outline: A token already charging is refused ConcurrentTx at the start of another transaction, OCPP <protocol>
    ConcurrentTx is only a transaction start's answer: Authorize still says Accepted, and the station,
    bound by the answer to <start>, does not let the second EV charge.

    Given Eve's station with 2 EVSEs is online on OCPP <protocol>
    And the RFID card "<code>" is active at the station
    And a driver plugs in at EVSE 1 and presents the RFID card "<code>"
    When a driver plugs in at EVSE 2 and presents the RFID card "<code>"
    Then the station is told "ConcurrentTx"
    And the answer to the station's Authorize said "Accepted"
    And the answer to the station's <start> said "ConcurrentTx"
    And charging starts at EVSE 1
    And charging does not start at EVSE 2

    @ocpp16
    Examples: OCPP 1.6
      | protocol | code     | start            |
      | 1.6      | 04D1E2F3 | StartTransaction |

    @ocpp201
    Examples: OCPP 2.0.1
      | protocol | code           | start            |
      | 2.0.1    | 04D1E2F3A4B5C6 | TransactionEvent |
