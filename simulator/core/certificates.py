"""The station's certificates (2.0.1 A02/A03, M03–M06; 1.6 security white paper: certificate
management): a store of installed roots, the station's own certificates, and their signing.

Theory of operation. `Certificates` holds what a real station keeps in non-volatile memory: the
roots the CSMS installed (CSMS, manufacturer, V2G, MO roots), the station's V2G certificate chain,
and its own certificates (`Own.STATION` — the ChargingStationCertificate of security profile 3,
`Own.V2G` — the SECC certificate of ISO 15118) with their private keys. Each own certificate is
renewed by one small machine, `TABLE`: state → request → (next state, effect). A request to sign
(`ASK`: the CSMS's TriggerMessage / ExtendedTriggerMessage, or the certificate about to expire, A03)
makes a new key and CSR; the CSMS accepts or rejects the SignCertificate; its CertificateSigned is
installed if the chain is valid for that key (A02.FR.06/07), else refused and reported as a
security event (A02.FR.09, 1.6 InvalidChargePointCertificate). Without a CertificateSigned in
SecurityCtrlr.CertSigningWaitMinimum seconds the request is sent again, the wait doubling each
time, at most CertSigningRepeatTimes times (A02.FR.17/18).

Outcomes a tester chooses are data (`Choices`): refuse any CertificateSigned (an "invalid chain"),
reject or fail any InstallCertificate, fail any DeleteCertificate. Nothing here knows a payload:
codecs map the neutral `Use` and `Own` onto their version's words. `to_data` / `load_data` are what
the journal file keeps (`simulator.journal_file`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, Literal, get_args, get_type_hints

from evharness import x509
from evharness.ocppj.vocabulary import Status
from evharness.simulator.core.model import Own, Use

RENEW_BEFORE_S = 30 * 86_400.0  # A03: a certificate expiring within this is renewed


class SignState(Enum):
    IDLE = "idle"
    ASKED = "asked"  # SignCertificate sent, its answer awaited
    WAITING = "waiting"  # the CSMS accepted: CertificateSigned awaited until `wait_until`


class SignRequest(Enum):
    ASK = "ask"  # TriggerMessage Sign…Certificate, or the certificate is about to expire
    ACCEPTED = "accepted"  # SignCertificateResponse Accepted
    REJECTED = "rejected"  # ... Rejected, or a CALLERROR
    SIGNED_VALID = "signed_valid"  # CertificateSigned with a chain valid for the pending key
    SIGNED_INVALID = "signed_invalid"  # ... one that is not (or the tester chose to refuse it)
    WAIT_OVER = "wait_over"  # no CertificateSigned within the wait
    GIVE_UP = "give_up"  # ... and every attempt is used
    LOST = "lost"  # the connection went before the SignCertificate was answered


class SignEffect(Enum):
    NONE = "none"
    SEND_NEW = "send_new"  # a new key and CSR; SignCertificate
    SEND_AGAIN = "send_again"  # the same CSR again, the wait doubled
    WAIT = "wait"  # start waiting for CertificateSigned
    INSTALL = "install"  # the chain becomes the station's certificate: CertificateSigned Accepted
    REFUSE = "refuse"  # CertificateSigned Rejected, security event
    FORGET = "forget"  # the pending key is dropped


S, R, E = SignState, SignRequest, SignEffect

# state → request → (next state, effect)
TABLE: dict[SignState, dict[SignRequest, tuple[SignState, SignEffect]]] = {
    S.IDLE: {
        R.ASK: (S.ASKED, E.SEND_NEW),
        R.SIGNED_VALID: (S.IDLE, E.REFUSE),  # nothing was asked: no key it could be for
        R.SIGNED_INVALID: (S.IDLE, E.REFUSE),
    },
    S.ASKED: {
        R.ASK: (S.ASKED, E.NONE),  # already asked: the answer is on its way
        R.ACCEPTED: (S.WAITING, E.WAIT),
        R.REJECTED: (S.IDLE, E.FORGET),
        R.SIGNED_VALID: (S.IDLE, E.INSTALL),  # the CertificateSigned overtook the answer
        R.SIGNED_INVALID: (S.ASKED, E.REFUSE),
        R.LOST: (S.IDLE, E.FORGET),  # asked again on the next trigger or renewal
    },
    S.WAITING: {
        R.ASK: (S.ASKED, E.SEND_NEW),
        R.SIGNED_VALID: (S.IDLE, E.INSTALL),
        R.SIGNED_INVALID: (S.WAITING, E.REFUSE),  # the CSMS may still send a good one
        R.WAIT_OVER: (S.ASKED, E.SEND_AGAIN),
        R.GIVE_UP: (S.IDLE, E.FORGET),
    },
}

# what each row means for the station, in the words docs/certificates.md shows
EFFECTS: dict[SignEffect, str] = {
    E.NONE: "nothing (already asked)",
    E.SEND_NEW: "a new key and CSR; SignCertificate",
    E.SEND_AGAIN: "the same CSR again, the wait doubled",
    E.WAIT: "wait CertSigningWaitMinimum s for CertificateSigned",
    E.INSTALL: "installed; CertificateSigned Accepted",
    E.REFUSE: "CertificateSigned Rejected; security event",
    E.FORGET: "the pending key is dropped",
}


def render_markdown() -> str:
    """`TABLE` as docs/certificates.md shows it (docgen keeps the two equal)."""
    lines = ["| state | request | next | effect |", "|---|---|---|---|"]
    for state, row in TABLE.items():
        for request, (following, effect) in row.items():
            lines.append(f"| {state.value} | {request.value} | {following.value} | {EFFECTS[effect]} |")
    return "\n".join(lines) + "\n"


InstallOutcome = Literal["Accepted", "Rejected", "Failed"]
DeleteOutcome = Literal["Accepted", "Failed", "NotFound"]
SignedOutcome = Literal["Accepted", "Rejected"]


@dataclass(slots=True)
class Choices:
    """What the tester chose the station to do, whatever the CSMS sends (`check`: what the spec says)."""

    signed: Literal["check", "refuse"] = "check"  # CertificateSigned: refuse as an invalid chain
    install: Literal["check", "reject", "fail"] = "check"  # InstallCertificate Rejected / Failed
    delete: Literal["check", "fail"] = "check"  # DeleteCertificate Failed

    def choose(self, name: str, value: str) -> None:
        """Set one outcome; ValueError naming the outcome or the value that does not exist."""
        hints = get_type_hints(Choices)
        if name not in hints:
            raise ValueError(f"no certificate outcome {name!r}; known: {', '.join(hints)}")
        allowed = get_args(hints[name])
        if value not in allowed:
            raise ValueError(f"certificate outcome {name}: {value!r} is not one of {', '.join(allowed)}")
        setattr(self, name, value)


@dataclass(frozen=True, slots=True)
class Installed:
    use: Use
    pem: str  # the certificate; for V2G_CHAIN the leaf, its sub-CAs in `children`
    children: tuple[str, ...] = ()


@dataclass(slots=True)
class Signing:
    """One own certificate's renewal: the machine's state and the request in flight."""

    state: SignState = SignState.IDLE
    key_pem: str | None = None  # the key of the pending CSR
    csr: str | None = None
    wait_s: float = 0.0
    wait_until: float | None = None
    attempts: int = 0


@dataclass(frozen=True, slots=True)
class OwnCertificate:
    key_pem: str
    chain: str  # PEM, leaf first
    expires_at: float


@dataclass(frozen=True, slots=True)
class SignedResult:
    status: SignedOutcome
    reason: str | None = None  # why it was refused


@dataclass(slots=True)
class Certificates:
    identity: str
    organization: str = "evharness"
    capacity: int = 20  # installed roots (SecurityCtrlr.CertificateEntries / 1.6 CertificateStoreMaxLength)
    choices: Choices = field(default_factory=Choices)
    installed: list[Installed] = field(default_factory=list)
    own: dict[Own, OwnCertificate] = field(default_factory=dict)
    signing: dict[Own, Signing] = field(default_factory=lambda: {own: Signing() for own in Own})
    revision: int = 0  # grows with every change the journal file must keep
    refusals: int = 0  # CertificateSigned refused so far

    # -- InstallCertificate, GetInstalledCertificateIds, DeleteCertificate (M03–M05) -----------

    def install(self, use: Use, pem: str, at: float) -> tuple[InstallOutcome, str | None]:
        """M05.FR.02/03: Rejected (with why) when it is not a valid root now; Failed when the store
        is full; the same certificate twice is kept once."""
        if self.choices.install == "reject":
            return Status.REJECTED, "the tester chose to reject InstallCertificate"
        if self.choices.install == "fail":
            return Status.FAILED, "the tester chose to fail InstallCertificate"
        try:
            chain = x509.load_chain(pem)
        except ValueError as exc:
            return Status.REJECTED, str(exc)
        certificate = chain[0]
        if not x509.valid_at(certificate, at):
            return Status.REJECTED, "the certificate is not valid now"
        text = x509.pem_of(certificate)
        if any(item.use is use and item.pem == text for item in self.installed):
            return Status.ACCEPTED, None
        if len(self.installed) >= self.capacity:
            return Status.FAILED, f"the certificate store is full ({self.capacity})"
        self.installed.append(Installed(use, text))
        self.revision += 1
        return Status.ACCEPTED, None

    def ids(
        self, uses: set[Use] | None, algorithm: x509.HashAlgorithm = "SHA256"
    ) -> list[tuple[Use, x509.HashData, list[x509.HashData]]]:
        """M03: (use, the certificate's hash data, its children's) of each installed certificate of
        `uses` (None: all); the V2G chain's leaf with its sub-CAs as children."""
        found = []
        for item in self.installed:
            if uses is None or item.use in uses:
                hashes = _hashes(item, algorithm)
                found.append((item.use, hashes[0], hashes[1:]))
        return found

    def delete(self, wanted: x509.HashData) -> DeleteOutcome:
        """M04.FR.03: NotFound when no certificate has that hash data; the station's own
        certificate cannot be deleted (M04.FR.06: Failed) — it is not in the store."""
        if self.choices.delete == "fail":
            return Status.FAILED
        for item in self.installed:
            if _hashes(item, wanted.algorithm)[0].same(wanted):
                self.installed.remove(item)
                self.revision += 1
                return Status.ACCEPTED
        for own in self.own.values():
            if _hashes(Installed(Use.V2G_CHAIN, *_split(own.chain)), wanted.algorithm)[0].same(wanted):
                return Status.FAILED
        return "NotFound"

    # -- the station's own certificates (A02, A03) ----------------------------------------------

    def handle(self, own: Own, request: SignRequest) -> SignEffect:
        """The machine's step: the effect to apply; the state moves (an unlisted request: nothing)."""
        signing = self.signing[own]
        row = TABLE[signing.state].get(request)
        if row is None:
            return SignEffect.NONE
        signing.state, effect = row
        return effect

    def ask(self, own: Own, at: float, wait_minimum_s: float) -> str | None:
        """A request to sign `own`: the CSR to send, or None when one is already on its way."""
        if self.handle(own, SignRequest.ASK) is not SignEffect.SEND_NEW:
            return None
        key = x509.new_key()
        signing = self.signing[own]
        signing.key_pem = x509.key_pem(key)
        signing.csr = x509.csr_pem(key, self.identity, self.organization)
        signing.wait_s, signing.attempts, signing.wait_until = wait_minimum_s, 0, None
        self.revision += 1
        return signing.csr

    def connection_lost(self) -> None:
        for own in Own:
            if self.handle(own, SignRequest.LOST) is SignEffect.FORGET:
                self.signing[own] = Signing()

    def answered(self, own: Own, accepted: bool, at: float) -> None:
        effect = self.handle(own, SignRequest.ACCEPTED if accepted else SignRequest.REJECTED)
        signing = self.signing[own]
        if effect is SignEffect.WAIT:
            signing.wait_until = at + signing.wait_s
        elif effect is SignEffect.FORGET:
            self.signing[own] = Signing()
        self.revision += 1

    def signed(self, own: Own, chain: str, at: float) -> SignedResult:
        """CertificateSigned: installed if valid for the pending key, else Rejected with why."""
        signing = self.signing[own]
        reason: str | None
        if self.choices.signed == "refuse":
            reason = "the tester chose to refuse CertificateSigned"
        elif signing.key_pem is None:
            reason = f"no {own.value} certificate was requested"
        else:
            reason = x509.chain_problem(chain, x509.load_key(signing.key_pem), at)
        request = SignRequest.SIGNED_INVALID if reason else SignRequest.SIGNED_VALID
        if self.handle(own, request) is SignEffect.INSTALL and signing.key_pem is not None:
            leaf = x509.load_chain(chain)[0]
            self.own[own] = OwnCertificate(signing.key_pem, chain, leaf.not_valid_after_utc.timestamp())
            if own is Own.V2G:
                self._keep_v2g_chain(chain)
            self.signing[own] = Signing()
            self.revision += 1
            return SignedResult(Status.ACCEPTED)
        self.refusals += 1
        return SignedResult(Status.REJECTED, reason or "not asked for")

    def due(self, at: float, repeat_times: int) -> list[tuple[Own, str]]:
        """What the clock brings at `at`: (own, CSR) to send — again after the wait (A02.FR.17/18),
        or anew before the certificate expires (A03)."""
        out: list[tuple[Own, str]] = []
        for own, signing in self.signing.items():
            if signing.wait_until is not None and at >= signing.wait_until:
                if signing.attempts >= repeat_times:
                    self.handle(own, SignRequest.GIVE_UP)
                    self.signing[own] = Signing()
                    continue
                self.handle(own, SignRequest.WAIT_OVER)
                signing.attempts += 1
                signing.wait_s *= 2
                signing.wait_until = None
                if signing.csr is not None:
                    out.append((own, signing.csr))
        for own, certificate in self.own.items():
            if at >= certificate.expires_at - RENEW_BEFORE_S and self.signing[own].state is SignState.IDLE:
                csr = self.ask(own, at, self.signing[own].wait_s or 60.0)
                if csr is not None:
                    out.append((own, csr))
        return out

    def deadline(self) -> float | None:
        times = [s.wait_until for s in self.signing.values() if s.wait_until is not None]
        times += [
            c.expires_at - RENEW_BEFORE_S
            for own, c in self.own.items()
            if self.signing[own].state is SignState.IDLE
        ]
        return min(times) if times else None

    def status_request(self, own: Own) -> tuple[x509.HashData, str] | None:
        """The hash data and OCSP responder of an own certificate (M06), if it has one that names it."""
        held = self.own.get(own)
        if held is None:
            return None
        chain = x509.load_chain(held.chain)
        url = x509.responder_url(chain[0])
        if url is None:
            return None
        return x509.hash_data(chain[0], chain[1] if len(chain) > 1 else None), url

    def _keep_v2g_chain(self, chain: str) -> None:
        """The V2G certificate chain is reported as V2GCertificateChain (M03): leaf and sub-CAs."""
        self.installed = [item for item in self.installed if item.use is not Use.V2G_CHAIN]
        self.installed.append(Installed(Use.V2G_CHAIN, *_split(chain)))

    # -- what the journal file keeps ------------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        return {
            "installed": [
                {"use": i.use.value, "pem": i.pem, "children": list(i.children)} for i in self.installed
            ],
            "own": {
                own.value: {"key": c.key_pem, "chain": c.chain, "expires_at": c.expires_at}
                for own, c in self.own.items()
            },
            "pending": {
                own.value: {"key": s.key_pem, "csr": s.csr}
                for own, s in self.signing.items()
                if s.key_pem is not None
            },
        }

    def load_data(self, data: dict[str, Any]) -> None:
        """What an earlier run kept; a pending request waits for its CertificateSigned again."""
        kept = data.get("installed", [])
        self.installed = [Installed(Use(i["use"]), i["pem"], tuple(i.get("children", ()))) for i in kept]
        self.own = {
            Own(name): OwnCertificate(c["key"], c["chain"], float(c["expires_at"]))
            for name, c in data.get("own", {}).items()
        }
        for name, pending in data.get("pending", {}).items():
            self.signing[Own(name)] = replace(
                Signing(), state=SignState.WAITING, key_pem=pending["key"], csr=pending["csr"]
            )
        self.revision += 1


def _split(chain: str) -> tuple[str, tuple[str, ...]]:
    certificates = [x509.pem_of(c) for c in x509.load_chain(chain)]
    return certificates[0], tuple(certificates[1:])


def _hashes(item: Installed, algorithm: x509.HashAlgorithm) -> list[x509.HashData]:
    """The hash data of the certificate and of each of its children (each issued by the next)."""
    chain = [x509.load_chain(pem)[0] for pem in (item.pem, *item.children)]
    issuers = [*chain[1:], None]
    return [x509.hash_data(c, i, algorithm) for c, i in zip(chain, issuers, strict=True)]
