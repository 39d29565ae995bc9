"""The documentation site: the generated parts say what the code says, and the site builds with --strict
(a broken link or a page missing from the navigation fails)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from evharness import docgen

ROOT = Path(__file__).resolve().parents[1]


def test_the_generated_pages_and_tables_are_current() -> None:
    stale = [str(path.relative_to(ROOT)) for path in docgen.stale()]
    assert not stale, f"regenerate with `python -m evharness.docgen`: {stale}"


def test_the_site_builds_strictly(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False, env=env
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (tmp_path / "reference" / "cli.html").is_file()


def test_the_readme_stays_short_and_its_links_resolve() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) < 120, "the README is read in five minutes: move details to docs/"
    for target in re.findall(r"\]\((docs/[^)#]+)", readme):
        assert (ROOT / target).is_file(), f"README links to {target}, which does not exist"
