"""Open a network page in headless Chromium: a screenshot, or the DOM after it has drawn.

``python -m polgraph.graphs.draw_screenshot BUILD OUT.png [--focus NAME] [--hops N]``
draws the build and saves a screenshot of the page (docs/network.png is made this way).
The browser runs with no network, no profile and a virtual time budget, so the page gets
the time it needs to lay out the graph and the result does not depend on the machine's speed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from polgraph.errors import UsageError

CHROMIUM_NAMES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
WINDOW = (1280, 900)


def find_chromium() -> str | None:
    """The Chromium (or Chrome) binary, or None when there is none."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def run_chromium(page: Path, *, fragment: str = "", dump_dom: bool = False,
                 screenshot: Path | None = None, window: tuple[int, int] = WINDOW,
                 budget_ms: int = 5000, timeout: float = 120) -> str:
    """Load ``page`` (``#fragment`` appended) headless and return the DOM it ends with
    (``dump_dom``) or save a ``screenshot``. Raises :class:`UsageError` without Chromium."""
    chromium = find_chromium()
    if chromium is None:
        raise UsageError("no Chromium found: install it (Debian: apt-get install chromium)")
    url = Path(page).resolve().as_uri() + (f"#{fragment}" if fragment else "")
    with tempfile.TemporaryDirectory(prefix="polgraph-chromium-") as profile:
        args = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
            f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}",
            f"--window-size={window[0]},{window[1]}",
        ]
        if screenshot is not None:
            Path(screenshot).parent.mkdir(parents=True, exist_ok=True)
            args.append(f"--screenshot={Path(screenshot).resolve()}")
        if dump_dom:
            args.append("--dump-dom")
        done = subprocess.run([*args, url], capture_output=True, text=True, timeout=timeout,
                              check=False)
    if done.returncode != 0:
        raise RuntimeError(f"chromium exited with {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout


def screenshot_page(page: Path, out: Path, *, budget_ms: int = 10000) -> Path:
    """Save a screenshot of the network page ``page`` to ``out`` (PNG)."""
    run_chromium(page, screenshot=out, budget_ms=budget_ms)
    if not Path(out).is_file():
        raise RuntimeError(f"chromium wrote no screenshot to {out}")
    return Path(out)


def screenshot_build(build_dir: Path, out: Path, *, focus: str | None = None,
                     hops: int = 1) -> Path:
    """Draw the build in ``build_dir`` and save a screenshot of its page to ``out``."""
    from polgraph.graphs.draw import DrawOptions, draw_build

    with tempfile.TemporaryDirectory(prefix="polgraph-draw-") as folder:
        page = Path(folder) / "network.html"
        draw_build(Path(build_dir), page, "html", DrawOptions(focus=focus, hops=hops))
        return screenshot_page(page, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m polgraph.graphs.draw_screenshot",
        description="Screenshot the network page of a build (headless Chromium).")
    parser.add_argument("build", type=Path, help="build folder made by 'polgraph build'")
    parser.add_argument("out", type=Path, help="PNG file to write, e.g. docs/network.png")
    parser.add_argument("--focus", help="draw only the neighbourhood of this node")
    parser.add_argument("--hops", type=int, default=1)
    args = parser.parse_args(argv)
    try:
        path = screenshot_build(args.build, args.out, focus=args.focus, hops=args.hops)
    except UsageError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 2
    print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
