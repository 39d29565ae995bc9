@conformance @ocpp201
Feature: OCPP 2.0.1 block P - data transfer
  The tool-station sends a DataTransfer with a vendorId the CSMS does not know, and a message with
  customData; the CSMS answers both (P02; customData may come with any message).

  @TC_P_02_CSMS @block_P @mandatory
  Scenario: TC_P_02_CSMS Data Transfer to the CSMS - Rejected / Unknown VendorId / Unknown MessageId
    Given the station is booted
    When the station sends a DataTransfer
    Then the CSMS answers DataTransfer with status "Rejected, UnknownMessageId, UnknownVendorId"

  @TC_P_03_CSMS @block_P @mandatory
  Scenario: TC_P_03_CSMS CustomData - Receive custom data
    Given the station is booted
    When the station sends a Heartbeat with custom data
    Then the CSMS answers the Heartbeat with its current time
