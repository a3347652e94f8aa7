"""Benchmark: the playground in a real browser, from a slider change to the redrawn boundary.

Serves notebooks/demos/playground.ipynb with Voila (the classroom mode; or
JupyterLab with --server lab), opens it in Debian's chromium driven by
Playwright, and with the default settings (300 points, 3 hidden layers of 8,
1,000 iterations) moves the learning-rate slider one step with the keyboard,
back and forth. For each change it measures, inside the page, the time from
the keydown event to the moment the new picture is decoded and painted.
It prints the median and the 95th percentile in ms, with the kernel's own
training and drawing times from the status line, and then the live view's
frame rate: frames painted per second while a 20,000-iteration run trains.

Run from the repository root (needs /usr/bin/chromium: `make browser`):

    .venv/bin/python bench/bench_playground.py
"""

import argparse
import os
import re
import shutil
import sys
import time
from pathlib import Path

import numpy as np
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from playground_servers import PlaygroundPage, Server, launch_chromium  # noqa: E402

# Page-side instruments: the time of the last keydown, and the paint time of
# every new picture (its PNG decoded, then the next animation frame).
INSTRUMENTS = """() => {
    window.pgKeydown = null;
    window.pgPainted = [];
    document.addEventListener('keydown', () => { window.pgKeydown = performance.now(); }, true);
    const img = document.querySelector('.pg-picture');
    new MutationObserver(() => {
        img.decode().then(() => requestAnimationFrame(
            () => window.pgPainted.push(performance.now())));
    }).observe(img, {attributes: true, attributeFilter: ['src']});
}"""


def measure_latency(playground, changes):
    """Move the learning rate ``changes`` times; return the latencies in ms and the statuses."""
    page = playground.page
    latencies, statuses = [], []
    run = playground.status()[0]
    for k in range(changes):
        painted = page.evaluate("() => window.pgPainted.length")
        playground.press_slider("learning-rate", "ArrowRight" if k % 2 == 0 else "ArrowLeft")
        run, state, text = playground.wait_for_run(run + 1)
        page.wait_for_function("n => window.pgPainted.length > n", arg=painted)
        latencies.append(
            page.evaluate("() => window.pgPainted[window.pgPainted.length - 1] - window.pgKeydown")
        )
        statuses.append(text)
        time.sleep(0.15)  # let the kernel and the page go idle between two changes
    return latencies, statuses


def measure_live_view(playground, iterations):
    """Train ``iterations`` with the live view on; return (frames, seconds)."""
    page = playground.page
    page.click(".pg-live input")
    run = playground.status()[0]
    page.fill(".pg-settings-string input", f"it={iterations}")
    page.evaluate("() => { window.pgPainted = []; }")
    page.click(".pg-restore")
    playground.wait_for_run(run + 1, timeout=120)
    page.wait_for_timeout(300)
    painted = page.evaluate("() => window.pgPainted")
    # frames painted while training: all but the final picture of the finished run
    frames = painted[:-1]
    return len(frames), (frames[-1] - frames[0]) / 1000 if len(frames) > 1 else float("nan")


def kernel_times(statuses):
    trained = [float(re.search(r"in (\d+) ms, drawn", s).group(1)) for s in statuses]
    drawn = [float(re.search(r"drawn in (\d+) ms", s).group(1)) for s in statuses]
    return np.median(trained), np.median(drawn)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", choices=["voila", "lab"], default="voila")
    parser.add_argument("--changes", type=int, default=40, help="slider changes timed")
    parser.add_argument("--warmup", type=int, default=4, help="slider changes not timed")
    parser.add_argument("--live-iterations", type=int, default=20000)
    args = parser.parse_args(argv)

    load = os.getloadavg()[0]
    server = Server(args.server)
    try:
        server.wait_until_up()
        with sync_playwright() as playwright:
            context, profile = launch_chromium(playwright)
            try:
                playground = PlaygroundPage(context.new_page())
                playground.open(server)
                playground.page.evaluate(INSTRUMENTS)
                measure_latency(playground, args.warmup)
                latencies, statuses = measure_latency(playground, args.changes)
                frames, seconds = measure_live_view(playground, args.live_iterations)
            finally:
                context.close()
                shutil.rmtree(profile, ignore_errors=True)
    finally:
        server.stop()

    train_ms, draw_ms = kernel_times(statuses)
    print(
        f"playground in {args.server}, chromium; default settings "
        "(300 points, 3 hidden layers of 8, 1000 iterations); "
        f"load average {load:.1f} before, {os.getloadavg()[0]:.1f} after"
    )
    print(
        f"  slider change -> redrawn boundary, {len(latencies)} changes: "
        f"median {np.median(latencies):.0f} ms, p95 {np.percentile(latencies, 95):.0f} ms "
        f"(min {min(latencies):.0f}, max {max(latencies):.0f})"
    )
    print(
        f"  of which in the kernel (status line medians): training {train_ms:.0f} ms, "
        f"drawing {draw_ms:.0f} ms"
    )
    print(
        f"  live view, {args.live_iterations} iterations: {frames} frames painted in "
        f"{seconds:.2f} s = {frames / seconds:.1f} frames a second"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
