"""Every field the bundled record cites a source for has a label in the page's language: the
source and disagreement pages say "Nominal rank of …", never the raw key ``nominal_rank``."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "cajd"


def test_every_cited_field_has_a_label() -> None:
    cited = {m[1] for path in (SRC / "data").rglob("*.yaml")
             for m in re.finditer(r"^\s+field: ([\w.]+)\s*$", path.read_text(), re.M)}
    macros = (SRC / "web" / "templates" / "macros.html").read_text()
    labels_block = macros[macros.index("{% macro field_name(field) %}"):]
    labels_block = labels_block[:labels_block.index("{% endmacro %}")]
    labelled = set(re.findall(r'"([\w.]+)": _\(', labels_block))
    assert cited, "the record cites fields"
    assert cited <= labelled, f"cited fields without a label: {sorted(cited - labelled)}"
