"""A scenario's `station.local_auth` block as station configuration.

Each field names one OCPP 1.6 configuration key; the device model maps that key onto its 2.0.1
variable (`simulator.core.device_model.KEYS_16`), so a 1.6 and a 2.0.1 station decide alike.
"""

from __future__ import annotations

from scenarios.model import LocalAuth

# `local_auth` field → OCPP 1.6 key (1.6 §9.1; 2.0.1 AuthCtrlr / AuthCacheCtrlr / LocalAuthListCtrlr)
LOCAL_AUTH_KEYS: dict[str, str] = {
    "local_authorize_offline": "LocalAuthorizeOffline",
    "local_pre_authorize": "LocalPreAuthorize",
    "authorization_cache_enabled": "AuthorizationCacheEnabled",
    "local_auth_list_enabled": "LocalAuthListEnabled",
    "allow_offline_tx_for_unknown_id": "AllowOfflineTxForUnknownId",
}


def local_auth_variables(local_auth: LocalAuth) -> tuple[tuple[str, str], ...]:
    """(1.6 key, "true"/"false") for each field the scenario sets; unset fields keep the defaults."""
    return tuple(
        (key, "true" if value else "false")
        for field, key in LOCAL_AUTH_KEYS.items()
        if (value := getattr(local_auth, field)) is not None
    )
