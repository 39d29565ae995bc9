"""Picking the confirmation link out of outbox mails, and failure texts: the console user's rules."""

from __future__ import annotations

from evharness.loadtests.mailbox import (
    confirmation_token,
    find_confirmation_token,
    is_complete,
    refusal_reason,
)
from evharness.reference_backend.console.mail import Message

LINK = "http://127.0.0.1:8000/api/links/confirm?token=tok-{}"


def mail(to: str, token: str, subject: str = "Confirm your evharness account") -> bytes:
    """A mail as the reference backend's outbox writes it."""
    link = LINK.format(token)
    body = f"Hello,\n\nconfirm your account by opening this link:\n\n{link}\n\nIt works once.\n"
    return Message(to, subject, body, link).to_email("evharness <noreply@example.com>").as_bytes()


class TestConfirmationToken:
    def test_the_token_of_a_mail_to_the_address(self) -> None:
        assert confirmation_token(mail("ada@example.com", "a1"), "ada@example.com") == "tok-a1"

    def test_the_address_matches_without_regard_to_case(self) -> None:
        assert confirmation_token(mail("Ada@Example.com", "a1"), "ada@example.com") == "tok-a1"

    def test_a_mail_to_someone_else_gives_nothing(self) -> None:
        assert confirmation_token(mail("bob@example.com", "b1"), "ada@example.com") is None

    def test_a_mail_without_a_confirmation_link_gives_nothing(self) -> None:
        raw = Message("ada@example.com", "Already registered", "You have an account.\n").to_email("x@y.z")
        assert confirmation_token(raw.as_bytes(), "ada@example.com") is None

    def test_a_reset_link_is_not_a_confirmation_link(self) -> None:
        link = "http://127.0.0.1:8000/api/links/reset?token=r1"
        raw = Message("ada@example.com", "Reset", f"Reset:\n\n{link}\n", link).to_email("x@y.z")
        assert confirmation_token(raw.as_bytes(), "ada@example.com") is None

    def test_garbage_gives_nothing(self) -> None:
        assert confirmation_token(b"\x00\xff not a mail", "ada@example.com") is None

    def test_a_link_cut_off_while_the_file_is_written_gives_nothing(self) -> None:
        raw = mail("ada@example.com", "a1")
        cut = raw[: raw.index(b"tok-a1") + 5]
        assert confirmation_token(cut, "ada@example.com") is None
        assert not is_complete(cut)


class TestIsComplete:
    def test_a_whole_mail(self) -> None:
        assert is_complete(mail("ada@example.com", "a1"))

    def test_an_empty_file_is_being_written(self) -> None:
        assert not is_complete(b"")


class TestFindConfirmationToken:
    def test_the_newest_mail_for_the_address_wins_among_others(self) -> None:
        mails = [mail("ada@example.com", "old"), mail("bob@example.com", "b"), mail("ada@example.com", "new")]
        assert find_confirmation_token(mails, "ada@example.com") == "tok-new"
        assert find_confirmation_token(mails, "bob@example.com") == "tok-b"

    def test_no_mail_yet(self) -> None:
        assert find_confirmation_token([], "ada@example.com") is None


class TestRefusalReason:
    def test_the_api_detail_is_kept(self) -> None:
        body = {"detail": "not confirmed yet"}
        assert refusal_reason("login", 403, body) == "login answered HTTP 403: not confirmed yet"

    def test_a_schema_error_names_the_field(self) -> None:
        body = {"detail": "password: String should have at least 12 characters", "field": "password"}
        reason = refusal_reason("sign-up", 422, body)
        assert reason == "sign-up answered HTTP 422: password: String should have at least 12 characters"

    def test_a_rate_limit_says_so_and_when_to_retry(self) -> None:
        reason = refusal_reason("login", 429, {"detail": "too many attempts"}, "42")
        assert reason.startswith("login answered HTTP 429: too many attempts")
        assert "login rate limit hit, retry after 42 s" in reason

    def test_no_body(self) -> None:
        assert refusal_reason("logout", 500, None) == "logout answered HTTP 500"

    def test_no_answer_at_all(self) -> None:
        assert refusal_reason("logout", 0, {}).startswith("logout: no answer from the console API")
