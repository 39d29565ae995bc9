"""The scenario format: what a simulated station does, and what it expects of the CSMS.

A scenario names its tokens once (with the status each should get, so a CSMS can be provisioned
from the file) and then lists steps. `evharness scenario schema` prints this as JSON Schema.
"""

from __future__ import annotations

import math
import re
import string
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from evharness.identities import station_number
from evharness.idtokens import IdType, InvalidCode, normalize
from evharness.ocppj.vocabulary import ACTIONS

AuthStatus = Literal[
    "Accepted",
    "Blocked",
    "ConcurrentTx",
    "Expired",
    "Invalid",
    "NoCredit",
    "NotAllowedTypeEVSE",
    "NotAtThisLocation",
    "NotAtThisTime",
    "Unknown",
]

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, None: 1.0}


def parse_duration(value: Any) -> float:
    """`90`, `90s`, `1.5m`, `2h`, `250ms` → seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    elif isinstance(value, str) and (match := _DURATION.match(value)):
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    else:
        raise ValueError(f"a duration is a number of seconds or like '30s', '10m', '1h', not {value!r}")
    if not math.isfinite(seconds):
        raise ValueError(f"a duration is a finite number of seconds, not {value!r}")
    if seconds < 0:
        raise ValueError("a duration cannot be negative")
    return seconds


Duration = Annotated[float, Field(description="seconds, or a string like '30s', '10m', '1h'")]


class Provision(StrEnum):
    """How a CSMS should hold a token for the scenario's expectation to be right."""

    ACTIVE = "active"
    BLOCKED = "blocked"  # the local user is blocked
    INACTIVE = "inactive"  # the identification is inactive
    EXPIRED = "expired"  # the identification's expiry date is in the past
    ABSENT = "absent"  # the CSMS does not know the code


_DEFAULT_PROVISION = {
    "Accepted": Provision.ACTIVE,
    "Blocked": Provision.BLOCKED,
    "Expired": Provision.EXPIRED,
    "Invalid": Provision.ABSENT,
    "Unknown": Provision.ABSENT,
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _expand(template: str, number: int) -> str:
    """`template` with `{n}` (and `{n:04}`, `{n:04X}` …: a Python format spec) replaced by `number`."""
    for _, field, _, _ in string.Formatter().parse(template):
        if field is not None and field != "n":
            raise ValueError(f"only {{n}} (the station's number) may stand in braces, not {{{field}}}")
    return template.format(n=number)


class Token(Strict):
    id: str = Field(description="the name steps use to present this token")
    type: IdType
    code: str = Field(
        description="a PIN ('#' + 4-8 digits) or an RFID card UID in hex (4, 7, 8 or 10 bytes); `{n}` in it "
        "stands for the station's number (SIM-0042 → 42; a format spec may follow: `{n:04X}`), so each "
        "station presents its own code: `#482{n}` is #4821 at SIM-0001, #4822 at SIM-0002"
    )
    expect: list[AuthStatus] = Field(description="the authorization status(es) the CSMS may answer")
    provision: Provision | None = Field(
        default=None, description="how the CSMS must hold the token; derived from `expect` when omitted"
    )
    first_name: str | None = None
    last_name: str | None = None

    @field_validator("expect", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    _template: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _check(self) -> Token:
        if "{" in self.code or "}" in self.code:
            self._template = self.code
        try:
            object.__setattr__(self, "code", self._code_of(1))  # `code`: station 1's
        except (ValueError, IndexError, KeyError) as exc:
            raise ValueError(f"code: {exc}") from None
        if self.provision is None:
            derived = next((_DEFAULT_PROVISION[s] for s in self.expect if s in _DEFAULT_PROVISION), None)
            if derived is None:
                raise ValueError("provision: cannot be derived from expect; give it explicitly")
            object.__setattr__(self, "provision", derived)
        return self

    @property
    def provisioning(self) -> Provision:
        assert self.provision is not None  # set by the validator
        return self.provision

    @property
    def template(self) -> str | None:
        """The code as written, when it has `{n}`; None when every station presents the same code."""
        return self._template

    def for_station(self, number: int) -> Token:
        """This token as station `number` presents it; ValueError naming the token if that code is invalid."""
        if self._template is None:
            return self
        try:
            code = self._code_of(number)
        except (ValueError, IndexError, KeyError) as exc:
            raise ValueError(f"token {self.id}: code {self._template} at station {number}: {exc}") from None
        token = self.model_copy(update={"code": code})
        token._template = self._template
        return token

    def _code_of(self, number: int) -> str:
        try:
            return normalize(
                self.type, self.code if self._template is None else _expand(self._template, number)
            )
        except InvalidCode as exc:
            raise ValueError(str(exc)) from None


class BootStep(Strict):
    boot: dict[str, Any] | None = Field(default=None, description="connect and send BootNotification")


class PlugIn(Strict):
    evse: int = Field(default=1, ge=1)
    connector: int = Field(default=1, ge=1)


class PlugInStep(Strict):
    plug_in: PlugIn | None = Field(description="an EV cable is plugged into the connector")


DecidedBy = Literal["csms", "local_list", "cache", "offline_policy"]


class PresentToken(Strict):
    token: str
    evse: int = Field(default=1, ge=1)
    expect: list[AuthStatus] | None = Field(default=None, description="overrides the token's own expectation")
    expect_start: list[AuthStatus] | None = Field(
        default=None,
        description="what the CSMS answers when the transaction starts with the token (1.6 StartTransaction, "
        "2.0.1 TransactionEvent), e.g. ConcurrentTx after an Accepted Authorize; defaults to `expect`",
    )
    decided_by: DecidedBy | None = Field(
        default=None,
        description="who must decide: the CSMS, or the station itself from its local list, its "
        "authorization cache or its offline policy for unknown ids; not checked when omitted",
    )

    @field_validator("expect", "expect_start", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class PresentTokenStep(Strict):
    present_token: PresentToken = Field(
        description="a driver presents a token (by its id) and expects its status"
    )


class Charge(Strict):
    evse: int = Field(default=1, ge=1)
    energy_kwh: float | None = Field(default=None, gt=0)
    duration: Duration | None = None
    power_kw: float | None = Field(default=None, gt=0, description="defaults to the station's max power")

    @field_validator("duration", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return None if value is None else parse_duration(value)

    @model_validator(mode="after")
    def _one_limit(self) -> Charge:
        if (self.energy_kwh is None) == (self.duration is None):
            raise ValueError("give exactly one of energy_kwh and duration")
        return self


class ChargeStep(Strict):
    charge: Charge = Field(description="the EV charges an amount of energy, or for a duration")


class Stop(Strict):
    evse: int = Field(default=1, ge=1)
    reason: Literal["Local", "EVDisconnected", "Remote", "Other"] = "Local"


class StopStep(Strict):
    stop: Stop | None = Field(description="the driver ends the transaction")


class Unplug(Strict):
    evse: int = Field(default=1, ge=1)
    connector: int = Field(default=1, ge=1)


class UnplugStep(Strict):
    unplug: Unplug | None = Field(description="the EV cable is unplugged")


class WaitStep(Strict):
    wait: Duration

    @field_validator("wait", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return parse_duration(value)


class GoOffline(Strict):
    duration: Duration = Field(description="how long the station stays without a connection")

    @field_validator("duration", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return parse_duration(value)


class GoOfflineStep(Strict):
    go_offline: GoOffline = Field(
        description="the connection drops; the next steps happen offline; transaction messages are "
        "queued and replayed in order when the station is back"
    )


FaultName = Literal[
    "drop_connection", "delay_responses", "stop_answering", "malformed_frame", "out_of_order_frame", "clear"
]


class Fault(Strict):
    kind: FaultName
    duration: Duration | None = Field(
        default=None,
        description="delay_responses: the delay; stop_answering: how long (default: until clear)",
    )

    @field_validator("duration", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return None if value is None else parse_duration(value)


class FaultStep(Strict):
    fault: Fault = Field(description="the station misbehaves, to see how the CSMS copes")


class AwaitLocalList(Strict):
    entries: int = Field(default=1, ge=1, description="at least this many entries")
    timeout: Duration = Field(default=600.0, description="how long to wait for the CSMS to send it")

    @field_validator("timeout", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return parse_duration(value)

    @field_validator("timeout")
    @classmethod
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("a timeout must be greater than 0")
        return value


class AwaitLocalListStep(Strict):
    await_local_list: AwaitLocalList | None = Field(
        description="wait until the CSMS has sent the station its local authorization list (SendLocalList), "
        "so a later offline step can be decided from it"
    )


CostOutcome = Literal["running", "final", "fallback"]
FINAL_COST: list[CostOutcome] = ["final"]


class AwaitCost(Strict):
    expect: list[CostOutcome] = Field(
        default_factory=lambda: list(FINAL_COST),
        min_length=1,
        description="what the CSMS may have told of the last transaction's cost: running (a running cost), "
        "final (the final cost), fallback (its end answered without a cost)",
    )
    timeout: Duration = Field(default=60.0, description="how long to wait for it")

    @field_validator("timeout", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return parse_duration(value)


class AwaitCostStep(Strict):
    await_cost: AwaitCost | None = Field(
        description="wait until the CSMS has told the station the cost of its last transaction (2.0.1 "
        "CostUpdated / totalCost, 1.6 DataTransfer RunningCost / FinalCost; docs/tariffs.md)"
    )


TransferStatus = Literal["Accepted", "Rejected", "UnknownMessageId", "UnknownVendorId"]
ANY_TRANSFER_STATUS: list[TransferStatus] = ["Accepted", "Rejected", "UnknownMessageId", "UnknownVendorId"]


class DataTransfer(Strict):
    vendor: str = Field(min_length=1, max_length=255, description="vendorId")
    message: str | None = Field(default=None, max_length=50, description="messageId")
    data: str | None = Field(default=None, description="data (text)")
    expect: list[TransferStatus] = Field(
        default_factory=lambda: list(ANY_TRANSFER_STATUS),
        description="the statuses the CSMS may answer (default: any of them)",
    )


class DataTransferStep(Strict):
    data_transfer: DataTransfer = Field(description="the station sends DataTransfer (P02, 1.6 §4.3)")


class CertificateOutcomes(Strict):
    """What the station does whatever the CSMS sends (`check`: what the spec says)."""

    signed: Literal["check", "refuse"] | None = Field(default=None, description="CertificateSigned")
    install: Literal["check", "reject", "fail"] | None = Field(default=None, description="InstallCertificate")
    delete: Literal["check", "fail"] | None = Field(default=None, description="DeleteCertificate")


class CertificatesStep(Strict):
    certificates: CertificateOutcomes = Field(description="choose the station's certificate outcomes")


RenewOutcome = Literal["installed", "refused", "rejected", "no answer"]
INSTALLED: list[RenewOutcome] = ["installed"]


class RenewCertificate(Strict):
    which: Literal["station", "v2g"] = Field(default="station", description="its own certificate to renew")
    timeout: float = Field(default=600.0, gt=0, description="simulated seconds to wait for CertificateSigned")
    expect: list[RenewOutcome] = Field(
        default_factory=lambda: list(INSTALLED),
        description="installed (CertificateSigned valid), refused (CertificateSigned invalid), rejected "
        "(SignCertificate not accepted), no answer (no CertificateSigned in time)",
    )


class RenewCertificateStep(Strict):
    renew_certificate: RenewCertificate = Field(
        description="the station asks the CSMS to sign a new certificate of its own (A03: SignCertificate)"
    )


class SecurityEventSpec(Strict):
    type: str = Field(min_length=1, max_length=50, description="the event, e.g. TamperDetectionActivated")
    tech_info: str | None = Field(default=None, max_length=255)


class SecurityEventStep(Strict):
    security_event: SecurityEventSpec = Field(description="SecurityEventNotification (A04)")


class EmsLimit(Strict):
    evse: int = Field(default=0, ge=0, description="0: the whole station (its grid connection)")
    limit_kw: float | None = Field(default=None, ge=0, description="the limit in kW …")
    limit_a: float | None = Field(default=None, ge=0, description="… or in A per phase")
    source: Literal["EMS", "SO", "Other"] = Field(default="EMS", description="chargingLimitSource")
    grid_critical: bool = False
    duration: Duration | None = Field(default=None, description="how long it holds (none: until released)")
    release: bool = Field(default=False, description="release the source's limit instead (K13)")

    @field_validator("duration", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return None if value is None else parse_duration(value)

    @model_validator(mode="after")
    def _one_limit(self) -> EmsLimit:
        if not self.release and (self.limit_kw is None) == (self.limit_a is None):
            raise ValueError("limit_kw or limit_a: exactly one of them (or release: true)")
        return self


class EvNeeds(Strict):
    evse: int = Field(default=1, ge=1)
    energy_kwh: float | None = Field(default=None, gt=0, description="the energy it now asks for")
    departure: Duration | None = Field(default=None, description="when it now leaves, after plug-in")
    expect: list[Literal["Accepted", "Processing", "Rejected", "NoChargingProfile"]] = Field(
        default=["Accepted", "Processing"],
        min_length=1,
        description="the CSMS's answer to NotifyEVChargingNeeds",
    )

    @field_validator("departure", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return None if value is None else parse_duration(value)


class EvNeedsStep(Strict):
    ev_needs: EvNeeds = Field(
        description="the ISO 15118 EV (station.ev.iso15118) renegotiates with new needs (2.0.1 K17)"
    )


class EmsLimitStep(Strict):
    ems_limit: EmsLimit = Field(
        description="an EMS or the grid operator limits the station (2.0.1 K12/K13: "
        "NotifyChargingLimit, ClearedChargingLimit; 1.6: the limit applies, nothing is told)"
    )


Step = (
    BootStep
    | PlugInStep
    | PresentTokenStep
    | ChargeStep
    | StopStep
    | UnplugStep
    | WaitStep
    | GoOfflineStep
    | FaultStep
    | AwaitLocalListStep
    | AwaitCostStep
    | DataTransferStep
    | CertificatesStep
    | RenewCertificateStep
    | SecurityEventStep
    | EmsLimitStep
    | EvNeedsStep
)


STEP_TYPES: dict[str, type[Strict]] = {
    "boot": BootStep,
    "plug_in": PlugInStep,
    "present_token": PresentTokenStep,
    "charge": ChargeStep,
    "stop": StopStep,
    "unplug": UnplugStep,
    "wait": WaitStep,
    "go_offline": GoOfflineStep,
    "fault": FaultStep,
    "await_local_list": AwaitLocalListStep,
    "await_cost": AwaitCostStep,
    "data_transfer": DataTransferStep,
    "certificates": CertificatesStep,
    "renew_certificate": RenewCertificateStep,
    "security_event": SecurityEventStep,
    "ems_limit": EmsLimitStep,
    "ev_needs": EvNeedsStep,
}


class LocalAuth(Strict):
    """The station's own authorization settings (None: the station's default). The simulator maps
    each to its OCPP 1.6 key and its 2.0.1 variable (`simulator.scenario.station_config`)."""

    local_authorize_offline: bool | None = Field(
        default=None, description="LocalAuthorizeOffline / AuthCtrlr.LocalAuthorizeOffline"
    )
    local_pre_authorize: bool | None = Field(
        default=None, description="LocalPreAuthorize / AuthCtrlr.LocalPreAuthorize"
    )
    authorization_cache_enabled: bool | None = Field(
        default=None, description="AuthorizationCacheEnabled / AuthCacheCtrlr.Enabled"
    )
    local_auth_list_enabled: bool | None = Field(
        default=None, description="LocalAuthListEnabled / LocalAuthListCtrlr.Enabled"
    )
    allow_offline_tx_for_unknown_id: bool | None = Field(
        default=None, description="AllowOfflineTxForUnknownId / AuthCtrlr.OfflineTxForUnknownIdEnabled"
    )


class Ev(BaseModel):
    """The EV plugged in at every connector (none: it takes whatever it is given)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    battery_kwh: float = Field(default=60.0, gt=0)
    soc_percent: float = Field(default=20.0, ge=0, le=100)
    max_ac_kw: float = Field(default=11.0, gt=0)
    max_dc_kw: float = Field(default=50.0, gt=0)
    taper_from_percent: float = Field(default=80.0, ge=0, le=100)
    dc: bool = False
    iso15118: bool = Field(
        default=False, description="ISO 15118: it sends its charging needs and answers schedules (K15–K17)"
    )
    energy_kwh: float | None = Field(
        default=None, gt=0, description="the energy it asks for (none: a full battery)"
    )
    departure: Duration | None = Field(default=None, description="when it leaves, after plug-in")
    schedule: Literal["accept", "reject"] = Field(
        default="accept",
        description="accept: it follows the schedule it gets; reject: it answers the first one with a "
        "schedule above the limits (TC_K_55), then accepts",
    )

    @field_validator("departure", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return None if value is None else parse_duration(value)


class StationSpec(Strict):
    evses: int = Field(default=1, ge=1, le=8)
    connectors_per_evse: int = Field(default=1, ge=1, le=4)
    max_power_kw: float = Field(default=11.0, gt=0)
    meter_interval: Duration = Field(default=60.0)
    vendor: str = "evharness"
    model: str = "SimStation"
    identification_types: list[IdType] | None = Field(
        default=None,
        min_length=1,
        description="the types the CSMS must enable at the station (`evharness seed` applies them); "
        "None leaves the CSMS's setting as it is",
    )
    local_auth: LocalAuth = Field(default_factory=LocalAuth)
    ev: Ev | None = Field(
        default=None, description="the EV at the connectors (none: it takes what it is given)"
    )
    firmware: dict[str, str | int | float | bool] = Field(
        default_factory=dict,
        description="how firmware updates go (e.g. {download: fail, failed_attempts: 2}; "
        "docs/firmware-diagnostics.md); checked when the station is made",
    )
    logs: dict[str, str | int | float | bool] = Field(
        default_factory=dict, description="how log uploads go (e.g. {accept: false})"
    )

    @field_validator("meter_interval", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return parse_duration(value)

    @field_validator("identification_types")
    @classmethod
    def _distinct(cls, value: list[IdType] | None) -> list[IdType] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError(f"each type once, not {[t.value for t in value]}")
        return value

    def enables(self, id_type: IdType) -> bool:
        return self.identification_types is None or id_type in self.identification_types


class Scenario(Strict):
    name: str
    description: str = ""
    station: StationSpec = StationSpec()
    tokens: list[Token] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)
    may_fail: list[str] = Field(
        default_factory=list,
        description="actions whose CALLs may fail (CALLERROR or no answer in time) without failing the run; "
        "any other failed CALL of the station is a failed expectation",
    )

    @field_validator("may_fail")
    @classmethod
    def _actions(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in ACTIONS]
        if unknown:
            raise ValueError(f"not OCPP actions: {', '.join(unknown)}")
        return value

    @field_validator("steps", mode="before")
    @classmethod
    def _parse_steps(cls, raw: Any) -> Any:
        """Pick each step's model by its one key, so an error names the step and the field."""
        if not isinstance(raw, list):
            return raw
        return [_parse_step(number, item) for number, item in enumerate(raw, start=1)]

    @model_validator(mode="after")
    def _tokens_resolve(self) -> Scenario:
        ids = [t.id for t in self.tokens]
        duplicates = {i for i in ids if ids.count(i) > 1}
        if duplicates:
            raise ValueError(f"tokens: duplicate id(s) {sorted(duplicates)}")
        for index, token in enumerate(self.tokens, start=1):
            if "Accepted" in token.expect and not self.station.enables(token.type):
                raise ValueError(
                    f"token {index} ({token.id}), field expect: a {token.type.value} token cannot be "
                    f"Accepted: station.identification_types does not enable {token.type.value}"
                )
        for number, step in enumerate(self.steps, start=1):
            if isinstance(step, PresentTokenStep) and step.present_token.token not in ids:
                raise ValueError(
                    f"step {number} (present_token), field token: unknown token "
                    f"{step.present_token.token!r} (declared: {', '.join(ids) or 'none'})"
                )
            if isinstance(step, EvNeedsStep) and not (self.station.ev and self.station.ev.iso15118):
                raise ValueError(f"step {number} (ev_needs), field (value): station.ev.iso15118 is not true")
            problem = _station_cannot(self.station.local_auth, step)
            if problem is not None:
                kind, where, why = problem
                raise ValueError(f"step {number} ({kind}), field {where}: {why}")
        return self

    def token(self, token_id: str) -> Token:
        return next(t for t in self.tokens if t.id == token_id)

    @property
    def per_station(self) -> bool:
        """Whether a token's code depends on the station (`{n}`)."""
        return any(token.template is not None for token in self.tokens)

    def for_station(self, identity: str) -> Scenario:
        """The scenario as station `identity` runs it: each `{n}` code expanded for that station.
        ValueError when a code is invalid there (too many digits) or equals another token's."""
        if not self.per_station:
            return self
        tokens = [token.for_station(station_number(identity)) for token in self.tokens]
        seen: dict[str, str] = {}
        for token in tokens:
            other = seen.setdefault(token.code.upper(), token.id)
            if other != token.id:
                raise ValueError(f"{identity}: tokens {other} and {token.id} have the same code {token.code}")
        return self.model_copy(update={"tokens": tokens})


def _station_cannot(local_auth: LocalAuth, step: Step) -> tuple[str, str, str] | None:
    """(step kind, field, why) when a step needs a part the station's `local_auth` switches off."""
    list_off = local_auth.local_auth_list_enabled is False
    if isinstance(step, AwaitLocalListStep) and list_off:
        return "await_local_list", "(value)", "station.local_auth.local_auth_list_enabled is false"
    if isinstance(step, PresentTokenStep):
        decided_by = step.present_token.decided_by
        if decided_by == "local_list" and list_off:
            return "present_token", "decided_by", "station.local_auth.local_auth_list_enabled is false"
        if decided_by == "cache" and local_auth.authorization_cache_enabled is False:
            return "present_token", "decided_by", "station.local_auth.authorization_cache_enabled is false"
    return None


def _parse_step(number: int, item: Any) -> Strict:
    if isinstance(item, str):
        item = {item: None}
    if not isinstance(item, dict) or len(item) != 1:
        raise ValueError(f"step {number}: a step is one of {', '.join(STEP_TYPES)}, as `- name: {{...}}`")
    (kind,) = item
    model = STEP_TYPES.get(kind)
    if model is None:
        raise ValueError(f"step {number}: unknown step {kind!r} (known: {', '.join(STEP_TYPES)})")
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"][1:]) or "(value)"
        message = error["msg"].removeprefix("Value error, ")
        raise ValueError(f"step {number} ({kind}), field {where}: {message}") from None
