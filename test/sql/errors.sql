-- Bad input gets a clear error with its SQLSTATE and, for rules, the
-- character position and the offending token.
SET TimeZone = 'UTC';
\i test/sql/include/try.sql

SELECT query, pg_temp.try(query) AS outcome FROM (VALUES
    -- rules (22P02)
    ($$SELECT sla.calendar('Xx 09:00-10:00')$$),
    ($$SELECT sla.calendar('Mo-Xy 09:00-10:00')$$),
    ($$SELECT sla.calendar('Mo-Fr 09:00-12:00; Foo 10:00-11:00')$$),
    ($$SELECT sla.calendar('Feb 30')$$),
    ($$SELECT sla.calendar('Apr 31 off')$$),
    ($$SELECT sla.calendar('2027 Feb 29')$$),
    ($$SELECT sla.calendar('Dec 24-32')$$),
    ($$SELECT sla.calendar('Dex 24')$$),
    ($$SELECT sla.calendar('Mo 25:00-26:00')$$),
    ($$SELECT sla.calendar('Mo 09:60-10:00')$$),
    ($$SELECT sla.calendar('Mo 24:00-02:00')$$),
    ($$SELECT sla.calendar('Mo 09:00-09:00')$$),
    ($$SELECT sla.calendar('Mo 00:00-00:00')$$),
    ($$SELECT sla.calendar('Mo -1:00-02:00')$$),
    ($$SELECT sla.calendar('-1:00')$$),
    ($$SELECT sla.calendar('09:00-17:00')$$),
    ($$SELECT sla.calendar('Mo 9-17')$$),
    ($$SELECT sla.calendar('Mo 09:00')$$),
    ($$SELECT sla.calendar('Mo 09:00-')$$),
    ($$SELECT sla.calendar('Mo 09:0-10:00')$$),
    ($$SELECT sla.calendar('24/7 off')$$),
    ($$SELECT sla.calendar('24/6')$$),
    ($$SELECT sla.calendar('Mo 09:00-10:00 Tu')$$),
    ($$SELECT sla.calendar('Mo,')$$),
    ($$SELECT sla.calendar('Mo 09:00-10:00 || Tu')$$),
    ($$SELECT sla.calendar('Mo' || chr(1))$$),
    ($$SELECT sla.calendar('Mö 09:00-10:00')$$),
    ($$SELECT sla.calendar('Mo 09:00-10:00; Tü off')$$),
    ($$SELECT sla.calendar('NaN')$$),
    ($$SELECT sla.calendar('0000 Jan 01')$$),
    ($$SELECT sla.calendar(repeat('x', 1100000))$$),
    -- zones (22023)
    ($$SELECT sla.calendar('24/7', 'Mars/Olympus_Mons')$$),
    ($$SELECT sla.calendar('24/7', '')$$),
    -- holidays
    ($$SELECT sla.calendar('24/7', 'UTC', '{2026-12-25,NULL}')$$),
    ($$SELECT sla.calendar('24/7', 'UTC', '{infinity}')$$),
    ($$SELECT sla.calendar('24/7', 'UTC', '{{2026-12-25},{2026-12-26}}')$$),
    ($$SELECT sla.calendar('24/7', 'UTC', ARRAY['20000-01-01'::date])$$),
    -- the text form
    ($$SELECT 'zone=UTC rules="Mo' :: sla.calendar$$),
    ($$SELECT 'zone=UTC colour=blue' :: sla.calendar$$),
    ($$SELECT 'zone=UTC holidays=2026-13-01' :: sla.calendar$$),
    ($$SELECT 'zone=UTC zone=UTC' :: sla.calendar$$),
    ($$SELECT 'Mo 09:00-25:00' :: sla.calendar$$),
    -- amounts and instants
    ($$SELECT sla.business_add('2026-11-23', '1 month', sla.calendar('24/7'))$$),
    ($$SELECT sla.business_add('2026-11-23', '1 year', sla.calendar('24/7'))$$),
    ($$SELECT sla.business_time('-infinity', '2026-11-23', sla.calendar('24/7'))$$),
    ($$SELECT sla.business_time('2026-11-23', 'infinity', sla.calendar('24/7'))$$),
    ($$SELECT sla.is_open('infinity', sla.calendar('24/7'))$$),
    ($$SELECT sla.next_open('-infinity', sla.calendar('24/7'))$$),
    ($$SELECT sla.business_add('9999-12-30', '3 days', sla.calendar('24/7'))$$),
    ($$SELECT sla.business_add('2026-11-23', '100000000 hours', sla.calendar('24/7'))$$),
    ($$SELECT sla.open_windows('[2026-11-23,)', sla.calendar('24/7'))$$),
    ($$SELECT sla.open_windows('(,2026-11-23)', sla.calendar('24/7'))$$)
) AS cases(query);

-- the server still answers, and infinity is a result where documented
SELECT sla.next_open('infinity', sla.calendar('24/7')), sla.next_close('infinity', sla.calendar(''));
