#!/bin/bash
# test/t/upgrade.sh: the extension's version chain.  For every version the
# server offers besides the default, install it in a fresh database, give it
# data (calendars, policies, an attached ticket table with history and
# events), run ALTER EXTENSION sla UPDATE, and check that the result is the
# default version in every respect a fresh install of it has: the same
# catalog objects (function definitions, aggregates and their support functions, tables, constraints, row-level
# security policies, grants, the attached table's view), the same answers
# to a fixed battery of queries on the same data, and the pgTAP and
# pg_regress suites passing against it.  It also checks, whatever versions
# exist, that every version has a path to the default, that every upgrade
# script installed starts from an installable version, that the upgrade
# scripts in the repository are the ones installed, and that the battery's
# answers on a fresh install are the ones worked out by hand below.
#
# How a change ships (start as soon as 1.0 is released; 1.0 -> 1.1 here):
#   1. Freeze the released install script: copy the built sla--1.0.sql to
#      sql/sla--1.0.sql and never edit it again.
#   2. Bump default_version in sla.control to 1.1 and let the Makefile
#      assemble sla--1.1.sql from sql/install/*.sql (DATA_built), as it
#      assembles sla--1.0.sql now.
#   3. Write sql/sla--1.0--1.1.sql: exactly the statements that turn 1.0
#      into 1.1 (CREATE OR REPLACE FUNCTION for changed functions, ALTER
#      TABLE, new objects, and re-creating the views of attached tables when
#      their SQL changes).  It runs with search_path = sla, pg_temp: qualify
#      objects with @extschema@ and operators with OPERATOR(pg_catalog.=),
#      as the install script does (sql/security.sql plants hostile objects
#      there and walks every update path).
#   4. Install both: DATA = sql/sla--1.0.sql sql/sla--1.0--1.1.sql in the
#      Makefile.
#   5. make test: this script installs 1.0, updates it to 1.1, and compares
#      it with a fresh 1.1.  A difference is printed as a diff.
#
# Run: bash test/t/upgrade.sh   (PGHOST, PGPORT, PGUSER of a superuser; it
# creates and drops its own databases sla_upgrade_<pid>_*)
set -uo pipefail
cd "$(dirname "$0")/../.."

PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
[ -x "$PG_CONFIG" ] || PG_CONFIG=$(command -v pg_config)
export PGDATABASE=postgres
prefix="sla_upgrade_$$"
work=$(mktemp -d)
limit=300                      # seconds any one step may take
. test/t/tap.sh
q() { psql_q "$@"; }
cleanup() {
  drop_databases
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT


# Data given to the extension before it is updated: only what the oldest
# version supports (the 1.0 interface), with fixed instants (no now()).
cat >"$work/setup.sql" <<'SQL'
SET TimeZone = 'UTC';
INSERT INTO sla.calendars VALUES ('office', 'Mo-Fr 09:00-12:00,13:00-17:00', 'Europe/Berlin'),
                                 ('support', '24/7', 'UTC');
INSERT INTO sla.holidays VALUES ('office', '2026-06-04', 'Corpus Christi'), ('office', '2026-12-25', 'Christmas');
INSERT INTO sla.policies (name, metric, priority, target, calendar, valid) VALUES
    ('Any response', 'first_response', NULL, '8 hours', 'office', '(,)'),
    ('High response', 'first_response', 'high', '1 hour', 'office', '(,)'),
    ('Resolution', 'resolution', NULL, '16 hours', 'office', '(,)'),
    ('High resolution v1', 'resolution', 'high', '4 hours', 'support', '(,2026-06-15)'),
    ('High resolution v2', 'resolution', 'high', '2 hours', 'support', '[2026-06-15,)');
CREATE SCHEMA app;
CREATE TABLE app.tickets (
    id integer PRIMARY KEY, status text NOT NULL, priority text,
    created_at timestamptz NOT NULL, first_response_at timestamptz, resolved_at timestamptz);
INSERT INTO app.tickets VALUES
    (1, 'resolved', 'high', '2026-06-01 07:00+00', '2026-06-01 07:40+00', '2026-06-01 12:00+00'),
    (2, 'closed', 'low', '2026-06-03 14:00+00', '2026-06-05 09:00+00', '2026-06-09 10:00+00');
SELECT sla.attach('app.tickets') IS NOT NULL;
INSERT INTO app.tickets VALUES
    (3, 'open', 'high', '2026-06-16 08:00+00', NULL, NULL),
    (4, 'open', NULL, '2026-06-05 15:30+00', '2026-06-08 13:00+00', NULL);
SELECT sla.record_status('app.tickets', '2', '2026-06-04 08:00+00', 'pending'),
       sla.record_status('app.tickets', '2', '2026-06-05 08:00+00', 'open'),
       sla.record_status('app.tickets', '1', '2026-06-01 12:00+00', 'resolved'),
       sla.record_status('app.tickets', '2', '2026-06-09 10:00+00', 'resolved'),
       sla.record_status('app.tickets', '2', '2026-06-10 10:00+00', 'open'),
       sla.record_status('app.tickets', '2', '2026-06-11 10:00+00', 'closed');
SELECT sla.sweep('2026-06-20') > 0;
SQL

# After the update, the same work goes on (a new ticket, its history, a
# sweep), then everything that does not depend on now() is printed.
cat >"$work/battery.sql" <<'SQL'
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
INSERT INTO app.tickets VALUES (5, 'open', 'high', '2026-06-22 10:00+00', '2026-06-22 10:10+00', '2026-06-22 11:00+00');
SELECT sla.record_status('app.tickets', '5', '2026-06-22 11:00+00', 'resolved');
SELECT 'sweep', sla.sweep('2026-07-01');
SELECT 'business_add', sla.business_add('2026-06-03 16:00+02', '3 hours', sla.calendar_named('office'));
SELECT 'business_add paused', sla.business_add('2026-06-01 09:00+02', '4 hours', sla.calendar_named('office'),
                                               '{[2026-06-01 11:00+02,2026-06-01 14:00+02)}');
SELECT 'business_add back', sla.business_add('2026-06-05 10:00+02', '-2 hours', sla.calendar_named('office'));
SELECT 'business_time', sla.business_time('2026-06-01', '2026-06-08', sla.calendar_named('office'));
SELECT 'is_open', sla.is_open('2026-06-04 10:00+02', sla.calendar_named('office'));
SELECT 'next_open', sla.next_open('2026-06-05 17:30+02', sla.calendar_named('office'));
SELECT 'next_close', sla.next_close('2026-06-05 12:30+02', sla.calendar_named('office'));
SELECT 'open_windows', sla.open_windows('[2026-06-03 15:00+02,2026-06-05 10:00+02)', sla.calendar_named('office'));
SELECT 'evaluate', sla.evaluate('2026-06-01 09:00+02', '4 hours', sla.calendar_named('office'),
                                '2026-06-01 14:30+02', '{}', '2026-07-01', 0.75);
SELECT 'pauses', sla.pauses(at, p ORDER BY at)
  FROM (VALUES ('2026-06-01 10:00+00'::timestamptz, false), ('2026-06-01 11:00+00', true),
               ('2026-06-01 12:00+00', false), ('2026-06-01 13:00+00', true)) v(at, p);
SELECT 'calendar', sla.calendar_named('office')::text;
SELECT 'calendar equal', sla.calendar_named('office') OPERATOR(sla.=) sla.calendar('mo-fr 09:00-12:00,13:00-17:00', 'europe/berlin', '{2026-12-25,2026-06-04}');
SELECT 'policy_for', (sla.policy_for('resolution', 'high', NULL, NULL, '2026-06-20')).name;
SELECT 'calendars', name, rules, zone FROM sla.calendars ORDER BY name;
SELECT 'holidays', calendar, day, label FROM sla.holidays ORDER BY 2, 3;
SELECT 'policies', name, metric, priority, service, customer, target, calendar, warn_at, valid FROM sla.policies ORDER BY name;
SELECT 'attachments', tickets, id_column, created_column, status_column, paused_statuses, resolved_statuses,
       metrics, priority_column, service_column, customer_column, view FROM sla.attached_tables ORDER BY 2;
-- (the statuses tickets had when the table was attached count from then: now())
SELECT 'history', ticket_id, CASE WHEN changed_at > '2026-07-01' THEN 'when attached' ELSE changed_at::text END, status
  FROM sla.status_history ORDER BY ticket_id, changed_at, status;
SELECT 'state', ticket_id, status, status_since, paused, reopened FROM sla.ticket_state ORDER BY ticket_id;
SELECT 'events', ticket_id, metric, kind, happened_at FROM sla.events ORDER BY ticket_id, metric, kind;
SELECT 'view', id, first_response_policy, first_response_target, first_response_due_at, first_response_state,
       first_response_elapsed, resolution_policy, resolution_target, resolution_due_at, resolution_state,
       resolution_elapsed, resolution_elapsed_seconds, resolution_used
  FROM app.tickets_sla WHERE resolved_at IS NOT NULL ORDER BY id;
SELECT 'view due', id, first_response_due_at, resolution_due_at FROM app.tickets_sla ORDER BY id;
SQL

# What an update must keep, read before and after it: the SLA view's rows
# (where now() plays no part), the history and the events, with their ids.
cat >"$work/kept.sql" <<'SQL'
SET TimeZone = 'UTC';
SELECT 'view', id, first_response_policy, first_response_due_at, first_response_state, first_response_elapsed,
       resolution_policy, resolution_due_at, resolution_state, resolution_elapsed
  FROM app.tickets_sla WHERE resolved_at IS NOT NULL ORDER BY id;
SELECT 'view due', id, first_response_due_at, resolution_due_at FROM app.tickets_sla ORDER BY id;
SELECT 'history', ticket_id, changed_at, status FROM sla.status_history ORDER BY id;
SELECT 'state', ticket_id, status, status_since, paused, reopened FROM sla.ticket_state ORDER BY ticket_id;
SELECT 'events', id, ticket_id, metric, kind, happened_at, recorded_at FROM sla.events ORDER BY id;
SQL

# Every object of the extension and everything attach made, as text.
cat >"$work/catalog.sql" <<'SQL'
WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'sla'),
members AS (
    SELECT d.classid, d.objid FROM pg_depend d, ext
     WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e')
SELECT 'member', pg_describe_object(m.classid, m.objid, 0),
       CASE m.classid
           WHEN 'pg_proc'::regclass THEN
               (SELECT md5(pg_get_functiondef(p.oid)) || ' ' || p.provolatile::text || p.proparallel::text || p.proisstrict::text
                       || ' ' || coalesce(p.proacl::text, 'default') FROM pg_proc p WHERE p.oid = m.objid AND p.prokind <> 'a')
           WHEN 'pg_class'::regclass THEN
               (SELECT c.relkind::text || ' ' || coalesce(c.relacl::text, 'default') || ' rls=' || c.relrowsecurity
                       || CASE WHEN c.relkind = 'v' THEN ' ' || md5(pg_get_viewdef(c.oid)) ELSE '' END
                  FROM pg_class c WHERE c.oid = m.objid)
           WHEN 'pg_type'::regclass THEN
               (SELECT t.typtype::text || ' ' || t.typlen || ' ' || t.typalign::text || ' ' || t.typstorage::text
                       || coalesce(' ' || (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '')
                  FROM pg_type t WHERE t.oid = m.objid)
       END
  FROM members m
UNION ALL
SELECT 'column', c.oid::regclass::text, a.attnum || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
       || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
 WHERE c.relnamespace IN ('sla'::regnamespace, 'sla_private'::regnamespace, 'sla_state'::regnamespace)
UNION ALL
SELECT 'constraint', conrelid::regclass::text, conname || ' ' || pg_get_constraintdef(oid)
  FROM pg_constraint WHERE connamespace IN ('sla'::regnamespace, 'sla_private'::regnamespace, 'sla_state'::regnamespace)
UNION ALL
SELECT 'index', indrelid::regclass::text, pg_get_indexdef(indexrelid)
  FROM pg_index WHERE indrelid IN (SELECT oid FROM pg_class
                                    WHERE relnamespace IN ('sla'::regnamespace, 'sla_private'::regnamespace, 'sla_state'::regnamespace))
UNION ALL
SELECT 'policy', tablename, policyname || ' ' || cmd || ' ' || array_to_string(roles, ',') || ' ' || coalesce(qual, '') || ' ' || coalesce(with_check, '')
  FROM pg_policies WHERE schemaname IN ('sla', 'sla_state')
UNION ALL
SELECT 'trigger', tgrelid::regclass::text, pg_get_triggerdef(oid)
  FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace IN ('sla'::regnamespace, to_regnamespace('app')))
UNION ALL
SELECT 'state table', c.oid::regclass::text, pg_get_userbyid(c.relowner) || ' ' || coalesce(c.relacl::text, 'default') || ' rls=' || c.relrowsecurity
  FROM pg_class c WHERE c.relnamespace = 'sla_state'::regnamespace
UNION ALL
SELECT 'config dump', c::regclass::text, coalesce(cond, '')
  FROM pg_extension e, unnest(e.extconfig, e.extcondition) u(c, cond) WHERE e.extname = 'sla'
UNION ALL
SELECT 'aggregate', a.aggfnoid::regprocedure::text,
       concat_ws(' ', a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn, a.aggfinalmodify, p.proparallel)
  FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid WHERE p.pronamespace = 'sla'::regnamespace
UNION ALL
SELECT 'schema', nspname, coalesce(nspacl::text, 'default') FROM pg_namespace WHERE nspname IN ('sla', 'sla_private', 'sla_state')
UNION ALL
SELECT 'attached view', c.oid::regclass::text, pg_get_viewdef(c.oid)
  FROM pg_class c WHERE c.relnamespace = to_regnamespace('app') AND c.relkind = 'v'
ORDER BY 1, 2, 3;
SQL

default=$(q -c "SELECT default_version FROM pg_available_extensions WHERE name = 'sla'")
if [ -z "$default" ]; then
  echo "1..1"; echo "not ok 1 - the sla extension is installed on the server"; exit 1
fi
mapfile -t versions < <(q -c "SELECT version FROM pg_available_extension_versions WHERE name = 'sla' ORDER BY 1")
echo "# default version $default; versions offered: ${versions[*]}"

# 1. A fresh install of the default version, its battery and catalog
fresh=${prefix}_fresh
newdb "$fresh" || { echo "1..1"; echo "not ok 1 - create a database"; exit 1; }
check "CREATE EXTENSION sla installs the default version $default" \
  bash -c "psql -X -q -At -v ON_ERROR_STOP=1 -d $fresh -c 'CREATE EXTENSION sla' && \
           [ \"\$(psql -X -At -d $fresh -c \"SELECT extversion FROM pg_extension WHERE extname = 'sla'\")\" = '$default' ]"
check "\\dx lists sla $default" \
  bash -c "psql -X -d $fresh -c '\\dx sla' | grep -qE '^ *sla *\\| *$default *\\|'"
q -d "$fresh" -f "$work/setup.sql" >/dev/null 2>"$work/setup.err"
check "the 1.0 interface takes the test data (calendars, policies, attach, record_status, sweep)" test ! -s "$work/setup.err"
[ -s "$work/setup.err" ] && sed 's/^/# /' "$work/setup.err"
q -d "$fresh" -f "$work/battery.sql" >"$work/fresh.out" 2>"$work/fresh.err"
check "the battery runs on the fresh install" test ! -s "$work/fresh.err"
[ -s "$work/fresh.err" ] && sed 's/^/# /' "$work/fresh.err"
q -d "$fresh" -f "$work/catalog.sql" >"$work/fresh.catalog" 2>&1

# the battery's answers, worked out by hand (Europe/Berlin is UTC+2 in June;
# office hours 09-12 and 13-17, holidays 4 June and 25 December)
expect() {                     # expect <description> <exact line of fresh.out>
  if grep -qxF -- "$2" "$work/fresh.out"; then ok "$1"; else not_ok "$1"; echo "#   wanted: $2"; fi
}
# Wednesday 16:00: 1 hour, Thursday is a holiday, Friday 09:00-11:00
expect "business_add: 3 hours from Wednesday 16:00 over Corpus Christi end Friday 11:00" \
  "business_add|2026-06-05 09:00:00+00"
# 09-11 worked, paused 11-14, then 14-16: 4 hours at 16:00 local
expect "business_add: a pause over lunch moves the deadline to 16:00" "business_add paused|2026-06-01 14:00:00+00"
# Friday 10:00 back 1 hour to 09:00, then Wednesday 17:00 back 1 hour
expect "business_add: backwards across the holiday" "business_add back|2026-06-03 14:00:00+00"
# Monday-Friday 1-5 June minus Thursday: 4 days of 7 hours
expect "business_time: the week of Corpus Christi has 28 hours" "business_time|28:00:00"
expect "is_open: not on Corpus Christi" "is_open|f"
expect "next_open: Friday evening to Monday 09:00" "next_open|2026-06-08 07:00:00+00"
expect "next_close: Friday 12:30 (lunch) is closed, so itself" "next_close|2026-06-05 10:30:00+00"
expect "open_windows: Wednesday 15-17 and Friday 09-10" \
  'open_windows|{["2026-06-03 13:00:00+00","2026-06-03 15:00:00+00"),["2026-06-05 07:00:00+00","2026-06-05 08:00:00+00")}'
# 09-12 and 13-14:30 is 4.5 hours against 4: breached, due at 14:00
expect "evaluate: stopped after 4.5 of 4 hours is breached, due 14:00" \
  'evaluate|(breached,"2026-06-01 12:00:00+00",04:30:00,-00:30:00,1.125)'
expect "pauses: closed at 12:00 and open from 13:00" \
  'pauses|{["2026-06-01 11:00:00+00","2026-06-01 12:00:00+00"),["2026-06-01 13:00:00+00",)}'
expect "policy_for: the version in force on 20 June" "policy_for|High resolution v2"
# ticket 3 (high, 24/7 support, 2 hours from 16 June 08:00): at risk 09:30, breached 10:00
expect "events: ticket 3 was at risk at 09:30" "events|3|resolution|at_risk|2026-06-16 09:30:00+00"
expect "events: ticket 3 breached at 10:00" "events|3|resolution|breached|2026-06-16 10:00:00+00"
# ticket 2: reopened once (resolved 9 June, open 10 June), closed 11 June
expect "ticket state: ticket 2 closed, reopened once" \
  "state|2|closed|2026-06-11 10:00:00+00|{[\"2026-06-04 08:00:00+00\",\"2026-06-05 08:00:00+00\")}|1"
# ticket 5 (high, created Monday 22 June 12:00 local, in the lunch break: answered at 12:10
# after no business time, response due 14:00 local; resolved after 1 of 2 hours on 24/7)
expect "the view: ticket 5 met its 2-hour resolution target in 1 hour" \
  "view|5|High response|01:00:00|2026-06-22 12:00:00+00|met|00:00:00|High resolution v2|02:00:00|2026-06-22 12:00:00+00|met|01:00:00|3600.000000|0.5"

# the fingerprint of the catalog is a function of the version alone
again=${prefix}_again
newdb "$again" && q -d "$again" -c 'CREATE EXTENSION sla' -f "$work/setup.sql" >/dev/null 2>&1
q -d "$again" -f "$work/catalog.sql" >"$work/again.catalog" 2>&1
check "two fresh installs have the same catalog fingerprint ($(wc -l <"$work/fresh.catalog") lines)" \
  cmp -s "$work/fresh.catalog" "$work/again.catalog"

# updating to the version installed is a no-op; to an unknown one, an error
check "ALTER EXTENSION sla UPDATE on $default is a no-op" \
  bash -c "psql -X -q -v ON_ERROR_STOP=1 -d $again -c 'ALTER EXTENSION sla UPDATE' 2>&1 | grep -q 'already installed'"
check "ALTER EXTENSION sla UPDATE TO an unknown version fails with 22023" \
  bash -c "psql -X -q -d $again -v VERBOSITY=verbose -c \"ALTER EXTENSION sla UPDATE TO 'no-such-version'\" 2>&1 | grep -q '22023'"
q -d "$again" -c 'CREATE EXTENSION IF NOT EXISTS pgtap' >/dev/null 2>&1
check "the pgTAP clock suite passes on the fresh install" \
  bash -c "PGDATABASE=$again timeout $limit pg_prove test/pgtap/clock_properties.sql >$work/prove-fresh 2>&1"

# 2. The versions and scripts shipped
sharedir=$("$PG_CONFIG" --sharedir 2>/dev/null)/extension
if [ -f "sla--$default.sql" ] && [ -f "$sharedir/sla--$default.sql" ]; then
  check "the installed sla--$default.sql is the one built from this tree" cmp -s "sla--$default.sql" "$sharedir/sla--$default.sql"
else
  skip "sla--$default.sql not built here or not installed in $sharedir"
fi
broken=$(q -c "SELECT string_agg(v.version, ', ') FROM pg_available_extension_versions v
                WHERE v.name = 'sla' AND v.version <> '$default'
                  AND NOT EXISTS (SELECT FROM pg_extension_update_paths('sla') p
                                   WHERE p.source = v.version AND p.target = '$default' AND p.path IS NOT NULL)")
check "every version offered has an update path to $default${broken:+ (none from: $broken)}" test -z "$broken"
shopt -s nullglob
installed_scripts=("$sharedir"/sla--*--*.sql)
repo_scripts=(sql/sla--*--*.sql)
if [ ${#installed_scripts[@]} -eq 0 ]; then
  skip "no upgrade script installed yet (sla--X--Y.sql)"
fi
for script in "${installed_scripts[@]}"; do
  pair=${script##*/sla--}; pair=${pair%.sql}; from=${pair%%--*}; to=${pair##*--}
  db=${prefix}_from_${#databases[@]}
  newdb "$db"
  check "upgrade script sla--$from--$to.sql starts from an installable version $from" \
    q -d "$db" -c "CREATE EXTENSION sla VERSION '$from'"
  check "and leads to a version the server knows ($to)" \
    test -n "$(q -c "SELECT 1 FROM pg_available_extension_versions WHERE name = 'sla' AND version = '$to'")"
done
if [ ${#repo_scripts[@]} -eq 0 ]; then
  skip "no upgrade script in sql/ yet"
fi
for script in "${repo_scripts[@]}"; do
  check "sql/${script##*/} is installed as is" cmp -s "$script" "$sharedir/${script##*/}"
done

# 3. Every other version, updated to the default, is the default
run_regress() {                # the pg_regress suite (Makefile's REGRESS) in an existing database
  timeout "$limit" "$(dirname "$("$PG_CONFIG" --pgxs)")/../test/regress/pg_regress" \
    --inputdir=test --outputdir="$work/regress" --use-existing --dbname="$1" "${regress[@]}" >"$work/regress.log" 2>&1 ||
    { grep -E 'FAILED|failed' "$work/regress.log" | sed 's/^/# /'; return 1; }
}
upgradable=()
for v in "${versions[@]}"; do [ "$v" != "$default" ] && upgradable+=("$v"); done
if [ ${#upgradable[@]} -eq 0 ]; then
  skip "no version before $default to update from"
fi
mapfile -t regress < <(sed -n 's/^REGRESS *= *//p' Makefile | tr ' ' '\n' | grep -v '^security$' | grep .)
for v in "${upgradable[@]}"; do
  db=${prefix}_up_${v//[^0-9a-zA-Z]/_}
  newdb "$db"
  q -d "$db" -c "CREATE EXTENSION sla VERSION '$v'" -f "$work/setup.sql" >/dev/null 2>"$work/up.err" &&
    q -d "$db" -f "$work/kept.sql" >"$work/kept.before" 2>&1 &&
    q -d "$db" -c 'ALTER EXTENSION sla UPDATE' 2>>"$work/up.err"
  check "sla $v with data updates to $default" \
    test "$(q -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'sla'")" = "$default"
  sed 's/^/# /' "$work/up.err"
  q -d "$db" -f "$work/kept.sql" >"$work/kept.after" 2>&1
  if [ -s "$work/kept.before" ] && cmp -s "$work/kept.before" "$work/kept.after"; then
    ok "the update keeps the SLA view's rows, the history and the events ($(wc -l <"$work/kept.before") lines)"
  else
    not_ok "the update keeps the SLA view's rows, the history and the events"
    diff "$work/kept.before" "$work/kept.after" | head -20 | sed 's/^/# /'
  fi
  q -d "$db" -f "$work/catalog.sql" >"$work/up.catalog" 2>&1
  if cmp -s "$work/fresh.catalog" "$work/up.catalog"; then
    ok "sla $v updated has the catalog of a fresh $default"
  else
    not_ok "sla $v updated has the catalog of a fresh $default"
    diff "$work/fresh.catalog" "$work/up.catalog" | head -40 | sed 's/^/# /'
  fi
  q -d "$db" -f "$work/battery.sql" >"$work/up.out" 2>&1
  if cmp -s "$work/fresh.out" "$work/up.out"; then
    ok "sla $v updated answers the battery as a fresh $default"
  else
    not_ok "sla $v updated answers the battery as a fresh $default"
    diff "$work/fresh.out" "$work/up.out" | head -40 | sed 's/^/# /'
  fi
  q -d "$db" -c 'CREATE EXTENSION IF NOT EXISTS pgtap' >/dev/null 2>&1
  check "the pgTAP clock and bad-input suites pass on sla $v updated" \
    bash -c "PGDATABASE=$db timeout $limit pg_prove test/pgtap/clock_properties.sql test/pgtap/bad_input.sql >$work/prove-up 2>&1"
  # the regression suite, against an updated extension without test data
  rdb=${prefix}_regress_${v//[^0-9a-zA-Z]/_}
  newdb "$rdb"
  q -d "$rdb" -c "CREATE EXTENSION sla VERSION '$v'" -c 'ALTER EXTENSION sla UPDATE' >/dev/null 2>&1
  check "the regression suite passes on sla $v updated" run_regress "$rdb"
done

echo "1..$n"
[ "$failed" -eq 0 ]
