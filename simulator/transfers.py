"""Carry out the file transfers a station asks for (`simulator.core.transfers`) over real HTTP(S).

A download is a GET of the URL (at most `MAX_BYTES`); an upload is a PUT of the file's bytes to the URL,
joined with the file name when the URL ends with "/" (a directory on the server), with the name also in
`Content-Disposition`. Any HTTP status from 200 to 299 is success; anything else, or no answer within
`timeout` seconds, is a failure whose reason the result carries. `perform` blocks: the asyncio transport
runs it in a thread, the sync transport (threads, gevent greenlets) calls it directly.
"""

from __future__ import annotations

from urllib.parse import urljoin

import requests

from evharness.simulator.core.transfers import Direction, Transfer, TransferResult

MAX_BYTES = 64 * 1024 * 1024  # a firmware image larger than this is a failed download
TIMEOUT_S = 30.0


def perform(transfer: Transfer, timeout: float = TIMEOUT_S) -> TransferResult:
    try:
        if transfer.direction is Direction.DOWNLOAD:
            return _download(transfer, timeout)
        return _upload(transfer, timeout)
    except requests.RequestException as exc:
        return TransferResult(transfer.id, False, detail=f"{type(exc).__name__}: {exc}"[:300])


def upload_url(url: str, filename: str) -> str:
    return urljoin(url, filename) if url.endswith("/") and filename else url


def _download(transfer: Transfer, timeout: float) -> TransferResult:
    with requests.get(transfer.url, timeout=timeout, stream=True) as response:
        if not response.ok:
            return TransferResult(transfer.id, False, detail=f"HTTP {response.status_code}")
        content = bytearray()
        for chunk in response.iter_content(64 * 1024):
            content += chunk
            if len(content) > MAX_BYTES:
                return TransferResult(transfer.id, False, detail=f"larger than {MAX_BYTES} bytes")
    return TransferResult(transfer.id, True, bytes(content))


def _upload(transfer: Transfer, timeout: float) -> TransferResult:
    headers = {"Content-Type": "application/octet-stream"}
    if transfer.filename:
        headers["Content-Disposition"] = f'attachment; filename="{transfer.filename}"'
    url = upload_url(transfer.url, transfer.filename)
    response = requests.put(url, data=transfer.body, headers=headers, timeout=timeout)
    if not response.ok:
        return TransferResult(transfer.id, False, detail=f"HTTP {response.status_code}")
    return TransferResult(transfer.id, True)
