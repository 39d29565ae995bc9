@roles @reference_backend
Feature: Roles are allocated by action, each with who, when and why
  Seed 000: the installer by a first settings edit (connected or not), the EVSE owner by the handover
  invitation, the CPO by the owner's assignment; the partner's tech support by supplying the station,
  the facility owner by owning the installation.

  Background:
    Given Olga is a platform operator admin
    And Pia registered station "CP-2" for "Volt Supply"
    And Fred owns installation "Garage"

  Scenario: The supplier's partner company is its tech support; the installation's company its facility owner
    Then Pia's roles on station "CP-2" are partner_tech_support
    When Fred adds station "CP-2" to installation "Garage"
    Then Fred's roles on station "CP-2" are facility_owner
    And Fred's stations are CP-2
    And station "CP-2" has a facility_owner grant because "station added to installation Garage"

  Scenario: The first installer who edits the settings becomes the installer, while the station is offline
    Given Ivan added station "CP-2" to installation "Garage"
    When Ivan sets max_current of station "CP-2" to 16
    Then the answer is 200
    And station "CP-2" has an installer grant because "first settings edit by an installer"
    And the audit trail of station "CP-2" has max_current from None to 16 by Ivan
    And the push status of max_current of station "CP-2" is pending
    And Ivan's roles on station "CP-2" are installer

  Scenario: The handover invitation makes the invitee, who signs up through its link, the EVSE owner
    Given Fred added station "CP-2" to installation "Garage"
    And Fred handed station "CP-2" over to Eve, who signed up through the link
    Then Eve's roles on station "CP-2" are evse_owner
    And station "CP-2" has an evse_owner grant because "handover invitation sent to"
    When Eve sets identification_types of station "CP-2" to ["rfid"]
    Then the answer is 200
    And station "CP-2" accepts only rfid in the OCPP authorization

  Scenario: Assigning the station to a CPO gives that CPO access
    Given Fred added station "CP-2" to installation "Garage"
    And Carl is logged in
    When Carl sets price_per_kwh of station "CP-2" to "0.42"
    Then the answer is 403 naming "your roles there: none"
    Given Fred assigned station "CP-2" to "Grid CPO"
    When Carl sets price_per_kwh of station "CP-2" to "0.42"
    Then the answer is 200
    And station "CP-2" has a cpo grant because "the facility owner assigned the station to Grid CPO"

  Scenario: A station known only by connecting is claimed with a code the operator issued, never with what it sent
    Given station "CP-0009" is online on OCPP 2.0.1
    When Fred adds station "CP-0009" to installation "Garage" with claim code "WRONG-CODE"
    Then the answer is 422 for the field "claim_code"
    When Fred adds station "CP-0009" to installation "Garage" with claim code "CP-0009"
    Then the answer is 422 for the field "claim_code"
    When Fred asks for a claim code of station "CP-0009"
    Then the answer is 403 naming "only platform operator admins"
    When the platform operator issues a claim code for station "CP-0009"
    And Fred adds station "CP-0009" to installation "Garage" with the issued claim code
    Then the answer is 201
    And Fred's roles on station "CP-0009" are facility_owner

  Scenario: The handover link signs up one account only, and an unknown link is gone
    Given Fred added station "CP-2" to installation "Garage"
    And Fred handed station "CP-2" over to Eve, who signed up through the link
    When someone signs up again through the handover link of station "CP-2"
    Then the answer is 409 naming "has an account already"
    When someone signs up through a handover link with the token "not-a-token"
    Then the answer is 410

  Scenario: When the owner added the station, the installer on site joins it with the claim code
    Given Fred added station "CP-2" to installation "Garage"
    And Ivan is logged in
    When Ivan sets max_current of station "CP-2" to 16
    Then the answer is 403 naming "your roles there: none"
    When Ivan adds station "CP-2" to installation "Garage"
    Then the answer is 201
    And Ivan's roles on station "CP-2" are installer
    When Ivan sets max_current of station "CP-2" to 16
    Then the answer is 200
    And station "CP-2" has an installer grant because "first settings edit by an installer"
