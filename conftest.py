"""Suite-wide test settings.

Hypothesis: no per-example deadline and no "too slow" health check. The suite shares two cores with
real servers, so timing varies; property tests assert behaviour, never speed (benchmarks measure that).
"""

from hypothesis import HealthCheck, settings

settings.register_profile("evharness", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("evharness")
