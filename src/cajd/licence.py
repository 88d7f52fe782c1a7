"""The licences cajd is published under, and how to cite the record: one place that the
portal footer, the About page, every download and the OpenAPI document all quote.

The code is Apache-2.0 (LICENSE); the record (the facts compiled from public sources, in
``src/cajd/data`` and in every export) is CC BY 4.0 (LICENSE-data): an open licence that asks
only for attribution, which suits facts gathered from governments' and newspapers' public pages.
Each source keeps its own terms for its own text: cajd stores facts and links, not the sources'
sentences, and a document's text only where its ``licence`` says it may be copied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cajd import __version__


@dataclass(frozen=True)
class Licence:
    spdx: str
    name: str
    url: str


CODE = Licence("Apache-2.0", "Apache License 2.0", "https://www.apache.org/licenses/LICENSE-2.0")
DATA = Licence("CC-BY-4.0", "Creative Commons Attribution 4.0 International",
               "https://creativecommons.org/licenses/by/4.0/")

TITLE = "cajd: the sourced record of the Central Asia plus Japan Dialogue"
AUTHOR = "cajd contributors"


def citation(version: str, date: dt.date | None) -> str:
    """A plain-text reference to the record at ``version`` (the record's own version, not the
    software's), in the usual author, year, title, version, licence order."""
    year = f" ({date.year})" if date else ""
    when = f", {date.isoformat()}" if date else ""
    return (f"{AUTHOR}{year}. {TITLE}. Record version {version}{when}; "
            f"cajd {__version__}. Licensed under {DATA.spdx} ({DATA.url}).")
