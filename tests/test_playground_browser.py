"""The playground in a real browser: Debian's chromium, driven by Playwright.

The demo notebook is served by Voila and by JupyterLab. In each, the test
moves the depth and learning-rate sliders and picks the zeros initialization,
and checks after each change that the picture and the status line change, and
that zeros show the symmetric failure. Needs Debian's chromium (see conftest.py:
as root a missing chromium fails these tests; `make browser` installs it).
"""

import re
import shutil
from pathlib import Path

import pytest
from playground_servers import CHROMIUM, PlaygroundPage, Server, launch_chromium
from playwright.sync_api import sync_playwright

from dl_utils.playground import figures

pytestmark = [pytest.mark.timeout(120), pytest.mark.browser]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: as root, run `make browser` (apt-get install -y chromium)"
        )
    with sync_playwright() as playwright:
        context, profile = launch_chromium(playwright)
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(params=["voila", "lab"])
def server(request):
    server = Server(request.param)
    try:
        server.wait_until_up()
        yield server
    finally:
        server.stop()


def accuracy(status_text, part):
    return float(re.search(rf"{part} (\d+\.\d)%", status_text).group(1))


def test_sliders_and_init_scheme_retrain_and_redraw(browser, server):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        playground = PlaygroundPage(page)
        playground.open(server)
        run, state, text = playground.status()
        assert state == "done", text
        assert accuracy(text, "train") > 90, f"the default network should learn: {text}"
        picture = playground.picture()

        # depth: 3 -> 4 hidden layers
        playground.press_slider("hidden-layers")
        run, state, new_text = playground.wait_for_run(run + 1)
        assert state == "done", new_text
        assert playground.text(".pg-hidden-layers .widget-readout") == "4"
        assert page.locator(".pg-layer").count() == 5, "4 hidden layers and the output layer"
        assert playground.picture() != picture, "the picture should change with the depth"
        assert new_text != text
        picture, text = playground.picture(), new_text

        # learning rate: one step up the log scale
        playground.press_slider("learning-rate")
        run, state, new_text = playground.wait_for_run(run + 1)
        assert state == "done", new_text
        assert "lr=0.1259" in page.input_value(".pg-settings-string input")
        assert playground.picture() != picture, "the picture should change with the rate"
        assert new_text != text
        picture, text = playground.picture(), new_text

        # zeros: every unit of a layer stays the same, and the network learns nothing
        playground.choose("init", "zeros")
        run, state, new_text = playground.wait_for_run(run + 1)
        assert state == "done", new_text
        assert playground.picture() != picture
        table = playground.text(".pg-statistics")
        assert table.count("all 8 units identical") >= 4, table
        assert accuracy(new_text, "train") < 70, f"zeros should not learn: {new_text}"
        assert not errors, errors
    finally:
        page.close()


PARTS = [".pg-controls", ".pg-picture", ".pg-cost", ".pg-network", ".pg-statistics",
         ".pg-settings-row", ".pg-notice", ".pg-status"]
BOXES = """parts => parts.map(selector => {
    const r = document.querySelector(selector).getBoundingClientRect();
    return [selector, r.left, r.top, r.right, r.bottom];
})"""


@pytest.mark.parametrize("width, height", [(1024, 768), (1280, 720)])
def test_the_layout_holds_on_a_projector(browser, server, width, height, tmp_path):
    # the module's browser (one sync Playwright per process), at the projector's size
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": height})
    try:
        PlaygroundPage(page).open(server)
        if server.kind == "lab":
            assert page.is_visible("#filebrowser"), "the file browser side panel is open"
        page.locator(".pg-playground").scroll_into_view_if_needed()
        shot = tmp_path / f"{server.kind}-{width}x{height}.png"
        page.screenshot(path=str(shot))
        boxes = page.evaluate(BOXES, PARTS)
        for k, (a, *box_a) in enumerate(boxes):
            for b, *box_b in boxes[k + 1 :]:
                apart = (box_a[2] <= box_b[0] + 1 or box_b[2] <= box_a[0] + 1
                         or box_a[3] <= box_b[1] + 1 or box_b[3] <= box_a[1] + 1)
                assert apart, f"{a} {box_a} overlaps {b} {box_b} (see {shot})"
        for button in page.query_selector_all(".pg-buttons button, .pg-restore"):
            fits = button.evaluate("e => e.scrollWidth <= e.clientWidth")
            assert fits, f"the label of {button.inner_text()!r} is cut (see {shot})"
        for control in page.query_selector_all(".pg-controls .widget-inline-hbox"):
            assert control.bounding_box()["width"] >= 329, f"a squeezed control (see {shot})"
        scales = page.evaluate(
            "() => [...document.querySelectorAll('.pg-plot')]"
            ".map(e => e.clientWidth / e.naturalWidth)"
        )
        assert min(scales) * figures.SMALLEST_FONT_PX >= 15, f"small text: {scales} ({shot})"
    finally:
        page.close()
