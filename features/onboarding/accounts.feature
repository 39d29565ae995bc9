@onboarding @reference_backend
Feature: Accounts: sign up, confirm by email, log in, reset the password
  A person creates an account with email, name and password, confirms it with the single-use link
  emailed to them, and logs in. The answers never tell whether an address has an account.

  Scenario: Sign up, confirm, log in
    When Ada signs up
    Then the answer is 202
    And Ada receives an email "Confirm your evharness account"
    When Ada opens the link of that email
    Then the answer is 200
    When Ada logs in
    Then the answer is 201
    And Ada's profile shows her email address
    And the backend's log shows Ada's link only masked

  Scenario: An unconfirmed account cannot log in, and answers a right and a wrong password alike
    When Ada signs up
    And Ada logs in
    Then the answer is 401 naming "not confirmed yet"
    When Ada logs in with the password "Wrong-horse-battery-1"
    Then the answer is 401 naming "not confirmed yet"

  Scenario: A confirmation link works once
    Given Ada has a confirmed account
    When Ada opens the confirmation link again
    Then the answer is 410 naming "used already"

  Scenario: An expired confirmation link is refused, a new one works
    When Ada signs up
    And Ada's links expire
    And Ada opens the confirmation link
    Then the answer is 410 naming "expired"
    When Ada asks for a new confirmation link
    Then the answer is 202
    And Ada receives an email "Confirm your evharness account"
    When Ada opens the link of that email
    Then the answer is 200

  Scenario: An unknown link is refused
    When someone opens a confirmation link with a made-up token
    Then the answer is 404 naming "not valid"

  Scenario: Signing up with a taken address answers the same and tells the owner
    Given Ada has a confirmed account
    When someone signs up with Ada's address
    Then the answer is 202
    And Ada receives an email "Your evharness account"
    And nothing changed in the database

  Scenario Outline: A weak password is refused and nothing is stored
    When Ada signs up with the password "<password>"
    Then the answer is 422 for the field "password"
    And the answer is 422 naming "too weak"
    And nothing changed in the database
    And Ada receives no email

    Examples:
      | password          |
      | Sh0rt!            |
      | alllowercaseonly  |
      | Password123       |

  Scenario Outline: A malformed email address is refused naming the field
    When someone signs up with the address "<address>"
    Then the answer is 422 for the field "email"
    And nothing changed in the database

    Examples:
      | address          |
      | not-an-address   |
      | ada@             |
      | @example.com     |

  Scenario: A wrong password and an unknown address get the same answer
    Given Ada has a confirmed account
    When Ada logs in with the password "Wr0ng-password!"
    Then the answer is 401 naming "email or password is wrong"
    When someone logs in as nobody@example.com
    Then the answer is 401 naming "email or password is wrong"

  Scenario: Failed logins are limited per account
    Given Ada has a confirmed account
    When Ada logs in 5 times with a wrong password
    And Ada logs in
    Then the answer is 429 naming "this account"

  Scenario: Logins are limited per client
    Given a backend that allows 3 login attempts per client and minute
    When a client tries to log in 3 times as different people
    And the same client tries once more
    Then the answer is 429 naming "this client"

  Scenario: Password reset by email
    Given Ada has a confirmed account
    And Ada is logged in
    When Ada asks for a password reset
    Then the answer is 202
    And Ada receives an email "Reset your evharness password"
    When Ada sets the new password "N3w-password-ok" with that link
    Then the answer is 204
    And Ada's old session no longer works
    And Ada can log in with "N3w-password-ok"

  Scenario: A weak new password leaves the reset link usable
    Given Ada has a confirmed account
    When Ada asks for a password reset
    And Ada sets the new password "weak" with the emailed link
    Then the answer is 422 for the field "password"
    When Ada sets the new password "N3w-password-ok" with the emailed link
    Then the answer is 204
    When Ada sets the new password "An0ther-password" with the emailed link
    Then the answer is 410 naming "used already"

  Scenario: A reset for an unknown address answers the same and sends nothing
    When Zed asks for a password reset
    Then the answer is 202
    And Zed receives no email

  Scenario: Logout ends the session; every endpoint wants a session
    Given Ada is logged in
    When Ada calls DELETE /api/session
    Then the answer is 204
    When Ada calls GET /api/me
    Then the answer is 401
    When someone calls GET /api/companies
    Then the answer is 401 naming "log in first"
