"""Settings, declared once; read from the environment (prefix ``CAJD_``) by a factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Public by design: only ever used with CAJD_ENV=development (``make run``).
DEVELOPMENT_SECRET = "cajd-development-secret-not-for-production"
PLACEHOLDER_SECRETS = frozenset(
    {"changeme", "change-me", "secret", "placeholder", "xxx", DEVELOPMENT_SECRET}
)
MIN_SECRET_LENGTH = 32


class InsecureSecret(RuntimeError):
    """``cajd serve`` refuses to start without a real secret outside development."""


def default_data_home() -> Path:
    return Path.home() / ".local" / "share" / "cajd"


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CAJD_")

    # Empty means the embedded default: an SQLite file in the user's data directory.
    database_url: str = ""
    data_home: Path = Field(default_factory=default_data_home)
    # ``development`` allows the embedded, public secret below; anything else needs a real one.
    env: Literal["development", "production"] = "production"
    # Signs the login form's CSRF token (sessions themselves live in the database).
    secret_key: str = ""

    def resolved_secret(self) -> str:
        """The secret to use; raises ``InsecureSecret`` for a missing or placeholder one outside
        development."""
        key = self.secret_key.strip()
        if key and key.lower() not in PLACEHOLDER_SECRETS and len(key) >= MIN_SECRET_LENGTH:
            return key
        if self.env == "development":
            return DEVELOPMENT_SECRET
        what = "is not set" if not key else "is a placeholder or shorter than 32 characters"
        raise InsecureSecret(
            f"CAJD_SECRET_KEY {what}: set it to a long random value (e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`), or set "
            "CAJD_ENV=development on a machine of your own"
        )

    # The server under load. At most `concurrency` requests run inside the app at once per worker
    # process (few: the routes are CPU-bound and share one GIL); the thread pool and the
    # connection pool are sized from it (see cajd.web.limits), so that a running request never
    # waits for a connection or a thread held by another one.
    concurrency: int = Field(default=4, ge=1, le=256)
    # Requests beyond those may wait for a slot, first come first served, up to `queue_length`
    # of them per worker and `queue_wait` seconds each; past either bound, 503 with Retry-After.
    # The queue's length is the saturation signal (the next one is refused at once); the wait
    # is its backstop, long enough for a burst of 200 connections to drain through a data load
    # on two cores (bench/soak.py: at 5 s, 2 % of its requests got 503; at 10 s none), and
    # shorter than a client's or a proxy's usual timeout.
    queue_wait: float = Field(default=10.0, ge=0.0, le=30.0)
    queue_length: int = Field(default=256, ge=0, le=100_000)
    # The longest wait for a pooled connection (a bug if ever reached: the slots prevent it).
    pool_timeout: float = Field(default=3.0, gt=0.0, le=60.0)
    # Worker processes of `cajd serve`; 0 means one per usable core (at most 8).
    workers: int = Field(default=0, ge=0, le=64)
    # Hosts the server answers for (comma list; `*` for any). Empty: localhost, 127.0.0.1, [::1]
    # and the address `cajd serve --host` listens on.
    allowed_hosts: str = ""
    # The in-memory response cache, bounded by bytes per worker; bodies over the entry cap are
    # served but not kept. 0 turns the cache off.
    cache_max_bytes: int = Field(default=64 * 1024 * 1024, ge=0)
    cache_entry_max_bytes: int = Field(default=4 * 1024 * 1024, ge=0)
    # Level of the JSON request log on stderr (DEBUG, INFO, WARNING, ...); INFO logs each request.
    log_level: str = "INFO"
    # Evidence files (uploaded with implementation records, reports and scores): the folder they
    # are kept in (empty: ``<data_home>/evidence``) and the largest file accepted.
    evidence_dir: Path | None = None
    evidence_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1, le=1024 * 1024 * 1024)

    # Reminders by e-mail (``cajd.workflow.reminders``): the SMTP server, as ``smtp://host:port``,
    # ``smtp+starttls://user:password@host:587`` or ``smtps://user:password@host:465``; empty
    # means no e-mail: reminders are kept in the app and logged instead, never lost.
    smtp_url: str = ""
    # The sender of reminders (the envelope and the From header).
    smtp_from: str = "cajd@localhost"

    def evidence_folder(self) -> Path:
        return self.evidence_dir or self.data_home / "evidence"

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_home / 'cajd.sqlite3'}"

    @property
    def is_default_database(self) -> bool:
        return not self.database_url

    def worker_count(self) -> int:
        return self.workers or min(usable_cores(), 8)

    def host_list(self, listening: str | None = None) -> list[str]:
        if self.allowed_hosts.strip():
            return [h.strip() for h in self.allowed_hosts.split(",") if h.strip()]
        hosts = ["localhost", "127.0.0.1", "::1", "[::1]"]
        if listening and listening not in ("0.0.0.0", "::"):
            hosts.append(listening)
        return hosts


def get_settings() -> Settings:
    return Settings()
