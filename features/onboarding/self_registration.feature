@onboarding @reference_backend
Feature: Self-registration, configured by the platform operator
  The operator enables self-registration per account type. A person gives an email address, follows
  the emailed registration link, fills in what the account type needs, sets a password and accepts
  the agreements; the customer (or partner, or data recipient) company and its user are created.

  Background:
    Given Olga is a platform operator admin

  Scenario: A disabled account type cannot self-register
    Given the operator enables self-registration for customer_business only
    When Pia starts a self-registration as customer_personal
    Then the answer is 403 naming "not enabled"
    And Pia receives no email

  Scenario: Only the operator configures onboarding
    Given Bob is logged in
    When Bob enables self-registration for customer_personal
    Then the answer is 403 naming "platform operator"
    And nothing changed in the database
    When Bob calls GET /api/onboarding/pending-companies
    Then the answer is 403 naming "platform operator"
    When Bob calls GET /api/onboarding/partner-codes
    Then the answer is 403 naming "platform operator"

  Scenario Outline: A customer registers, with the default location
    Given the operator enables self-registration for <type> with a default location
    When Pia starts a self-registration as <type>
    Then the answer is 202
    And Pia receives an email "Complete your evharness registration"
    When Pia opens the registration link
    Then the form asks for <properties>
    When Pia completes the registration
    Then the answer is 201
    And Pia is admin of a new <type> company
    And the company has one installation named "<location>"
    And Pia can log in

    Examples:
      | type              | properties                            | location |
      | customer_personal | country, address                      | Home     |
      | customer_business | company_name, country, address, vat_id | Location |

  Scenario: Without the default location option no installation is created
    Given the operator enables self-registration for customer_personal
    When Pia registers as customer_personal
    Then the answer is 201
    And the company has no installation

  Scenario: A missing property is refused naming it, and the link stays usable
    Given the operator enables self-registration for customer_business
    When Pia starts a self-registration as customer_business
    And Pia completes the registration without vat_id
    Then the answer is 422 for the field "vat_id"
    And nothing changed in the database
    When Pia completes the registration
    Then the answer is 201
    When Pia completes the registration
    Then the answer is 410 naming "used already"

  Scenario: An expired registration link is refused
    Given the operator enables self-registration for customer_personal
    When Pia starts a self-registration as customer_personal
    And Pia's registration link expires
    And Pia completes the registration
    Then the answer is 410 naming "expired"
    And nothing changed in the database

  Scenario: A channel partner registers with a partner code
    Given the operator enables self-registration for channel_partner
    And the operator issued the partner code "VOLT-2026"
    When Pia registers as channel_partner with the partner code "VOLT-2026"
    Then the answer is 201
    And Pia is admin of a new partner company
    When Quinn registers as channel_partner with the partner code "VOLT-2026"
    Then the answer is 422 naming "used by another registration"

  Scenario Outline: A channel partner without a valid code is refused
    Given the operator enables self-registration for channel_partner
    When Pia registers as channel_partner with the partner code "<code>"
    Then the answer is 422 for the field "partner_code"
    And the answer is 422 naming "<problem>"
    And nothing changed in the database

    Examples:
      | code       | problem               |
      | NOPE-0000  | not a valid partner code |
      | none       | required              |

  Scenario: A channel partner without code, when the operator allows it
    Given the operator enables self-registration for channel_partner without code
    When Pia registers as channel_partner with the partner code "none"
    Then the answer is 201

  Scenario: A data recipient waits for the operator's approval
    Given the operator enables self-registration for data_recipient
    When Pia registers as data_recipient
    Then the answer is 201
    And the registration is pending approval
    And Olga receives an email "Data recipient registration"
    And Olga sees Pia's company among the registrations waiting for approval
    When Pia logs in
    Then the answer is 403 naming "awaits the platform operator's approval"
    When Olga approves Pia's company
    Then the answer is 200
    And Pia receives an email "was approved"
    And Pia can log in

  Scenario: A rejected data recipient cannot log in
    Given the operator enables self-registration for data_recipient
    When Pia registers as data_recipient
    And Olga rejects Pia's company
    And Pia logs in
    Then the answer is 403 naming "rejected"

  Scenario: The agreements of the account type must be accepted to register
    Given the operator enables self-registration for customer_personal
    And the operator published the agreement "Terms of use" for customer_personal
    When Pia starts a self-registration as customer_personal
    And Pia completes the registration without accepting the agreements
    Then the answer is 422 for the field "accepted_agreements"
    And the answer is 422 naming "Terms of use v1"
    When Pia completes the registration
    Then the answer is 201
    And Pia's acceptance of "Terms of use" v1 is recorded

  Scenario: Registering with an address that has an account
    Given the operator enables self-registration for customer_personal
    And Pia has a confirmed account
    When Pia starts a self-registration as customer_personal
    Then the answer is 202
    And Pia receives an email "Your evharness account"

  Scenario: Two registration links for one address: the second completion names the taken email
    Given the operator enables self-registration for customer_personal
    When Pia starts a self-registration as customer_personal twice
    And Pia completes both registrations
    Then the first completion is 201 and the second 409 naming "email"
    And Pia can log in
