"""The console pages: one table of routes → templates, and the static files.

A page is HTML that names the console API calls filling it (see `static/console.js`); its route only
renders the template with the path's parameters, which the script reads from `<body data-…>`. Nothing
here reads the database or checks a permission: the API calls do, for the pages as for any client.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from importlib import resources
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from evharness.pages import stylesheet

PREFIX = "/console"
FILES = resources.files("evharness.reference_backend.web")
templates = Jinja2Templates(directory=str(FILES / "templates"))


@dataclass(frozen=True)
class Page:
    path: str  # below /console; starlette converters type the parameters ({company_id:int})
    template: str
    title: str
    session: bool = True  # the page needs a logged-in user (else it sends the browser to log in)


PAGES = [
    Page("/", "home.html", "Home"),
    Page("/signup", "signup.html", "Create an account", session=False),
    Page("/login", "login.html", "Log in", session=False),
    Page("/links/confirm", "confirm.html", "Confirm your account", session=False),
    Page("/password-reset", "password_reset.html", "Forgot your password", session=False),
    Page("/links/reset", "reset.html", "Choose a new password", session=False),
    Page("/register", "register.html", "Register your company", session=False),
    Page("/links/register", "register_complete.html", "Complete your registration", session=False),
    Page("/links/handover", "handover.html", "Your charging station", session=False),
    Page("/companies", "companies.html", "Companies"),
    Page("/companies/{company_id:int}", "company.html", "Company"),
    Page("/installations/{installation_id:int}", "installation.html", "Installation"),
    Page("/stations", "stations.html", "Charging stations"),
    Page("/stations/{identity}", "station.html", "Charging station"),
    Page("/stations/{identity}/configuration", "configuration.html", "Configuration"),
    Page("/stations/{identity}/local-users", "local_users.html", "Local users"),
    Page("/stations/{identity}/local-users/{user_id:int}", "local_user.html", "Local user"),
    Page("/operator", "operator.html", "Platform operator"),
]

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def _route(page: Page) -> None:
    def show(request: Request) -> HTMLResponse:
        context: dict[str, Any] = {"page": page, "params": request.path_params}
        return templates.TemplateResponse(request, page.template, context)

    router.add_api_route(page.path, show, methods=["GET"], response_class=HTMLResponse, name=page.template)


for _page in PAGES:
    _route(_page)


@router.get("", response_class=RedirectResponse)
def root() -> RedirectResponse:
    return RedirectResponse(f"{PREFIX}/", status_code=308)


@router.get("/static/{name}")
def static(name: str) -> Response:
    if name == "style.css":
        return Response(stylesheet(), media_type="text/css")
    found = FILES / "static" / name
    if "/" in name or name.startswith(".") or not found.is_file():
        raise HTTPException(404, f"no such file: {name}")
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Response(found.read_bytes(), media_type=kind)


def render_markdown() -> str:
    """The pages as docs/pages.md lists them."""
    rows = ["| page | what | needs a login |", "|---|---|---|"]
    for page in PAGES:
        path = PREFIX + page.path.replace(":int}", "}")
        rows.append(f"| `{path}` | {page.title} | {'yes' if page.session else 'no'} |")
    return "\n".join(rows) + "\n"
