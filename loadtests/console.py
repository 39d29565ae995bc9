"""Console API load: sign-ups and logins. NOT run by default.

Loads the console API's accounts: `POST /api/accounts` (sign-up: email, password, name; 202) and
`POST /api/session` (login: email, password). A fresh account is unconfirmed until its emailed link is
followed, so its logins are refused with 403 — the expected answer here, and still the full login path
(rate limits, password check). Confirmed-account logins need the links read from the outbox or SMTP
sink: not done yet. Raise the backend's `--login-limit-client` for such a run: every user comes from
127.0.0.1. Add it to a run explicitly, with its own URL:

    locust -f loadtests/locustfile.py,loadtests/console.py --host ws://127.0.0.1:9000/ocpp \\
           --console-url http://127.0.0.1:8000 …

The console URL is `--console-url` / EVHARNESS_CONSOLE_URL (Locust's `--host` is the OCPP target).
"""

from __future__ import annotations

import uuid

from locust import HttpUser, between, task
from locust.env import Environment

from loadtests import options  # noqa: F401  (registers --console-url)
from loadtests.settings import LoadSettings

__all__ = ["ConsoleUser"]


class ConsoleUser(HttpUser):
    """Signs up once with a fresh address, then tries to log in again and again (refused: unconfirmed)."""

    wait_time = between(0.5, 2.0)

    def __init__(self, environment: Environment) -> None:
        settings = LoadSettings.from_options(environment.parsed_options)
        self.host = settings.console_url.rstrip("/")  # not Locust's --host: that one is the OCPP target
        super().__init__(environment)
        self.email = f"load-{uuid.uuid4().hex[:16]}@example.test"
        self.password = uuid.uuid4().hex
        self.signed_up = False

    def on_start(self) -> None:
        self.sign_up()

    def sign_up(self) -> None:
        body = {"email": self.email, "password": self.password, "name": "Load Tester"}
        with self.client.post("/api/accounts", json=body, name="sign-up", catch_response=True) as response:
            if response.status_code in (200, 201, 202):
                self.signed_up = True
                response.success()
            else:
                response.failure(f"sign-up answered HTTP {response.status_code}")

    @task
    def log_in(self) -> None:
        if not self.signed_up:
            self.sign_up()
            return
        body = {"email": self.email, "password": self.password}
        with self.client.post("/api/session", json=body, name="login", catch_response=True) as response:
            if response.status_code == 403:  # unconfirmed: refused, as it must be
                response.success()
            else:
                response.failure(f"login of an unconfirmed account answered HTTP {response.status_code}")
