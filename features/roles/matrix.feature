@roles @reference_backend
Feature: The permission matrix, action by action
  Every role on one station is held by someone else (see conftest.py: Pia, Fred, Ivan, Eve, Carl), and
  Zed holds none. Each tries the action: exactly the roles of the matrix's row may (whatever the answer
  then says, e.g. 409 for a station that is offline), everyone else gets a 403 naming the action and
  their roles, and the database is unchanged by the refusal. The Examples are the matrix: a unit test
  checks they match `reference_backend/domain/permissions.py`.

  Background:
    Given station "CP-1" with every role held
    And Zed is a confirmed user without any company

  Scenario Outline: <action>
    When each role tries <action> on station "CP-1"
    Then exactly <allowed> may, and the others are refused without a change

    Examples:
      | action                   | allowed                                                    |
      | plan_installation        | installer, facility_owner                                  |
      | configure                | installer, partner_tech_support                            |
      | configure_accessories    | installer, partner_tech_support                            |
      | set_max_current          | installer, partner_tech_support                            |
      | send_handover            | facility_owner                                             |
      | assign_cpo               | facility_owner                                             |
      | set_prices               | facility_owner, cpo                                        |
      | set_charging_times       | facility_owner                                             |
      | set_priorities           | facility_owner                                             |
      | set_identification_types | facility_owner, evse_owner                                 |
      | manage_local_users       | facility_owner, evse_owner                                 |
      | add_rfid_card            | installer, partner_tech_support, facility_owner, evse_owner, cpo |
      | manage_tokens            | facility_owner, evse_owner, cpo                            |
      | view_settings            | installer, partner_tech_support, facility_owner, evse_owner, cpo |
      | remote_start_stop        | partner_tech_support, cpo                                  |
      | end_transaction          | partner_tech_support, cpo                                  |
      | reset                    | partner_tech_support, cpo                                  |
      | unlock_connector         | installer, partner_tech_support, cpo                       |
      | change_availability      | installer, partner_tech_support, cpo                       |
      | trigger_message          | installer, partner_tech_support, cpo                       |
      | clear_cache              | installer, partner_tech_support, cpo                       |
      | set_security             | installer, partner_tech_support                            |
      | reserve                  | facility_owner, evse_owner, cpo                            |
      | set_display_messages     | facility_owner, cpo                                        |
      | data_transfer            | installer, partner_tech_support                            |
      | manage_certificates      | installer, partner_tech_support, cpo                       |
      | update_firmware          | installer, partner_tech_support                            |
      | retrieve_logs            | installer, partner_tech_support, cpo                       |
      | manage_monitoring        | installer, partner_tech_support                            |
      | customer_information     | facility_owner, cpo                                        |
