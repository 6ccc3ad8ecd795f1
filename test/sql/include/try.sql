-- test/sql/include/try.sql: pg_temp.try(query): the error a statement gives,
-- as "SQLSTATE: message", or 'no error' (included by the suites that list
-- outcomes of bad input)
CREATE FUNCTION pg_temp.try(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE query;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
