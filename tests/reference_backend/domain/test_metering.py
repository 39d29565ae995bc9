from __future__ import annotations

from datetime import UTC, datetime

from evharness.reference_backend.domain.metering import (
    ENERGY_REGISTER,
    first_register_wh,
    registers,
    samples_v16,
    samples_v201,
)


def test_16_values_are_strings_with_defaults_and_signed_data_is_skipped() -> None:
    samples = list(
        samples_v16(
            [
                {
                    "timestamp": "2025-01-01T10:00:00Z",
                    "sampledValue": [
                        {"value": "1500"},
                        {"value": "2.5", "unit": "kWh", "context": "Transaction.Begin"},
                        {"value": "16.0", "measurand": "Current.Import", "phase": "L1", "unit": "A"},
                        {"value": "MIIB…", "format": "SignedData"},
                    ],
                }
            ]
        )
    )
    assert [(s.measurand, s.value, s.unit) for s in samples] == [
        (ENERGY_REGISTER, 1500.0, "Wh"),
        (ENERGY_REGISTER, 2.5, "kWh"),
        ("Current.Import", 16.0, "A"),
    ]
    assert samples[0].timestamp == datetime(2025, 1, 1, 10, tzinfo=UTC)
    assert samples[1].context == "Transaction.Begin"
    assert [s.energy_wh for s in samples] == [1500.0, 2500.0, None]


def test_201_multiplier_is_applied() -> None:
    (sample,) = samples_v201(
        [
            {
                "timestamp": "2025-01-01T10:00:00Z",
                "sampledValue": [{"value": 12.5, "unitOfMeasure": {"unit": "Wh", "multiplier": 3}}],
            }
        ]
    )
    assert sample.value == 12500.0
    assert sample.energy_wh == 12500.0


def test_register_readings_by_time_not_by_order() -> None:
    samples = list(
        samples_v201(
            [
                {"timestamp": "2025-01-01T10:05:00Z", "sampledValue": [{"value": 900}]},
                {"timestamp": "2025-01-01T10:00:00Z", "sampledValue": [{"value": 100}]},
                {
                    "timestamp": "2025-01-01T10:10:00Z",
                    "sampledValue": [{"value": 5, "measurand": "Power.Active.Import"}],
                },
            ]
        )
    )
    assert first_register_wh(samples) == 100.0
    assert [r.wh for r in registers(samples)] == [100.0, 900.0]  # by time
    assert first_register_wh([]) is None
