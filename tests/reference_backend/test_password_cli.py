"""`evharness station-password` stores only a salted hash, which the backend then accepts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evharness.cli import main
from reference_backend.security import StationPasswords


def test_a_stored_password_is_hashed_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "passwords.json"
    args = ["station-password", "--station-passwords", str(file), "--identity", "CP-1"]
    assert main([*args, "--password", "sixteen-chars-ok"]) == 0
    assert "sixteen-chars-ok" not in file.read_text()
    assert json.loads(file.read_text())["CP-1"].startswith("scrypt$")
    assert StationPasswords.load(file).check("CP-1", "sixteen-chars-ok")
    assert main([*args, "--password", "too-short"]) == 2
    assert "16 to 40 characters" in capsys.readouterr().out
