"""What a serving process prepares before its first request, and what it keeps between them:
the warm-up ``cajd serve`` does in each worker's lifespan, the compiled templates shared by the
three languages, and the bounded cache of drawn figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from jinja2 import DictLoader, Environment

from cajd.web.cache import BoundedLRU
from cajd.web.templating import COMPILED, TEMPLATES, CompiledTemplates

# A fresh interpreter: the test process has long imported altair and compiled the templates.
STARTS = """
import json, sys
import sqlalchemy as sa
from starlette.testclient import TestClient
from cajd.web.app import create_app
from cajd.web.templating import environment
app = create_app(sa.create_engine("sqlite://"), allowed_hosts=["testserver"], warm={warm})
with TestClient(app):
    print(json.dumps({{"altair": "altair" in sys.modules,
                      "compiled": {{lang: len(environment(lang).cache or {{}})
                                   for lang in ("en", "ja", "ru")}}}}))
"""


# How many route parameters FastAPI analyses while answering the first request.
FIRST_REQUEST = """
import sqlalchemy as sa
import fastapi.routing
from starlette.testclient import TestClient
from cajd.web.app import create_app
analysed = []
prepare = fastapi.routing.get_dependant
def counted(*args, **kwargs):
    analysed.append(kwargs.get("path"))
    return prepare(*args, **kwargs)
fastapi.routing.get_dependant = counted
app = create_app(sa.create_engine("sqlite://"), allowed_hosts=["testserver"], warm={warm})
with TestClient(app, raise_server_exceptions=False) as client:
    before = len(analysed)
    client.get("/-/no-such-page")
    print(before, len(analysed) - before)
"""


def test_a_served_app_has_its_routes_prepared_before_its_first_request() -> None:
    # FastAPI builds an included router's routes at the first request that reaches them
    # (a quarter of a second for a worker's first page); warm-up does it before.
    def analysed(warm: bool) -> tuple[int, int]:
        done = subprocess.run([sys.executable, "-c", FIRST_REQUEST.format(warm=warm)],
                              capture_output=True, text=True, timeout=120, check=True)
        before, during = done.stdout.split()[-2:]
        return int(before), int(during)

    warm_before, warm_during = analysed(warm=True)
    cold_before, cold_during = analysed(warm=False)
    assert warm_during == 0 and cold_during > 100
    assert warm_before == cold_before + cold_during  # the same routes, analysed once


def started(warm: bool) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", STARTS.format(warm=warm)], capture_output=True,
                          text=True, timeout=120, check=True)
    return dict(json.loads(done.stdout.splitlines()[-1]))


def test_a_served_app_is_warm_before_its_first_request_and_a_test_app_is_not() -> None:
    templates = len(list(TEMPLATES.rglob("*.html")))
    assert started(warm=True) == {"altair": True,
                                  "compiled": {"en": templates, "ja": templates, "ru": templates}}
    assert started(warm=False) == {"altair": False, "compiled": {"en": 0, "ja": 0, "ru": 0}}


def test_the_languages_share_compiled_templates_and_an_unwritable_folder_is_no_error(
        tmp_path: Path) -> None:
    assert COMPILED is not None  # this machine has a private temporary folder
    source = {"page.html": "{{ gettext('Meetings') }}: {{ n }}"}
    shared = CompiledTemplates(str(tmp_path))
    first = Environment(loader=DictLoader(source), bytecode_cache=shared)
    assert first.get_template("page.html").render(gettext=str, n=1) == "Meetings: 1"
    assert len(list(tmp_path.iterdir())) == 1
    second = Environment(loader=DictLoader(source), bytecode_cache=shared)
    assert second.get_template("page.html").render(gettext=str.upper, n=2) == "MEETINGS: 2"
    swept = Environment(loader=DictLoader(source),
                        bytecode_cache=CompiledTemplates(str(tmp_path / "swept-away")))
    assert swept.get_template("page.html").render(gettext=str, n=3) == "Meetings: 3"


def test_drawn_figures_are_bounded_by_size_least_recently_used_first_out() -> None:
    drawn = BoundedLRU[str, str](30, lambda key, value: len(value))
    for key in "abc":
        drawn.put(key, key * 10)
    assert drawn.get("a") == "a" * 10  # now the most recently used
    drawn.put("d", "d" * 10)
    assert drawn.get("b") is None and drawn.get("a") and drawn.get("c") and drawn.get("d")
    assert drawn.bytes == 30
    drawn.put("huge", "x" * 31)  # never kept, and evicts nothing
    assert drawn.get("huge") is None and drawn.bytes == 30 and len(drawn.entries) == 3
