@conformance @ocpp201
Feature: OCPP 2.0.1 block N - diagnostics
  Logs (N01): the operator makes the CSMS send GetLog; the tool-station reports the upload with the
  request's id. Monitoring (N02–N08): the CSMS sets, reports and clears monitors; the tool-station answers
  and reports them (NotifyMonitoringReport) or raises an event (NotifyEvent). Customer information
  (N09/N10): get or clear a customer's data, reported with NotifyCustomerInformation. The CSMS must
  answer every message. TC_N_63 (by customer certificate) needs ISO 15118 contract certificates: NOT
  APPLICABLE without them.

  @TC_N_01_CSMS @block_N @mandatory
  Scenario: TC_N_01_CSMS Get Monitoring Report - with monitoringCriteria
    Given the station is booted
    When the operator makes the CSMS send GetMonitoringReport with {"requestId": 101, "monitoringCriteria": ["ThresholdMonitoring"]}
    Then the CSMS sent GetMonitoringReport with monitoringCriteria = ["ThresholdMonitoring"]
    When the station sends NotifyMonitoringReport with the payload {"requestId": "<requestId>", "seqNo": 0, "generatedAt": "<now>", "tbc": false, "monitor": [{"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Power"}, "variableMonitoring": [{"id": 1, "transaction": false, "value": 10000, "type": "UpperThreshold", "severity": 5}]}]}
    Then the CSMS answers NotifyMonitoringReport

  @TC_N_02_CSMS @block_N @mandatory
  Scenario: TC_N_02_CSMS Get Monitoring Report - with component/variable
    Given the station is booted
    When the operator makes the CSMS send GetMonitoringReport with {"requestId": 102, "componentVariable": [{"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Power"}}]}
    Then the CSMS sent GetMonitoringReport with componentVariable.0.component.name = "EVSE"
    When the station sends NotifyMonitoringReport with the payload {"requestId": "<requestId>", "seqNo": 0, "generatedAt": "<now>", "tbc": false, "monitor": [{"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Power"}, "variableMonitoring": [{"id": 1, "transaction": false, "value": 10000, "type": "UpperThreshold", "severity": 5}]}]}
    Then the CSMS answers NotifyMonitoringReport

  @TC_N_03_CSMS @block_N @mandatory
  Scenario: TC_N_03_CSMS Get Monitoring Report - with component criteria and component/variable
    Given the station is booted
    When the operator makes the CSMS send GetMonitoringReport with {"requestId": 103, "monitoringCriteria": ["DeltaMonitoring"], "componentVariable": [{"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Power"}}]}
    Then the CSMS sent GetMonitoringReport with monitoringCriteria = ["DeltaMonitoring"]
    When the station sends NotifyMonitoringReport with the payload {"requestId": "<requestId>", "seqNo": 0, "generatedAt": "<now>", "tbc": false, "monitor": [{"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Power"}, "variableMonitoring": [{"id": 1, "transaction": false, "value": 10000, "type": "UpperThreshold", "severity": 5}]}]}
    Then the CSMS answers NotifyMonitoringReport

  @TC_N_05_CSMS @block_N @mandatory
  Scenario: TC_N_05_CSMS Set Monitoring Base - success
    Given the station is booted
    When the operator makes the CSMS send SetMonitoringBase with {"monitoringBase": "All"}
    Then the CSMS sent SetMonitoringBase with monitoringBase = "All"
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_N_08_CSMS @block_N @mandatory
  Scenario: TC_N_08_CSMS Set Variable Monitoring - One SetMonitoringData element
    Given the station is booted
    When the operator makes the CSMS send SetVariableMonitoring with {"setMonitoringData": [{"value": 10000, "type": "UpperThreshold", "severity": 5, "component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Power"}}]}
    Then the CSMS sent SetVariableMonitoring with setMonitoringData.0.type = "UpperThreshold"
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_N_09_CSMS @block_N @optional
  Scenario: TC_N_09_CSMS Set Variable Monitoring - Multiple elements on different component and variable
    Given the station is booted
    When the operator makes the CSMS send SetVariableMonitoring with {"setMonitoringData": [{"value": 10000, "type": "UpperThreshold", "severity": 5, "component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Power"}}, {"value": 40, "type": "LowerThreshold", "severity": 4, "component": {"name": "ChargingStation"}, "variable": {"name": "Temperature"}}]}
    Then the CSMS sent SetVariableMonitoring with setMonitoringData.1.component.name = "ChargingStation"
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_N_16_CSMS @block_N @mandatory
  Scenario: TC_N_16_CSMS Set Monitoring Level - Success
    Given the station is booted
    When the operator makes the CSMS send SetMonitoringLevel with {"severity": 5}
    Then the CSMS sent SetMonitoringLevel with severity = 5
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_N_17_CSMS @block_N @mandatory
  Scenario: TC_N_17_CSMS Set Monitoring Level - Out of range
    Given the station is booted
    And the station will answer SetMonitoringLevel with status "Rejected"
    When the operator makes the CSMS send SetMonitoringLevel with {"severity": 9}
    Then the CSMS sent SetMonitoringLevel with severity = 9
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_N_18_CSMS @block_N @mandatory
  Scenario: TC_N_18_CSMS Clear Monitoring - Too many elements
    Given the station is booted
    And the station will answer ClearVariableMonitoring with the payload {"clearMonitoringResult": [{"status": "Rejected", "id": 1}]}
    When the operator makes the CSMS send ClearVariableMonitoring with {"id": [1]}
    Then the CSMS sent ClearVariableMonitoring with id = [1]
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_N_24_CSMS @block_N @mandatory
  Scenario: TC_N_24_CSMS Set Variable Monitoring - Periodic event
    Given the station is booted
    When the operator makes the CSMS send SetVariableMonitoring with {"setMonitoringData": [{"value": 60, "type": "Periodic", "severity": 8, "component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Power"}}]}
    Then the CSMS sent SetVariableMonitoring with setMonitoringData.0.type = "Periodic"
    When the station sends NotifyEvent with the payload {"generatedAt": "<now>", "seqNo": 0, "tbc": false, "eventData": [{"eventId": 1, "timestamp": "<now>", "trigger": "Periodic", "actualValue": "7400", "eventNotificationType": "CustomMonitor", "component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Power"}, "variableMonitoringId": 1}]}
    Then the CSMS answers NotifyEvent

  @TC_N_25_CSMS @block_N @mandatory
  Scenario: TC_N_25_CSMS Retrieve Log Information - Diagnostics Log - Success
    Given the station is booted
    When the operator makes the CSMS send GetLog with {"logType": "DiagnosticsLog", "requestId": 125, "log": {"remoteLocation": "https://logs.example/upload/"}}
    Then the CSMS sent GetLog with logType = "DiagnosticsLog"
    When the station reports "LogStatusNotification" with status "Uploading" for the request
    Then the CSMS answers LogStatusNotification
    When the station reports "LogStatusNotification" with status "Uploaded" for the request
    Then the CSMS answers LogStatusNotification

  @TC_N_27_CSMS @block_N @mandatory
  Scenario: TC_N_27_CSMS Get Customer Information - Accepted + data
    Given the station is booted
    When the operator makes the CSMS send CustomerInformation with {"requestId": 127, "report": true, "clear": false, "idToken": "<valid_token>"}
    Then the CSMS sent CustomerInformation with report = true
    When the station sends NotifyCustomerInformation with the payload {"data": "token 0A1B2C3D: 3 transactions", "seqNo": 0, "generatedAt": "<now>", "requestId": "<requestId>", "tbc": false}
    Then the CSMS answers NotifyCustomerInformation

  @TC_N_28_CSMS @block_N @mandatory
  Scenario: TC_N_28_CSMS Get Customer Information - Accepted + no data
    Given the station is booted
    When the operator makes the CSMS send CustomerInformation with {"requestId": 128, "report": true, "clear": false, "idToken": "<valid_token>"}
    Then the CSMS sent CustomerInformation with report = true
    When the station sends NotifyCustomerInformation with the payload {"data": "", "seqNo": 0, "generatedAt": "<now>", "requestId": "<requestId>", "tbc": false}
    Then the CSMS answers NotifyCustomerInformation

  @TC_N_29_CSMS @block_N @mandatory
  Scenario: TC_N_29_CSMS Get Customer Information - Not Accepted
    Given the station is booted
    And the station will answer CustomerInformation with status "Rejected"
    When the operator makes the CSMS send CustomerInformation with {"requestId": 129, "report": true, "clear": false, "idToken": "<valid_token>"}
    Then the CSMS sent CustomerInformation with report = true
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_N_30_CSMS @block_N @mandatory
  Scenario: TC_N_30_CSMS Clear Customer Information - Clear and report + data
    Given the station is booted
    When the operator makes the CSMS send CustomerInformation with {"requestId": 130, "report": true, "clear": true, "idToken": "<valid_token>"}
    Then the CSMS sent CustomerInformation with clear = true
    When the station sends NotifyCustomerInformation with the payload {"data": "token 0A1B2C3D: cleared", "seqNo": 0, "generatedAt": "<now>", "requestId": "<requestId>", "tbc": false}
    Then the CSMS answers NotifyCustomerInformation

  @TC_N_31_CSMS @block_N @mandatory
  Scenario: TC_N_31_CSMS Clear Customer Information - Clear and report + no data
    Given the station is booted
    When the operator makes the CSMS send CustomerInformation with {"requestId": 131, "report": true, "clear": true, "idToken": "<valid_token>"}
    Then the CSMS sent CustomerInformation with clear = true
    When the station sends NotifyCustomerInformation with the payload {"data": "", "seqNo": 0, "generatedAt": "<now>", "requestId": "<requestId>", "tbc": false}
    Then the CSMS answers NotifyCustomerInformation

  @TC_N_32_CSMS @block_N @mandatory
  Scenario: TC_N_32_CSMS Clear Customer Information - Clear and no report
    Given the station is booted
    When the operator makes the CSMS send CustomerInformation with {"requestId": 132, "report": false, "clear": true, "idToken": "<valid_token>"}
    Then the CSMS sent CustomerInformation with report = false
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_N_34_CSMS @block_N @mandatory
  Scenario: TC_N_34_CSMS Retrieve Log Information - Rejected
    Given the station is booted
    And the station will answer GetLog with status "Rejected"
    When the operator makes the CSMS send GetLog with {"logType": "DiagnosticsLog", "requestId": 134, "log": {"remoteLocation": "https://logs.example/upload/"}}
    Then the CSMS sent GetLog with logType = "DiagnosticsLog"
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_N_35_CSMS @block_N @mandatory
  Scenario: TC_N_35_CSMS Retrieve Log Information - Security Log - Success
    Given the station is booted
    When the operator makes the CSMS send GetLog with {"logType": "SecurityLog", "requestId": 135, "log": {"remoteLocation": "https://logs.example/upload/"}}
    Then the CSMS sent GetLog with logType = "SecurityLog"
    When the station reports "LogStatusNotification" with status "Uploading" for the request
    Then the CSMS answers LogStatusNotification
    When the station reports "LogStatusNotification" with status "Uploaded" for the request
    Then the CSMS answers LogStatusNotification

  @TC_N_36_CSMS @block_N @mandatory
  Scenario: TC_N_36_CSMS Retrieve Log Information - Second Request
    Given the station is booted
    When the operator makes the CSMS send GetLog with {"logType": "DiagnosticsLog", "requestId": 136, "log": {"remoteLocation": "https://logs.example/upload/"}}
    When the station reports "LogStatusNotification" with status "Uploading" for the request
    Then the CSMS answers LogStatusNotification
    Given the station will answer GetLog with status "AcceptedCanceled"
    When the operator makes the CSMS send GetLog with {"logType": "DiagnosticsLog", "requestId": 137, "log": {"remoteLocation": "https://logs.example/upload/"}}
    Then the CSMS sent GetLog with requestId = 137
    When the station reports "LogStatusNotification" with status "Uploading" for the request
    Then the CSMS answers LogStatusNotification
    When the station reports "LogStatusNotification" with status "Uploaded" for the request
    Then the CSMS answers LogStatusNotification

  @TC_N_44_CSMS @block_N @mandatory
  Scenario: TC_N_44_CSMS Clear Monitoring - Rejected
    Given the station is booted
    And the station will answer ClearVariableMonitoring with the payload {"clearMonitoringResult": [{"status": "NotFound", "id": 99}]}
    When the operator makes the CSMS send ClearVariableMonitoring with {"id": [99]}
    Then the CSMS sent ClearVariableMonitoring with id = [99]
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_N_46_CSMS @block_N @mandatory
  Scenario: TC_N_46_CSMS Clear Customer Information - Update Local Authorization List
    Given the station is booted
    When the operator makes the CSMS send CustomerInformation with {"requestId": 146, "report": true, "clear": true, "idToken": "<valid_token>"}
    Then the CSMS sent CustomerInformation with clear = true
    When the station sends NotifyCustomerInformation with the payload {"data": "token 0A1B2C3D: cleared", "seqNo": 0, "generatedAt": "<now>", "requestId": "<requestId>", "tbc": false}
    Then the CSMS answers NotifyCustomerInformation

  @TC_N_47_CSMS @block_N @mandatory
  Scenario: TC_N_47_CSMS Get Monitoring report - Report all
    Given the station is booted
    When the operator makes the CSMS send GetMonitoringReport with {"requestId": 147}
    Then the CSMS sent GetMonitoringReport with requestId = 147
    When the station sends NotifyMonitoringReport with the payload {"requestId": "<requestId>", "seqNo": 0, "generatedAt": "<now>", "tbc": false, "monitor": [{"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Power"}, "variableMonitoring": [{"id": 1, "transaction": false, "value": 10000, "type": "UpperThreshold", "severity": 5}]}]}
    Then the CSMS answers NotifyMonitoringReport

  @TC_N_48_CSMS @block_N @optional
  Scenario: TC_N_48_CSMS Alert Event - Variable monitoring on write only
    Given the station is booted
    When the station sends NotifyEvent with the payload {"generatedAt": "<now>", "seqNo": 0, "tbc": false, "eventData": [{"eventId": 1, "timestamp": "<now>", "trigger": "Alerting", "actualValue": "11000", "eventNotificationType": "CustomMonitor", "component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Power"}, "variableMonitoringId": 1}]}
    Then the CSMS answers NotifyEvent

  @TC_N_49_CSMS @block_N @mandatory
  Scenario: TC_N_49_CSMS Alert Event - LowerThreshold/UpperThreshold cleared after reboot
    Given the station is booted
    When the station sends NotifyEvent with the payload {"generatedAt": "<now>", "seqNo": 0, "tbc": false, "eventData": [{"eventId": 1, "timestamp": "<now>", "trigger": "Alerting", "actualValue": "11000", "eventNotificationType": "CustomMonitor", "component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Power"}, "variableMonitoringId": 1}]}
    Then the CSMS answers NotifyEvent
    When the station reboots
    When the station sends NotifyEvent with the payload {"generatedAt": "<now>", "seqNo": 0, "tbc": false, "eventData": [{"eventId": 1, "timestamp": "<now>", "trigger": "Alerting", "actualValue": "0", "eventNotificationType": "CustomMonitor", "component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Power"}, "variableMonitoringId": 1}]}
    Then the CSMS answers NotifyEvent

  @TC_N_50_CSMS @block_N @mandatory
  Scenario: TC_N_50_CSMS Alert Event - Periodic Triggered
    Given the station is booted
    When the station sends NotifyEvent with the payload {"generatedAt": "<now>", "seqNo": 0, "tbc": false, "eventData": [{"eventId": 1, "timestamp": "<now>", "trigger": "Periodic", "actualValue": "7400", "eventNotificationType": "CustomMonitor", "component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Power"}, "variableMonitoringId": 1}]}
    Then the CSMS answers NotifyEvent

  @TC_N_60_CSMS @block_N @mandatory
  Scenario: TC_N_60_CSMS Get Monitoring Report - with component criteria and list of components/variables
    Given the station is booted
    When the operator makes the CSMS send GetMonitoringReport with {"requestId": 160, "monitoringCriteria": ["ThresholdMonitoring", "DeltaMonitoring"], "componentVariable": [{"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Power"}}, {"component": {"name": "ChargingStation"}, "variable": {"name": "Temperature"}}]}
    Then the CSMS sent GetMonitoringReport with componentVariable.1.component.name = "ChargingStation"
    When the station sends NotifyMonitoringReport with the payload {"requestId": "<requestId>", "seqNo": 0, "generatedAt": "<now>", "tbc": false, "monitor": [{"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Power"}, "variableMonitoring": [{"id": 1, "transaction": false, "value": 10000, "type": "UpperThreshold", "severity": 5}]}]}
    Then the CSMS answers NotifyMonitoringReport

  @TC_N_62_CSMS @block_N @conditional
  Scenario: TC_N_62_CSMS Clear Customer Information - Clear and report - customerIdentifier
    Given the station is booted
    When the operator makes the CSMS send CustomerInformation with {"requestId": 162, "report": true, "clear": true, "customerIdentifier": "OCTT-customer-1"}
    Then the CSMS sent CustomerInformation with customerIdentifier = "OCTT-customer-1"
    When the station sends NotifyCustomerInformation with the payload {"data": "customer OCTT-customer-1: cleared", "seqNo": 0, "generatedAt": "<now>", "requestId": "<requestId>", "tbc": false}
    Then the CSMS answers NotifyCustomerInformation

  @TC_N_63_CSMS @block_N @conditional
  Scenario: TC_N_63_CSMS Clear Customer Information - Clear and report - customerCertificate
    Given the station is booted
    And the target supports "iso15118"
    When the operator makes the CSMS send CustomerInformation with {"requestId": 163, "report": true, "clear": true, "customerCertificate": {"hashAlgorithm": "SHA256", "issuerNameHash": "00ab", "issuerKeyHash": "00cd", "serialNumber": "01"}}
    Then the CSMS sent CustomerInformation with customerCertificate.serialNumber = "01"
    When the station sends NotifyCustomerInformation with the payload {"data": "certificate 01: cleared", "seqNo": 0, "generatedAt": "<now>", "requestId": "<requestId>", "tbc": false}
    Then the CSMS answers NotifyCustomerInformation
