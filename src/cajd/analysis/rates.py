"""The sourced annual exchange-rate table (``data/rates/``), validated on reading."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

RATES_DIR = Path(__file__).parent.parent / "data" / "rates"


class RateSource(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str
    url: str


class Rate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    year: Annotated[int, Field(ge=1990, le=2100)]
    per_usd: Annotated[float, Field(gt=0)]
    source: str
    at: str


class RateTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    sources: dict[str, RateSource]
    rates: list[Rate]

    @model_validator(mode="after")
    def _consistent(self) -> RateTable:
        seen: set[tuple[str, int]] = set()
        for i, rate in enumerate(self.rates):
            if rate.source not in self.sources:
                raise ValueError(f"rates[{i}].source: {rate.source!r} is not in sources")
            if (rate.currency, rate.year) in seen:
                raise ValueError(f"rates[{i}]: {rate.currency} {rate.year} given twice")
            seen.add((rate.currency, rate.year))
        return self

    def lookup(self, currency: str, year: int) -> Rate | None:
        return next((r for r in self.rates if r.currency == currency and r.year == year), None)


def read_table(path: Path) -> RateTable:
    """One rate file; a bad one raises ``ValueError`` naming the file."""
    try:
        return RateTable.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, ValueError) as exc:
        raise ValueError(f"{path}: {exc}") from exc


@cache
def bundled() -> RateTable:
    tables = [read_table(p) for p in sorted(RATES_DIR.glob("*.yaml"))]
    return RateTable(sources={k: v for t in tables for k, v in t.sources.items()},
                     rates=[r for t in tables for r in t.rates])
