"""How a station reaches a CSMS: the URL it connects to, and which refusals of the upgrade are final.

A CSMS URL is a template: `{identity}` stands for the station's identity (percent-encoded), so a
route with something after the identity works (`wss://csms.example/ws/ocpp/{identity}/`,
`ws://host/ocpp/{identity}?token=abc`). Without `{identity}`, `/identity` is appended to the path
(before any query string): `ws://host:9000/ocpp` → `ws://host:9000/ocpp/SIM-0001` (OCPP-J §3.1.1).

An HTTP answer to the upgrade is either worth another attempt (5xx, 429 Too Many Requests: the CSMS
is busy or restarting) or final: any other 4xx (400, 401, 403, 404 …) will be the same on the next
attempt, so a station stops and says why instead of retrying for ever.
"""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import quote, urlsplit, urlunsplit

PLACEHOLDER = "{identity}"
RETRIED_CLIENT_ERRORS = frozenset({HTTPStatus.TOO_MANY_REQUESTS})


def station_url(template: str, identity: str) -> str:
    """The URL of `identity` under the CSMS URL `template` (see the module's docstring)."""
    encoded = quote(identity, safe="")
    if PLACEHOLDER in template:
        return template.replace(PLACEHOLDER, encoded)
    parts = urlsplit(template)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}/{encoded}"))


def refusal_is_final(status: int) -> bool:
    """Whether an HTTP status answering the WebSocket upgrade will not change by retrying."""
    return 400 <= status < 500 and status not in RETRIED_CLIENT_ERRORS


def describe_refusal(url: str, status: int, body: bytes | bytearray = b"") -> str:
    """`ws://…/SIM-0001: the CSMS refused the connection: HTTP 404 Not Found (…body…); not retried …`."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    said = body.decode("utf-8", "replace").strip().replace("\n", " ")[:120]
    return (
        f"{url}: the CSMS refused the connection: HTTP {status} {phrase}".rstrip()
        + (f" ({said})" if said else "")
        + "; not retried (a 4xx other than 429 does not change on retry: check the URL, the identity"
        " and the credentials)"
    )
