@conformance @ocpp201
Feature: OCPP 2.0.1 block L - firmware management
  The operator makes the CSMS send UpdateFirmware (signed: the signing certificate and the signature
  the OCTT configures) or PublishFirmware; the tool-station answers as each case says and reports
  every status of the update with the request's id, reboots where an installation does, and the CSMS
  must answer each message. A CSMS that cannot publish firmware (no local controller) skips L_17–L_24.

  @TC_L_01_CSMS @block_L @mandatory
  Scenario: TC_L_01_CSMS Secure Firmware Update - Installation successful
    Given the station is booted
    When the operator makes the CSMS send UpdateFirmware with {"requestId": 1, "firmware": {"location": "https://firmware.example/evharness-2.0.0.bin", "retrieveDateTime": "2026-01-01T00:00:00Z", "signingCertificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "signature": "c2lnbmF0dXJl"}}
    Then the CSMS sent UpdateFirmware with firmware.location = "https://firmware.example/evharness-2.0.0.bin"
    And the CSMS sent UpdateFirmware with firmware.signature = "c2lnbmF0dXJl"
    When the station reports "FirmwareStatusNotification" with status "Downloading" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Downloaded" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "SignatureVerified" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Installing" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "InstallRebooting" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station sends BootNotification with reason "FirmwareUpdate"
    Then the CSMS answers BootNotification with status "Accepted"
    When the station reports "FirmwareStatusNotification" with status "Installed" for the request
    Then the CSMS answers FirmwareStatusNotification

  @TC_L_02_CSMS @block_L @conditional
  Scenario: TC_L_02_CSMS Secure Firmware Update - InstallScheduled
    Given the station is booted
    When the operator makes the CSMS send UpdateFirmware with {"requestId": 2, "firmware": {"location": "https://firmware.example/evharness-2.0.0.bin", "retrieveDateTime": "2026-01-01T00:00:00Z", "signingCertificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "signature": "c2lnbmF0dXJl", "installDateTime": "2030-01-01T00:00:00Z"}}
    Then the CSMS sent UpdateFirmware with firmware.location = "https://firmware.example/evharness-2.0.0.bin"
    And the CSMS sent UpdateFirmware with firmware.signature = "c2lnbmF0dXJl"
    When the station reports "FirmwareStatusNotification" with status "Downloading" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Downloaded" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "SignatureVerified" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "InstallScheduled" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Installing" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "InstallRebooting" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station sends BootNotification with reason "FirmwareUpdate"
    Then the CSMS answers BootNotification with status "Accepted"
    When the station reports "FirmwareStatusNotification" with status "Installed" for the request
    Then the CSMS answers FirmwareStatusNotification

  @TC_L_03_CSMS @block_L @conditional
  Scenario: TC_L_03_CSMS Secure Firmware Update - DownloadScheduled
    Given the station is booted
    When the operator makes the CSMS send UpdateFirmware with {"requestId": 3, "firmware": {"location": "https://firmware.example/evharness-2.0.0.bin", "retrieveDateTime": "2026-01-01T00:00:00Z", "signingCertificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "signature": "c2lnbmF0dXJl"}}
    Then the CSMS sent UpdateFirmware with firmware.location = "https://firmware.example/evharness-2.0.0.bin"
    And the CSMS sent UpdateFirmware with firmware.signature = "c2lnbmF0dXJl"
    When the station reports "FirmwareStatusNotification" with status "DownloadScheduled" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Downloading" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Downloaded" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "SignatureVerified" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Installing" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "InstallRebooting" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station sends BootNotification with reason "FirmwareUpdate"
    Then the CSMS answers BootNotification with status "Accepted"
    When the station reports "FirmwareStatusNotification" with status "Installed" for the request
    Then the CSMS answers FirmwareStatusNotification

  @TC_L_04_CSMS @block_L @mandatory
  Scenario: TC_L_04_CSMS Secure Firmware Update - RevokedCertificate
    Given the station is booted
    And the station will answer UpdateFirmware with status "RevokedCertificate"
    When the operator makes the CSMS send UpdateFirmware with {"requestId": 4, "firmware": {"location": "https://firmware.example/evharness-2.0.0.bin", "retrieveDateTime": "2026-01-01T00:00:00Z", "signingCertificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "signature": "c2lnbmF0dXJl"}}
    Then the CSMS sent UpdateFirmware with firmware.location = "https://firmware.example/evharness-2.0.0.bin"
    And the CSMS sent UpdateFirmware with firmware.signature = "c2lnbmF0dXJl"
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_L_05_CSMS @block_L @mandatory
  Scenario: TC_L_05_CSMS Secure Firmware Update - InvalidCertificate
    Given the station is booted
    And the station will answer UpdateFirmware with status "InvalidCertificate"
    When the operator makes the CSMS send UpdateFirmware with {"requestId": 5, "firmware": {"location": "https://firmware.example/evharness-2.0.0.bin", "retrieveDateTime": "2026-01-01T00:00:00Z", "signingCertificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "signature": "c2lnbmF0dXJl"}}
    Then the CSMS sent UpdateFirmware with firmware.location = "https://firmware.example/evharness-2.0.0.bin"
    And the CSMS sent UpdateFirmware with firmware.signature = "c2lnbmF0dXJl"
    When the station sends SecurityEventNotification with the payload {"type": "InvalidFirmwareSigningCertificate", "timestamp": "<now>"}
    Then the CSMS answers SecurityEventNotification

  @TC_L_06_CSMS @block_L @mandatory
  Scenario: TC_L_06_CSMS Secure Firmware Update - InvalidSignature
    Given the station is booted
    When the operator makes the CSMS send UpdateFirmware with {"requestId": 6, "firmware": {"location": "https://firmware.example/evharness-2.0.0.bin", "retrieveDateTime": "2026-01-01T00:00:00Z", "signingCertificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "signature": "c2lnbmF0dXJl"}}
    Then the CSMS sent UpdateFirmware with firmware.location = "https://firmware.example/evharness-2.0.0.bin"
    And the CSMS sent UpdateFirmware with firmware.signature = "c2lnbmF0dXJl"
    When the station reports "FirmwareStatusNotification" with status "Downloading" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Downloaded" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "InvalidSignature" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station sends SecurityEventNotification with the payload {"type": "InvalidFirmwareSignature", "timestamp": "<now>"}
    Then the CSMS answers SecurityEventNotification

  @TC_L_07_CSMS @block_L @mandatory
  Scenario: TC_L_07_CSMS Secure Firmware Update - DownloadFailed
    Given the station is booted
    When the operator makes the CSMS send UpdateFirmware with {"requestId": 7, "firmware": {"location": "https://firmware.example/evharness-2.0.0.bin", "retrieveDateTime": "2026-01-01T00:00:00Z", "signingCertificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "signature": "c2lnbmF0dXJl"}}
    Then the CSMS sent UpdateFirmware with firmware.location = "https://firmware.example/evharness-2.0.0.bin"
    And the CSMS sent UpdateFirmware with firmware.signature = "c2lnbmF0dXJl"
    When the station reports "FirmwareStatusNotification" with status "Downloading" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "DownloadFailed" for the request
    Then the CSMS answers FirmwareStatusNotification

  @TC_L_08_CSMS @block_L @mandatory
  Scenario: TC_L_08_CSMS Secure Firmware Update - InstallVerificationFailed
    Given the station is booted
    When the operator makes the CSMS send UpdateFirmware with {"requestId": 8, "firmware": {"location": "https://firmware.example/evharness-2.0.0.bin", "retrieveDateTime": "2026-01-01T00:00:00Z", "signingCertificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "signature": "c2lnbmF0dXJl"}}
    Then the CSMS sent UpdateFirmware with firmware.location = "https://firmware.example/evharness-2.0.0.bin"
    And the CSMS sent UpdateFirmware with firmware.signature = "c2lnbmF0dXJl"
    When the station reports "FirmwareStatusNotification" with status "Downloading" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Downloaded" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "SignatureVerified" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Installing" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "InstallVerificationFailed" for the request
    Then the CSMS answers FirmwareStatusNotification

  @TC_L_09_CSMS @block_L @mandatory
  Scenario: TC_L_09_CSMS Secure Firmware Update - InstallationFailed
    Given the station is booted
    When the operator makes the CSMS send UpdateFirmware with {"requestId": 9, "firmware": {"location": "https://firmware.example/evharness-2.0.0.bin", "retrieveDateTime": "2026-01-01T00:00:00Z", "signingCertificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "signature": "c2lnbmF0dXJl"}}
    Then the CSMS sent UpdateFirmware with firmware.location = "https://firmware.example/evharness-2.0.0.bin"
    And the CSMS sent UpdateFirmware with firmware.signature = "c2lnbmF0dXJl"
    When the station reports "FirmwareStatusNotification" with status "Downloading" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Downloaded" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "SignatureVerified" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Installing" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "InstallationFailed" for the request
    Then the CSMS answers FirmwareStatusNotification

  @TC_L_10_CSMS @block_L @mandatory
  Scenario: TC_L_10_CSMS Secure Firmware Update - AcceptedCanceled
    Given the station is booted
    When the operator makes the CSMS send UpdateFirmware with {"requestId": 10, "firmware": {"location": "https://firmware.example/evharness-2.0.0.bin", "retrieveDateTime": "2026-01-01T00:00:00Z", "signingCertificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "signature": "c2lnbmF0dXJl"}}
    When the station reports "FirmwareStatusNotification" with status "Downloading" for the request
    Then the CSMS answers FirmwareStatusNotification
    Given the station will answer UpdateFirmware with status "AcceptedCanceled"
    When the operator makes the CSMS send UpdateFirmware with {"requestId": 11, "firmware": {"location": "https://firmware.example/evharness-2.0.0.bin", "retrieveDateTime": "2026-01-01T00:00:00Z", "signingCertificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "signature": "c2lnbmF0dXJl"}}
    Then the CSMS sent UpdateFirmware with requestId = 11
    When the station reports "FirmwareStatusNotification" with status "Downloading" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Downloaded" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "SignatureVerified" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Installing" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "InstallRebooting" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station sends BootNotification with reason "FirmwareUpdate"
    Then the CSMS answers BootNotification with status "Accepted"
    When the station reports "FirmwareStatusNotification" with status "Installed" for the request
    Then the CSMS answers FirmwareStatusNotification

  @TC_L_11_CSMS @block_L @mandatory
  Scenario: TC_L_11_CSMS Secure Firmware Update - Unable to cancel
    Given the station is booted
    When the operator makes the CSMS send UpdateFirmware with {"requestId": 12, "firmware": {"location": "https://firmware.example/evharness-2.0.0.bin", "retrieveDateTime": "2026-01-01T00:00:00Z", "signingCertificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "signature": "c2lnbmF0dXJl"}}
    When the station reports "FirmwareStatusNotification" with status "Downloading" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Downloaded" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "SignatureVerified" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Installing" for the request
    Then the CSMS answers FirmwareStatusNotification
    Given the station will answer UpdateFirmware with status "Rejected"
    When the operator makes the CSMS send UpdateFirmware with {"requestId": 13, "firmware": {"location": "https://firmware.example/evharness-2.0.0.bin", "retrieveDateTime": "2026-01-01T00:00:00Z", "signingCertificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "signature": "c2lnbmF0dXJl"}}
    Then the CSMS sent UpdateFirmware with requestId = 13
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_L_13_CSMS @block_L @mandatory
  Scenario: TC_L_13_CSMS Secure Firmware Update - Unable to download/install firmware with ongoing transaction - AllowNewSessionsPendingFirmwareUpdate is false
    Given the station is charging with the "valid" token
    When the operator makes the CSMS send UpdateFirmware with {"requestId": 14, "firmware": {"location": "https://firmware.example/evharness-2.0.0.bin", "retrieveDateTime": "2026-01-01T00:00:00Z", "signingCertificate": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "signature": "c2lnbmF0dXJl"}}
    When the station reports "FirmwareStatusNotification" with status "Downloading" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "Downloaded" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "SignatureVerified" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "InstallScheduled" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station sends TransactionEvent "Ended" with trigger "StopAuthorized" and stopped reason "Local" and the "valid" token
    Then the CSMS answers TransactionEvent
    When the station reports "FirmwareStatusNotification" with status "Installing" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station reports "FirmwareStatusNotification" with status "InstallRebooting" for the request
    Then the CSMS answers FirmwareStatusNotification
    When the station sends BootNotification with reason "FirmwareUpdate"
    Then the CSMS answers BootNotification with status "Accepted"
    When the station reports "FirmwareStatusNotification" with status "Installed" for the request
    Then the CSMS answers FirmwareStatusNotification

  @TC_L_17_CSMS @block_L @optional
  Scenario: TC_L_17_CSMS Publish Firmware - Published
    Given the station is booted
    And the target supports "publish_firmware"
    When the operator makes the CSMS send PublishFirmware with {"location": "https://firmware.example/evharness-2.0.0.bin", "checksum": "0123456789abcdef0123456789abcdef", "requestId": 20}
    Then the CSMS sent PublishFirmware with checksum = "0123456789abcdef0123456789abcdef"
    When the station reports "PublishFirmwareStatusNotification" with status "Downloading" for the request
    Then the CSMS answers PublishFirmwareStatusNotification
    When the station reports "PublishFirmwareStatusNotification" with status "Downloaded" for the request
    Then the CSMS answers PublishFirmwareStatusNotification
    When the station reports "PublishFirmwareStatusNotification" with status "ChecksumVerified" for the request
    Then the CSMS answers PublishFirmwareStatusNotification
    When the station sends PublishFirmwareStatusNotification with the payload {"status": "Published", "location": ["https://lc.example/evharness-2.0.0.bin"], "requestId": "<requestId>"}
    Then the CSMS answers PublishFirmwareStatusNotification

  @TC_L_19_CSMS @block_L @optional
  Scenario: TC_L_19_CSMS Publish Firmware - Invalid Checksum
    Given the station is booted
    And the target supports "publish_firmware"
    When the operator makes the CSMS send PublishFirmware with {"location": "https://firmware.example/evharness-2.0.0.bin", "checksum": "0123456789abcdef0123456789abcdef", "requestId": 21}
    Then the CSMS sent PublishFirmware with checksum = "0123456789abcdef0123456789abcdef"
    When the station reports "PublishFirmwareStatusNotification" with status "Downloading" for the request
    Then the CSMS answers PublishFirmwareStatusNotification
    When the station reports "PublishFirmwareStatusNotification" with status "Downloaded" for the request
    Then the CSMS answers PublishFirmwareStatusNotification
    When the station reports "PublishFirmwareStatusNotification" with status "InvalidChecksum" for the request
    Then the CSMS answers PublishFirmwareStatusNotification

  @TC_L_20_CSMS @block_L @optional
  Scenario: TC_L_20_CSMS Publish Firmware - PublishFailed
    Given the station is booted
    And the target supports "publish_firmware"
    When the operator makes the CSMS send PublishFirmware with {"location": "https://firmware.example/evharness-2.0.0.bin", "checksum": "0123456789abcdef0123456789abcdef", "requestId": 22}
    Then the CSMS sent PublishFirmware with checksum = "0123456789abcdef0123456789abcdef"
    When the station reports "PublishFirmwareStatusNotification" with status "Downloading" for the request
    Then the CSMS answers PublishFirmwareStatusNotification
    When the station reports "PublishFirmwareStatusNotification" with status "Downloaded" for the request
    Then the CSMS answers PublishFirmwareStatusNotification
    When the station reports "PublishFirmwareStatusNotification" with status "ChecksumVerified" for the request
    Then the CSMS answers PublishFirmwareStatusNotification
    When the station reports "PublishFirmwareStatusNotification" with status "PublishFailed" for the request
    Then the CSMS answers PublishFirmwareStatusNotification

  @TC_L_24_CSMS @block_L @optional
  Scenario: TC_L_24_CSMS Publish Firmware - Download failed
    Given the station is booted
    And the target supports "publish_firmware"
    When the operator makes the CSMS send PublishFirmware with {"location": "https://firmware.example/evharness-2.0.0.bin", "checksum": "0123456789abcdef0123456789abcdef", "requestId": 23}
    Then the CSMS sent PublishFirmware with checksum = "0123456789abcdef0123456789abcdef"
    When the station reports "PublishFirmwareStatusNotification" with status "Downloading" for the request
    Then the CSMS answers PublishFirmwareStatusNotification
    When the station reports "PublishFirmwareStatusNotification" with status "DownloadFailed" for the request
    Then the CSMS answers PublishFirmwareStatusNotification

  @TC_L_21_CSMS @block_L @optional
  Scenario: TC_L_21_CSMS Unpublish Firmware - Unpublished
    Given the station is booted
    And the target supports "publish_firmware"
    And the station will answer UnpublishFirmware with status "Unpublished"
    When the operator makes the CSMS send UnpublishFirmware with {"checksum": "0123456789abcdef0123456789abcdef"}
    Then the CSMS sent UnpublishFirmware with checksum = "0123456789abcdef0123456789abcdef"
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_L_22_CSMS @block_L @optional
  Scenario: TC_L_22_CSMS Unpublish Firmware - NoFirmware
    Given the station is booted
    And the target supports "publish_firmware"
    And the station will answer UnpublishFirmware with status "NoFirmware"
    When the operator makes the CSMS send UnpublishFirmware with {"checksum": "0123456789abcdef0123456789abcdef"}
    Then the CSMS sent UnpublishFirmware with checksum = "0123456789abcdef0123456789abcdef"
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat

  @TC_L_23_CSMS @block_L @optional
  Scenario: TC_L_23_CSMS Unpublish Firmware - Download Ongoing
    Given the station is booted
    And the target supports "publish_firmware"
    And the station will answer UnpublishFirmware with status "DownloadOngoing"
    When the operator makes the CSMS send UnpublishFirmware with {"checksum": "0123456789abcdef0123456789abcdef"}
    Then the CSMS sent UnpublishFirmware with checksum = "0123456789abcdef0123456789abcdef"
    When the station sends a Heartbeat
    Then the CSMS answers Heartbeat
