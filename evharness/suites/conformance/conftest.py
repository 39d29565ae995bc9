"""Steps of the OCTT conformance features, shared by OCPP 1.6 and 2.0.1.

The world is the plugin's `octt` fixture (`evharness.conformance.session.Conformance`): the OCTT
station and what the CSMS answered. Given steps are the OCTT reusable states; When steps are what
the tool-station sends (or what the operator makes the CSMS send, through the driver); Then steps
check the CSMS's answers and CALLs against the case's tool validations. The wire rules (schemas,
error codes, one CALL at a time, timeouts) are checked after every scenario by the plugin.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from evharness.conformance import checks
from evharness.conformance import messages as m
from evharness.conformance.session import Conformance
from evharness.ocppj.passwords import key_of_password, password_of_key
from evharness.ocppj.timefmt import format_timestamp
from evharness.ocppj.versions import OcppVersion
from evharness.suites.conformance.certificate_steps import *  # noqa: F403  (their step fixtures)
from evharness.suites.conformance.file_steps import *  # noqa: F403  (their step fixtures)
from evharness.suites.conformance.reservation_steps import *  # noqa: F403  (their step fixtures)
from evharness.suites.conformance.smart_charging_steps import *  # noqa: F403  (their step fixtures)
from evharness.suites.conformance.tariff_steps import *  # noqa: F403  (their step fixtures)

# -- Given: the OCTT reusable states ------------------------------------------------------------------


@given("the station is connected")
def connected(octt: Conformance) -> None:
    octt.connect()


@given("the station is booted")
def booted(octt: Conformance) -> None:
    octt.booted()


@given("the EV is connected")
def ev_connected(octt: Conformance) -> None:
    octt.plug_in()


@given(parsers.parse('the driver is authorized with the "{role}" token'))
def authorized(octt: Conformance, role: str) -> None:
    octt.authorized(role)


@given("energy transfer has started")
def energy_transfer_started(octt: Conformance) -> None:
    octt.charging()


@given(parsers.parse('the station is charging with the "{role}" token'))
def charging(octt: Conformance, role: str) -> None:
    octt.booted()
    octt.plug_in()
    octt.authorized(role)
    octt.charging(role)


@given(parsers.parse("the station will answer {action:w} with the payload {payload}"))
def will_answer(octt: Conformance, action: str, payload: str) -> None:
    octt.station.answer_with(action, json.loads(payload))


@given(parsers.parse('the station will answer {action:w} with status "{status:w}"'))
def will_answer_status(octt: Conformance, action: str, status: str) -> None:
    octt.station.answer_with(action, {"status": status})


@given(parsers.parse("the station will not answer {action:w}"))
def will_not_answer(octt: Conformance, action: str) -> None:
    octt.station.answer_with(action, None)


@given(parsers.parse("the station holds local list version {version:d}"))
def holds_local_list(octt: Conformance, version: int) -> None:
    octt.hold_local_list(version)


@when("the station notifies a connector lock failure")
def notifies_lock_failure(octt: Conformance) -> None:
    octt.notify_lock_failure()


@when(parsers.parse('the station reports "{action:w}" with status "{status:w}"'))
def reports_notification(octt: Conformance, action: str, status: str) -> None:
    octt.send(action, {"status": status})


@when("the station sends MeterValues as triggered")
def triggered_meter_values(octt: Conformance) -> None:
    octt.meter_values("Trigger", in_transaction=True)


@when(parsers.parse('the station presents the username "{username}"'))
def presents_username(octt: Conformance, username: str) -> None:
    octt.station.username = username


@when(parsers.parse('the station presents the password "{password}"'))
def presents_password(octt: Conformance, password: str) -> None:
    octt.station.password = password


PASSWORD_VARIABLE = {"component": {"name": "SecurityCtrlr"}, "variable": {"name": "BasicAuthPassword"}}


@when("the station reconnects with the password the CSMS sent")
def reconnects_with_new_password(octt: Conformance) -> None:
    """A01 (TC_A_09), 1.6 TC_073: the password of the CSMS's SetVariables BasicAuthPassword or
    ChangeConfiguration AuthorizationKey (its hex form read as 1.6 says) opens the next connection."""
    call = octt.csms_call
    assert call is not None, "the CSMS sent no new password"
    if call.action == "ChangeConfiguration":
        password = password_of_key(str(call.payload.get("value", "")))
    else:
        password = str(checks.field(call.payload, "setVariableData.0.attributeValue"))
    octt.disconnect()
    octt.station.password = password
    octt.connect()


@then("the CSMS gives the station its configured password back")
def password_back(octt: Conformance) -> None:
    """Leave the CSMS as the case found it: the station's configured password works again for the
    cases after this one (the same CALL, with the target file's password)."""
    original = octt.config.station(octt.version).password
    assert original is not None
    if octt.version is OcppVersion.V16:
        payload: dict[str, Any] = {"key": "AuthorizationKey", "value": key_of_password(original)}
        octt.operate("ChangeConfiguration", payload, "give the station its configured password back")
    else:
        data = {"attributeValue": original, **PASSWORD_VARIABLE}
        octt.operate(
            "SetVariables", {"setVariableData": [data]}, "give the station its configured password back"
        )
    octt.disconnect()
    octt.station.password = original
    octt.connect()
    octt.boot()


@when("the station reconnects with its password")
def reconnects(octt: Conformance) -> None:
    octt.disconnect()
    octt.connect()


@when(parsers.parse("the station sends the report for request {request_id:d}"))
def sends_report(octt: Conformance, request_id: int) -> None:

    variable = {
        "component": {"name": "OCPPCommCtrlr"},
        "variable": {"name": "OfflineThreshold"},
        "variableAttribute": [{"type": "Actual", "value": "60"}],
    }
    payload = {
        "requestId": request_id,
        "generatedAt": format_timestamp(octt.now()),
        "seqNo": 0,
        "tbc": False,
        "reportData": [variable],
    }
    octt.send("NotifyReport", payload)


@given(parsers.parse('the target supports "{feature}"'))
def target_supports(octt: Conformance, feature: str) -> None:
    octt.require_feature(feature, f"the case needs the optional CSMS feature {feature!r}")


@given(
    parsers.re(
        r'the CSMS is configured to first answer BootNotification "(?P<status>Pending|Rejected)"'
        r"(?P<trigger> and then to trigger it)?"
    )
)
def configured_boot(octt: Conformance, status: str, trigger: str | None) -> None:
    """The prerequisite of TC_B_02/30/31: the driver sets it up if it can (`Conformance.configure_boot`)."""
    octt.configure_boot(status, trigger=bool(trigger))


@given("the station uses HTTP Basic authentication")
def uses_basic_auth(octt: Conformance) -> None:
    if octt.station.password is None:
        pytest.skip(
            "NOT APPLICABLE: security profile 1 needs the station's password "
            "(--basic-auth-password or basic_auth_password in the target file)"
        )


# -- When: what the station sends ------------------------------------------------------------------


@when("the station sends BootNotification")
def sends_boot(octt: Conformance) -> None:
    octt.boot()


@when(parsers.parse('the station sends BootNotification with reason "{reason:w}"'))
def sends_boot_reason(octt: Conformance, reason: str) -> None:
    octt.boot(reason)


@when("the station sends BootNotification again after the interval")
def sends_boot_again(octt: Conformance) -> None:
    octt.boot_after_interval()


@given(parsers.parse('the station reports the connector "{status:w}"'))
@when(parsers.parse('the station reports the connector "{status:w}"'))
def reports_status(octt: Conformance, status: str) -> None:
    octt.report_status(status)


@when(parsers.parse('the station reports the connector "{status:w}" with error "{error:w}"'))
def reports_status_error(octt: Conformance, status: str, error: str) -> None:
    octt.report_status(status, error)


@when(parsers.parse('the station notifies the connector\'s AvailabilityState "{value}"'))
def notifies_availability(octt: Conformance, value: str) -> None:
    octt.notify_availability(value)


@when("the station sends a Heartbeat")
def sends_heartbeat(octt: Conformance) -> None:
    octt.send("Heartbeat", {})


@when("the station sends a DataTransfer")
def sends_data_transfer(octt: Conformance) -> None:
    payload = {"vendorId": "org.evharness.octt", "messageId": "TestMessage", "data": "hello"}
    octt.send("DataTransfer", payload)


@when("the EV is plugged in")
def plugs_in(octt: Conformance) -> None:
    octt.plug_in()


@when(parsers.parse('the driver presents the "{role:w}" token'))
def presents(octt: Conformance, role: str) -> None:
    octt.authorize(role)


@when(parsers.parse('the station starts a transaction with the "{role:w}" token'))
def starts_transaction(octt: Conformance, role: str) -> None:
    octt.start_transaction(role)


@when("energy transfer starts")
def energy_starts(octt: Conformance) -> None:
    octt.charging()


@when(parsers.parse("the EV consumes {wh:d} Wh"))
def consumes(octt: Conformance, wh: int) -> None:
    octt.consume(wh)


@when(parsers.parse('the station stops the transaction with reason "{reason:w}"'))
def stops(octt: Conformance, reason: str) -> None:
    octt.stop_transaction(reason)


@when(parsers.parse('the station stops the transaction with reason "{reason}" and the "{role}" token'))
def stops_with_token(octt: Conformance, reason: str, role: str) -> None:
    octt.stop_transaction(reason, role)


@when(
    parsers.re(
        r"the station sends (?P<kind>clock-aligned|sampled)(?P<signed> signed)? meter values"
        r"(?P<idle> outside a transaction)?"
    )
)
def sends_meter_values(octt: Conformance, kind: str, signed: str | None, idle: str | None) -> None:
    context = "Sample.Clock" if kind == "clock-aligned" else "Sample.Periodic"
    octt.meter_values(context, in_transaction=not idle, signed=bool(signed))


TRANSACTION_EVENT = re.compile(
    r'the station sends TransactionEvent "(?P<event>\w+)" with trigger "(?P<trigger>\w+)"'
    r'(?: and charging state "(?P<state>\w+)")?'
    r'(?: and stopped reason "(?P<reason>\w+)")?'
    r'(?: and the "(?P<role>\w+)" token)?'
    r"(?: and (?P<meter>[\w.]+)(?P<signed> signed)? meter values)?"
    r"(?P<unknown_evse> without the EVSE)?"
    r"(?P<offline> marked offline)?$"
)


@when(parsers.re(TRANSACTION_EVENT.pattern))
def sends_transaction_event(
    octt: Conformance,
    event: str,
    trigger: str,
    state: str | None,
    reason: str | None,
    role: str | None,
    meter: str | None,
    signed: str | None,
    unknown_evse: str | None,
    offline: str | None,
) -> None:
    octt.transaction_event(
        event,
        trigger,
        charging_state=state,
        stopped_reason=reason,
        token=octt.token(role) if role else None,
        meter=meter,
        signed=bool(signed),
        offline=bool(offline),
        evse_known=not unknown_evse,
    )


@when("the station loses power and boots again")
def power_cycle(octt: Conformance) -> None:
    octt.disconnect()
    octt.boot()


@when("the station reboots")
def reboots(octt: Conformance) -> None:
    octt.disconnect()
    octt.booted()


# -- offline ---------------------------------------------------------------------------------------


@when("the station goes offline")
def goes_offline(octt: Conformance) -> None:
    octt.go_offline()


@when(parsers.parse('while offline the station starts a transaction with the "{role}" token'))
def offline_start(octt: Conformance, role: str) -> None:
    token = octt.token(role)
    octt.transaction_token = token
    if not octt.v16:
        octt.queue_transaction_event("Started", "Authorized", token=token, charging_state="Charging")
        return
    meter, at = octt.meter_wh, octt.now()
    octt.queue(lambda: ("StartTransaction", m.start_transaction_v16(octt.connector, token, meter, at)))


@when("while offline the station sends sampled meter values")
def offline_meter_values(octt: Conformance) -> None:
    if not octt.v16:
        octt.queue_transaction_event("Updated", "MeterValuePeriodic", meter="Sample.Periodic")
        return
    meter, at = octt.meter_wh, octt.now()

    def build() -> tuple[str, dict[str, Any]]:
        assert isinstance(octt.transaction_id, int), "the replayed StartTransaction got no transactionId"
        return "MeterValues", m.meter_values_v16(
            octt.connector, meter, at, octt.transaction_id, "Sample.Periodic"
        )

    octt.queue(build)


@when(parsers.parse('while offline the station stops the transaction with reason "{reason}"'))
def offline_stop(octt: Conformance, reason: str) -> None:
    if not octt.v16:
        token = octt.transaction_token
        octt.queue_transaction_event(
            "Ended", "StopAuthorized", stopped_reason=reason, token=token, meter="Transaction.End"
        )
        return
    meter, at = octt.meter_wh, octt.now()

    def build() -> tuple[str, dict[str, Any]]:
        assert isinstance(octt.transaction_id, int), "the replayed StartTransaction got no transactionId"
        return "StopTransaction", m.stop_transaction_v16(octt.transaction_id, meter, at, reason)

    octt.queue(build)


@when("the station reconnects and sends its queued messages")
def replays(octt: Conformance) -> None:
    octt.replayed = octt.reconnect_and_replay()


@then("the CSMS answers every replayed message")
def every_replayed(octt: Conformance) -> None:
    assert octt.replayed, "nothing was replayed"
    failed = [(a.action, a.error) for a in octt.replayed if a.payload is None]
    assert not failed, f"replayed messages not answered: {failed}"


@then("every replayed TransactionEvent was marked offline, with seqNo from 0 without gaps")
def replayed_offline(octt: Conformance) -> None:
    sent = [
        p
        for a, p in checks.calls_sent(octt.frames, octt.version, checks.Side.STATION)
        if a == "TransactionEvent"
    ]
    assert sent, "no TransactionEvent was replayed"
    assert all(p.get("offline") is True for p in sent), "a replayed TransactionEvent lacks offline=true"
    assert [p["seqNo"] for p in sent] == list(range(len(sent))), [p["seqNo"] for p in sent]


# -- When: what the operator makes the CSMS do -------------------------------------------------------

PLACEHOLDER = re.compile(r'"<(?P<name>[\w]+)>"')
IN_SECONDS = re.compile(r"in_(?P<n>\d+)_s")


def _fill(octt: Conformance, text: str) -> dict[str, Any]:
    """`"<valid>"` → the token's value, `"<transactionId>"`, `"<connector>"`, `"<valid_token>"` → IdToken."""

    def value(match: re.Match[str]) -> str:
        name = match["name"]
        if (seconds := IN_SECONDS.fullmatch(name)) is not None:  # "<in_60_s>": a time from now
            return json.dumps(format_timestamp(octt.now() + int(seconds["n"])))
        if name == "transactionId":
            return json.dumps(octt.transaction_id)
        if name == "connector":
            return json.dumps(octt.connector)
        if name.endswith("_token"):
            return json.dumps(octt.token(name.removesuffix("_token")).v201())
        if name.endswith("_type"):
            return json.dumps(octt.token(name.removesuffix("_type")).type)
        return json.dumps(octt.token(name).id_token)

    filled: dict[str, Any] = json.loads(PLACEHOLDER.sub(value, text))
    return filled


@when(parsers.parse("the operator makes the CSMS send {action:w} with {payload}"))
def operator_sends(octt: Conformance, action: str, payload: str) -> None:
    wanted = _fill(octt, payload)
    octt.operate(action, wanted, f"send {action} with {json.dumps(wanted)}")


@when(parsers.parse("the operator makes the CSMS send {action:w} and the station holds its answer"))
def operator_sends_held(octt: Conformance, action: str) -> None:
    octt.station.hold(action)
    octt.operate(action, {}, f"send {action}", settle=False)


@when("the station releases its answer")
def releases(octt: Conformance) -> None:
    octt.run(octt.station.release())
    octt.finish_operation()


@then(parsers.parse("the CSMS sends {action:w} by itself"))
def csms_sends_by_itself(octt: Conformance, action: str) -> None:
    octt.wait_for_call(action)


# -- Then: the tool validations ------------------------------------------------------------------------


def _allowed(statuses: str) -> list[str]:
    return [part.strip() for part in re.split(r",| or ", statuses) if part.strip()]


@then(parsers.parse('the CSMS answers {action:w} with status "{statuses}"'))
def answers_status(octt: Conformance, action: str, statuses: str) -> None:
    answer = octt.answer(action)
    if answer.payload is None:
        raise AssertionError(f"{action}: expected status {statuses}; the CSMS answered {answer.error}")
    violation = checks.check_status(action, answer.payload, _allowed(statuses))
    assert violation is None, str(violation)


@then(parsers.parse("the CSMS answers {action:w}"))
def answers(octt: Conformance, action: str) -> None:
    octt.answer(action).require()


@then(parsers.parse('the CSMS answers {action:w} with a CALLERROR "{code}"'))
def answers_error(octt: Conformance, action: str, code: str) -> None:
    answer = octt.answer(action)
    assert answer.error in _allowed(code), f"{action}: expected CALLERROR {code}, got {answer}"


@then("the CSMS gives a heartbeat interval and its current time")
def boot_fields(octt: Conformance) -> None:
    payload = octt.answer("BootNotification").require()
    assert payload.get("interval", -1) >= 0, f"BootNotification interval: {payload.get('interval')}"
    assert payload.get("currentTime"), "BootNotification has no currentTime"


@then("the CSMS answers the Heartbeat with its current time")
def heartbeat_time(octt: Conformance) -> None:
    assert octt.answer("Heartbeat").require().get("currentTime"), "Heartbeat answer has no currentTime"


@then(parsers.parse('the CSMS answers {action:w} with the groupIdToken of "{feature}"'))
def answers_group(octt: Conformance, action: str, feature: str) -> None:
    """C09.FR.02/03, C16: the idTokenInfo names the configured group (groupIdToken; 1.6 parentIdTag)."""
    group = octt.require_feature(feature, f"the case needs the group the CSMS returns ({feature})")
    payload = octt.answer(action).require()
    path = "idTagInfo.parentIdTag" if octt.v16 else "idTokenInfo.groupIdToken.idToken"
    actual = checks.field(payload, path)
    assert str(actual).upper() == str(group).upper(), f"{action} {path} {actual!r}; expected {group!r}"


@then(parsers.parse("every {action:w} the CSMS sent asked for at most {limit:d} variables"))
def at_most_items(octt: Conformance, action: str, limit: int) -> None:
    """B06.FR.05: the CSMS splits its requests by the station's ItemsPerMessage."""
    sent = [
        payload
        for name, payload in checks.calls_sent(octt.frames, octt.version, checks.Side.CSMS)
        if name == action
    ]
    assert sent, f"the CSMS sent no {action}"
    sizes = [len(payload.get("getVariableData") or payload.get("setVariableData") or []) for payload in sent]
    assert max(sizes) <= limit, f"{action} requests with {sizes} variables; ItemsPerMessage is {limit}"


@then(parsers.parse("the last TransactionEvent had seqNo {seq_no:d}"))
def last_seq_no(octt: Conformance, seq_no: int) -> None:
    sent = [
        p
        for a, p in checks.calls_sent(octt.frames, octt.version, checks.Side.STATION)
        if a == "TransactionEvent"
    ]
    assert sent, "the station sent no TransactionEvent"
    assert sent[-1]["seqNo"] == seq_no, f"seqNo {sent[-1]['seqNo']}"


@then("the CSMS gives a transactionId")
def gives_transaction_id(octt: Conformance) -> None:
    payload = octt.answer("StartTransaction").require()
    assert isinstance(payload.get("transactionId"), int), f"StartTransaction answer: {payload}"


@then(parsers.parse("the CSMS sent {action:w} with {field:S} = {value}"))
def sent_field(octt: Conformance, action: str, field: str, value: str) -> None:
    call = octt.csms_call
    assert call is not None, f"expected the CSMS to send {action}; it sent nothing"
    assert call.action == action, f"expected the CSMS to send {action}; it sent {call.action}"
    expected = _fill(octt, f'{{"v": {value}}}')["v"]
    actual = checks.field(call.payload, field)
    if isinstance(expected, str) and isinstance(actual, str):
        assert actual.upper() == expected.upper(), f"{action}.{field} = {actual!r}; expected {expected!r}"
    else:
        assert actual == expected, f"{action}.{field} = {actual!r}; expected {expected!r}"


@then(parsers.parse('the CSMS sent {action:w} with {field:S} absent or one of "{values}"'))
def sent_absent_or_one_of(octt: Conformance, action: str, field: str, values: str) -> None:
    call = octt.csms_call
    assert call is not None, f"expected the CSMS to send {action}; it sent nothing"
    actual = checks.field(call.payload, field)
    allowed = _allowed(values)
    assert actual is None or actual in allowed, f"{action}.{field} = {actual!r}; expected absent or {allowed}"


@then(parsers.parse("the CSMS sent {action:w} with {field:S} at least {minimum:d}"))
def sent_at_least(octt: Conformance, action: str, field: str, minimum: int) -> None:
    call = octt.csms_call
    assert call is not None, f"expected the CSMS to send {action}; it sent nothing"
    actual = checks.field(call.payload, field)
    assert isinstance(actual, int), f"{action}.{field} = {actual!r}; expected an integer"
    assert actual >= minimum, f"{action}.{field} = {actual}; expected at least {minimum}"


@then(parsers.parse("the CSMS sent {action:w} without {field:S}"))
def sent_without(octt: Conformance, action: str, field: str) -> None:
    call = octt.csms_call
    assert call is not None, f"expected the CSMS to send {action}; it sent nothing"
    assert call.action == action, f"expected the CSMS to send {action}; it sent {call.action}"
    actual = checks.field(call.payload, field)
    assert actual in (None, [], ""), f"{action}.{field} = {actual!r}; expected it omitted"


@then(parsers.parse('the CSMS sent SendLocalList with "{rules}"'))
def local_list(octt: Conformance, rules: str) -> None:
    call = octt.csms_call
    assert call is not None, "expected the CSMS to send SendLocalList; it sent nothing"
    assert call.action == "SendLocalList", f"expected SendLocalList; it sent {call.action}"
    current = octt.feature("current_list_version") or 0
    answered = [c for c in octt.station.received if c.action == "GetLocalListVersion"]
    if answered:
        version_answer = octt.station.answers.get("GetLocalListVersion")
        if isinstance(version_answer, dict):
            current = int(version_answer.get("listVersion", version_answer.get("versionNumber")) or 0)
    violations = checks.check_local_list(
        octt.version, call.payload, [r.strip() for r in rules.split(",")], current
    )
    assert not violations, "\n".join(str(v) for v in violations)


@then(parsers.parse("the CSMS sent {first:w} before {second:w}"))
def sent_in_order(octt: Conformance, first: str, second: str) -> None:
    violation = checks.check_order(octt.frames, octt.version, checks.Side.CSMS, [first, second])
    assert violation is None, str(violation)


# -- the WebSocket handshake ---------------------------------------------------------------------------


@when(parsers.parse('a station connects offering only "{offered}"'), target_fixture="handshake")
@when(parsers.parse('a station connects offering "{offered}"'), target_fixture="handshake")
def offers(octt: Conformance, offered: str) -> checks.Handshake:
    protocols = tuple(p.strip() for p in offered.split(","))
    return octt.probe(protocols, username=None, password=octt.station.password)


@then("the CSMS refuses the upgrade")
def refuses(handshake: checks.Handshake) -> None:
    violation = checks.check_refusal(handshake, patience=0.5)
    assert violation is None, str(violation)


@then(parsers.parse('the CSMS upgrades with "{expected}"'))
def upgrades(handshake: checks.Handshake, expected: str) -> None:
    violation = checks.check_choice(handshake, expected)
    assert violation is None, str(violation)


@then("the CSMS refuses the connection")
def refuses_connection(octt: Conformance) -> None:
    """TC_A_02/03: the right credentials get in first; then the presented ones must get HTTP 401 (or a
    close right after the upgrade). Every upgrade's HTTP status is in the case log."""
    octt.prove_credentials_accepted()
    station = octt.station
    handshake = octt.probe(
        (octt.version.subprotocol,), username=station.username, password=station.password, patience=1.0
    )
    violation = checks.check_credentials_refused(handshake, patience=1.0)
    assert violation is None, str(violation)


@then(parsers.parse("the CSMS sent {action:w} with an empty payload"))
def sent_empty(octt: Conformance, action: str) -> None:
    call = octt.csms_call
    assert call is not None, f"expected the CSMS to send {action}; it sent nothing"
    assert call.action == action, f"expected the CSMS to send {action}; it sent {call.action}"
    assert call.payload == {}, f"{action} payload {call.payload}; expected {{}}"


# -- OCPP-J wire rules the CSMS is provoked into showing ------------------------------------------------


@when(
    parsers.re(r"the station sends (?P<provocation>a bad payload|an unknown action|an unknown message type)"),
    target_fixture="provoked",
)
def provokes(octt: Conformance, provocation: str) -> tuple[str, checks.Frame | None]:
    name = provocation.split(" ", 1)[1]
    return name, octt.provoke(name)


@then(parsers.re(r"the CSMS answers with a CALLERROR of the negotiated version(?P<silence>, or nothing)?"))
def provoked_error(octt: Conformance, provoked: tuple[str, checks.Frame | None], silence: str | None) -> None:
    from evharness.ocppj.frames import CallError, decode

    name, frame = provoked
    answer = None
    if frame is not None:
        decoded = decode(frame.text, octt.version)
        assert isinstance(decoded, CallError), f"{name}: expected a CALLERROR, got {frame.text}"
        answer = decoded
    violation = checks.check_provoked_error(
        octt.version, name, answer, silence_allowed=bool(silence), tolerate_spellings=octt.tolerate_spellings
    )
    if violation is not None and violation.warning:
        octt.warnings.append(violation)
        return
    assert violation is None, str(violation)


@then("the connection stays open")
def stays_open(octt: Conformance) -> None:
    assert octt.station.connected, "the CSMS closed the connection"
    answer = octt.send("Heartbeat", {})
    assert answer.payload is not None, f"after the error the Heartbeat got {answer.error}"


@when("the station sends malformed answers to no CALL of the CSMS", target_fixture="broken_answers")
def sends_broken_answers(octt: Conformance) -> list[checks.Violation]:
    return octt.send_broken_answers()


@then("the CSMS answers none of them and answers the next Heartbeat")
def broken_answers_ignored(broken_answers: list[checks.Violation]) -> None:
    assert not broken_answers, "\n".join(str(violation) for violation in broken_answers)
