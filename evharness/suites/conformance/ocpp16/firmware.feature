@conformance @ocpp16
Feature: OCPP 1.6 Firmware Management profile (and the security extension's signed firmware and logs)
  The operator makes the Central System send UpdateFirmware, SignedUpdateFirmware, GetDiagnostics or
  GetLog; the tool-station reports the update's or the upload's statuses and the Central System must
  answer each one.

  @TC_044_1_CSMS @firmware @mandatory
  Scenario: TC_044_1_CSMS Firmware Update - Download and Install
    Given the station is booted
    When the operator makes the CSMS send UpdateFirmware with {"location": "https://firmware.example/evharness-2.0.0.bin", "retrieveDate": "2026-01-01T00:00:00Z"}
    Then the CSMS sent UpdateFirmware with location = "https://firmware.example/evharness-2.0.0.bin"
    When the station reports "FirmwareStatusNotification" with status "Downloading"
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Downloaded"
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Installing"
    Then the CSMS answers FirmwareStatusNotification
    When the station sends BootNotification
    Then the CSMS answers BootNotification with status "Accepted"
    When the station reports "FirmwareStatusNotification" with status "Installed"
    Then the CSMS answers FirmwareStatusNotification

  @TC_044_2_CSMS @firmware @mandatory
  Scenario: TC_044_2_CSMS Firmware Update - Download Failed
    Given the station is booted
    When the operator makes the CSMS send UpdateFirmware with {"location": "https://firmware.example/evharness-2.0.0.bin", "retrieveDate": "2026-01-01T00:00:00Z"}
    When the station reports "FirmwareStatusNotification" with status "Downloading"
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "DownloadFailed"
    Then the CSMS answers FirmwareStatusNotification

  @TC_044_3_CSMS @firmware @mandatory
  Scenario: TC_044_3_CSMS Firmware Update - Installation Failed
    Given the station is booted
    When the operator makes the CSMS send UpdateFirmware with {"location": "https://firmware.example/evharness-2.0.0.bin", "retrieveDate": "2026-01-01T00:00:00Z"}
    When the station reports "FirmwareStatusNotification" with status "Downloading"
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Downloaded"
    Then the CSMS answers FirmwareStatusNotification
    When the station reports the connector "Unavailable"
    Then the CSMS answers StatusNotification
    When the station reports "FirmwareStatusNotification" with status "Installing"
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "InstallationFailed"
    Then the CSMS answers FirmwareStatusNotification
    When the station reports the connector "Available"
    Then the CSMS answers StatusNotification

  @TC_045_1_CSMS @firmware @mandatory
  Scenario: TC_045_1_CSMS Get Diagnostics
    Given the station is booted
    And the station will answer GetDiagnostics with the payload {"fileName": "OCTT-diagnostics.log"}
    When the operator makes the CSMS send GetDiagnostics with {"location": "https://logs.example/upload/"}
    Then the CSMS sent GetDiagnostics with location = "https://logs.example/upload/"
    When the station reports "DiagnosticsStatusNotification" with status "Uploading"
    Then the CSMS answers DiagnosticsStatusNotification
    When the station reports "DiagnosticsStatusNotification" with status "Uploaded"
    Then the CSMS answers DiagnosticsStatusNotification

  @TC_045_2_CSMS @firmware @mandatory
  Scenario: TC_045_2_CSMS Get Diagnostics - Upload Failed
    Given the station is booted
    And the station will answer GetDiagnostics with the payload {"fileName": "OCTT-diagnostics.log"}
    When the operator makes the CSMS send GetDiagnostics with {"location": "https://logs.example/upload/"}
    When the station reports "DiagnosticsStatusNotification" with status "Uploading"
    Then the CSMS answers DiagnosticsStatusNotification
    When the station reports "DiagnosticsStatusNotification" with status "UploadFailed"
    Then the CSMS answers DiagnosticsStatusNotification

  @TC_079_CSMS @security @mandatory
  Scenario: TC_079_CSMS Get Security Log
    Given the station is booted
    And the station will answer GetLog with the payload {"status": "Accepted", "filename": "OCTT-security.log"}
    When the operator makes the CSMS send GetLog with {"logType": "SecurityLog", "requestId": 79, "log": {"remoteLocation": "https://logs.example/upload/"}}
    Then the CSMS sent GetLog with logType = "SecurityLog"
    And the CSMS sent GetLog with log.remoteLocation = "https://logs.example/upload/"
    When the station reports "LogStatusNotification" with status "Uploading" for the request
    Then the CSMS answers LogStatusNotification
    When the station reports "LogStatusNotification" with status "Uploaded" for the request
    Then the CSMS answers LogStatusNotification

  @TC_080_CSMS @security @mandatory
  Scenario: TC_080_CSMS Secure Firmware Update
    Given the station is booted
    When the operator makes the CSMS send SignedUpdateFirmware with {"requestId": 80, "firmware": {"location": "https://firmware.example/evharness-2.0.0.bin", "retrieveDateTime": "2026-01-01T00:00:00Z", "signingCertificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "signature": "c2lnbmF0dXJl"}}
    Then the CSMS sent SignedUpdateFirmware with firmware.location = "https://firmware.example/evharness-2.0.0.bin"
    And the CSMS sent SignedUpdateFirmware with firmware.signature = "c2lnbmF0dXJl"
    When the station reports "SignedFirmwareStatusNotification" with status "Downloading" for the request
    Then the CSMS answers SignedFirmwareStatusNotification
    When the station reports "SignedFirmwareStatusNotification" with status "Downloaded" for the request
    Then the CSMS answers SignedFirmwareStatusNotification
    When the station reports "SignedFirmwareStatusNotification" with status "SignatureVerified" for the request
    Then the CSMS answers SignedFirmwareStatusNotification
    When the station reports "SignedFirmwareStatusNotification" with status "Installing" for the request
    Then the CSMS answers SignedFirmwareStatusNotification
    When the station reports "SignedFirmwareStatusNotification" with status "InstallRebooting" for the request
    Then the CSMS answers SignedFirmwareStatusNotification
    When the station sends BootNotification
    Then the CSMS answers BootNotification with status "Accepted"
    When the station reports "SignedFirmwareStatusNotification" with status "Installed" for the request
    Then the CSMS answers SignedFirmwareStatusNotification

  @TC_081_CSMS @security @mandatory
  Scenario: TC_081_CSMS Secure Firmware Update - Invalid Signature
    Given the station is booted
    When the operator makes the CSMS send SignedUpdateFirmware with {"requestId": 81, "firmware": {"location": "https://firmware.example/evharness-2.0.0.bin", "retrieveDateTime": "2026-01-01T00:00:00Z", "signingCertificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "signature": "aW52YWxpZA=="}}
    Then the CSMS sent SignedUpdateFirmware with firmware.signature = "aW52YWxpZA=="
    When the station reports "SignedFirmwareStatusNotification" with status "Downloading" for the request
    Then the CSMS answers SignedFirmwareStatusNotification
    When the station reports "SignedFirmwareStatusNotification" with status "Downloaded" for the request
    Then the CSMS answers SignedFirmwareStatusNotification
    When the station reports "SignedFirmwareStatusNotification" with status "InvalidSignature" for the request
    Then the CSMS answers SignedFirmwareStatusNotification
    When the station sends SecurityEventNotification with the payload {"type": "InvalidFirmwareSignature", "timestamp": "<now>"}
    Then the CSMS answers SecurityEventNotification
