"""Two first uses of a fresh embedded store at once (issue 8, item 2): all succeed, and the
bundled record is migrated and loaded once."""

from __future__ import annotations

import threading
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Engine

from cajd import store
from cajd.settings import Settings

USERS = 3


def first_uses_at_once(settings: Settings) -> tuple[list[Engine], list[BaseException]]:
    barrier = threading.Barrier(USERS)
    engines: list[Engine] = []
    errors: list[BaseException] = []

    def first_use() -> None:
        barrier.wait()
        try:
            engines.append(store.open_store(settings))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=first_use) for _ in range(USERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return engines, errors


def test_concurrent_first_uses_of_the_embedded_store(tmp_path: Path) -> None:
    for n in range(2):
        engines, errors = first_uses_at_once(
            Settings(database_url="", data_home=tmp_path / f"home{n}")
        )
        assert not errors, f"round {n}: {errors!r}"
        assert len(engines) == USERS
        with engines[0].connect() as connection:
            runs = connection.execute(sa.text("SELECT count(*) FROM load_run")).scalar_one()
            events = connection.execute(sa.text("SELECT count(*) FROM event")).scalar_one()
        assert runs == 1, f"round {n}"
        assert events > 0
        for engine in engines:
            engine.dispose()
