@authorization @reference_backend
Feature: Offline, the station authorizes from its local list and its authorization cache
  When the backend is unreachable the station decides on its own, as its configuration says (1.6 key /
  2.0.1 variable): LocalAuthorizeOffline / AuthCtrlr.LocalAuthorizeOffline lets a token the station knows
  as Accepted charge; AllowOfflineTxForUnknownId / AuthCtrlr.OfflineTxForUnknownIdEnabled lets an unknown
  one charge. It looks in its local list first (LocalAuthListEnabled / LocalAuthListCtrlr.Enabled), kept in
  sync by the backend (local_list.feature), then in its authorization cache (AuthorizationCacheEnabled /
  AuthCacheCtrlr.Enabled), which remembers the backend's latest answer for each token presented online.
  Transaction messages wait in the station's queue and reach the backend once it is back.

  Scenario Outline: Offline, a <kind> that is <state> is <status> by <source>, on OCPP <protocol>
    Given Eve's station is online on OCPP <protocol>, configured with <settings>
    And the <kind> "<code>" is <state> at the station
    And the station's local list is up to date
    When the station loses its connection to the backend
    And a driver plugs in and presents the <kind> "<code>"
    Then the station is told "<status>"
    And the station decided it offline, by <source>
    And <outcome>

    @ocpp16
    Examples: OCPP 1.6
      | protocol | settings                                                                               | kind      | code     | state                  | status   | source                | outcome                 |
      | 1.6      | LocalAuthListEnabled=true, LocalAuthorizeOffline=true, AllowOfflineTxForUnknownId=false  | RFID card | 04E1E2E3 | active                 | Accepted | its local list        | charging starts         |
      | 1.6      | LocalAuthListEnabled=true, LocalAuthorizeOffline=true, AllowOfflineTxForUnknownId=false  | PIN code  | #24680   | held by a blocked user | Blocked  | its local list        | charging does not start |
      | 1.6      | LocalAuthListEnabled=true, LocalAuthorizeOffline=true, AllowOfflineTxForUnknownId=false  | PIN code  | #24680   | past its expiry date   | Expired  | its local list        | charging does not start |
      | 1.6      | LocalAuthListEnabled=true, LocalAuthorizeOffline=true, AllowOfflineTxForUnknownId=false  | RFID card | 04E1E2E3 | unknown at the station | Invalid  | refusing the unknown  | charging does not start |
      | 1.6      | LocalAuthListEnabled=true, LocalAuthorizeOffline=true, AllowOfflineTxForUnknownId=true   | RFID card | 04E1E2E3 | unknown at the station | Accepted | allowing the unknown  | charging starts         |
      | 1.6      | LocalAuthListEnabled=true, LocalAuthorizeOffline=false, AllowOfflineTxForUnknownId=false | RFID card | 04E1E2E3 | active                 | Invalid  | refusing the unknown  | charging does not start |

    @ocpp201
    Examples: OCPP 2.0.1
      | protocol | settings                                                                                                   | kind      | code           | state                  | status   | source               | outcome                 |
      | 2.0.1    | LocalAuthListCtrlr.Enabled=true, AuthCtrlr.LocalAuthorizeOffline=true, AuthCtrlr.OfflineTxForUnknownIdEnabled=false  | PIN code  | #24680         | active                 | Accepted | its local list       | charging starts         |
      | 2.0.1    | LocalAuthListCtrlr.Enabled=true, AuthCtrlr.LocalAuthorizeOffline=true, AuthCtrlr.OfflineTxForUnknownIdEnabled=false  | RFID card | 04E1E2E3E4E5E6 | held by a blocked user | Blocked  | its local list       | charging does not start |
      | 2.0.1    | LocalAuthListCtrlr.Enabled=true, AuthCtrlr.LocalAuthorizeOffline=true, AuthCtrlr.OfflineTxForUnknownIdEnabled=false  | PIN code  | #24680         | inactive               | Invalid  | its local list       | charging does not start |
      | 2.0.1    | LocalAuthListCtrlr.Enabled=true, AuthCtrlr.LocalAuthorizeOffline=true, AuthCtrlr.OfflineTxForUnknownIdEnabled=false  | RFID card | 04E1E2E3E4E5E6 | unknown at the station | Invalid  | refusing the unknown | charging does not start |
      | 2.0.1    | LocalAuthListCtrlr.Enabled=true, AuthCtrlr.LocalAuthorizeOffline=true, AuthCtrlr.OfflineTxForUnknownIdEnabled=true   | RFID card | 04E1E2E3E4E5E6 | unknown at the station | Accepted | allowing the unknown | charging starts         |
      | 2.0.1    | LocalAuthListCtrlr.Enabled=true, AuthCtrlr.LocalAuthorizeOffline=false, AuthCtrlr.OfflineTxForUnknownIdEnabled=false | PIN code  | #24680         | active                 | Invalid  | refusing the unknown | charging does not start |

  Scenario Outline: A session authorized offline from the list reaches the backend once the station is back, OCPP <protocol>
    Given Eve's station is online on OCPP <protocol>
    And the <kind> "<code>" is active at the station
    And the station's local list is up to date
    When the station loses its connection to the backend
    And a driver plugs in and presents the <kind> "<code>"
    Then the station is told "Accepted"
    When the EV charges 4 kWh
    And the driver stops charging and unplugs
    And the station is back online
    Then the backend recorded a finished transaction of 4 kWh with the <kind> "<code>"

    @ocpp16
    Examples: OCPP 1.6
      | protocol | kind      | code     |
      | 1.6      | PIN code  | #86420   |

    @ocpp201
    Examples: OCPP 2.0.1
      | protocol | kind      | code           |
      | 2.0.1    | RFID card | 04F1F2F3F4F5F6 |

  Scenario Outline: A card accepted online is accepted offline from the cache only while the cache is enabled, OCPP <protocol>
    The station's local list is off here, so the card can only be known from the cache.

    Given Eve's station is online on OCPP <protocol>, configured with <settings>
    And the RFID card "<code>" is active at the station
    And a driver plugs in and presents the RFID card "<code>"
    And the EV charges 1 kWh
    And the driver stops charging and unplugs
    When the station loses its connection to the backend
    And a driver plugs in and presents the RFID card "<code>"
    Then the station is told "<status>"
    And the station decided it offline, by <source>
    And <outcome>

    @ocpp16
    Examples: OCPP 1.6
      | protocol | settings                                                     | code     | status   | source                   | outcome                 |
      | 1.6      | LocalAuthListEnabled=false, AuthorizationCacheEnabled=true   | 04C4C4C4 | Accepted | its authorization cache  | charging starts         |
      | 1.6      | LocalAuthListEnabled=false, AuthorizationCacheEnabled=false  | 04C4C4C4 | Invalid  | refusing the unknown     | charging does not start |

    @ocpp201
    Examples: OCPP 2.0.1
      | protocol | settings                                                       | code           | status   | source                  | outcome                 |
      | 2.0.1    | LocalAuthListCtrlr.Enabled=false, AuthCacheCtrlr.Enabled=true  | 04C4C4C4C4C4C4 | Accepted | its authorization cache | charging starts         |
      | 2.0.1    | LocalAuthListCtrlr.Enabled=false, AuthCacheCtrlr.Enabled=false | 04C4C4C4C4C4C4 | Invalid  | refusing the unknown    | charging does not start |
