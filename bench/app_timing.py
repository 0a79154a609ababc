"""Time the app with Pilot on a database: start to caseload painted, a filter keystroke, opening a
big client record; print JSON (run in its own process so peak memory is the app's alone).

Two measures of each interaction: ``*_s`` is what Pilot takes (its press-and-wait-for-idle has a
floor of its own, shown by ``noop_key_s``); ``*_paint_s`` is from the key to the last screen
update the app produced for it (every update the compositor hands to App._display is time-stamped),
which is what a person at a terminal waits for.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import resource
import sys
import time
from pathlib import Path

T0 = time.perf_counter()

from ips_tui import services  # noqa: E402


async def measure(db: Path, today: dt.date, big_client: str) -> dict[str, float]:
    from textual.widgets import DataTable

    from ips_tui.tui.app import make_app
    from ips_tui.tui.screens.caseload import CaseloadScreen
    from ips_tui.tui.screens.client import ClientScreen

    services.open_database(db)
    spec = services.specialists()[0]
    app = make_app(db, as_name=spec, today=today, config_path=db.with_suffix(".cfg.json"))
    paints: list[float] = []
    display = app._display

    def stamped(screen, renderable):  # type: ignore[no-untyped-def]
        if renderable is not None:
            paints.append(time.perf_counter())
        return display(screen, renderable)

    app._display = stamped  # type: ignore[method-assign]

    async def painted_after(t0: float) -> float:
        """Seconds from t0 to the last screen update, once the screen has been still a while."""
        await pilot.pause(0.15)
        after = [p for p in paints if p >= t0]
        return (after[-1] - t0) if after else float("nan")

    out: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, CaseloadScreen) and app.screen.query_one(DataTable).row_count):
            await pilot.pause(0.005)
        out["start_to_caseload_s"] = time.perf_counter() - T0
        await pilot.pause(0.2)
        floor = []
        for _ in range(3):  # Pilot's own floor: a key that only moves the cursor
            t = time.perf_counter()
            await pilot.press("down")
            floor.append(time.perf_counter() - t)
        out["noop_key_s"] = sorted(floor)[1]
        await pilot.press("m")  # everyone's caseload: the biggest list
        await pilot.pause()
        await pilot.press("slash")
        await pilot.pause()
        times, painted = [], []
        for ch in ["a", "n", "n", "backspace", "backspace", "e", "backspace"]:
            t = time.perf_counter()
            await pilot.press(ch)
            await pilot.pause()
            times.append(time.perf_counter() - t)
            painted.append(await painted_after(t))
        out["filter_keystroke_s"] = sorted(times)[len(times) // 2]
        out["filter_keystroke_paint_s"] = sorted(painted)[len(painted) // 2]
        out["filter_keystroke_paint_max_s"] = max(painted)
        out["caseload_rows_all"] = float(len(app.screen.lines))  # type: ignore[attr-defined]
        await pilot.press("escape")
        t = time.perf_counter()
        app.open_client(big_client)
        while not isinstance(app.screen, ClientScreen) or app.screen.record is None:
            await pilot.pause(0.001)
        await pilot.pause()
        out["open_big_client_s"] = time.perf_counter() - t
        out["open_big_client_paint_s"] = await painted_after(t)
        out["big_client_contacts"] = float(len(app.screen.record.contacts))
        await pilot.press("escape")
        await pilot.pause()
        t = time.perf_counter()
        app.open_client(big_client)  # the record screen is built once, then reused
        while not isinstance(app.screen, ClientScreen) or app.screen.record is None:
            await pilot.pause(0.001)
        await pilot.pause()
        out["reopen_big_client_s"] = time.perf_counter() - t
        out["reopen_big_client_paint_s"] = await painted_after(t)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


if __name__ == "__main__":
    result = asyncio.run(measure(Path(sys.argv[1]), dt.date.fromisoformat(sys.argv[2]), sys.argv[3]))
    print(json.dumps(result))
