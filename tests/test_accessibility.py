"""Accessibility in a real Chromium: an axe-core scan of every tab (WCAG 2.2 AA rules), keyboard
use, answers announced to screen readers, and chat messages labelled with text, not HTML."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from webapp import ADMIN, RunningApp, ask, chromium, open_page, run_app, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SERIOUS = ("serious", "critical")
TABS = ("Ask", "Briefing", "Register", "Documents")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    with run_app(tmp_path_factory.mktemp("a11y")) as running:
        yield running


@pytest.fixture(scope="module")
def web_browser() -> Iterator[Any]:
    with chromium() as instance:
        yield instance


def _violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa", "best-practice"]}},
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def test_every_tab_passes_an_axe_scan_with_no_serious_violation(app: RunningApp, web_browser: Any) -> None:
    page = open_page(web_browser, app.url)
    ask(page, "What counts as private fostering?")
    page.locator("#sa-chat details.sa-cite > summary").first.click()
    found = {}
    for tab in TABS:
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(600)
        found[tab] = _violations(page)
    # the administrator's view of the Documents tab, and the sign-in page itself
    page.goto(app.base + "/login?admin=1")
    found["sign-in page"] = _violations(page)
    page.goto(app.url)
    page.wait_for_function(
        "() => (document.querySelector('#sa-status') || {innerText: ''}).innerText.includes('Ready')", timeout=60_000
    )
    sign_in(page, *ADMIN, expect="Signed in")
    page.locator("#sa-upload").wait_for(state="visible")
    found["Documents (administrator)"] = _violations(page)
    problems = {name: v for name, v in found.items() if v}
    assert not problems, problems
    page.context.close()


def test_answers_are_announced_and_messages_are_labelled_with_text(app: RunningApp, web_browser: Any) -> None:
    page = open_page(web_browser, app.url)
    ask(page, "What counts as private fostering?")
    page.wait_for_function(
        "() => (document.querySelector('#sa-live [aria-live=polite]') || {innerText: ''}).innerText.includes('Answer ready')",
        timeout=30_000,
    )
    announced = page.locator("#sa-live [aria-live=polite]").inner_text()
    assert "Answer ready, with" in announced and "[1]" not in announced
    labels = page.evaluate(
        "() => [...document.querySelectorAll('#sa-chat [aria-label]')].map(e => e.getAttribute('aria-label'))"
    )
    messages = [label for label in labels if label.startswith(("Your question:", "Answer:"))]
    assert messages, labels
    assert not [label for label in labels if "<" in label and ">" in label], labels
    page.context.close()


def test_every_tab_and_the_briefing_work_with_the_keyboard_alone(app: RunningApp, web_browser: Any) -> None:
    page = open_page(web_browser, app.url)
    page.get_by_role("tab", name="Ask").focus()
    page.keyboard.press("Tab")  # to the next tab
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "tab"
    page.keyboard.press("Enter")
    page.locator("#sa-brief-topic").wait_for(state="visible")
    for _ in range(40):
        if page.evaluate("() => document.activeElement && document.activeElement.closest('#sa-brief-topic') !== null"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("the briefing topic cannot be reached with the Tab key")
    page.keyboard.type("private fostering")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => (document.querySelector('#sa-brief-preview') || {innerText: ''}).innerText.includes('What it is')",
        timeout=90_000,
    )
    for _ in range(60):
        if page.evaluate("() => document.activeElement && document.activeElement.closest('#sa-brief-file a') !== null"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("the download link cannot be reached with the Tab key")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    page.context.close()
