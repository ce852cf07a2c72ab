"""One Chromium per test module (its own event loop); a fresh service for every test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio
from playwright.async_api import Browser, async_playwright

from tests.helpers.citizen_browser import Live, launch, live_service


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        yield browser
        await browser.close()


@pytest_asyncio.fixture(loop_scope="module")
async def live(tmp_path: Path) -> AsyncIterator[Live]:
    async with live_service(tmp_path) as running:
        yield running
