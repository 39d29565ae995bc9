"""What the station knows of tokens: the local decision, the CSMS's answers, groups, who may stop.

Local list first, then the authorization cache (`simulator.core.local_auth`); the CSMS's answer to
a token is cached (C10.FR.01/04, 1.6 §3.5.1) and its group kept (C09.FR.02, 1.6 parentIdTag).
"""

from __future__ import annotations

from evharness.simulator.core.device_model import DeviceModel
from evharness.simulator.core.local_auth import AuthCache, LocalList, TokenInfo, decide_locally
from evharness.simulator.core.model import PresentedToken, Transaction


def same_token(a: PresentedToken, b: PresentedToken) -> bool:
    """C01.FR.25: equal value and type; the value is case-insensitive (CiString, IdTokenType)."""
    return a.id_type is b.id_type and a.code.casefold() == b.code.casefold()


class TokenMemory:
    def __init__(self, device: DeviceModel, local_list: LocalList, cache: AuthCache) -> None:
        self.device = device
        self.local_list = local_list
        self.cache = cache
        self.groups: dict[str, str | None] = {}  # code → group, from the CSMS's answers

    def decide(self, token: PresentedToken, now: float, online: bool) -> tuple[str, str] | None:
        """(status, source) when the station decides itself, None when it asks the CSMS."""
        return decide_locally(self.device, self.local_list, self.cache, token.code, now, online)

    def remember(self, token: PresentedToken, info: TokenInfo, now: float) -> None:
        """Cache the CSMS's answer, never for a token the local list decides (1.6 §3.5.3); a
        disabled list decides nothing, so its codes are cached like any other (the cache and the
        list are separate, C13/C14). The token's group is kept either way."""
        self.groups[token.code] = info.group
        listed = self.device.flag("LocalAuthListCtrlr.Enabled") and token.code in self.local_list.entries
        if self.device.flag("AuthCacheCtrlr.Enabled") and not listed:
            self.cache.store(token.code, info, now)

    def group_of(self, code: str) -> str | None:
        """The token's group (groupIdToken / parentIdTag): the local list's, else the CSMS's last word."""
        listed = self.local_list.entries.get(code) if self.device.flag("LocalAuthListCtrlr.Enabled") else None
        return listed.group if listed is not None else self.groups.get(code)

    def may_stop(self, transaction: Transaction, token: PresentedToken) -> bool:
        """C09.FR.03 / 1.6 §3.10: the transaction's own token, or an accepted one of the same group."""
        if transaction.token is None or same_token(token, transaction.token):
            return transaction.token is not None
        group = self.group_of(token.code)
        return group is not None and group == self.group_of(transaction.token.code)
