@onboarding @reference_backend
Feature: Getting into a company: access requests and company applications
  A confirmed user asks to join an existing company, whose admins approve or reject; or applies for a
  new company (partner, cpo, installer), which the platform operator approves or rejects.

  Background:
    Given Olga is a platform operator admin
    And the operator admin Olga approved a company "Acme Installers" of type installer with Ada as admin

  Scenario: The applicant of an approved company is its admin
    When Ada calls GET /api/companies/{Acme Installers}/members
    Then the answer is 200
    And Ada is the only member of "Acme Installers", as admin

  Scenario: Access request approved by the company's admin
    Given Bob is logged in
    When Bob asks for access to "Acme Installers"
    Then the answer is 201
    And Ada receives an email "Access request for Acme Installers"
    When Ada approves Bob's request
    Then the answer is 200
    And Bob receives an email "was approved"
    And Bob is a member of "Acme Installers"

  Scenario: Access request rejected
    Given Bob is logged in
    When Bob asks for access to "Acme Installers"
    And Ada rejects Bob's request
    Then the answer is 200
    And Bob receives an email "was rejected"
    And Bob is not a member of "Acme Installers"

  Scenario: A request cannot be decided twice
    Given Bob is logged in
    When Bob asks for access to "Acme Installers"
    And Ada approves Bob's request
    And Ada rejects Bob's request
    Then the answer is 409 naming "approved already"
    And nothing changed in the database

  Scenario: Asking twice, or as a member, is refused
    Given Bob is logged in
    When Bob asks for access to "Acme Installers"
    And Bob asks for access to "Acme Installers"
    Then the answer is 409 naming "asked for access"
    When Ada asks for access to "Acme Installers"
    Then the answer is 409 naming "member"

  Scenario: Only the company's admins decide access requests
    Given Bob is logged in
    And Carl is logged in
    When Bob asks for access to "Acme Installers"
    And Carl approves Bob's request
    Then the answer is 404
    And nothing changed in the database
    And Bob is not a member of "Acme Installers"

  Scenario: A company application approved by the operator
    Given Carl is logged in
    When Carl applies for a company "Volt Partners" of type partner
    Then the answer is 201
    And Olga receives an email "Company application: Volt Partners"
    When Olga approves Carl's application
    Then the answer is 200
    And Carl receives an email "was approved"
    And Carl is admin of the new company "Volt Partners"

  Scenario: A company application rejected by the operator
    Given Carl is logged in
    When Carl applies for a company "Volt Partners" of type cpo
    And Olga rejects Carl's application
    Then the answer is 200
    And Carl receives an email "was rejected"
    And Carl belongs to no company

  Scenario: Only the operator decides applications
    Given Carl is logged in
    When Carl applies for a company "Volt Partners" of type partner
    And Carl approves Carl's application
    Then the answer is 403 naming "platform operator"
    And nothing changed in the database

  Scenario Outline: A company application with bad data is refused naming the field
    Given Carl is logged in
    When Carl applies with <field> "<value>"
    Then the answer is 422 for the field "<field>"
    And nothing changed in the database

    Examples:
      | field   | value             |
      | type    | customer_personal |
      | type    | operator          |
      | country | Norway            |
      | name    |                   |

  Scenario: Company admins manage members and admin rights
    Given Bob is logged in
    When Bob asks for access to "Acme Installers"
    And Ada approves Bob's request
    And Bob makes Bob admin of "Acme Installers"
    Then the answer is 403 naming "only admins"
    And nothing changed in the database
    When Ada makes Bob admin of "Acme Installers"
    Then the answer is 200
    When Bob makes Ada member of "Acme Installers"
    Then the answer is 200
    When Bob makes Bob member of "Acme Installers"
    Then the answer is 409 naming "last admin"
    When Bob removes Ada from "Acme Installers"
    Then the answer is 204
    And Ada is not a member of "Acme Installers"

  Scenario: A user sees only their own companies
    Given Carl is logged in
    When Carl calls GET /api/companies/{Acme Installers}/members
    Then the answer is 404

  Scenario: A member who is not admin sees the members but not the access requests
    Given Bob is logged in
    When Bob asks for access to "Acme Installers"
    And Ada approves Bob's request
    And Bob calls GET /api/companies/{Acme Installers}/members
    Then the answer is 200
    When Bob calls GET /api/companies/{Acme Installers}/access-requests
    Then the answer is 403 naming "only admins"
