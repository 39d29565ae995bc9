"""Locust load tests: users that are simulated charging stations, and a console API user.

`loadtests/locustfile.py` is what `locust -f` runs; the modules here are its parts: `options`
(custom command-line arguments, each with an EVHARNESS_ environment variable), `identities`
(station identities that never collide, also across distributed workers), `stations` (the station
user, driving the simulator's I/O-free station core over `simulator.sync`), `console` (account
journeys on the console API: sign-up, confirmation, login, browsing, logout) and `ramp` (a LoadTestShape).
"""
