#!/bin/bash
# test/t/looker.sh: runs every sql:, sql_on: and sql_table_name: of the LookML
# files (looker/*.lkml, or the files given) as a SELECT against the database
# that the PG* environment variables name (the demo database, with the demo
# loaded), so that the Looker files cannot drift from the SLA views.
# Prints TAP ("1..N", then "ok N - ..." / "not ok N - ..."); exits 1 when a
# test fails, 2 when the files cannot be read or the database not reached.
#
# Each query is what Looker would send, more or less: ${TABLE} is the view's
# alias (its name, as Looker does), ${field} and ${view.field} are replaced
# by the referenced field's SQL (recursively, in parentheses), a measure by
# its aggregate (type sum: SUM(sql), average: AVG(sql), median and
# percentile: PERCENTILE_CONT, count: COUNT(*), number: its sql).  Each
# field is evaluated over the whole view, with a cast that checks its type:
# number -> numeric, yesno -> boolean, time -> timestamptz.
set -uo pipefail
cd "$(dirname "$0")/../.."

if [ $# -gt 0 ]; then
  files=("$@")
else
  shopt -s nullglob
  files=(looker/*.lkml)
fi
if [ ${#files[@]} -eq 0 ]; then
  echo "Bail out! no LookML files"
  exit 2
fi

read -r -d '' PARSER <<'PERL'
use strict;
use warnings;

my (%views, @explores, @failures);
sub fail { push @failures, $_[0]; }

# Parse: sql blocks first (they may hold #, { and }), then comments, then
# blocks "kind: name {" ... "}" and properties "key: value".
for my $file (@ARGV) {
    my $fh;
    unless (open $fh, '<', $file) { fail("$file: $!"); next; }
    my $text = do { local $/; <$fh> };
    close $fh;
    my (@sql, @strings);
    $text =~ s/\b(sql\w*|html|expression)\s*:(.*?);;/push @sql, $2; "$1: \x01" . $#sql . "\x01"/gse;
    $text =~ s/"((?:[^"\\]|\\.)*)"/push @strings, $1; "\x02" . $#strings . "\x02"/gse;
    $text =~ s/#[^\n]*//g;
    my @stack = ({ kind => 'file', name => $file, props => {}, children => [] });
    pos($text) = 0;
    while (pos($text) < length($text)) {    # each step consumes text
        if ($text =~ /\G\s*(\w+)\s*:\s*(?:(\+?[\w.]+)\s*)?\{/gc) {
            push @stack, { kind => $1, name => $2 // '', props => {}, children => [], file => $file };
        } elsif ($text =~ /\G\s*\}/gc) {
            if (@stack < 2) { fail("$file: unbalanced }"); last; }
            my $block = pop @stack;
            push @{ $stack[-1]{children} }, $block;
        } elsif ($text =~ /\G\s*(\w+)\s*:\s*(\x01(\d+)\x01|\x02(\d+)\x02|\[[^\]]*\]|[^\s{}\[\]]+)/gc) {
            my ($key, $value) = ($1, $2);
            if (defined $3) { $value = $sql[$3]; $value =~ s/^\s+|\s+$//g; }
            elsif (defined $4) { $value = $strings[$4]; }
            $stack[-1]{props}{$key} = $value;
        } elsif ($text =~ /\G\s*\z/gc) {
            last;
        } else {
            my $at = substr($text, pos($text) // 0, 40);
            fail("$file: cannot parse at: $at");
            last;
        }
    }
    fail("$file: unclosed block $stack[-1]{kind} $stack[-1]{name}") if @stack > 1;
    for my $top (@{ $stack[0]{children} }) {
        if ($top->{kind} eq 'view') {
            my %fields;
            for my $f (@{ $top->{children} }) {
                next unless $f->{kind} =~ /^(dimension|dimension_group|measure|filter|parameter)$/;
                $fields{ $f->{name} } = $f;
            }
            $views{ $top->{name} } = { name => $top->{name}, table => $top->{props}{sql_table_name},
                                       fields => \%fields, file => $file };
        } elsif ($top->{kind} eq 'explore') {
            push @explores, $top;
        }
    }
}

# Expansion of ${TABLE}, ${field} and ${view.field}
sub expand {
    my ($view, $sql, $depth) = @_;
    die "references nest deeper than 20\n" if $depth > 20;
    $sql =~ s/\$\{TABLE\}/$view->{name}/g;
    $sql =~ s{\$\{(?:(\w+)\.)?(\w+)\}}{reference($1 // $view->{name}, $2, $depth)}ge;
    return $sql;
}

sub reference {
    my ($view_name, $field_name, $depth) = @_;
    my $view = $views{$view_name} or die "unknown view in \${$view_name.$field_name}\n";
    return $view->{table} if $field_name eq 'SQL_TABLE_NAME';
    my $field = $view->{fields}{$field_name};
    unless ($field) {                      # created_date -> dimension_group created
        for my $group (values %{ $view->{fields} }) {
            next unless $group->{kind} eq 'dimension_group';
            next unless $field_name =~ /^\Q$group->{name}\E_(\w+)$/;
            my $timeframe = $1;
            my $timeframes = $group->{props}{timeframes} // '';
            die "dimension_group $group->{name} has no timeframe $timeframe\n"
                unless $timeframes =~ /\b\Q$timeframe\E\b/;
            $field = $group;
        }
    }
    die "unknown field \${$view_name.$field_name}\n" unless $field;
    return '(' . field_sql($view, $field, $depth + 1) . ')';
}

sub field_sql {
    my ($view, $field, $depth) = @_;
    my $props = $field->{props};
    my $type = $props->{type} // ($field->{kind} eq 'measure' ? 'count' : 'string');
    my $raw = $props->{sql} // ($field->{kind} eq 'measure' ? undef : "\${TABLE}.$field->{name}");
    my $sql = defined $raw ? expand($view, $raw, $depth) : undef;
    return $sql unless $field->{kind} eq 'measure';
    die "measure filters are not supported by this test\n" if exists $props->{filters};
    return 'COUNT(*)' if $type eq 'count' && !defined $sql;
    die "measure of type $type needs sql\n" unless defined $sql;
    my %aggregate = (sum => 'SUM', average => 'AVG', min => 'MIN', max => 'MAX');
    if ($type eq 'count_distinct') { return "COUNT(DISTINCT $sql)"; }
    if (my $f = $aggregate{$type}) { return "$f($sql)"; }
    if ($type eq 'median') { return "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY $sql)"; }
    if ($type eq 'percentile') {
        my $p = $props->{percentile} // die "percentile measure without percentile:\n";
        die "percentile must be 1..99\n" unless $p =~ /^\d+$/ && $p >= 1 && $p <= 99;
        return "PERCENTILE_CONT(" . ($p / 100) . ") WITHIN GROUP (ORDER BY $sql)";
    }
    return $sql if $type eq 'number';
    die "measure type $type is not supported by this test\n";
}

sub emit { print join("\0", @_), "\0"; }

for my $view (sort { $a->{name} cmp $b->{name} } values %views) {
    my $v = $view->{name};
    unless (defined $view->{table}) { emit('F', "view $v: sql_table_name", "no sql_table_name"); next; }
    emit('Q', "view $v: sql_table_name $view->{table}", "SELECT * FROM $view->{table} AS $v LIMIT 0");
    for my $name (sort keys %{ $view->{fields} }) {
        my $field = $view->{fields}{$name};
        next unless defined $field->{props}{sql} || ($field->{props}{type} // '') eq 'count';
        my $type = $field->{props}{type} // ($field->{kind} eq 'measure' ? 'count' : 'string');
        my $desc = "$v.$name ($field->{kind}, $type)";
        my $sql = eval { field_sql($view, $field, 0) };
        if (!defined $sql) { chomp(my $e = $@); emit('F', $desc, $e); next; }
        my $select;
        if ($field->{kind} eq 'measure') {
            $select = "SELECT ($sql)::numeric";
        } elsif ($type eq 'number') {
            $select = "SELECT count(*), sum(($sql)::numeric)";
        } elsif ($type eq 'yesno') {
            $select = "SELECT count(*) FILTER (WHERE ($sql)::boolean)";
        } elsif ($type eq 'time' || $type eq 'date' || $type eq 'date_time') {
            $select = "SELECT max(($sql)::timestamptz)";
        } else {
            $select = "SELECT count(($sql)::text)";
        }
        emit('Q', $desc, "$select FROM $view->{table} AS $v");
    }
}

for my $explore (@explores) {
    my $e = $explore->{name};
    my $base_name = $explore->{props}{view_name} // $explore->{props}{from} // $e;
    my $base = $views{$base_name};
    unless ($base) { emit('F', "explore $e", "unknown view $base_name"); next; }
    my $from = "$base->{table} AS $base_name";
    for my $join (grep { $_->{kind} eq 'join' } @{ $explore->{children} }) {
        my $j = $join->{name};
        my $view = $views{ $join->{props}{from} // $j };
        my $desc = "explore $e: join $j sql_on";
        unless ($view) { emit('F', $desc, "unknown view $j"); next; }
        my $on = $join->{props}{sql_on};
        unless (defined $on) { emit('F', $desc, "no sql_on"); next; }
        my $sql = eval { expand($view, $on, 0) };
        if (!defined $sql) { chomp(my $err = $@); emit('F', $desc, $err); next; }
        my $type = uc($join->{props}{type} // 'left_outer');
        $type = $type eq 'LEFT_OUTER' ? 'LEFT JOIN' : $type eq 'INNER' ? 'JOIN' : $type eq 'FULL_OUTER' ? 'FULL JOIN' : 'CROSS JOIN';
        $from .= "\n  $type $view->{table} AS $j ON $sql";
        emit('Q', $desc, "SELECT count(*) FROM $from");
    }
}
emit('F', 'LookML files parse', $_) for @failures;
PERL

kinds=()
descs=()
payloads=()
while IFS= read -r -d '' kind && IFS= read -r -d '' desc && IFS= read -r -d '' payload; do
  kinds+=("$kind")
  descs+=("$desc")
  payloads+=("$payload")
done < <(perl -e "$PARSER" "${files[@]}")

if [ ${#kinds[@]} -eq 0 ]; then
  echo "Bail out! nothing to test in ${files[*]}"
  exit 2
fi
# as the README advises for dashboards: no JIT compilation of each query
export PGOPTIONS="${PGOPTIONS:-} -c jit=off"
if ! psql -X -q -A -t -c 'SELECT 1' >/dev/null 2>&1; then
  echo "Bail out! cannot connect to the database (set PGHOST, PGPORT, PGDATABASE, PGUSER)"
  exit 2
fi

echo "1..${#kinds[@]}"
failed=0
for i in "${!kinds[@]}"; do
  n=$((i + 1))
  if [ "${kinds[$i]}" = F ]; then
    echo "not ok $n - ${descs[$i]}"
    echo "# ${payloads[$i]}"
    failed=$((failed + 1))
    continue
  fi
  if out=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -c "${payloads[$i]}" 2>&1); then
    echo "ok $n - ${descs[$i]}"
  else
    echo "not ok $n - ${descs[$i]}"
    sed 's/^/# /' <<<"$out"
    sed 's/^/#   /' <<<"${payloads[$i]}"
    failed=$((failed + 1))
  fi
done
if [ "$failed" -gt 0 ]; then
  echo "# $failed of ${#kinds[@]} failed"
  exit 1
fi
exit 0
