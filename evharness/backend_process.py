"""The reference backend as a child process on free ports: for the demo, the features and any
tool that needs a CSMS to talk to. It is stopped by its PID, with SIGTERM, and must exit 0."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Mapping
from types import TracebackType

_OCPP_LINE = re.compile(r"OCPP\s+(wss?://\S+?)/\{station_id\}")
_API_LINE = re.compile(r"API\s+(http://\S+?/api/)")


class BackendProcess:
    def __init__(
        self,
        database_url: str,
        *,
        host: str = "127.0.0.1",
        start_timeout: float = 30.0,
        operator_token: str | None = None,
        ocpp_port: int = 0,
        environment: Mapping[str, str] | None = None,
        python: str = sys.executable,
    ) -> None:
        self.database_url = database_url
        self.python = python  # another environment's interpreter, e.g. one with only the built wheel
        self.ocpp_port = ocpp_port  # 0: a free one; a fixed one lets stations find a restarted backend
        self.environment = dict(environment or {})  # added to ours, e.g. EVHARNESS_EVENT_LOOP
        self.operator_token = operator_token  # passed by environment, never on the command line
        self.host = host
        self.start_timeout = start_timeout
        self.ocpp_url = ""
        self.api_url = ""
        self.output: deque[str] = deque(maxlen=200)
        self._process: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None

    def start(self) -> BackendProcess:
        command = [
            self.python, "-m", "evharness", "backend", "--host", self.host,
            "--ocpp-port", str(self.ocpp_port), "--api-port", "0", "--database-url", self.database_url,
        ]  # fmt: skip
        env = {**os.environ, **self.environment, "PYTHONUNBUFFERED": "1"}
        if self.operator_token:
            env["EVHARNESS_OPERATOR_TOKEN"] = self.operator_token
        self._process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        ready = threading.Event()
        self._reader = threading.Thread(target=self._read, args=(ready,), daemon=True)
        self._reader.start()
        if not ready.wait(self.start_timeout) or not self.ocpp_url:
            self.stop()
            raise RuntimeError("the reference backend did not start:\n" + "\n".join(self.output))
        return self

    def _read(self, ready: threading.Event) -> None:
        assert self._process is not None
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self.output.append(line.rstrip())
            if match := _OCPP_LINE.search(line):
                self.ocpp_url = match.group(1)
            if match := _API_LINE.search(line):
                self.api_url = match.group(1)
            if self.ocpp_url and self.api_url:
                ready.set()
        ready.set()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM the backend we started and wait; its exit code (0 = clean shutdown)."""
        process = self._process
        if process is None:
            return 0
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._reader is not None:
            self._reader.join(timeout=2)
        self._process = None
        return process.returncode

    def __enter__(self) -> BackendProcess:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
