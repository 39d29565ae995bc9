"""The console pages (`/console/…`): the seeds' flows as a person does them, on the console API.

The pages are HTML served by the backend (`pages.py`, Jinja templates) whose one script,
`static/console.js`, calls the same console API as every REST client, with the same bearer session:
there is no second way into the domain. `guard.py` adds the pages' security headers, refuses
cross-site writes to the API (CSRF) and sends a browser that opens an emailed link to its page.
"""

from __future__ import annotations

from fastapi import FastAPI

from evharness.reference_backend.web import guard, pages


def mount(app: FastAPI) -> None:
    """Add the pages and their guard to the console API's app."""
    app.include_router(pages.router)
    app.add_middleware(guard.Guard)
