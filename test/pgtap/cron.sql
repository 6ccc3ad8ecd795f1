-- test/pgtap/cron.sql: sla.schedule_sweep with the real pg_cron.  Not in a
-- transaction: pg_cron only sees committed jobs.  Needs this database to be
-- pg_cron's (cron.database_name), as in tools/run-tests.  Waits for the job
-- to run once (pg_cron 1.4 runs jobs at the start of a minute).
CREATE EXTENSION IF NOT EXISTS pg_cron;
CREATE EXTENSION IF NOT EXISTS sla;
SELECT plan(4);
SELECT throws_ok($$SELECT sla.schedule_sweep('7 minutes')$$, '22023', NULL,
                 'a period cron cannot express is refused');
SELECT ok(sla.schedule_sweep('1 minute') > 0, 'the sweep is scheduled every minute');
SELECT is((SELECT schedule || ' ' || command FROM cron.job WHERE jobname = 'sla-sweep'), '*/1 * * * * SELECT sla.sweep()',
          'the job runs sla.sweep() every minute');
DO $$
BEGIN
    FOR i IN 1..75 LOOP
        EXIT WHEN EXISTS (SELECT 1 FROM cron.job_run_details d JOIN cron.job j USING (jobid)
                           WHERE j.jobname = 'sla-sweep' AND d.status IN ('succeeded', 'failed'));
        PERFORM pg_sleep(1);
        PERFORM pg_stat_clear_snapshot();
    END LOOP;
END $$;
SELECT ok(EXISTS (SELECT 1 FROM cron.job_run_details d JOIN cron.job j USING (jobid)
                   WHERE j.jobname = 'sla-sweep' AND d.status = 'succeeded'),
          'pg_cron has run the sweep successfully');
SELECT cron.unschedule('sla-sweep');
SELECT * FROM finish();
