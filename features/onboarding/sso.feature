@onboarding @reference_backend
Feature: SSO with OpenID Connect, creating customers on first login
  The backend is a relying party of a real OpenID Connect provider running for the tests: the login
  redirects to it, the code is exchanged at its token endpoint and the ID token's signature and claims
  are verified. An unknown user can create their customer, if the operator enabled it; only customers.

  Background:
    Given Olga is a platform operator admin

  Scenario: An unknown user creates their customer at first SSO login
    Given the operator enables SSO customer creation with a default location
    When Sam logs in through the identity provider
    Then the backend asks for the missing customer data
    When Sam gives the customer data for customer_personal
    Then the answer is 201
    And Sam is admin of a new customer_personal company
    And the company has one installation named "Home"
    When Sam logs in through the identity provider
    Then Sam is logged in by SSO

  Scenario: A user with an account and the same verified email is logged in
    Given Ada has a confirmed account
    When Ada logs in through the identity provider
    Then Ada is logged in by SSO

  Scenario: Without SSO customer creation an unknown user is refused
    When Sam logs in through the identity provider
    Then the answer is 403 naming "not enabled"

  Scenario: SSO creates customers only
    Given the operator enables SSO customer creation
    When Sam logs in through the identity provider
    And Sam gives the customer data for channel_partner
    Then the answer is 422 for the field "account_type"
    And nothing changed in the database

  Scenario: A forged ID token is rejected
    Given the identity provider signs ID tokens with a key it does not publish
    And Ada has a confirmed account
    When Ada logs in through the identity provider
    Then the answer is 401 naming "ID token was rejected"

  Scenario: The provider's answer works once
    Given Ada has a confirmed account
    When Ada logs in through the identity provider
    And the provider's redirect is replayed
    Then the answer is 422 for the field "state"

  Scenario: A made-up state is refused
    When someone calls GET /api/sso/callback?state=made-up&code=abc
    Then the answer is 422 for the field "state"
