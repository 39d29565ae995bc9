"""The console's use cases: accounts, companies, self-registration, SSO.

Each function takes the `Console` (store, mailer, password hasher, settings, clock) and plain values,
applies the rules of `reference_backend.domain`, and writes through `persistence.console` in one
transaction. The HTTP routers in `reference_backend.api` only translate.
"""
