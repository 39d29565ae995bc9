"""The CSMS URL template and which refusals of the upgrade are final."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evharness.csms_target import describe_refusal, refusal_is_final, station_url


@pytest.mark.parametrize(
    ("template", "url"),
    [
        ("ws://127.0.0.1:9000/ocpp", "ws://127.0.0.1:9000/ocpp/CP-1"),
        ("ws://127.0.0.1:9000/ocpp/", "ws://127.0.0.1:9000/ocpp/CP-1"),
        ("ws://h/ocpp?token=abc", "ws://h/ocpp/CP-1?token=abc"),
        ("wss://h/ws/ocpp/{identity}/", "wss://h/ws/ocpp/CP-1/"),
        ("ws://h/ocpp/{identity}?token=abc&id={identity}", "ws://h/ocpp/CP-1?token=abc&id=CP-1"),
    ],
)
def test_the_identity_goes_where_the_template_says_or_is_appended(template: str, url: str) -> None:
    assert station_url(template, "CP-1") == url


@given(st.text(min_size=1, max_size=48))
def test_any_identity_travels_percent_encoded_as_one_path_segment(identity: str) -> None:
    url = station_url("ws://h:1/ocpp?x=1", identity)
    parts = urlsplit(url)
    assert parts.query == "x=1"
    prefix, _, segment = parts.path.rpartition("/")
    assert prefix == "/ocpp"
    assert unquote(segment) == identity


@pytest.mark.parametrize(("status", "final"), [(400, True), (401, True), (403, True), (404, True),
                                               (429, False), (500, False), (503, False)])  # fmt: skip
def test_a_client_error_other_than_429_is_final(status: int, final: bool) -> None:
    assert refusal_is_final(status) is final


def test_a_refusal_names_the_url_the_status_and_what_the_csms_said() -> None:
    text = describe_refusal("ws://h/ocpp/CP-1", 404, b"unknown station\n")
    assert text.startswith(
        "ws://h/ocpp/CP-1: the CSMS refused the connection: HTTP 404 Not Found (unknown station)"
    )
    assert "not retried" in text
