"""The station core: state in, OCPP frames and timers out. Imports no I/O library."""
