"""Variable monitoring (2.0.1 N02–N08): monitors on the device model's variables, and the events they raise.

Theory of operation: the CSMS sets monitors (SetVariableMonitoring, N04) on variables the device model
has; each is a threshold (UpperThreshold / LowerThreshold: an event when the value crosses it, and
another, `cleared`, when it comes back, N07.FR.04), a Delta (an event when the value moved that much
since the last one) or Periodic (the value every `value` seconds, N08). `SetMonitoringLevel` (N05)
silences events of a severity number above the level; `SetMonitoringBase` (N03) FactoryDefault or
HardWiredOnly removes the CSMS's monitors; `ClearVariableMonitoring` (N06) removes monitors by id;
`GetMonitoringReport` (N02) lists them (NotifyMonitoringReport). A variable changes by a CSMS write
or by the tester (`Station.observe`); `observed` checks the monitors on it. Monitors live in memory
only: a reboot forgets the thresholds' tripped state (TC_N_49).

The station also has monitors of its own, out of the box (`HARD_WIRED`, data): they are reported like
the CSMS's, raise events of type HardWiredMonitor, and cannot be cleared or replaced (Rejected); no
SetMonitoringBase removes them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from evharness.simulator.core.notes import EventNote, MonitoredEvent, MonitoringReportNote, Note

MonitorType = Literal["UpperThreshold", "LowerThreshold", "Delta", "Periodic", "PeriodicClockAligned"]
Origin = Literal["HardWiredMonitor", "CustomMonitor"]  # 2.0.1 EventNotificationEnumType words
SetResult = Literal["Accepted", "UnknownComponent", "UnknownVariable", "UnsupportedMonitorType", "Rejected"]
ClearResult = Literal["Accepted", "Rejected", "NotFound"]
BASES = ("All", "FactoryDefault", "HardWiredOnly")
CRITERIA: dict[str, tuple[str, ...]] = {  # GetMonitoringReport monitoringCriteria → monitor types
    "ThresholdMonitoring": ("UpperThreshold", "LowerThreshold"),
    "DeltaMonitoring": ("Delta",),
    "PeriodicMonitoring": ("Periodic", "PeriodicClockAligned"),
}
MAX_MONITORS = 100  # the CSMS's

# The station's own monitors: (id, "Component.Variable", type, value, severity). Their ids stay clear
# of the ones the station gives the CSMS's monitors (counted up from 1).
HARD_WIRED: tuple[tuple[int, str, MonitorType, float, int], ...] = (
    (9001, "TemperatureSensor.Temperature", "UpperThreshold", 85.0, 2),  # Critical: overheating
    (9002, "TemperatureSensor.Temperature", "LowerThreshold", -30.0, 4),  # Error: too cold to charge
)


@dataclass
class Monitor:
    id: int
    name: str  # "Component.Variable" in the device model
    type: MonitorType
    value: float
    severity: int
    transaction: bool = False
    tripped: bool = False  # a threshold crossed and not yet cleared
    last_reported: float | None = None  # Delta: the value of the last event
    next_at: float | None = None  # Periodic: the next event
    origin: Origin = "CustomMonitor"


@dataclass(frozen=True, slots=True)
class MonitorRequest:
    id: int | None
    component: str
    variable: str
    type: MonitorType
    value: float
    severity: int
    transaction: bool = False


@dataclass
class Monitoring:
    send: Callable[[Note, float], None]
    value_of: Callable[[str], str | None]  # a variable's value, None: the device model has no such one
    known_component: Callable[[str], bool]
    monitors: dict[int, Monitor] = field(default_factory=dict)
    level: int = 9  # events of a severity up to this number are sent
    _next_id: int = 1
    _next_event: int = 1

    def __post_init__(self) -> None:
        for number, name, kind, value, severity in HARD_WIRED:
            if self.value_of(name) is not None:
                self.monitors[number] = Monitor(
                    number, name, kind, value, severity, origin="HardWiredMonitor"
                )

    def _fixed(self, number: int | None) -> bool:
        """Whether `number` is one of the station's own monitors (never cleared or replaced)."""
        monitor = self.monitors.get(number) if number is not None else None
        return monitor is not None and monitor.origin != "CustomMonitor"

    def set(self, request: MonitorRequest, now: float) -> tuple[SetResult, int | None]:
        """N04.FR.02–07: the result and the monitor's id."""
        name = f"{request.component}.{request.variable}"
        if self.value_of(name) is None:
            return (
                "UnknownVariable" if self.known_component(request.component) else "UnknownComponent"
            ), None
        if request.type == "PeriodicClockAligned" or not 0 <= request.severity <= 9:
            return ("UnsupportedMonitorType" if request.severity <= 9 else "Rejected"), None
        custom = sum(m.origin == "CustomMonitor" for m in self.monitors.values())
        if self._fixed(request.id) or (request.id is None and custom >= MAX_MONITORS):
            return "Rejected", None
        if request.type == "Periodic" and request.value <= 0:
            return "Rejected", None
        number = request.id if request.id is not None else self._new_id()
        monitor = Monitor(number, name, request.type, request.value, request.severity, request.transaction)
        if monitor.type == "Periodic":
            monitor.next_at = now + monitor.value
        self.monitors[number] = monitor
        return "Accepted", number

    def clear(self, ids: Sequence[int]) -> list[tuple[int, ClearResult]]:
        return [
            (
                number,
                "Rejected"
                if self._fixed(number)
                else "Accepted"
                if self.monitors.pop(number, None)
                else "NotFound",
            )
            for number in ids
        ]

    def set_base(self, base: str) -> bool:
        if base not in BASES:
            return False
        if base != "All":  # the CSMS's monitors go, the hard-wired stay (no preconfigured ones here)
            self.monitors = {n: m for n, m in self.monitors.items() if m.origin != "CustomMonitor"}
        return True

    def set_level(self, severity: int) -> bool:
        if not 0 <= severity <= 9:
            return False  # N05.FR.02
        self.level = severity
        return True

    def report(
        self,
        request_id: int,
        criteria: Sequence[str],
        names: Sequence[str],
        now: float,
        *,
        dry_run: bool = False,
    ) -> bool:
        """N02: NotifyMonitoringReport of the monitors matching; False (EmptyResultSet) when none.
        `dry_run`: only whether some match."""
        types = {t for c in criteria for t in CRITERIA.get(c, ())}
        chosen = [
            m
            for m in self.monitors.values()
            if (not types or m.type in types) and (not names or m.name in names)
        ]
        if not chosen or dry_run:
            return bool(chosen)
        self.send(
            MonitoringReportNote(
                request_id, tuple((m.id, m.name, m.type, m.value, m.severity) for m in chosen), now
            ),
            now,
        )
        return True

    def rebooted(self) -> None:
        for monitor in self.monitors.values():
            monitor.tripped = False

    # -- time and values --------------------------------------------------------------------------

    def deadline(self) -> float | None:
        due = [m.next_at for m in self.monitors.values() if m.next_at is not None]
        return min(due) if due else None

    def tick(self, now: float) -> None:
        events = []
        for monitor in self.monitors.values():
            if monitor.next_at is not None and now >= monitor.next_at:
                monitor.next_at = now + monitor.value
                events.append(self._event(monitor, "Periodic", now))
        self._send(events, now)

    def observed(self, name: str, now: float) -> None:
        """A variable changed: the monitors on it decide whether that is an event (N07)."""
        text = self.value_of(name)
        try:
            value = float(text or "")
        except ValueError:
            return
        events = []
        for monitor in self.monitors.values():
            if monitor.name != name:
                continue
            match monitor.type:
                case "UpperThreshold" | "LowerThreshold":
                    over = (
                        value > monitor.value if monitor.type == "UpperThreshold" else value < monitor.value
                    )
                    if over != monitor.tripped:
                        monitor.tripped = over
                        events.append(self._event(monitor, "Alerting", now, cleared=not over))
                case "Delta":
                    last = monitor.last_reported
                    if last is None or abs(value - last) >= monitor.value:
                        monitor.last_reported = value
                        if last is not None:
                            events.append(self._event(monitor, "Delta", now))
        self._send(events, now)

    def _event(self, monitor: Monitor, trigger: str, now: float, cleared: bool = False) -> MonitoredEvent:
        number, self._next_event = self._next_event, self._next_event + 1
        component, variable = monitor.name.split(".", 1)
        actual = self.value_of(monitor.name) or ""
        return MonitoredEvent(
            number,
            now,
            trigger,
            actual,
            component,
            variable,
            monitor.id,
            monitor.severity,
            cleared,
            monitor.origin,
        )

    def _send(self, events: list[MonitoredEvent], now: float) -> None:
        audible = tuple(e for e in events if e.severity <= self.level)
        if audible:
            self.send(EventNote(audible, now), now)

    def _new_id(self) -> int:
        while self._next_id in self.monitors:
            self._next_id += 1
        number, self._next_id = self._next_id, self._next_id + 1
        return number
