"""A station boots and charges with RFID cards and PIN codes; refused tokens start nothing (any CSMS)."""
