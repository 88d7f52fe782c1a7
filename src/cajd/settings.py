"""Settings, declared once; read from the environment (prefix ``CAJD_``) by a factory."""

from __future__ import annotations

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

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_home / 'cajd.sqlite3'}"

    @property
    def is_default_database(self) -> bool:
        return not self.database_url


def get_settings() -> Settings:
    return Settings()
