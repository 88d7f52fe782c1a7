"""Settings, declared once; read from the environment (prefix ``CAJD_``) by a factory."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_home() -> Path:
    return Path.home() / ".local" / "share" / "cajd"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CAJD_")

    # Empty means the embedded default: an SQLite file in the user's data directory.
    database_url: str = ""
    data_home: Path = Field(default_factory=default_data_home)

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_home / 'cajd.sqlite3'}"

    @property
    def is_default_database(self) -> bool:
        return not self.database_url


def get_settings() -> Settings:
    return Settings()
