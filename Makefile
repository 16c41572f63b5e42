# SPDX-License-Identifier: MIT
# Avtale: one GNU Makefile. Sources are found per module folder, objects go
# under build/ (or build/san/ for the sanitizer build), header dependencies
# come from -MMD -MP.
#
#   make            build ./avtale
#   make run        create a demo database if there is none and serve it
#   make test       unit + end-to-end tests, plain and under ASan+UBSan,
#                   browser tests once
#   make SANITIZE=address,undefined test-unit
#   make bench-search | bench-appointments | bench-reports | bench-ical |
#        bench-web (long; BENCHMARKS.md)
#   make screenshots  the README's pictures, from the browser tests
#   make lint | format | clean

SHELL := /bin/bash
CC ?= cc
SANITIZE ?=
WERROR ?= 1
V ?= 0

PKGS := libmicrohttpd sqlite3 jansson libutf8proc libsodium libical libcurl \
	icu-uc icu-i18n

ifeq ($(SANITIZE),)
BUILD := build
OPT := -O2 -g -D_FORTIFY_SOURCE=2
else
BUILD := build/san
OPT := -O1 -g -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDSAN := -fsanitize=$(SANITIZE)
endif

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wold-style-definition -Wpointer-arith \
	-Wwrite-strings -Wformat=2 -Wvla -Wno-missing-field-initializers
ifeq ($(WERROR),1)
WARN += -Werror
endif

VERSION := 0.1.0
CFLAGS_ALL = -DAVTALE_VERSION=\"$(VERSION)\" -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) \
	-fno-common -pthread $(OPT) -Isrc $(shell pkg-config --cflags $(PKGS)) \
	$(CFLAGS)
LDLIBS_ALL = $(shell pkg-config --libs $(PKGS)) -lm -pthread $(LDSAN) $(LDLIBS)

MODULES := core domain store ical service http api cli
LIB_SRC := $(foreach m,$(MODULES),$(wildcard src/$(m)/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/src/main.o
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_SRC := $(wildcard bench/*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all run test test-unit test-e2e test-browser deps lint format cppcheck bench \
	bench-search bench-appointments bench-reports bench-ical bench-web \
	screenshots clean unit-bins

all: deps avtale

deps:
	@scripts/deps.sh

avtale: $(BUILD)/avtale
	$(Q)cp --remove-destination $< $@

# A route without an access-policy row fails the build (avtale routes).
$(BUILD)/avtale: $(MAIN_OBJ) $(BUILD)/libavtale.a
	@echo "  LD      $@"
	$(Q)$(CC) -o $@.tmp $^ $(LDLIBS_ALL)
	$(Q)$@.tmp routes --check && mv $@.tmp $@

$(BUILD)/libavtale.a: $(LIB_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libavtale.a
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(CFLAGS_ALL) $(shell pkg-config --cflags cmocka) -o $@ $< \
		$(BUILD)/libavtale.a $(shell pkg-config --libs cmocka) $(LDLIBS_ALL)

$(BUILD)/bench/%: bench/%.c $(BUILD)/libavtale.a
	@mkdir -p $(dir $@)
	@echo "  BENCH   $@"
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $< $(BUILD)/libavtale.a $(LDLIBS_ALL)

# The demo database: about 2,000 customers, created once; the admin's and
# the demo users' passwords are printed then, once.
avtale.db: | avtale
	./avtale --db $@ demo --customers 2000 --passwords

# Plain HTTP on loopback: the session cookie goes without Secure.
run: all avtale.db
	./avtale --db avtale.db serve --listen 127.0.0.1:8080 --insecure-cookie

unit-bins: $(UNIT_BIN) $(BUILD)/avtale

test-unit: deps unit-bins
	@BUILD=$(BUILD) scripts/run-tests.sh unit

test-e2e: deps $(BUILD)/avtale
	@BUILD=$(BUILD) scripts/run-tests.sh e2e

# The web UI in Debian's chromium through playwright-core (package-lock.json).
test-browser: deps $(BUILD)/avtale
	@scripts/npm-deps.sh
	@BUILD=$(BUILD) scripts/run-tests.sh browser

# Plain and sanitized, one summary line at the end.
test: deps
	@scripts/test-all.sh

# The README's screenshots: the browser tests' pages, saved under docs/.
screenshots: deps $(BUILD)/avtale
	@scripts/npm-deps.sh
	@mkdir -p docs/screenshots
	SCREENSHOTS=docs/screenshots AVTALE_BIN=$(BUILD)/avtale node tests/browser/t80-workday.mjs
	SCREENSHOTS=docs/screenshots AVTALE_BIN=$(BUILD)/avtale node tests/browser/t82-admin.mjs
	SCREENSHOTS=docs/screenshots AVTALE_BIN=$(BUILD)/avtale node tests/browser/t83-feed.mjs

# Long runs, not tests: each prints figures beside a baseline (BENCHMARKS.md).
bench: bench-search bench-appointments bench-reports bench-ical bench-web

bench-search: deps
	bash bench/search.sh

bench-appointments: deps
	bash bench/appointments.sh

bench-reports: deps
	bash bench/reports.sh

bench-ical: deps
	bash bench/ical.sh

bench-web: deps
	bash bench/web.sh

lint: deps
	@scripts/lint.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build avtale

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)
