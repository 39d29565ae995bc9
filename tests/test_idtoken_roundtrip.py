"""Generated codes through OCPP (issue 5): every code `normalize` accepts leaves a simulated station
in its Authorize and its transaction start (1.6 StartTransaction, 2.0.1 TransactionEvent Started),
decodes on the reference backend's side valid against the official schema, with the normalized code
and the right 2.0.1 type, and the backend finds exactly that identification; every near miss is
refused with a reason naming the rule it broke. `test_idtokens.py` holds the validator's own rules."""

from __future__ import annotations

import itertools
import re
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evharness.idtokens import IdType, InvalidCode, normalize
from evharness.ocppj import schemas
from evharness.ocppj.frames import Call, decode
from evharness.ocppj.versions import OcppVersion
from evharness.reference_backend.persistence import Store
from evharness.reference_backend.persistence.records import ProvisionedIdentification
from evharness.simulator.core.model import PresentedToken
from tests.simulator.pair import Pair

ROUND_TRIP = settings(max_examples=40, database=None)
_stations = itertools.count(1)


def mixed_case(text: str, upper: list[bool]) -> str:
    return "".join(c.upper() if u else c.lower() for c, u in zip(text, upper, strict=False))


pins = st.from_regex(r"#[0-9]{4,8}", fullmatch=True)
cards = st.builds(
    mixed_case,
    st.sampled_from([4, 7, 8, 10]).flatmap(lambda n: st.binary(min_size=n, max_size=n)).map(bytes.hex),
    st.lists(st.booleans(), min_size=20, max_size=20),
)
accepted = st.tuples(st.just(IdType.PIN), pins) | st.tuples(st.just(IdType.RFID), cards)


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    """One database for all examples; each example gets its own station."""
    with tempfile.TemporaryDirectory() as directory:
        opened = Store.from_url(f"sqlite:///{Path(directory) / 'roundtrip.sqlite3'}")
        opened.create_schema()
        yield opened
        opened.dispose()


def expected_type(id_type: IdType, code: str) -> str:
    if id_type is IdType.PIN:
        return "KeyCode"
    return "ISO15693" if len(code) == 16 else "ISO14443"


def presented_value(version: OcppVersion, payload: dict[str, object]) -> tuple[str, str | None] | None:
    """The token a station request carries as the backend decodes it: (value, 2.0.1 type)."""
    if version is OcppVersion.V16:
        tag = payload.get("idTag")
        return None if tag is None else (str(tag), None)
    token = payload.get("idToken")
    return None if not isinstance(token, dict) else (str(token["idToken"]), str(token["type"]))


@pytest.mark.parametrize("version", [OcppVersion.V16, OcppVersion.V201], ids=lambda v: v.value)
def test_every_accepted_code_round_trips_through_ocpp_unchanged(store: Store, version: OcppVersion) -> None:
    @ROUND_TRIP
    @given(accepted)
    def round_trip(typed: tuple[IdType, str]) -> None:
        id_type, raw = typed
        code = normalize(id_type, raw)
        identity = f"RT-{next(_stations)}"
        station_id, _ = store.ensure_station(identity, datetime.now(UTC))
        store.provision(station_id, [ProvisionedIdentification(id_type, code, "Ada", "Lovelace")])
        pair = Pair.open(identity, version, store)
        pair.station.boot(pair.clock.now())
        pair.pump()
        pair.station.plug_in(1, 1, pair.clock.now())
        pair.station.present_token(1, PresentedToken(id_type, code), pair.clock.now())
        pair.pump()

        carried: dict[str, list[tuple[str, str | None]]] = {}
        for direction, text in pair.frames:
            frame = decode(text, version)  # as the backend's session decodes it
            if direction != "out" or not isinstance(frame, Call):
                continue
            validate = schemas.validator(version, frame.action, response=False)
            assert validate is not None
            assert schemas.check(validate, frame.payload) is None, (frame.action, frame.payload)
            token = presented_value(version, frame.payload)
            if token is not None:
                carried.setdefault(frame.action, []).append(token)
        start = "StartTransaction" if version is OcppVersion.V16 else "TransactionEvent"
        assert set(carried) == {"Authorize", start}
        wire_type = None if version is OcppVersion.V16 else expected_type(id_type, code)
        # 2.0.1: an identifierString, so a KeyCode carries the PIN's digits (issue 20, DESIGN §2)
        value = code if version is OcppVersion.V16 else code.removeprefix("#")
        assert {t for tokens in carried.values() for t in tokens} == {(value, wire_type)}

        (recorded,) = store.transactions(identity)  # the backend found the one identification
        assert recorded.id_token == code
        assert recorded.id_token_status == "Accepted"
        assert recorded.identification_id is not None
        if version is not OcppVersion.V16:
            assert recorded.id_token_type == wire_type

    round_trip()


# Near misses, each with the words of the rule it breaks.
def _digits(low: int, high: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=low, max_size=high)


def _insert(text: str, at: int, what: str) -> str:
    at = 1 + at % max(len(text) - 1, 1)
    return text[:at] + what + text[at:]


pin_misses = st.one_of(
    _digits(1, 3).map(lambda d: ("#" + d, f"not {len(d)}")),  # too short
    _digits(9, 14).map(lambda d: ("#" + d, f"not {len(d)}")),  # too long
    _digits(0, 10).map(lambda d: (d, "must start with '#'")),  # missing '#'
    st.tuples(pins, st.integers(0, 8), st.sampled_from([" ", "a", "-", "#", "\n", "٣", "３"])).map(
        lambda t: (_insert(t[0], t[1], t[2]), "digits only")  # a space, a letter, unicode digits
    ),
    st.text(alphabet="٠١٢٣٤٥٦٧٨٩", min_size=4, max_size=8).map(lambda d: ("#" + d, "digits only")),
)
hex_bytes = st.integers(1, 12).flatmap(lambda n: st.binary(min_size=n, max_size=n)).map(bytes.hex)
rfid_misses = st.one_of(
    hex_bytes.filter(lambda h: len(h) // 2 not in (4, 7, 8, 10)).map(lambda h: (h, f"({len(h) // 2} given)")),
    hex_bytes.map(lambda h: (h + "a", f"({(len(h) + 1) / 2:g} given)")),  # odd length
    st.tuples(cards, st.integers(0, 20), st.sampled_from([" ", "G", "z", ":", "٣", "#"])).map(
        lambda t: (_insert(t[0], t[1], t[2]), "hexadecimal")  # non-hex, spaces, unicode digits
    ),
    st.just(("", "hexadecimal")),
)


@given(pin_misses)
def test_every_refused_pin_names_the_broken_rule(miss: tuple[str, str]) -> None:
    code, rule = miss
    with pytest.raises(InvalidCode, match=re.escape(rule)) as refused:
        normalize(IdType.PIN, code)
    assert str(refused.value).strip()


@given(rfid_misses)
def test_every_refused_card_names_the_broken_rule(miss: tuple[str, str]) -> None:
    code, rule = miss
    with pytest.raises(InvalidCode, match=re.escape(rule)) as refused:
        normalize(IdType.RFID, code)
    assert str(refused.value).strip()
