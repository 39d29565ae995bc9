"""Blocking transports for the station core: threads, and gevent (Locust) once monkey-patched."""
