# Two commands do all the set-up on a fresh Debian machine:
#   make run   – the console with its embedded service and SQLite database
#   make test  – everything the tests need, then the whole suite
#   make dist  – the frozen console (PyInstaller, one folder) in dist/, checked by its self-test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export DEBIAN_FRONTEND := noninteractive
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Debian packages: what the console needs at run time (Qt's xcb platform, PortAudio, fonts) ...
APT_RUN := libportaudio2 libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 \
	libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 \
	libxcb-render-util0 libxcb-image0 libdbus-1-3 libfontconfig1 fonts-dejavu-core
# ... and what the tests add: a virtual screen, a PostgreSQL server for the portability test,
# Debian's Chromium as the citizen's browser (driven by Playwright) and npm for axe-core,
# coturn for the relay-only call, wixl and msitools to build and read the MSI, systemd for
# systemd-analyze (checks the unit file; nothing is started), and a PulseAudio server the
# media tests start with a null sink (no sound card needed), and ImageMagick, whose `display`
# puts a known picture on an Xvfb screen for the screen-sharing tests, and xrandr, which splits
# that screen into monitors and unplugs one. tesseract's English data is for the ID check's
# optional text recognition (the engine comes with the tesserocr wheel; the console runs
# without either and asks the advisor to type the zone). The screen-reader test drives the
# console through AT-SPI (at-spi2-core, a private dbus-daemon, Debian's python3-pyatspi) with
# a small window manager that hands the keyboard back after a dialog; libopus0 lets the
# send-side test decode the console's Opus with its in-band FEC; iproute2's `ip` builds
# the emulated link of make bench-network (network namespaces, TUN devices); redis-server
# for the rate limits several service instances share (the tests start their own).
APT_TEST := $(APT_RUN) xvfb xauth postgresql chromium coturn wixl msitools systemd \
	pulseaudio pulseaudio-utils libasound2-plugins imagemagick x11-xserver-utils \
	tesseract-ocr-eng libopus0 nginx at-spi2-core dbus-daemon python3-pyatspi gir1.2-atspi-2.0 \
	matchbox-window-manager iproute2 redis-server
# ... and what the frozen build's check adds: a Secret Service for the keyring part.
APT_DIST := $(APT_RUN) gnome-keyring dbus-daemon
DIST_STAMP := $(VENV)/.installed-dist
AXE := tests/e2e/node_modules/axe-core/axe.min.js

.PHONY: run test lint format i18n dist screenshots system-run system-test system-dist bench-waiting-room bench-scale \
	bench-call bench-idcheck bench-share bench-network clean help

help:
	@echo "make run    start the console (embedded service, SQLite)"
	@echo "make test   install test dependencies and run the whole suite"
	@echo "make lint   ruff and mypy"
	@echo "make dist   frozen console in dist/advisor-console, then its self-test"
	@echo "make screenshots  the console's and the citizen page's pictures, in build/screenshots"
	@echo "make bench-waiting-room  10,000 simulated citizens in one service: latency, memory, join CPU"
	@echo "make bench-scale  6,000 citizens on three instances (Redis, PostgreSQL), one killed"
	@echo "make bench-call  console-to-Chromium call: setup, fps, CPU, latency"
	@echo "make bench-idcheck  ID-document analysis on 320 generated camera views"
	@echo "make bench-share  a 1920×1080 screen of body text shared to Chromium: fps, SSIM, kbps"
	@echo "make bench-network  (root) the call over emulated 3G, lossy and busy links vs. Chromium"

# Install missing Debian packages (as root, or through sudo); never prompts.
define apt_install
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null; then echo "Bitte installieren: $$missing"; exit 1; fi; \
	  echo "apt-get install:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

system-run:
	$(call apt_install,$(APT_RUN))

system-test:
	$(call apt_install,$(APT_TEST))

system-dist:
	$(call apt_install,$(APT_DIST))

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[console,dev]"
	touch $(STAMP)

# Qt Linguist: German is the source language; compile the English translation.
i18n: $(STAMP)
	@for ts in i18n/*.ts; do [ -e "$$ts" ] || continue; \
	  $(BIN)/pyside6-lrelease -silent "$$ts" -qm "$${ts%.ts}.qm"; done

run: system-run $(STAMP) i18n
	$(BIN)/advisor-console

# axe-core from the npm registry, pinned by tests/e2e/package-lock.json (node/npm from Debian
# when the machine has none).
$(AXE): tests/e2e/package.json tests/e2e/package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends npm; }
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

# The audio tests run in a process of their own: they start a PulseAudio server and re-initialise
# PortAudio, which nothing else in the suite should share (see docs/decisions.md).
# The quick part (no display, browser, child process or sound server) runs in two workers;
# the rest one test at a time, as calls and browsers need the machine's two cores.
QUICK := (unit or service) and not (gui or integration or e2e or audio)
test: system-test $(STAMP) i18n $(AXE)
	$(BIN)/python -m pytest -n 2 -m "$(QUICK)"
	$(BIN)/python -m pytest -m "not ($(QUICK)) and not audio"
	$(BIN)/python -m pytest -m audio

# The pictures the tests and two scripts take (tests/helpers/screenshots.py): the three that
# docs/decisions.md shows are rewritten in docs/screenshots/, all others go to build/screenshots/
# (ignored by git). The console's script needs an X server; xvfb-run gives it one.
SCREENSHOT_TESTS := tests/ui/test_call_page.py tests/ui/test_mesh_controls.py \
	tests/ui/test_share.py tests/ui/test_share_windows.py tests/ui/test_call_interruptions.py \
	tests/ui/test_statistics.py tests/ui/test_first_run.py tests/ui/test_schedule.py \
	tests/ui/test_app.py tests/e2e/test_call.py tests/e2e/test_reconnect.py \
	tests/e2e/test_survey.py tests/e2e/test_mesh_call.py
screenshots: system-test $(STAMP) i18n $(AXE)
	mkdir -p build/screenshots
	SCREENSHOT_DIR=$(CURDIR)/build/screenshots $(BIN)/python -m pytest -m "not audio" $(SCREENSHOT_TESTS)
	for language in de en; do \
	  XDG_DATA_HOME=$$(mktemp -d) XDG_CONFIG_HOME=$$(mktemp -d) xvfb-run -a -s "-screen 0 1600x1000x24" \
	    $(BIN)/python -m tests.helpers.console_screenshots --language $$language || exit 1; \
	done
	$(BIN)/python -m tests.helpers.citizen_screenshots --all

$(DIST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install -q -e ".[console,dev,dist]"
	touch $(DIST_STAMP)

# The frozen console (installers/advisor-console.spec), then what IT would run after installing
# it: --version, self-test (with a Secret Service for the keyring), serve and /healthz.
dist: system-dist $(DIST_STAMP) i18n
	rm -rf dist/advisor-console build/pyinstaller
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
	  --workpath build/pyinstaller installers/advisor-console.spec
	dbus-run-session -- sh -c 'printf x | gnome-keyring-daemon --unlock --components=secrets \
	  >/dev/null && $(BIN)/python installers/check_frozen.py dist/advisor-console/advisor-console'

# 10,000 citizens (WebSocket clients in 4 processes) wait at 20 advisors in one `serve` process;
# fails when a citizen or event is lost, or when a target is missed. See benchmarks/README.md.
bench-waiting-room: $(STAMP)
	$(BIN)/python -m benchmarks.waiting_room --fail-on-miss

# Three serve instances sharing one waiting room over Redis and PostgreSQL (started in a temp
# folder); one is killed with SIGKILL and its citizens reconnect. Fails when a citizen or event
# is lost, an admission is duplicated, or a target is missed. See benchmarks/README.md.
bench-scale: system-test $(STAMP)
	$(BIN)/python -m benchmarks.scale --fail-on-miss

# The ID check's live analysis on 320 generated 1280×720 views (documents, blur, glare, low
# light, cut off, sideways, non-documents); fails when a target is missed. See benchmarks/README.md.
bench-idcheck: $(STAMP)
	$(BIN)/python -m benchmarks.idcheck --fail-on-miss

lint: $(STAMP)
	$(BIN)/ruff check advisor_app tests benchmarks installers
	$(BIN)/ruff format --check advisor_app tests benchmarks installers
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix advisor_app tests benchmarks installers
	$(BIN)/ruff format advisor_app tests benchmarks installers

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache i18n/*.qm

# The console's call against Chromium plus a Chromium-to-Chromium baseline, 20 s each way;
# see benchmarks/README.md.
bench-call: system-test $(STAMP)
	$(BIN)/python -m benchmarks.call --fail-on-miss

bench-share: system-test $(STAMP)
	$(BIN)/python -m benchmarks.share --fail-on-miss

# The console's call and Chromium's over an emulated link (lan, 3g, poor3g, lossy, drop, busy):
# network namespaces and TUN devices, so root only. See benchmarks/README.md.
bench-network: system-test $(STAMP)
	@[ "$$(id -u)" = 0 ] || { echo "make bench-network needs root (network namespaces, TUN devices): sudo make bench-network"; exit 2; }
	$(BIN)/python -m benchmarks.network --fail-on-miss
