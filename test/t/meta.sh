#!/bin/bash
# test/t/meta.sh: META.json follows the PGXN meta spec 1.0.0 (its required
# keys, its semantic versions, its prereq phases and relations) and agrees
# with the extension: the version sla.control installs, files that exist.
# Checked with PostgreSQL's own JSON parser (PGHOST, PGPORT, PGUSER of the
# test cluster).  TAP output.
set -uo pipefail
cd "$(dirname "$0")/../.."
n=0
failed=0
check() {                      # check <description> <SQL boolean over jsonb $m>
  local got
  got=$(echo "SELECT ($2) FROM (SELECT :'meta'::jsonb AS m) x" |
          psql -X -At -v ON_ERROR_STOP=1 -v meta="$(cat META.json)" -d postgres 2>&1)
  n=$((n + 1))
  if [ "$got" = "t" ]; then echo "ok $n - $1"; else failed=$((failed + 1)); echo "not ok $n - $1 ($got)"; fi
}
semver="'^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+)?\$'"
control=$(sed -n "s/^default_version = '\(.*\)'/\1/p" sla.control)
check "META.json is JSON with the required keys" \
  "m ?& ARRAY['name', 'abstract', 'version', 'maintainer', 'license', 'provides', 'meta-spec']"
check "it follows meta spec 1.0.0" "m #>> '{meta-spec,version}' = '1.0.0'"
check "its version is a semantic version" "m ->> 'version' ~ $semver"
check "its version is the one sla.control installs ($control)" \
  "m ->> 'version' IN ('$control', '$control.0')"
check "each extension it provides has a file and a semantic version, the distribution's" \
  "NOT EXISTS (SELECT 1 FROM jsonb_each(m -> 'provides') p
                WHERE NOT p.value ?& ARRAY['file', 'version'] OR p.value ->> 'version' !~ $semver
                   OR p.value ->> 'version' <> m ->> 'version')"
check "its prereqs use the spec's phases and relations, with versions" \
  "NOT EXISTS (SELECT 1 FROM jsonb_each(m -> 'prereqs') ph, jsonb_each(ph.value) rel, jsonb_each_text(rel.value) req
                WHERE ph.key NOT IN ('configure', 'build', 'test', 'runtime', 'develop')
                   OR rel.key NOT IN ('requires', 'recommends', 'suggests', 'conflicts')
                   OR req.value !~ $semver)"
check "it requires PostgreSQL 15, recommends pg_cron and tests with pgTAP" \
  "m #>> '{prereqs,runtime,requires,PostgreSQL}' = '15.0.0' AND m #> '{prereqs,runtime,recommends}' ? 'pg_cron'
   AND m #> '{prereqs,test,requires}' ? 'pgTAP'"
n=$((n + 1))
files=$(echo "SELECT p.value ->> 'file' FROM jsonb_each(:'meta'::jsonb -> 'provides') p
              UNION ALL SELECT p.value ->> 'docfile' FROM jsonb_each(:'meta'::jsonb -> 'provides') p" |
        psql -X -At -v ON_ERROR_STOP=1 -v meta="$(cat META.json)" -d postgres 2>&1)
missing=$(for f in $files; do [ -f "$f" ] || echo "$f"; done)
if [ -n "$files" ] && [ -z "$missing" ]; then echo "ok $n - the files it names exist"; else failed=$((failed + 1)); echo "not ok $n - missing: $missing"; fi
echo "1..$n"
[ "$failed" -eq 0 ]
