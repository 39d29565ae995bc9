@onboarding @reference_backend
Feature: Versioned agreements, accepted again at the next login
  Agreements are versioned per account type; acceptance is recorded (who, which version, when).
  After a new version is published, a user of that type can do nothing but read and accept it.

  Background:
    Given Olga is a platform operator admin
    And the operator enables self-registration for customer_personal
    And the operator published the agreement "Terms of use" for customer_personal
    And Pia registered as customer_personal

  Scenario: A new version must be accepted before anything else works
    Given the operator published the agreement "Terms of use" for customer_personal
    When Pia logs in
    Then the answer is 201
    And the login lists "Terms of use" v2 as pending
    When Pia calls GET /api/companies
    Then the answer is 403 naming "Terms of use v2"
    When Pia accepts the pending agreement
    Then the answer is 200
    And Pia's acceptance of "Terms of use" v2 is recorded
    When Pia calls GET /api/companies
    Then the answer is 200

  Scenario: An old version cannot be accepted instead
    Given the operator published the agreement "Terms of use" for customer_personal
    When Pia logs in
    And Pia accepts version 1 of "Terms of use"
    Then the answer is 409 naming "not the current version"
    When Pia calls GET /api/companies
    Then the answer is 403

  Scenario: Agreements of other account types do not concern the user
    Given the operator published the agreement "Partner terms" for partner
    When Pia logs in
    And Pia calls GET /api/companies
    Then the answer is 200

  Scenario: Only the operator publishes agreements
    When Pia logs in
    And Pia publishes an agreement for customer_personal
    Then the answer is 403 naming "platform operator"
    And nothing changed in the database
