"""Binds offline.feature: where the station's own decision came from (its `Authorized` events)."""

from __future__ import annotations

from pytest_bdd import parsers, scenarios, then

from evharness.simulator.core.events import Authorized
from features.authorization.scene import Scene

scenarios("offline.feature")

SOURCES = {  # the feature's words → the source the simulator records for a local decision
    "its local list": "LocalList",
    "its authorization cache": "Cache",
    "allowing the unknown": "OfflineUnknown",  # AllowOfflineTxForUnknownId / OfflineTxForUnknownIdEnabled
    "refusing the unknown": "Offline",  # nothing usable known, or LocalAuthorizeOffline off
}


@then(parsers.parse("the station decided it offline, by {source}"))
def decided_offline(scene: Scene, source: str) -> None:
    live = scene.charger.live
    decisions = [e for e in live.station.events if isinstance(e, Authorized)]
    assert decisions, "the station decided nothing"
    assert decisions[-1].source == SOURCES[source], decisions[-1]
    assert not live.station.connected
