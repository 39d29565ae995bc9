"""The console's onboarding flows: accounts, companies, self-registration, agreements, SSO, email."""
