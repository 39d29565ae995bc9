"""Charging authorization by PIN and RFID, set up through the console API (reference backend only)."""
