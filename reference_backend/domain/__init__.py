"""The backend's rules as plain functions and data: no web framework, websockets or SQL here."""
