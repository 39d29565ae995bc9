"""The options of the pytest plugin, and of `evharness conformance` that passes them on: one list.

Each is also an environment variable (`--csms-url` ↔ EVHARNESS_CSMS_URL …); the flag wins.
"""

from __future__ import annotations

from evharness.settings import Option

PLUGIN_OPTIONS: tuple[Option, ...] = (
    Option(
        "--csms-url",
        "OCPP-J endpoint of the CSMS under test ({identity}: where the station identity goes, else appended);"
        " default: start the reference backend",
        default=None,
    ),
    Option("--id-prefix", "station identities PREFIX-0001 … the charging features use", default="FEAT"),
    Option("--ocpp-version", "versions to test, comma-separated (1.6, 2.0.1)", default="1.6,2.0.1"),
    Option("--station-id", "the conformance station's identity (overrides the target file)", default=None),
    Option("--basic-auth-password", "HTTP Basic password of that station (security profile 1)", default=None),
    Option(
        "--target-config", "YAML file: station identities, tokens and features the CSMS knows", default=None
    ),
    Option(
        "--driver",
        "how the CSMS is made to send CALLs: reference, manual, none or module:factory",
        default=None,
    ),
    Option("--call-timeout", "seconds the CSMS may take to answer a CALL", default="10"),
    Option(
        "--tolerate-error-spellings",
        "1.6: report FormatViolation / OccurrenceConstraintViolation as warnings, not failures (true/false)",
        default="false",
    ),
    Option("--manual-timeout", "seconds the manual driver waits for the operator", default="300"),
    Option(
        "--reconnect-delay",
        "seconds a conformance station waits after its socket closed before it connects again",
        default="1",
    ),
    Option(
        "--conformance-report",
        "directory of the HTML conformance report and the frame logs",
        default="reports/conformance",
    ),
)
