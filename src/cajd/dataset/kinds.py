"""Every folder of the dataset and the record type of its files."""

from __future__ import annotations

from cajd.dataset.monitoring_records import MONITORING_KINDS
from cajd.dataset.records import CORE_KINDS, Record

KINDS: dict[str, type[Record]] = {**CORE_KINDS, **MONITORING_KINDS}
