"""OCPP 1.6J (with the security extension): the station's words on 1.6."""
