"""argon2id password hashing (argon2-cffi; by default its RFC 9106 low-memory profile)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import CHEAPEST


class Passwords:
    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self.hasher = hasher or PasswordHasher()
        # Verified against when the email is unknown: a login takes as long whether or not the account exists.
        self._dummy = self.hasher.hash("not a password of anyone")

    @classmethod
    def cheapest(cls) -> Passwords:
        """argon2's own test profile: still argon2id, fast enough for suites that log in a lot."""
        return cls(PasswordHasher.from_parameters(CHEAPEST))

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash or self._dummy, password) and password_hash is not None
        except (VerificationError, InvalidHashError):
            return False
