# The two quick-start commands: `make run` and `make test`. Each sets up what it needs first.
VENV ?= .venv
BIN := $(VENV)/bin
VENDOR := src/cajd/web/static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-slow soak lint browser bench clean messages

$(BIN)/cajd: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --editable '.[test]'
	touch $@

# The portal's JavaScript (vega, vega-lite, vega-embed; Swagger UI for /api/docs) comes from the npm registry at build time
# and is served by cajd itself: no CDN at run time. Without it the figures still show as SVG.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(VENDOR)/vega-embed.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/vega/build/vega.min.js node_modules/vega-lite/build/vega-lite.min.js \
	   node_modules/vega-lite/build/vega-lite.min.js.map node_modules/vega-embed/build/vega-embed.min.js \
	   node_modules/vega-embed/build/vega-embed.min.js.map node_modules/axe-core/axe.min.js \
	   node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
	   $(VENDOR)/
	touch $@

# Debian's Chromium, for the browser tests (Playwright drives /usr/bin/chromium), CJK fonts
# so that Japanese pages render as text, not boxes, in its screenshots and in `cajd report`'s PDF,
# and poppler-utils, whose pdftoppm the report test renders the PDF's pages with.
browser:
	@test -x /usr/bin/chromium -a -d /usr/share/fonts/opentype/noto -a -x /usr/bin/pdftoppm || \
	  (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk poppler-utils)

run: $(BIN)/cajd $(VENDOR)/vega-embed.min.js
	$(BIN)/cajd data check
	CAJD_ENV=$${CAJD_ENV:-development} $(BIN)/cajd serve --host $(HOST) --port $(PORT)

lint: $(BIN)/cajd
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

test: lint browser $(VENDOR)/vega-embed.min.js
	$(BIN)/pytest $(PYTEST_ARGS)

# The slow tests (deselected by default in pyproject): the short soak on both databases.
test-slow: $(BIN)/cajd $(VENDOR)/vega-embed.min.js
	$(BIN)/pytest -m slow $(PYTEST_ARGS)

soak: $(BIN)/cajd $(VENDOR)/vega-embed.min.js
	$(BIN)/python bench/soak.py --database sqlite --phases 3
	$(BIN)/python bench/soak.py --database postgresql --phases 3

bench: $(BIN)/cajd $(VENDOR)/vega-embed.min.js
	$(BIN)/pip install --quiet --editable '.[test,bench]'
	$(BIN)/python bench/serve.py
	$(BIN)/python bench/text.py

# The interface text: extract every message from the portal's Python and templates (babel.cfg)
# into the template catalog, then merge it into the ja and ru catalogs for translators.
LOCALE := src/cajd/web/locale
messages: $(BIN)/cajd
	$(BIN)/pybabel -q extract -F babel.cfg --ignore-dirs='.* _* node_modules' --sort-by-file \
	  --no-wrap -c TRANSLATORS: --project cajd --copyright-holder 'cajd contributors' \
	  -o $(LOCALE)/messages.pot .
	for lang in ja ru; do \
	  $(BIN)/pybabel -q update --init-missing --ignore-obsolete --no-wrap -D messages \
	    -i $(LOCALE)/messages.pot -d $(LOCALE) -l $$lang || exit 1; \
	done

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .mypy_cache .ruff_cache .pytest_cache .hypothesis
