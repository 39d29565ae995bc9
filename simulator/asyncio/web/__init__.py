"""The fleet page and the Prometheus metrics of the control port (`simulator.asyncio.control`).

`/ui` lists the stations (paged and filtered on the server, so a page of 10 000 stations holds only the
rows it shows), `/ui/station/{identity}` shows one station and drives it; both follow the fleet over the
control WebSocket (`subscribe`). `/metrics` is the fleet in the Prometheus text format. Static files are
package data in `static/`; no build step, no CDN.
"""
