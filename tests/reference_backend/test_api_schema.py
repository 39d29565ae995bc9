"""Schemathesis against the live console API's OpenAPI document: no 5xx on generated input.

(Driven through schemathesis's Python API — one hypothesis run per operation — rather than its pytest
plugin, whose `from_fixture` does not run on pytest 9.)

The backend runs in-process on 127.0.0.1 with a throw-away database and the outbox mailer. Each case
is sent twice over: anonymously and with a fresh session of a platform operator admin, so the
generated bodies reach the rules behind the authentication check. Bounded to a few examples per
operation to keep the suite fast.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok

from evharness.reference_backend.backend import BackendServer
from evharness.reference_backend.console import accounts, operator
from evharness.reference_backend.console.passwords import Passwords
from evharness.reference_backend.settings import BackendSettings
from evharness.simulator.asyncio.portal import BackgroundLoop

ADMIN = "schema-admin@example.com"


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[BackendServer, int]]:
    folder: Path = tmp_path_factory.mktemp("schema")
    settings = BackendSettings(
        ocpp_port=0,
        api_port=0,
        database_url=f"sqlite:///{folder / 'api.sqlite3'}",
        outbox_dir=str(folder / "outbox"),
        log_level="warning",
    )
    with BackgroundLoop("schema-backend") as loop:
        backend = BackendServer(settings)
        backend.console.passwords = Passwords.cheapest()
        loop.run(backend.start())
        try:
            user_id = operator.create_admin(backend.console, ADMIN, "Schema Admin", "Adm1n-passw0rd!")
            yield backend, user_id
        finally:
            loop.run(backend.stop())


def test_no_server_error_on_generated_input(running: tuple[BackendServer, int]) -> None:
    backend, admin_id = running
    schema = schemathesis.openapi.from_url(f"{backend.api_url}openapi.json")
    labels: list[str] = []
    statuses: list[int] = []
    for found in schema.get_all_operations():
        assert isinstance(found, Ok), f"the OpenAPI document has an invalid operation: {found.err()}"
        operation = found.ok()
        labels.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def exercise(case: Any) -> None:
            statuses.append(case.call_and_validate(checks=[not_a_server_error]).status_code)
            with backend.console.store.begin() as tx:
                token, _ = accounts.start_session(backend.console, tx, admin_id)
            authorized = {"Authorization": f"Bearer {token}"}
            statuses.append(
                case.call_and_validate(checks=[not_a_server_error], headers=authorized).status_code
            )

        try:
            exercise()
        except Exception as exc:
            exc.add_note(f"operation: {operation.label}")
            raise
    assert "POST /api/accounts" in labels
    assert len(labels) >= 30, labels
    # The run reached the rules: some calls were accepted, some refused, none crashed.
    assert any(200 <= s < 300 for s in statuses), Counter(statuses)
    assert any(s == 422 for s in statuses), Counter(statuses)
    assert len(statuses) >= 2 * len(labels)


def test_every_operation_documents_every_refusal_in_the_one_error_shape(
    running: tuple[BackendServer, int],
) -> None:
    """Issue 18: the OpenAPI document lists every status the API answers (400, 401, 403, 404, 409, 410, 422,
    429 on every operation), each with the one error body `{"detail": …, "field": …}`."""
    import httpx

    from evharness.reference_backend.api.errors import STATUS

    backend, _ = running
    document = httpx.get(f"{backend.api_url}openapi.json", timeout=30).json()
    wanted = {str(status) for _, status in STATUS} | {"400"}
    body = document["components"]["schemas"]["ErrorBody"]
    assert set(body["properties"]) == {"detail", "field"}
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if path == "/api/health":
                continue  # refuses nothing: it is up, or there is no answer
            missing = wanted - set(operation["responses"])
            assert not missing, f"{method.upper()} {path} does not document {sorted(missing)}"
            for status in wanted:
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, status, schema)


def test_a_schema_error_has_the_one_error_shape(running: tuple[BackendServer, int]) -> None:
    import httpx

    backend, _ = running
    answer = httpx.post(f"{backend.api_url}accounts", json={"email": "x@example.com"}, timeout=30)
    assert answer.status_code == 422
    body = answer.json()
    assert set(body) == {"detail", "field"}, body
    assert isinstance(body["detail"], str)
    assert body["field"] in ("password", "name"), body
