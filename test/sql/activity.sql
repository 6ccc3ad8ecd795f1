-- Activity tables (sla.attach_activity): the messages of attached tickets,
-- kept from the application's own comments table by its triggers, under
-- the trust rules of the ticket table's tracking.  Each expectation is
-- worked out by hand from the rows written here.
SET TimeZone = 'UTC';
\i test/sql/include/try.sql

CREATE ROLE activity_owner;
CREATE ROLE activity_writer;
CREATE ROLE activity_reader;
CREATE SCHEMA act AUTHORIZATION activity_owner;
CREATE SCHEMA act_rd AUTHORIZATION activity_reader;
GRANT USAGE ON SCHEMA act TO activity_writer, activity_reader;
SET ROLE activity_owner;
CREATE TABLE act.tickets (id integer PRIMARY KEY, status text NOT NULL, priority text,
                          created_at timestamptz NOT NULL, first_response_at timestamptz, resolved_at timestamptz);
CREATE TABLE act.comments (id serial PRIMARY KEY, ticket_id integer REFERENCES act.tickets ON UPDATE CASCADE ON DELETE CASCADE,
                           created_at timestamptz, author text, public boolean NOT NULL DEFAULT true, body text);
CREATE TABLE act.other_ids (id serial, ticket_id bigint, created_at timestamptz, author text, public boolean);
CREATE VIEW act.comments_view AS SELECT * FROM act.comments;
INSERT INTO act.tickets VALUES (1, 'open', NULL, '2026-03-02 09:00'), (2, 'open', NULL, '2026-03-02 10:00'),
                               (3, 'open', NULL, '2026-03-02 11:00');
-- rows before the attach: a customer message and an agent reply on ticket 1,
-- an internal note (not public), a message of a bot (neither list)
INSERT INTO act.comments (ticket_id, created_at, author, public) VALUES
    (1, '2026-03-02 09:00', 'customer', true), (1, '2026-03-02 09:30', 'agent', true),
    (1, '2026-03-02 09:40', 'agent', false), (1, '2026-03-02 09:50', 'bot', true);

-- not attached yet: 55000
SELECT pg_temp.try($$SELECT sla.attach_activity('act.tickets', 'act.comments', public_column => 'public')$$);
SELECT sla.attach('act.tickets') IS NOT NULL AS attached;
SELECT id AS n FROM sla.attachments WHERE tickets = 'act.tickets'::regclass \gset
-- bad arguments: columns missing (42703) or of the wrong type (42804), a
-- view (42809), an author in both lists (22023)
SELECT pg_temp.try(format($$SELECT sla.attach_activity('act.tickets', %s)$$, args))
  FROM unnest(ARRAY[
    $$'act.comments', ticket_column => 'ticket'$$,
    $$'act.comments', at_column => 'body'$$,
    $$'act.comments', author_column => 'writer'$$,
    $$'act.comments', public_column => 'body'$$,
    $$'act.other_ids'$$,
    $$'act.comments_view'$$,
    $$'act.comments', customer_authors => '{customer,agent}'$$]) args;
SELECT count(*) AS activities_left_by_errors FROM sla.activities;
DROP VIEW act.comments_view;
SELECT sla.attach_activity('act.tickets', 'act.comments', public_column => 'public');
SELECT pg_temp.try($$SELECT sla.attach_activity('act.tickets', 'act.comments')$$) AS second_attach;
RESET ROLE;

-- the rows already there: the customer message and the public reply only
SELECT ticket_id, unnest(at) AS at, unnest(author) AS author FROM sla_state.messages_:n ORDER BY ticket_id, at;

-- the application writes as a role with no right on the state
GRANT INSERT, UPDATE, DELETE, TRUNCATE ON act.comments TO activity_writer;
GRANT USAGE ON SEQUENCE act.comments_id_seq TO activity_writer;
GRANT SELECT ON act.comments TO activity_writer;
SET ROLE activity_writer;
-- ticket 2: two customer messages (the second one back-dated, out of
-- order), an agent reply; ticket 3: an agent message
INSERT INTO act.comments (ticket_id, created_at, author) VALUES
    (2, '2026-03-02 10:30', 'customer'), (2, '2026-03-02 12:00', 'agent'), (3, '2026-03-02 11:15', 'agent');
INSERT INTO act.comments (ticket_id, created_at, author) VALUES (2, '2026-03-02 10:05', 'customer');
COPY act.comments (ticket_id, created_at, author) FROM stdin;
3	2026-03-02 11:20+00	customer
3	2026-03-02 11:25+00	nobody
\.
-- the writer cannot touch the state itself
SELECT regexp_replace(pg_temp.try(format($$INSERT INTO sla_state.messages_%s VALUES (1, '{2026-03-02 09:01}', '{c}')$$, :n)),
                      'messages_\d+', 'messages_<n>') AS insert_messages;
SELECT regexp_replace(pg_temp.try(format($$DELETE FROM sla_state.messages_%s$$, :n)), 'messages_\d+', 'messages_<n>')
       AS delete_messages;
RESET ROLE;
SELECT ticket_id, unnest(at) AS at, unnest(author) AS author FROM sla_state.messages_:n ORDER BY ticket_id, at;

-- updates of the counted columns: ticket 3's agent message becomes an
-- internal note, ticket 2's 12:00 reply moves to 12:30, ticket 1's customer
-- message is moved to ticket 3 (both tickets change), and an update of
-- another column changes nothing
SET ROLE activity_writer;
UPDATE act.comments SET public = false WHERE ticket_id = 3 AND author = 'agent';
UPDATE act.comments SET created_at = '2026-03-02 12:30' WHERE ticket_id = 2 AND created_at = '2026-03-02 12:00';
UPDATE act.comments SET ticket_id = 3 WHERE ticket_id = 1 AND author = 'customer';
UPDATE act.comments SET body = 'edited';
RESET ROLE;
SELECT ticket_id, unnest(at) AS at, unnest(author) AS author FROM sla_state.messages_:n ORDER BY ticket_id, at;

-- deletes: ticket 2's first customer message; a ticket's new id (cascaded
-- to its comments) moves its messages; TRUNCATE empties them
SET ROLE activity_writer;
DELETE FROM act.comments WHERE ticket_id = 2 AND created_at = '2026-03-02 10:05';
RESET ROLE;
UPDATE act.tickets SET id = 20 WHERE id = 2;
SELECT ticket_id, unnest(at) AS at, unnest(author) AS author FROM sla_state.messages_:n ORDER BY ticket_id, at;

-- reading follows the ticket table: a reader of the tickets (not of the
-- comments) sees the messages of the tickets it may read, row-level
-- security included
GRANT SELECT ON act.tickets TO activity_reader;
SET ROLE activity_reader;
SELECT coalesce(sum(cardinality(at)), 0) AS messages_seen FROM sla_state.messages_:n;
RESET ROLE;
ALTER TABLE act.tickets ENABLE ROW LEVEL SECURITY;
CREATE POLICY only_three ON act.tickets FOR SELECT TO activity_reader USING (id = 3);
SET ROLE activity_reader;
SELECT ticket_id, cardinality(at) AS count FROM sla_state.messages_:n;
SELECT pg_temp.try('SELECT count(*) FROM act.comments') AS comments_themselves;
RESET ROLE;

-- nobody else can put the extension's trigger on a table of their own
SET ROLE activity_reader;
CREATE TABLE act_rd.forgery (ticket_id integer, created_at timestamptz, author text);
SELECT pg_temp.try(format($$CREATE TRIGGER forged AFTER INSERT ON act_rd.forgery REFERENCING NEW TABLE AS sla_new
                           FOR EACH STATEMENT EXECUTE FUNCTION sla_private.track_activity(%s)$$, :n));
RESET ROLE;

-- a tracked column cannot be dropped; TRUNCATE forgets every message
SELECT pg_temp.try('ALTER TABLE act.comments DROP COLUMN author');
SET ROLE activity_writer;
TRUNCATE act.comments;
RESET ROLE;
SELECT coalesce(sum(cardinality(at)), 0) AS after_truncate FROM sla_state.messages_:n;

-- detach_activity: the triggers and the messages go; again: 55000
INSERT INTO act.comments (ticket_id, created_at, author) VALUES (3, '2026-03-02 13:00', 'customer');
SELECT coalesce(sum(cardinality(at)), 0) AS before_detach FROM sla_state.messages_:n;
SET ROLE activity_owner;
SELECT sla.detach_activity('act.tickets');
SELECT pg_temp.try($$SELECT sla.detach_activity('act.tickets')$$) AS detach_again;
RESET ROLE;
SELECT coalesce(sum(cardinality(at)), 0) AS messages_left, (SELECT count(*) FROM pg_trigger WHERE tgrelid = 'act.comments'::regclass
                                    AND tgname LIKE 'sla\_activity\_%') AS triggers_left
  FROM sla_state.messages_:n;

-- a partitioned activity table: a partition made later is tracked, one
-- detached is not, and its rows leave the messages
SET ROLE activity_owner;
CREATE TABLE act.notes (ticket_id integer, created_at timestamptz, author text) PARTITION BY RANGE (created_at);
CREATE TABLE act.notes_march PARTITION OF act.notes FOR VALUES FROM ('2026-03-01') TO ('2026-04-01');
INSERT INTO act.notes VALUES (1, '2026-03-03 09:00', 'customer');
SELECT sla.attach_activity('act.tickets', 'act.notes');
CREATE TABLE act.notes_april PARTITION OF act.notes FOR VALUES FROM ('2026-04-01') TO ('2026-05-01');
INSERT INTO act.notes_april VALUES (1, '2026-04-02 09:00', 'agent');
RESET ROLE;
SELECT ticket_id, unnest(at) AS at, unnest(author) AS author FROM sla_state.messages_:n ORDER BY ticket_id, at;
SET ROLE activity_owner;
ALTER TABLE act.notes DETACH PARTITION act.notes_march;
INSERT INTO act.notes_march VALUES (1, '2026-03-04 09:00', 'customer');
RESET ROLE;
SELECT ticket_id, unnest(at) AS at, unnest(author) AS author FROM sla_state.messages_:n ORDER BY ticket_id, at;

-- dropping the activity table detaches it; sla.detach takes an activity
-- table's triggers along
SET ROLE activity_owner;
DROP TABLE act.notes;
RESET ROLE;
SELECT count(*) AS activities_after_drop FROM sla.activities;
SET ROLE activity_owner;
SELECT sla.attach_activity('act.tickets', 'act.comments');
SELECT sla.detach('act.tickets');
RESET ROLE;
SELECT count(*) AS activities, (SELECT count(*) FROM pg_trigger WHERE tgrelid = 'act.comments'::regclass
                                 AND tgname LIKE 'sla\_activity\_%') AS triggers_left
  FROM sla.activities;
INSERT INTO act.comments (ticket_id, created_at, author) VALUES (3, '2026-03-02 14:00', 'customer');

DROP SCHEMA act, act_rd CASCADE;
DROP ROLE activity_owner;
DROP ROLE activity_writer;
DROP ROLE activity_reader;
