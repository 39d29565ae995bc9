@onboarding @reference_backend
Feature: Bootstrapping the platform operator
  The first operator admin is created with a command on the backend's database; from then on the
  operator works through the API.

  Scenario: The first operator admin, then the same address again
    When the bootstrap command creates the operator admin Otto
    Then the command succeeds
    And Otto can log in as platform operator admin
    When the bootstrap command creates the operator admin Otto
    Then the command fails naming "has an account already"

  Scenario: A weak password is refused by the command
    When the bootstrap command creates the operator admin Otto with the password "weak"
    Then the command fails naming "too weak"
    And nothing changed in the database
