#!/bin/bash
# test/t/symbols.sh: PostgreSQL loads modules with RTLD_GLOBAL, so every C
# symbol the installed sla.so exports shares one namespace with the server
# and every other module.  Each must carry the sla_ prefix, be PostgreSQL's
# module magic, or be a C entry point that the released 1.0 install script
# (sql/sla--1.0.sql, frozen) binds by name (src/entry_points_1_0.c,
# src/trigger_1_0.c).  TAP output.
set -uo pipefail
cd "$(dirname "$0")/../.."
limit=60
. test/t/tap.sh
library="$(/usr/lib/postgresql/15/bin/pg_config --pkglibdir)/sla.so"
bound_by_1_0=$(grep -o "'MODULE_PATHNAME', '[A-Za-z0-9_]*'" sql/sla--1.0.sql | cut -d"'" -f4 | sort -u)
exported=$(nm -D --defined-only "$library" | awk '$2 ~ /^[TDBR]$/ { print $3 }' | sort -u)
allowed() {
  case "$1" in
    sla_*|pg_finfo_sla_*|Pg_magic_func|_PG_init|_init|_fini) return 0 ;;
  esac
  grep -qx "${1#pg_finfo_}" <<<"$bound_by_1_0"      # a 1.0 entry point, or its info function
}
stray=""
for symbol in $exported; do allowed "$symbol" || stray+=" $symbol"; done
[ -n "$exported" ] && ok "sla.so exports $(wc -w <<<"$exported") symbols" || not_ok "nm lists the symbols of $library"
[ -z "$stray" ] && ok "each is sla_-prefixed, the module magic, or a 1.0 entry point" \
                || not_ok "symbols without the sla_ prefix:$stray"
missing=""
for name in $bound_by_1_0; do grep -qx "$name" <<<"$exported" || missing+=" $name"; done
[ -z "$missing" ] && ok "every entry point sla--1.0.sql binds is still exported ($(wc -w <<<"$bound_by_1_0"))" \
                  || not_ok "entry points of 1.0 missing:$missing"
echo "1..$n"
[ "$failed" -eq 0 ]
