# Two commands for a newcomer: `make demo` and `make test`. Everything else is here for CI and maintainers.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export LUOSHI_DEBUG ?= true

.PHONY: install fonts demo serve test test-fast lint browser-deps browser-test bench messages clean

$(BIN)/luoshi: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: fonts $(BIN)/luoshi

# A CJK font for the printed supervision orders (PDF) and the browser tests: Debian's WenQuanYi Micro Hei.
fonts:
	@if ! fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy"; then \
		if command -v apt-get >/dev/null; then \
			SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
			$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq fontconfig fonts-wqy-microhei; \
		else \
			echo "请安装文泉驿微米黑字体（Debian/Ubuntu: fonts-wqy-microhei），否则无法生成 PDF 督办单"; \
		fi; \
	fi

demo: install
	$(BIN)/luoshi migrate --no-input -v 0
	$(BIN)/luoshi demo --url http://$(HOST):$(PORT)/
	$(BIN)/luoshi runserver $(HOST):$(PORT)

serve: install
	$(BIN)/luoshi migrate --no-input -v 0
	$(BIN)/luoshi runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check luoshi bench
	$(BIN)/ruff format --check luoshi bench
	$(BIN)/mypy luoshi bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/luoshi check --fail-level WARNING
	$(BIN)/luoshi makemigrations --check --dry-run -v 1

# The unit and integration suite on whatever DATABASE_URL says (SQLite by default). Browser tests run apart.
test: install lint
	$(BIN)/pytest -n 2 -m "not browser"

test-fast: install
	$(BIN)/pytest -x -m "not browser"

# Debian's Chromium, with the CJK font of `fonts` (without one every Chinese character renders as an empty box).
browser-deps: fonts
	@if [ ! -x /usr/bin/chromium ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; \
	fi

browser-test: install browser-deps
	$(BIN)/pytest -m browser -p no:xdist

bench: install
	$(BIN)/python -m bench.import_plan
	$(BIN)/python -m bench.plan_page
	$(BIN)/python -m bench.projects_import
	$(BIN)/python -m bench.projects_ledger
	$(BIN)/python -m bench.projects_map
	$(BIN)/python -m bench.hostile_uploads

messages: install
	cd luoshi && ../$(BIN)/luoshi makemessages -l en --no-obsolete && ../$(BIN)/luoshi compilemessages -l en

clean:
	rm -rf $(VENV) var test-artifacts
