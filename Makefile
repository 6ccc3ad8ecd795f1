# Makefile: the sla extension, built with PGXS.
# "make demo" and "make test" set up everything from a bare Debian machine.

EXTENSION = sla
MODULE_big = sla
EXTVERSION := $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" sla.control)
OBJS = src/civil.o src/calendar_parse.o src/day_hours.o src/timeline.o src/arguments.o \
       src/host.o src/tz.o src/calendar.o src/calendar_cache.o src/business_time.o src/clock.o src/pauses.o src/policy.o \
       src/conversation.o src/conversation_sql.o src/privilege.o src/trigger.o src/trigger_1_0.o src/entry_points_1_0.o src/evaluate_scan.o
# The install script of the current version is assembled from one file per
# concept (sql/install/); released install scripts are frozen in sql/.  An
# upgrade script is its first and last parts (sql/upgrade/) around the
# install parts of the concepts that version changed, their public
# functions replaced in place (CREATE OR REPLACE keeps users' objects that
# depend on them).  The parts unchanged since 1.0 differ from 1.0 only in
# the C symbols their functions bind (sla_-prefixed since 1.1): the upgrade
# rebinds those (1.0--1.1-after.sql).  What only a new install does is in
# no upgrade script (INSTALL_ONLY).
INSTALL_PARTS := $(sort $(wildcard sql/install/*.sql))
UNCHANGED_SINCE_1_0 := sql/install/10-engine.sql sql/install/20-clocks.sql sql/install/30-calendars.sql \
                       sql/install/31-policies.sql
INSTALL_ONLY := sql/install/95-citus-on-create.sql
DATA = $(wildcard sql/sla--*.sql)
DATA_built = sla--$(EXTVERSION).sql sla--1.0--1.1.sql
EXTRA_CLEAN = $(DATA_built)
REGRESS = calendar business dst errors clock engine helpdesk metrics activity conversation ownership reporting security
REGRESS_OPTS = --inputdir=test --load-extension=sla
# warnings are errors in development and CI builds (make SLA_DEVELOPMENT=1, as
# tools/run-tests does), not for users building against a newer server
PG_CFLAGS = -std=gnu99 -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers \
            $(if $(SLA_DEVELOPMENT),-Werror)

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

sla--$(EXTVERSION).sql: $(INSTALL_PARTS)
	cat $^ > $@

sla--1.0--1.1.sql: sql/upgrade/1.0--1.1-before.sql $(filter-out $(UNCHANGED_SINCE_1_0) $(INSTALL_ONLY),$(INSTALL_PARTS)) \
                   sql/upgrade/1.0--1.1-after.sql
	{ cat $<; sed 's/^CREATE FUNCTION @extschema@\./CREATE OR REPLACE FUNCTION @extschema@./' \
	    $(filter-out $< sql/upgrade/1.0--1.1-after.sql,$^); cat sql/upgrade/1.0--1.1-after.sql; } > $@

# every object is rebuilt when a header changes (PGXS tracks no dependencies)
$(OBJS): $(wildcard src/*.h)

PG_CONFIG ?= $(shell command -v pg_config 2>/dev/null)
ifneq ($(PG_CONFIG),)
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)
endif
