-- test/bench/timing.sql: included by the benchmarks (\ir timing.sql).
-- pg_temp.time_ms(query, runs): the best wall-clock time of a query over
-- "runs" runs, in milliseconds.
CREATE FUNCTION pg_temp.time_ms(query text, runs integer DEFAULT 3) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    best float8;
    started timestamptz;
BEGIN
    FOR i IN 1..runs LOOP
        started := clock_timestamp();
        EXECUTE query;
        best := least(best, extract(epoch FROM clock_timestamp() - started) * 1000);
    END LOOP;
    RETURN best;
END $$;
