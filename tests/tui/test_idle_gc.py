"""Full garbage collections moved to idle moments (tui/idle_gc.py), and put back afterwards."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_helpers import build_caseload, new_app

from ips_tui.tui import idle_gc
from ips_tui.tui.idle_gc import IdleCollector


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def full_collections() -> Iterator[list[int]]:
    """Generation-2 collections seen while the test runs."""
    seen: list[int] = []

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            seen.append(1)

    gc.callbacks.append(callback)
    try:
        yield seen
    finally:
        gc.callbacks.remove(callback)


def test_takes_over_full_collections_and_gives_them_back() -> None:
    before = gc.get_threshold()
    collector = IdleCollector(Clock())
    collector.start()
    try:
        assert gc.get_threshold() == (before[0], before[1], idle_gc.OUT_OF_REACH)
    finally:
        collector.stop()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_collects_only_when_idle_and_due(full_collections: list[int]) -> None:
    clock = Clock()
    collector = IdleCollector(clock)
    collector.start()
    try:
        assert not collector.tick()  # just started: not idle yet
        clock.now += idle_gc.IDLE_S
        assert collector.tick()  # the first idle moment: collect, then freeze start-up's objects
        assert collector.frozen and gc.get_freeze_count() > 0
        assert full_collections == [1]
        clock.now += 60
        assert not collector.tick()  # nothing used since: nothing to tidy
        collector.touched()
        clock.now += idle_gc.IDLE_S / 2
        assert not collector.tick()  # typed half a second ago: not idle
        clock.now += idle_gc.IDLE_S
        assert collector.tick()
        collector.touched()
        clock.now += idle_gc.IDLE_S
        assert not collector.tick()  # idle, but the last collection was under EVERY_S ago
        clock.now += idle_gc.EVERY_S
        assert collector.tick()
        assert collector.collections == 3 and len(full_collections) == 3
    finally:
        collector.stop()
    assert gc.get_freeze_count() == 0
    assert not collector.tick()  # stopped: never again


def test_frees_cycles_left_by_use() -> None:
    clock = Clock()
    collector = IdleCollector(clock)
    collector.start()
    try:
        clock.now += idle_gc.IDLE_S
        collector.tick()
        freed: list[str] = []

        class Node:
            def __init__(self) -> None:
                self.me = self

            def __del__(self) -> None:
                freed.append("node")

        keep = [Node() for _ in range(3)]
        gc.collect(1)  # survivors of a young collection move on to the oldest generation
        keep.clear()
        gc.collect(1)  # what Python still does on its own: it does not look at the oldest
        assert freed == []
        collector.touched()
        clock.now += idle_gc.EVERY_S + idle_gc.IDLE_S
        assert collector.tick()
        assert freed == ["node"] * 3
    finally:
        collector.stop()


async def test_the_app_starts_it_and_puts_the_collector_back(tmp_path: Path) -> None:
    before = gc.get_threshold()
    build_caseload(tmp_path / "x.db")
    app = new_app(tmp_path, idle_gc=True)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.memory.running
        assert gc.get_threshold()[2] == idle_gc.OUT_OF_REACH
        await pilot.press("down")
        assert app.memory._used  # a key counts as use
    assert not app.memory.running
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
