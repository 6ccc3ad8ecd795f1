-- test/pgtap/bad_input.sql: a corpus of bad input, each with the SQLSTATE it must
-- raise (throws_ok), valid edge cases that must be accepted (lives_ok), and
-- at the end a check that the server is still answering, on the same
-- backend, without having restarted.
--
-- The codes are the extension's contract (issue 2 and sql/errors.sql):
--   22P02 bad rules or bad text form of sla.calendar (with the position),
--   22023 unknown zone, amounts with months, targets not positive, bad
--         attach arguments,
--   22008 instants or holidays outside the years 1-9999 or infinite where no
--         result is documented, amounts that overflow,
--   22004 NULL holidays or NULL required names, 2202E holiday arrays of
--         more than one dimension, 22P03/08P01 malformed binary input,
--   54000 work beyond TIMELINE_MAX_SPANS,
--   42703/42804/42710/42809 attach's column and table checks, 23xxx the
--   configuration tables' constraints, 23P01 tied policies, 55000 tables
--   not attached.
-- Some codes come from PostgreSQL itself before the extension sees the
-- value (invalid UTF-8 is 22021, a malformed multirange 22P02, a range with
-- lower > upper 22000); they are here to show such bytes never reach the
-- parser.
--
-- Run: pg_prove --verbose test/pgtap/bad_input.sql   (as a superuser: the binary
-- cases write a scratch file with server-side COPY)

BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS sla;
SET LOCAL TimeZone = 'UTC';

SELECT plan(392);

CREATE SCHEMA bad_input;
CREATE TABLE bad_input.start AS
    SELECT pg_backend_pid() AS pid, pg_postmaster_start_time() AS postmaster_started;

---------------------------------------------------------------------------
-- 1. Rules (22P02): one throws_ok per case
---------------------------------------------------------------------------
CREATE TABLE bad_input.rules_cases (n serial, rules text, why text);
INSERT INTO bad_input.rules_cases (rules, why) VALUES
    ('Xx 09:00-10:00', 'unknown weekday'),
    ('Mon 09:00-10:00', 'three-letter weekday'),
    ('Monday', 'weekday spelled out'),
    ('Mo-Xy 09:00-10:00', 'unknown weekday ending a range'),
    ('Mo-', 'range without an end'),
    ('-Fr', 'range without a start'),
    ('Mo--Fr', 'double dash in a range'),
    ('Mo,,Tu', 'empty weekday in a list'),
    (',Mo', 'list starting with a comma'),
    ('Mo,', 'list ending with a comma'),
    ('Mo,PH', 'PH inside a weekday list'),
    ('PH,Mo', 'weekday after PH'),
    ('SH off', 'school holidays are not supported'),
    ('Mo[1] 09:00-17:00', 'nth weekday is not supported'),
    ('week 01-53', 'week numbers are not supported'),
    ('sunrise-sunset', 'solar times are not supported'),
    ('easter', 'variable dates are not supported'),
    ('Feb 30', 'Feb 30'),
    ('Feb 31', 'Feb 31'),
    ('Apr 31', 'Apr 31'),
    ('Jun 31 off', 'Jun 31'),
    ('Sep 31', 'Sep 31'),
    ('Nov 31', 'Nov 31'),
    ('2026 Feb 29', 'Feb 29 of a common year'),
    ('2100 Feb 29', 'Feb 29 of a century that is not a leap year'),
    ('Dec 0', 'day zero'),
    ('Dec 00', 'day 00'),
    ('Dec 32', 'day 32'),
    ('Dec 001', 'three-digit day'),
    ('Jan 4294967297', 'day that overflows 32 bits'),
    ('Dec', 'month without a day'),
    ('Dex 24', 'unknown month'),
    ('Jan 01-Feb 30', 'range ending on Feb 30'),
    ('Dec 24-Jan 32', 'range ending on Jan 32'),
    ('2026', 'year without a month'),
    ('0000 Jan 01', 'year zero'),
    ('10000 Jan 01', 'five-digit year'),
    ('-2026 Jan 01', 'negative year'),
    ('2147483648 Jan 01', 'year that overflows 32 bits'),
    ('2026 Jan 01-2027 Jan 05', 'a year inside the end of a range'),
    ('Mo 25:00-26:00', '25:00'),
    ('Mo 09:00-25:00', 'end at 25:00'),
    ('Mo 23:00-24:01', 'past 24:00'),
    ('Mo 24:00-02:00', '24:00 as a start'),
    ('Mo 24:00', '24:00 alone'),
    ('Mo 09:60-10:00', 'minutes 60'),
    ('Mo 09:99-10:00', 'minutes 99'),
    ('Mo -1:00-02:00', '-1:00 as a start'),
    ('-1:00', '-1:00 as a rule'),
    ('Mo 09:00--1:00', '-1:00 as an end'),
    ('Mo 09:00-09:00', 'empty span'),
    ('Mo 00:00-00:00', 'empty span at midnight'),
    ('Mo 00:00-24:00,12:00-12:00', 'empty span after a valid one'),
    ('09:00-17:00', 'times without a selector'),
    ('Mo 9-17', 'hours without minutes'),
    ('Mo 09:00', 'a time without an end'),
    ('Mo 09:00-', 'a span without an end'),
    ('Mo 09:0-10:00', 'one-digit minutes'),
    ('Mo 009:00-17:00', 'three-digit hour'),
    ('Mo 99999999999999999999:00-10:00', 'twenty-digit hour'),
    ('Mo 09:00:00-17:00:00', 'seconds'),
    ('Mo 09h00-17h00', 'h instead of a colon'),
    ('Mo 09.00-17.00', 'dot instead of a colon'),
    ('Mo 1e3:00-10:00', 'exponent in an hour'),
    ('Mo 0x10:00-10:00', 'hex in an hour'),
    ('Mo 09:00+', 'open end'),
    ('Mo 09:00-17:00+', 'open end after a span'),
    ('Mo 09:00-10:00,', 'span list ending with a comma'),
    ('Mo 09:00-10:00,,11:00-12:00', 'empty span in a list'),
    ('Mo 09:00-17:00 closed', 'times and closed'),
    ('Mo off off', 'off twice'),
    ('Mo 09:00-10:00 Tu', 'a second selector without a semicolon'),
    ('Mo 09:00-10:00 || Tu', 'fallback rules are not supported'),
    ('Mo 09:00-17:00 "on call"', 'comments are not supported'),
    ('24/7 off', '24/7 with off'),
    ('24/7 09:00-10:00', '24/7 with times'),
    ('24/6', '24/6'),
    ('24/', '24/ cut short'),
    ('24/7/7', '24/7/7'),
    ('/7', 'slash first'),
    ('NaN', 'NaN'),
    ('nan', 'nan'),
    ('Infinity', 'Infinity'),
    ('-infinity', '-infinity'),
    ('inf', 'inf'),
    ('null', 'the word null'),
    ('None', 'the word None'),
    ('{}', 'braces'),
    ('"Mo"', 'quoted rules'),
    ('Mo=09:00-10:00', 'an equals sign'),
    ('Mö 09:00-10:00', 'a non-ASCII letter in a weekday'),
    ('Mo 09：00-17：00', 'fullwidth colons'),
    ('Mo 09:00–17:00', 'an en dash'),
    ('Mo ０９:００-１０:００', 'fullwidth digits'),
    (E'Mo\u00a009:00-10:00', 'a no-break space'),
    (E'Mo\u200b 09:00-10:00', 'a zero-width space'),
    (E'\ufeffMo 09:00-10:00', 'a byte-order mark'),
    (E'Mo 09:00-10:00; \ufffd', 'a replacement character'),
    (E'\U0001F600', 'an emoji'),
    (convert_from('\x4d6fe9'::bytea, 'LATIN1'), 'Latin-1 bytes decoded (Moé)'),
    (convert_from('\x4d6fff'::bytea, 'LATIN1'), 'Latin-1 bytes decoded (Moÿ)'),
    (convert_from('\xc3a9c3a9'::bytea, 'UTF8'), 'two-byte letters only'),
    (repeat('x', 1000000), 'a 1,000,000-character word'),
    (repeat('Mo', 500000), 'a 1,000,000-character run of weekdays'),
    (repeat('9', 1000000), 'a 1,000,000-digit number'),
    (repeat('Mo 09:00-10:00; ', 70000), 'rules longer than 1 MiB'),
    (repeat('Mo 09:00-10:00; ', 10000) || 'Xx', '10,000 rules, then a bad one');

SELECT throws_ok(format('SELECT sla.calendar(%L)', rules), '22P02', NULL,
                 format('rules: %s', why))
  FROM bad_input.rules_cases ORDER BY n;

-- every ASCII control character except the four spaces (tab, newline,
-- carriage return) and NUL (which text cannot hold), and DEL
SELECT throws_ok(format('SELECT sla.calendar(%L)', 'Mo 09:00-10:00' || chr(c)), '22P02', NULL,
                 format('rules: control character %s', c))
  FROM generate_series(1, 31) c
 WHERE c NOT IN (9, 10, 13)
UNION ALL
SELECT throws_ok($$SELECT sla.calendar('Mo' || chr(127))$$, '22P02', NULL, 'rules: DEL');

-- the position counts characters, worked out here from the lengths
SELECT throws_ok(format('SELECT sla.calendar(%L)', repeat('Mo 09:00-10:00; ', 10000) || 'Xx'), '22P02',
                 format('invalid calendar rules: unknown weekday "Xx" at character %s', 16 * 10000 + 1),
                 'rules: the position after 10,000 good rules');
SELECT throws_ok($$SELECT sla.calendar('Mo-Fr 09:00-17:00; Sa 10:00-14:00; Su 25:00-26:00')$$, '22P02',
                 'invalid calendar rules: hour "25" is past 24:00 at character 39',
                 'rules: the position of 25:00 in the third rule');
SELECT throws_matching($$SELECT sla.calendar(repeat('x', 1000000))$$,
                 '^invalid calendar rules: expected a weekday, date, PH or 24/7, found "x{30,60}\.\.\." at character 1$',
                 'rules: a long token is cut short in the message');
SELECT throws_ok(format('SELECT sla.calendar(%L)', 'Mo' || chr(1)), '22P02',
                 'invalid calendar rules: unexpected "\x01" at character 3',
                 'rules: a control character is shown escaped');

-- invalid UTF-8 cannot reach the parser: PostgreSQL refuses it first
SELECT throws_ok($$SELECT sla.calendar(convert_from('\x4d6fff'::bytea, 'UTF8'))$$, '22021', NULL,
                 'rules: a stray 0xFF byte never reaches the parser');
SELECT throws_ok($$SELECT sla.calendar(convert_from('\xc0af'::bytea, 'UTF8'))$$, '22021', NULL,
                 'rules: an overlong encoding never reaches the parser');
SELECT throws_ok($$SELECT sla.calendar(convert_from('\xeda080'::bytea, 'UTF8'))$$, '22021', NULL,
                 'rules: an encoded surrogate never reaches the parser');

---------------------------------------------------------------------------
-- 2. Zones (22023)
---------------------------------------------------------------------------
SELECT throws_ok(format('SELECT sla.calendar(%L, %L)', 'Mo-Fr 09:00-17:00', zone), '22023', NULL,
                 format('zone: %s', why))
  FROM (VALUES ('', 'empty'),
               (' ', 'a space'),
               ('Mars/Olympus_Mons', 'unknown'),
               ('Europe/Berlin ', 'trailing space'),
               (' UTC', 'leading space'),
               ('Europe/Berlin' || chr(10), 'trailing newline'),
               ('UTC' || chr(1), 'control character'),
               ('Éurope/Berlin', 'non-ASCII letter'),
               ('../../../etc/passwd', 'relative path'),
               ('/etc/localtime', 'absolute path'),
               ('Europe/../UTC', 'dot-dot inside'),
               ('PST', 'abbreviation that is not a zone'),
               ('Z', 'Z'),
               ('NaN', 'NaN'),
               ('infinity', 'infinity'),
               (repeat('A', 300), '300 characters'),
               (repeat('A', 1000000), '1,000,000 characters'),
               ('Europe/Berlin;DROP TABLE x', 'SQL in a zone')) z(zone, why);
SELECT throws_ok($$SELECT sla.calendar('Mo', 'Mars/Olympus_Mons')$$, '22023',
                 'time zone "Mars/Olympus_Mons" not recognized', 'zone: the message names the zone');

---------------------------------------------------------------------------
-- 3. Holidays
---------------------------------------------------------------------------
SELECT throws_ok(format('SELECT sla.calendar(%L, %L, %L)', 'PH off', 'UTC', holidays), code, NULL,
                 format('holidays: %s', why))
  FROM (VALUES ('{2026-12-25,NULL}', '22004', 'a NULL element'),
               ('{NULL}', '22004', 'only NULL'),
               ('{infinity}', '22008', 'infinity'),
               ('{-infinity}', '22008', '-infinity'),
               ('{0001-12-31 BC}', '22008', 'a date BC'),
               ('{4714-11-24 BC}', '22008', 'the first date PostgreSQL has'),
               ('{10000-01-01}', '22008', 'the year 10000'),
               ('{5874897-12-31}', '22008', 'the last date PostgreSQL has'),
               ('{{2026-12-25},{2026-12-26}}', '2202E', 'two dimensions'),
               ('{{{2026-12-25}}}', '2202E', 'three dimensions'),
               ('{2026-02-30}', '22008', 'Feb 30 (refused by the date type)')) h(holidays, code, why);

---------------------------------------------------------------------------
-- 4. The text form of sla.calendar
---------------------------------------------------------------------------
SELECT throws_ok(format('SELECT %L::sla.calendar', input), code, NULL,
                 format('text form: %s', why))
  FROM (VALUES ('zone=', '22P02', 'empty zone'),
               ('zone= rules="Mo"', '22P02', 'empty zone before rules'),
               ('zone=Mars/X', '22023', 'unknown zone'),
               ('zone=UTC=UTC', '22023', 'an equals sign in the zone'),
               ('zone="UTC"', '22023', 'a quoted zone'),
               ('zone=NaN', '22023', 'NaN as a zone'),
               ('rules=', '22P02', 'rules= without a quote'),
               ('rules=Mo', '22P02', 'unquoted rules'),
               ('zone=UTC rules="Mo', '22P02', 'unterminated rules'),
               ('rules="Xx"', '22P02', 'bad rules inside the quotes'),
               ('rules="Mo 09:00-25:00"', '22P02', '25:00 inside the quotes'),
               ('rules="Mo=09:00-10:00"', '22P02', 'an equals sign inside the quotes'),
               ('Mo 09:00-25:00', '22P02', 'bare rules with 25:00'),
               ('Mo 09:00-10:00 x=y', '22P02', 'bare rules with a key'),
               ('holidays=2026-02-30', '22P02', 'holiday Feb 30'),
               ('holidays=2026-13-01', '22P02', 'holiday month 13'),
               ('holidays=2026-1-1', '22P02', 'holiday without zero padding'),
               ('holidays=2026-01-01,,2026-01-02', '22P02', 'an empty holiday'),
               ('holidays=99999-01-01', '22P02', 'holiday with a five-digit year'),
               ('holidays=0000-01-01', '22P02', 'holiday in year zero'),
               ('holidays=-001-01-01', '22P02', 'holiday with a negative year'),
               ('holidays=infinity', '22P02', 'infinity as a holiday'),
               ('holidays=NaN', '22P02', 'NaN as a holiday'),
               ('holidays=2026-01-01x', '22P02', 'trailing letter after a holiday'),
               ('holidays=+026-01-01', '22P02', 'holiday year with a sign'),
               ('holidays=2026-+1-01', '22P02', 'holiday month with a sign'),
               ('holidays=2026- 1-01', '22P02', 'holiday month with a space'),
               ('holidays=2026-01-012026-01-02', '22P02', 'two holidays without a comma'),
               ('holidays=2026-01-01,', '22P02', 'a trailing comma after the holidays'),
               ('zone=UTC zone=UTC', '22P02', 'zone twice'),
               ('zone=UTC rules="Mo" rules="Tu"', '22P02', 'rules twice'),
               ('zone=UTC rules="Mo" holidays=2026-01-01 holidays=2026-01-02', '22P02', 'holidays twice'),
               ('zone=UTC rules="Mo"extra', '22P02', 'garbage after the rules'),
               ('zone=UTC colour=blue', '22P02', 'an unknown key'),
               ('=', '22P02', 'a lone equals sign'),
               ('NaN', '22P02', 'NaN')) f(input, code, why);
SELECT throws_ok(format('SELECT %L::sla.calendar', 'zone=UTC rules="' || repeat('x', 1000000) || '"'), '22P02', NULL,
                 'text form: 1,000,000 characters of rules');
SELECT throws_ok(format('SELECT %L::sla.calendar', 'zone=UTC rules="' || repeat('Mo 09:00-10:00; ', 70000) || '"'), '22P02', NULL,
                 'text form: rules longer than 1 MiB');
SELECT throws_ok(format('SELECT %L::sla.calendar', 'zone=UTC' || chr(1) || ' rules="Mo"'), '22023', NULL,
                 'text form: a control character ends up in the zone');
SELECT throws_ok(format('SELECT %L::sla.calendar', 'zone=' || repeat('Z', 1000000)), '22023', NULL,
                 'text form: a 1,000,000-character zone');
-- the position counts characters, not bytes: "zone=Äöü holidays=" is 18 characters
SELECT throws_ok($$SELECT 'zone=Äöü holidays=2026-13-01'::sla.calendar$$, '22P02',
                 'invalid input syntax for type sla.calendar: holiday is not a valid date of the years 1 to 9999 at character 19',
                 'text form: the position after multibyte characters');

---------------------------------------------------------------------------
-- 5. Amounts (intervals)
---------------------------------------------------------------------------
SELECT throws_ok(format('SELECT sla.business_add(%L, %L, sla.calendar(%L))', '2026-11-23 10:00+00', amount, 'Mo-Fr 09:00-17:00'),
                 code, NULL, format('amount: %s', why))
  FROM (VALUES ('1 month', '22023', 'one month'),
               ('-1 month', '22023', 'minus one month'),
               ('1 year', '22023', 'one year'),
               ('1 mon -30 days', '22023', 'a month less 30 days'),
               ('0.5 years', '22023', 'half a year (six months)'),
               ('1 millennium', '22023', 'a millennium'),
               ('178000000 years', '22023', 'the largest years'),
               ('2147483647 days', '22008', 'the largest day count'),
               ('-2147483648 days', '22008', 'the smallest day count'),
               ('-2147483648 days -2562047788 hours', '22008', 'the smallest interval without months'),
               ('2562047788:00:54.775807', '22008', 'the largest time field'),
               ('100000000 hours', '22008', 'an amount past the year 9999'),
               ('NaN', '22007', 'NaN (refused by the interval type)'),
               ('infinity', '22007', 'infinity (refused by the interval type in PostgreSQL 15)')) a(amount, code, why);
SELECT throws_ok($$SELECT sla.evaluate('2026-11-23', '1 mon', sla.calendar('24/7'), as_of => '2026-11-24')$$, '22023', NULL,
                 'target: one month');
SELECT throws_ok($$SELECT sla.evaluate('2026-11-23', '0', sla.calendar('24/7'), as_of => '2026-11-24')$$, '22023', NULL,
                 'target: zero');
SELECT throws_ok($$SELECT sla.evaluate('2026-11-23', '-1 hour', sla.calendar('24/7'), as_of => '2026-11-24')$$, '22023', NULL,
                 'target: negative');
SELECT throws_ok($$SELECT sla.evaluate('2026-11-23', '-1 microsecond', sla.calendar('24/7'), as_of => '2026-11-24')$$, '22023', NULL,
                 'target: minus one microsecond');
SELECT throws_ok($$SELECT sla.evaluate('2026-11-23', '2147483647 days', sla.calendar('24/7'), as_of => '2026-11-24')$$, '22008', NULL,
                 'target: the largest day count');

---------------------------------------------------------------------------
-- 6. Instants
---------------------------------------------------------------------------
SELECT throws_ok(query, '22008', NULL, format('instant: %s', why))
  FROM (VALUES ($$SELECT sla.business_time('-infinity', '2026-11-23', sla.calendar('24/7'))$$, 'business_time from -infinity'),
               ($$SELECT sla.business_time('2026-11-23', 'infinity', sla.calendar('24/7'))$$, 'business_time to infinity'),
               ($$SELECT sla.business_time('infinity', 'infinity', sla.calendar('24/7'))$$, 'business_time from infinity to infinity'),
               ($$SELECT sla.business_time('2026-01-01', '4713-01-01 BC', sla.calendar('24/7'))$$, 'business_time to 4713 BC'),
               ($$SELECT sla.business_time('2026-01-01', '294276-12-31', sla.calendar('24/7'))$$, 'business_time to the year 294276'),
               ($$SELECT sla.business_add('0001-01-01 00:00+00', '-1 hour', sla.calendar('24/7'))$$, 'business_add before the year 1'),
               ($$SELECT sla.business_add('4713-01-01 BC', '1 hour', sla.calendar('24/7'))$$, 'business_add from 4713 BC'),
               ($$SELECT sla.business_add('294276-12-31', '1 hour', sla.calendar('24/7'))$$, 'business_add from the year 294276'),
               ($$SELECT sla.business_add('9999-12-31 22:00+00', '3 hours', sla.calendar('24/7'))$$, 'business_add past the year 9999'),
               ($$SELECT sla.business_add('2026-01-01', '7975 minutes', sla.calendar('Jul 04 12:00-12:01'))$$, 'business_add whose answer is in the year 10000'),
               ($$SELECT sla.is_open('infinity', sla.calendar('24/7'))$$, 'is_open at infinity'),
               ($$SELECT sla.is_open('-infinity', sla.calendar('24/7'))$$, 'is_open at -infinity'),
               ($$SELECT sla.next_open('-infinity', sla.calendar('24/7'))$$, 'next_open from -infinity'),
               ($$SELECT sla.next_close('-infinity', sla.calendar('24/7'))$$, 'next_close from -infinity'),
               ($$SELECT sla.next_open('9999-12-31 23:00+00', sla.calendar('Mo 09:00-10:00'))$$, 'next_open past the year 9999'),
               ($$SELECT sla.open_windows('(,)', sla.calendar('24/7'))$$, 'open_windows of an unbounded range'),
               ($$SELECT sla.open_windows('[2026-01-01,)', sla.calendar('24/7'))$$, 'open_windows without an upper bound'),
               ($$SELECT sla.open_windows('[2026-01-01,infinity)', sla.calendar('24/7'))$$, 'open_windows up to infinity'),
               ($$SELECT sla.open_windows('[-infinity,2026-01-01)', sla.calendar('24/7'))$$, 'open_windows from -infinity'),
               ($$SELECT sla.open_windows('[4713-01-01 BC,2026-01-01)', sla.calendar('24/7'))$$, 'open_windows from 4713 BC'),
               ($$SELECT sla.evaluate('2026-01-01', '1 hour', sla.calendar('24/7'), as_of => 'infinity')$$, 'evaluate as of infinity'),
               ($$SELECT sla.evaluate('2026-01-01', '1 hour', sla.calendar('24/7'), stopped_at => 'infinity')$$, 'evaluate stopped at infinity')) i(query, why);
-- a clock never started has no state: NULL, so one such row cannot break a view
SELECT is(sla.evaluate('-infinity', '1 hour', sla.calendar('24/7'), as_of => '2026-01-01'), NULL,
          'instant: evaluate started at -infinity is NULL');
SELECT throws_ok($$SELECT sla.business_time('2026-01-01', 'NaN', sla.calendar('24/7'))$$, '22007', NULL,
                 'instant: NaN (refused by the timestamptz type)');
SELECT throws_ok($$SELECT sla.is_open('2026-02-30 10:00', sla.calendar('24/7'))$$, '22008', NULL,
                 'instant: Feb 30 (refused by the timestamptz type)');
SELECT throws_ok($$SELECT sla.is_open('2026-01-01 25:00', sla.calendar('24/7'))$$, '22008', NULL,
                 'instant: 25:00 (refused by the timestamptz type)');

---------------------------------------------------------------------------
-- 7. Pauses (multiranges)
---------------------------------------------------------------------------
SELECT throws_ok(format('SELECT sla.business_add(%L, %L, sla.calendar(%L), %L)', '2026-01-01', '1 hour', '24/7', paused),
                 code, NULL, format('pauses: %s', why))
  FROM (VALUES ('{[2026-01-02,2026-01-01)}', '22000', 'a range with lower > upper'),
               ('{[2026-01-01,2026-01-02)', '22P02', 'an unterminated multirange'),
               ('[2026-01-01,2026-01-02)', '22P02', 'a range instead of a multirange'),
               ('{[NaN,2026-01-02)}', '22007', 'NaN as a bound'),
               ('{[2026-01-01,2026-01-02),}', '22P02', 'a trailing comma'),
               ('{(2026-01-01;2026-01-02)}', '22P02', 'a semicolon between bounds'),
               ('', '22P02', 'an empty string')) p(paused, code, why);
SELECT throws_ok($$SELECT sla.open_windows('[2026-01-02,2026-01-01)', sla.calendar('24/7'))$$, '22000', NULL,
                 'range: lower > upper for open_windows');

---------------------------------------------------------------------------
-- 8. Binary input (calendar_recv, through COPY ... FORMAT binary)
---------------------------------------------------------------------------
-- A binary COPY of a bytea value carries the raw bytes as the field, so
-- copying it into an sla.calendar column hands exactly those bytes to
-- calendar_recv.  Layout: version byte, int32 zone length, zone, int32
-- rules length, rules, int32 holiday count, int32 day numbers.
CREATE TABLE bad_input.received (c sla.calendar);
CREATE FUNCTION bad_input.receive(payload bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    path text := format('/tmp/sla_bad_input_%s.bin', pg_backend_pid());
    result text;
BEGIN
    EXECUTE format('COPY (SELECT %L::bytea) TO %L (FORMAT binary)', payload, path);
    TRUNCATE bad_input.received;
    EXECUTE format('COPY bad_input.received FROM %L (FORMAT binary)', path);
    SELECT c::text INTO result FROM bad_input.received;
    RETURN result;
END $$;
CREATE FUNCTION bad_input.bin(version int, zone bytea, rules bytea, days int[]) RETURNS bytea
    LANGUAGE sql AS $$
    SELECT set_byte('\x00'::bytea, 0, version)
        || int4send(length(zone)) || zone || int4send(length(rules)) || rules
        || int4send(coalesce(cardinality(days), 0))
        || coalesce((SELECT string_agg(int4send(d), ''::bytea ORDER BY o) FROM unnest(days) WITH ORDINALITY u(d, o)), ''::bytea)
$$;

SELECT is(bad_input.receive(bad_input.bin(1, 'Europe/Berlin', 'Mo-Fr 09:00-17:00', '{9490}')),
          'zone=Europe/Berlin rules="Mo-Fr 09:00-17:00" holidays=2025-12-25',
          'binary: a well-formed value is received (day 9490 is 2025-12-25)');
SELECT throws_ok(format('SELECT bad_input.receive(%L::bytea)', payload), code, NULL, format('binary: %s', why))
  FROM (VALUES (bad_input.bin(2, 'UTC', 'Mo', NULL), '22P03', 'format version 2'),
               (bad_input.bin(0, 'UTC', 'Mo', NULL), '22P03', 'format version 0'),
               ('\x01ffffffff'::bytea, '22P03', 'a negative zone length'),
               ('\x017fffffff555443'::bytea, '22P03', 'a zone length past the end'),
               ('\x0100000003555443ffffffff'::bytea, '22P03', 'a negative rules length'),
               ('\x01000000035554437fffffff4d6f'::bytea, '22P03', 'a rules length past the end'),
               ('\x0100000003555443000000024d6f7fffffff'::bytea, '22P03', 'a holiday count past the end'),
               ('\x0100000003555443000000024d6fffffffff'::bytea, '22P03', 'a negative holiday count'),
               (bad_input.bin(1, '\x55544300'::bytea, 'Mo', NULL), '22P03', 'a NUL byte in the zone'),
               (bad_input.bin(1, 'UTC', 'Mo', NULL) || '\x00'::bytea, '08P01', 'a trailing byte'),
               ('\x01000000'::bytea, '08P01', 'cut inside the zone length'),
               ('\x01'::bytea, '08P01', 'only the version byte'),
               (bad_input.bin(1, 'UTC', 'Xx', NULL), '22P02', 'bad rules'),
               (bad_input.bin(1, 'UTC', 'Mo 25:00-26:00', NULL), '22P02', '25:00 in the rules'),
               (bad_input.bin(1, 'UTC', '\x4d6fff'::bytea, NULL), '22P02', 'a stray 0xFF byte in the rules'),
               (bad_input.bin(1, 'UTC', '\x4d6f00'::bytea, NULL), '22P02', 'a NUL byte in the rules'),
               (bad_input.bin(1, 'Mars/X', 'Mo', NULL), '22023', 'an unknown zone'),
               (bad_input.bin(1, '', 'Mo', NULL), '22023', 'an empty zone'),
               (bad_input.bin(1, 'UTC', 'Mo', '{2147483647}'), '22008', 'a holiday past the year 9999'),
               (bad_input.bin(1, 'UTC', 'Mo', '{-2147483648}'), '22008', 'a holiday before the year 1')) b(payload, code, why);
SELECT is(bad_input.receive(bad_input.bin(1, 'utc', 'mo-fr', '{9491,9490,9491}')),
          'zone=UTC rules="Mo-Fr" holidays=2025-12-25,2025-12-26',
          'binary: a non-canonical value is canonicalized (zone, rules, sorted distinct holidays)');
DO $$ BEGIN
    EXECUTE format('COPY (SELECT 1 WHERE false) TO PROGRAM %L', format('rm -f /tmp/sla_bad_input_%s.bin', pg_backend_pid()));
END $$;

---------------------------------------------------------------------------
-- 9. Configuration tables
---------------------------------------------------------------------------
INSERT INTO sla.calendars VALUES ('bad_input office', 'Mo-Fr 09:00-17:00', 'Europe/Berlin');
INSERT INTO sla.policies (name, metric, target, calendar) VALUES ('bad_input any', 'bad_input resolution', '8 hours', 'bad_input office');
SELECT throws_ok(query, code, NULL, format('tables: %s', why))
  FROM (VALUES ($$INSERT INTO sla.calendars VALUES ('bad_input x', 'Xx')$$, '22P02', 'a calendar with bad rules'),
               ($$INSERT INTO sla.calendars VALUES ('bad_input x', 'Mo', 'Mars/X')$$, '22023', 'a calendar with an unknown zone'),
               ($$INSERT INTO sla.calendars VALUES ('bad_input x', repeat('x', 1100000))$$, '22P02', 'a calendar with rules longer than 1 MiB'),
               ($$INSERT INTO sla.calendars VALUES ('bad_input x', NULL)$$, '23502', 'a calendar without rules'),
               ($$INSERT INTO sla.calendars VALUES ('bad_input x', 'Mo', NULL)$$, '23502', 'a calendar without a zone'),
               ($$INSERT INTO sla.calendars VALUES (NULL, 'Mo')$$, '23502', 'a calendar without a name'),
               ($$INSERT INTO sla.calendars VALUES ('bad_input office', 'Mo')$$, '23505', 'a calendar name twice'),
               ($$UPDATE sla.calendars SET rules = 'Mo 09:00-25:00' WHERE name = 'bad_input office'$$, '22P02', 'an update to bad rules'),
               ($$UPDATE sla.calendars SET zone = 'Nowhere' WHERE name = 'bad_input office'$$, '22023', 'an update to an unknown zone'),
               ($$DELETE FROM sla.calendars WHERE name = 'bad_input office'$$, '23503', 'deleting a calendar a policy uses'),
               ($$INSERT INTO sla.holidays VALUES ('bad_input nowhere', '2026-01-01')$$, '23503', 'a holiday of an unknown calendar'),
               ($$INSERT INTO sla.holidays VALUES ('bad_input office', 'infinity')$$, '22008', 'an infinite holiday'),
               ($$INSERT INTO sla.holidays VALUES ('bad_input office', '10000-01-01')$$, '22008', 'a holiday in the year 10000'),
               ($$INSERT INTO sla.holidays VALUES ('bad_input office', NULL)$$, '23502', 'a NULL holiday'),
               ($$SELECT sla.calendar_named('bad_input nowhere')$$, '22023', 'an unknown named calendar'),
               ($$SELECT sla.calendar_named('')$$, '22023', 'an empty calendar name'),
               ($$INSERT INTO sla.policies (name, metric, target, calendar) VALUES ('p', 'm', '0', 'bad_input office')$$, '23514', 'a zero target'),
               ($$INSERT INTO sla.policies (name, metric, target, calendar) VALUES ('p', 'm', '-1 hour', 'bad_input office')$$, '23514', 'a negative target'),
               ($$INSERT INTO sla.policies (name, metric, target, calendar) VALUES ('p', 'm', '1 mon', 'bad_input office')$$, '23514', 'a target of a month'),
               ($$INSERT INTO sla.policies (name, metric, target, calendar) VALUES ('p', 'm', '1 year -360 days', 'bad_input office')$$, '23514', 'a target with years'),
               ($$INSERT INTO sla.policies (name, metric, target, calendar, warn_at) VALUES ('p', 'm', '1 hour', 'bad_input office', 0)$$, '23514', 'warn_at 0'),
               ($$INSERT INTO sla.policies (name, metric, target, calendar, warn_at) VALUES ('p', 'm', '1 hour', 'bad_input office', 1.5)$$, '23514', 'warn_at 1.5'),
               ($$INSERT INTO sla.policies (name, metric, target, calendar, warn_at) VALUES ('p', 'm', '1 hour', 'bad_input office', 'NaN')$$, '23514', 'warn_at NaN'),
               ($$INSERT INTO sla.policies (name, metric, target, calendar, valid) VALUES ('p', 'm', '1 hour', 'bad_input office', 'empty')$$, '23514', 'an empty validity'),
               ($$INSERT INTO sla.policies (name, metric, target, calendar) VALUES ('p', 'm', '1 hour', 'bad_input nowhere')$$, '23503', 'a policy on an unknown calendar'),
               ($$INSERT INTO sla.policies (name, metric, target, calendar) VALUES ('p', 'm', NULL, 'bad_input office')$$, '23502', 'a policy without a target'),
               ($$INSERT INTO sla.policies (name, metric, target, calendar) VALUES ('p', 'bad_input resolution', '1 hour', 'bad_input office')$$, '23P01', 'a policy that ties'),
               ($$INSERT INTO sla.policies (name, metric, target, calendar, valid) VALUES ('p', 'bad_input resolution', '1 hour', 'bad_input office', '[2026-01-01,2026-01-01 00:00:00.000001)')$$, '23P01', 'a one-microsecond policy that ties')) t(query, code, why);

---------------------------------------------------------------------------
-- 10. attach, record_status, detach, sweep, schedule_sweep
---------------------------------------------------------------------------
CREATE TABLE bad_input.tickets (
    id integer PRIMARY KEY, status text, priority text,
    created_at timestamptz NOT NULL DEFAULT now(), first_response_at timestamptz, resolved_at timestamptz,
    created_on date, counter integer);
CREATE VIEW bad_input.tickets_view AS SELECT * FROM bad_input.tickets;
SELECT throws_ok(query, code, NULL, format('attach: %s', why))
  FROM (VALUES ($$SELECT sla.attach('bad_input.tickets', id_column => 'ticket_no')$$, '42703', 'a missing id column'),
               ($$SELECT sla.attach('bad_input.tickets', created_column => 'opened_at')$$, '42703', 'a missing created column'),
               ($$SELECT sla.attach('bad_input.tickets', status_column => 'state')$$, '42703', 'a missing status column'),
               ($$SELECT sla.attach('bad_input.tickets', priority_column => 'urgency')$$, '42703', 'a missing priority column'),
               ($$SELECT sla.attach('bad_input.tickets', service_column => 'service')$$, '42703', 'a missing service column'),
               ($$SELECT sla.attach('bad_input.tickets', customer_column => 'customer')$$, '42703', 'a missing customer column'),
               ($$SELECT sla.attach('bad_input.tickets', metrics => '{"resolution": "closed_at"}')$$, '42703', 'a missing stop column'),
               ($$SELECT sla.attach('bad_input.tickets', metrics => '{"resolution": ""}')$$, '42703', 'an empty stop column name'),
               ($$SELECT sla.attach('bad_input.tickets', id_column => 'ID')$$, '42703', 'a column name in the wrong case'),
               ($$SELECT sla.attach('bad_input.tickets', created_column => 'created_on')$$, '42804', 'a created column of type date'),
               ($$SELECT sla.attach('bad_input.tickets', created_column => 'counter')$$, '42804', 'a created column of type integer'),
               ($$SELECT sla.attach('bad_input.tickets', metrics => '{"resolution": "status"}')$$, '42804', 'a stop column of type text'),
               ($$SELECT sla.attach('bad_input.tickets', metrics => '{"resolution": "created_on"}')$$, '42804', 'a stop column of type date'),
               ($$SELECT sla.attach('bad_input.tickets_view')$$, '42809', 'a view'),
               ($$SELECT sla.attach('bad_input.no_such_table')$$, '42P01', 'a table that does not exist'),
               ($$SELECT sla.attach(NULL)$$, '22004', 'a NULL table'),
               ($$SELECT sla.attach('bad_input.tickets', id_column => NULL)$$, '22004', 'a NULL id column'),
               ($$SELECT sla.attach('bad_input.tickets', created_column => NULL)$$, '22004', 'a NULL created column'),
               ($$SELECT sla.attach('bad_input.tickets', status_column => NULL)$$, '22004', 'a NULL status column'),
               ($$SELECT sla.attach('bad_input.tickets', metrics => '[]')$$, '22023', 'metrics as an array'),
               ($$SELECT sla.attach('bad_input.tickets', metrics => '{}')$$, '22023', 'no metrics'),
               ($$SELECT sla.attach('bad_input.tickets', metrics => 'null')$$, '22023', 'metrics as JSON null'),
               ($$SELECT sla.attach('bad_input.tickets', metrics => NULL)$$, '22023', 'metrics as SQL NULL'),
               ($$SELECT sla.attach('bad_input.tickets', metrics => '{"resolution": 1}')$$, '22023', 'a stop column as a number'),
               ($$SELECT sla.attach('bad_input.tickets', metrics => '{"resolution": ["resolved_at"]}')$$, '22023', 'a stop column as an array'),
               ($$SELECT sla.record_status('bad_input.tickets', '1', '2026-01-01', 'open')$$, '55000', 'record_status on a table not attached'),
               ($$SELECT sla.detach('bad_input.tickets')$$, '55000', 'detach of a table not attached')) a(query, code, why);
-- a metric name of its own, so that no policy of the database can tie with ours
SELECT lives_ok($$SELECT sla.attach('bad_input.tickets', metrics => '{"bad_input_resolution": "resolved_at"}')$$,
                'attach: the table with its default columns');
INSERT INTO bad_input.tickets (id, status, created_at) VALUES (1, 'open', '2026-06-01 09:00+00');
SELECT throws_ok(query, code, NULL, format('attached: %s', why))
  FROM (VALUES ($$SELECT sla.attach('bad_input.tickets')$$, '42710', 'attaching the same table twice'),
               ($$SELECT sla.attach('bad_input.tickets', view_name => 'other_view')$$, '42710', 'attaching it twice under another view name'),
               ($$SELECT sla.record_status('bad_input.tickets', NULL, '2026-01-01', 'open')$$, '22004', 'record_status without a ticket id'),
               ($$SELECT sla.record_status('bad_input.tickets', '1', NULL, 'open')$$, '22004', 'record_status without an instant'),
               ($$SELECT sla.record_status(NULL, '1', '2026-01-01', 'open')$$, '55000', 'record_status without a table'),
               ($$SELECT sla.detach(NULL)$$, '55000', 'detach without a table')) a(query, code, why);
SELECT throws_ok($$SELECT sla.schedule_sweep('7 minutes')$$,
                 CASE WHEN EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron') THEN '22023' ELSE '55000' END, NULL,
                 'schedule_sweep: every 7 minutes does not divide an hour (or pg_cron is missing)');
SELECT throws_ok($$SELECT sla.schedule_sweep('0')$$,
                 CASE WHEN EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron') THEN '22023' ELSE '55000' END, NULL,
                 'schedule_sweep: every 0 seconds');
SELECT throws_ok($$SELECT sla_private.track_changes()$$, '39P01', NULL, 'the tracking trigger function called directly');
INSERT INTO sla.policies (name, metric, target, calendar) VALUES ('bad_input resolution', 'bad_input_resolution', '8 hours', 'bad_input office');
-- events record what has happened: a sweep as of a later instant than now() is refused
SELECT throws_ok($$SELECT sla.sweep('infinity')$$, '22023', NULL, 'attached: a sweep as of infinity');
-- a ticket created at -infinity has no clock: NULLs in the view, nothing to sweep
INSERT INTO bad_input.tickets (id, status, created_at) VALUES (2, 'open', '-infinity');
SELECT is((SELECT bad_input_resolution_state FROM bad_input.tickets_sla WHERE id = 2), NULL,
          'a ticket created at -infinity: the SLA view shows no state');
SELECT lives_ok($$SELECT sla.sweep('2026-07-01')$$,
                'a ticket created at -infinity: the sweep still runs');
DELETE FROM bad_input.tickets WHERE id = 2;

---------------------------------------------------------------------------
-- 11. Valid edge cases are accepted
---------------------------------------------------------------------------
SELECT lives_ok(query, format('valid: %s', why))
  FROM (VALUES ($$SELECT sla.calendar('')$$, 'empty rules (never open)'),
               ($$SELECT sla.calendar(repeat(' ', 1000000))$$, '1,000,000 spaces'),
               ($$SELECT sla.calendar(repeat(';', 1000000))$$, '1,000,000 semicolons'),
               ($$SELECT sla.calendar(repeat('Mo 09:00-10:00; ', 10000))$$, '10,000 rules'),
               ($$SELECT sla.calendar(E'Mo\t09:00-17:00\n;\r\nTu')$$, 'tabs, newlines and carriage returns between tokens'),
               ($$SELECT sla.calendar('MO-FR 09:00-17:00; ph OFF')$$, 'upper and lower case'),
               ($$SELECT sla.calendar('Mo 9:00-17:00')$$, 'a one-digit hour'),
               ($$SELECT sla.calendar('Dec 1')$$, 'a one-digit day'),
               ($$SELECT sla.calendar('Feb 29')$$, 'Feb 29 of every year'),
               ($$SELECT sla.calendar('2024 Feb 29; 2000 Feb 29')$$, 'Feb 29 of leap years'),
               ($$SELECT sla.calendar('9999 Mar 01-Feb 29')$$, 'a range ending in the next leap year past 9999'),
               ($$SELECT sla.calendar('Mo 00:00-24:00; Tu 10:00-00:00; We 22:00-06:00')$$, '24:00 and 00:00 as ends, a span across midnight'),
               ($$SELECT sla.calendar('24/7; 24/7')$$, '24/7 twice'),
               ($$SELECT sla.calendar('Fr-Mo 09:00-17:00')$$, 'a weekday range across the week end'),
               ($$SELECT sla.calendar('', 'europe/berlin')$$, 'a zone in lower case'),
               ($$SELECT sla.calendar('', 'America/St_Johns')$$, 'a half-hour zone'),
               ($$SELECT sla.calendar('', 'UTC', '[5:6]={2026-01-01,2026-01-01}')$$, 'holidays with other bounds, repeated'),
               ($$SELECT sla.calendar('PH', 'UTC', ARRAY['0001-01-01', '9999-12-31']::date[])$$, 'holidays in the first and last years'),
               ($$SELECT 'holidays='::sla.calendar$$, 'an empty holiday list in the text form'),
               ($$SELECT ''::sla.calendar$$, 'an empty text form'),
               ($$SELECT sla.business_add('2026-01-01', '0.5 months', sla.calendar('24/7'))$$, 'half a month (15 days, no months)'),
               ($$SELECT sla.business_add('infinity', '1 hour', sla.calendar('24/7'))$$, 'business_add from infinity'),
               ($$SELECT sla.business_add('0001-01-01 00:00+00', '1 hour', sla.calendar('24/7'))$$, 'business_add from the first instant'),
               ($$SELECT sla.business_time('2026-01-01', '2026-01-02', sla.calendar('24/7'), '{[4713-01-01 BC,2026-01-01 12:00)}')$$, 'a pause from 4713 BC'),
               ($$SELECT sla.business_time('2026-01-01', '2026-01-02', sla.calendar('24/7'), '{[2026-01-01 12:00,294276-01-01)}')$$, 'a pause to the year 294276'),
               ($$SELECT sla.business_add('2026-01-01', '1 hour', sla.calendar('24/7'), '{[-infinity,infinity]}')$$, 'a pause over all time'),
               ($$SELECT sla.open_windows('empty', sla.calendar('24/7'))$$, 'open_windows of an empty range'),
               ($$SELECT sla.next_open('infinity', sla.calendar('24/7'))$$, 'next_open at infinity'),
               ($$SELECT sla.evaluate('2026-01-01', '1 hour', sla.calendar('24/7'), as_of => '2026-01-02', warn_at => 'NaN')$$, 'warn_at NaN'),
               ($$SELECT sla.sweep(NULL)$$, 'a sweep as of NULL')) v(query, why);
SELECT is(sla.business_add('2026-01-01', '1 hour', sla.calendar('24/7'), '{(,)}'), 'infinity'::timestamptz,
          'valid: a pause without end gives infinity');
SELECT is(sla.business_add('2026-01-01', '-1 hour', sla.calendar('')), '-infinity'::timestamptz,
          'valid: a calendar never open gives -infinity backwards');

---------------------------------------------------------------------------
-- 12. The server still answers, on the same backend, never restarted
---------------------------------------------------------------------------
SELECT is((SELECT pid FROM bad_input.start), pg_backend_pid(), 'the same backend answers after all the bad input');
SELECT is((SELECT postmaster_started FROM bad_input.start), pg_postmaster_start_time(),
          'the server did not restart (no backend crashed meanwhile)');
SELECT is(sla.business_add('2026-11-23 16:00+01', '2 hours', sla.calendar('Mo-Fr 09:00-17:00', 'Europe/Berlin')),
          '2026-11-24 10:00+01'::timestamptz, 'and it still computes');

SELECT * FROM finish();
ROLLBACK;
