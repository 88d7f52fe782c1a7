"""Per kind and field: how many name fields have a Japanese / Russian form, and how many of those
are cited at field level (`name.ja`, `name.ru` or the whole `name`). Usage:
`.venv/bin/python scripts/language_coverage.py [DATA_DIR]`; `cajd data coverage` shows the same."""

import sys
from pathlib import Path

from cajd.analysis.languages import cajd_texts, languages
from cajd.dataset.pipeline import bundled_dataset

L = languages(Path(sys.argv[1]) if len(sys.argv) > 1 else bundled_dataset())
print(f"{'kind':12} {'field':16} {'n':>4} {'ja':>4} {'ja_src':>6} {'ru':>4} {'ru_src':>6}")
for f in L.fields:
    print(
        f"{f.kind:12} {f.field:16} {f.total:4} {f.ja:4} {f.ja_sourced:6} {f.ru:4} {f.ru_sourced:6}"
    )
print(
    f"all {L.total}: ja sourced {L.ja_sourced} ({L.ja_sourced / L.total:.0%}), ru sourced {L.ru_sourced} ({L.ru_sourced / L.total:.0%}); present ja {sum(f.ja for f in L.fields)} ru {sum(f.ru for f in L.fields)}"
)
T = cajd_texts(Path(sys.argv[1]) if len(sys.argv) > 1 else bundled_dataset())
print(f"cajd's own text (descriptions) {T.total}: translated ja {T.ja}, ru {T.ru}; "
      f"lacking {len(T.lacking)}")
