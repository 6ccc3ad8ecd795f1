-- test/pgtap/include/plan_of.sql: pg_temp.plan_of(query): the plan EXPLAIN
-- (COSTS OFF) shows for a query, as one text (included by the suites that
-- check how a query is planned)
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN plan;
END $$;
