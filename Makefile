# Makefile: the sla extension, built with PGXS.
# "make demo" and "make test" set up everything from a bare Debian machine.

EXTENSION = sla
MODULE_big = sla
OBJS = src/civil.o src/calendar_parse.o src/day_hours.o src/timeline.o src/call.o \
       src/host.o src/tz.o src/calendar.o src/calendar_cache.o src/business.o src/clock.o src/policy.o src/trigger.o
# the install script is assembled from one file per concept
DATA_built = sla--1.0.sql
EXTRA_CLEAN = sla--1.0.sql
REGRESS = calendar business dst errors clock helpdesk reporting security
REGRESS_OPTS = --inputdir=. --load-extension=sla
PG_CFLAGS = -std=gnu99 -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers -Werror

.DEFAULT_GOAL := all
.PHONY: demo test deps bench fuzz

deps:
	tools/install-deps

test:
	tools/run-tests

demo:
	tools/demo

bench:
	tools/run-bench

# libFuzzer on the rules parser and the timeline: FUZZ_SECONDS per target
fuzz:
	tools/install-deps
	$(MAKE) -C fuzz run FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60)

sla--1.0.sql: $(sort $(wildcard sql/install/*.sql))
	cat $^ > $@

# every object is rebuilt when a header changes (PGXS tracks no dependencies)
$(OBJS): $(wildcard src/*.h)

PG_CONFIG ?= $(shell command -v pg_config 2>/dev/null)
ifneq ($(PG_CONFIG),)
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)
endif
