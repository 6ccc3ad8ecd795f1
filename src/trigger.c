/*
 * src/trigger.c
 *	  sla_private.track_changes(): the statement triggers sla.attach puts on
 *	  an attached ticket table and on each of its partitions, at any depth.
 *	  They read the statement's transition tables (old and new rows, paired
 *	  in order) here in C, as whoever changed the tickets (only the status
 *	  column's output function runs), and write what changed to the
 *	  attachment's own state tables (sla_state.changes_<n>, and for deleted
 *	  or renamed tickets state_<n>, history_<n>, events_<n>) in batches of
 *	  set-based statements run as the extension's owner, the way
 *	  PostgreSQL's foreign-key triggers switch to the referenced table's
 *	  owner: the application needs no privilege on the state, and nobody
 *	  else can write it.
 *
 *	  Inserted tickets and status changes are only appended to changes_<n>,
 *	  a table without indexes, straight through the table access method (no
 *	  executor, no SPI): that is all a status change costs.  The
 *	  sweep folds them into the history and the per-ticket state, and the
 *	  views read the state together with the changes not folded yet
 *	  (sla_private.state_sql), so they are seen at once.  An update of any
 *	  other column is appended as a touch: the ticket is due for the sweep
 *	  again, since any column may move its deadline.  When an update clears
 *	  the stop column of a metric counted per cycle ("cycles": "each"),
 *	  the column's value until then and the instant go to stops_<n>: the
 *	  cycle it stopped keeps its end, and the next one starts.  The owning
 *	  team (team_column), at creation and each change of it, goes to
 *	  teams_<n> (its type's output function runs, as the status column's).
 *
 *	  A row moved between partitions by an UPDATE of the attached table is
 *	  one old and one new row of that UPDATE, so it keeps its history.  A
 *	  status change counts from the transaction's start (and, when folded,
 *	  never before the ticket's last recorded change); an inserted ticket's
 *	  status counts from its creation.
 *
 *	  On Citus, the triggers of a distributed table fire on its shards, on
 *	  the workers: there they write the co-located shards of the state
 *	  tables, the statements naming them (sla_private.on_state, with
 *	  sla.shard set to the shard for the firing), and read the worker's copy
 *	  of the attachment (sla_private.take_attachment).
 *
 * Argument, given by sla.attach: the attachment's number (sla.attachments.id).
 * Its columns are looked up by name in the partition or shard that fired.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/partition.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "privilege.h"
#include "trigger.h"

/* Rows applied per statement: bounds the memory a COPY of millions takes. */
#define BATCH_ROWS 10000

typedef enum Statement
{
	RENAME_TICKETS,
	FORGET_TICKETS,
	RECORD_STOPS,
	RECORD_TEAMS,
	STATEMENT_COUNT
} Statement;

/*
 * The statements for renamed and deleted tickets, with %1$d for the
 * attachment number.  Parameters of RENAME_TICKETS: $1 old ids, $2 new
 * ids; of FORGET_TICKETS: $1 ids.  Both take the attachment's state lock
 * shared (sla_private.lock_state): the sweep's fold waits for them, and
 * they for it.  Parameters of RECORD_STOPS: $1 ids, $2 metrics, $3 the
 * stop columns' values, $4 the instant they were cleared; of RECORD_TEAMS:
 * $1 ids, $2 teams, $3 the instants they count from.
 */
static const char *const statements[] = {
	/* a swap of two ids must delete both before inserting either (the sorts) */
	[RENAME_TICKETS] =
	"WITH l AS (SELECT sla_private.lock_state(%1$d, false)),"
	" r AS (SELECT * FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) AS r(old_id, new_id)"
	"        WHERE EXISTS (SELECT FROM l)),"
	" moved AS (DELETE FROM sla_state.state_%1$d s USING r WHERE s.ticket_id OPERATOR(pg_catalog.=) r.old_id"
	"           RETURNING r.new_id, s.status, s.status_since, s.paused, s.resolved, s.reopened),"
	" s AS (INSERT INTO sla_state.state_%1$d (ticket_id, status, status_since, paused, resolved, reopened)"
	"       SELECT m.new_id, m.status, m.status_since, m.paused, m.resolved, m.reopened FROM moved m ORDER BY m.new_id),"
	" h AS (UPDATE sla_state.history_%1$d h SET ticket_id = r.new_id FROM r"
	"        WHERE h.ticket_id OPERATOR(pg_catalog.=) r.old_id),"
	" c AS (UPDATE sla_state.changes_%1$d c SET ticket_id = r.new_id FROM r"
	"        WHERE c.ticket_id OPERATOR(pg_catalog.=) r.old_id),"
	" st AS (UPDATE sla_state.stops_%1$d st SET ticket_id = r.new_id FROM r"
	"        WHERE st.ticket_id OPERATOR(pg_catalog.=) r.old_id),"
	" g AS (UPDATE sla_state.teams_%1$d g SET ticket_id = r.new_id FROM r"
	"       WHERE g.ticket_id OPERATOR(pg_catalog.=) r.old_id),"
	" e AS (DELETE FROM sla_state.events_%1$d e USING r WHERE e.ticket_id OPERATOR(pg_catalog.=) r.old_id"
	"       RETURNING r.new_id, e.id, e.metric, e.cycle, e.kind, e.level, e.happened_at, e.recorded_at)"
	" INSERT INTO sla_state.events_%1$d (id, ticket_id, metric, cycle, kind, level, happened_at, recorded_at)"
	" SELECT e.id, e.new_id, e.metric, e.cycle, e.kind, e.level, e.happened_at, e.recorded_at FROM e ORDER BY e.new_id",
	[FORGET_TICKETS] =
	"WITH l AS (SELECT sla_private.lock_state(%1$d, false)),"
	" ids AS (SELECT pg_catalog.unnest($1) AS ticket_id WHERE EXISTS (SELECT FROM l)),"
	" s AS (DELETE FROM sla_state.state_%1$d s USING ids WHERE s.ticket_id OPERATOR(pg_catalog.=) ids.ticket_id),"
	" h AS (DELETE FROM sla_state.history_%1$d h USING ids WHERE h.ticket_id OPERATOR(pg_catalog.=) ids.ticket_id),"
	" c AS (DELETE FROM sla_state.changes_%1$d c USING ids WHERE c.ticket_id OPERATOR(pg_catalog.=) ids.ticket_id),"
	" st AS (DELETE FROM sla_state.stops_%1$d st USING ids WHERE st.ticket_id OPERATOR(pg_catalog.=) ids.ticket_id),"
	" g AS (DELETE FROM sla_state.teams_%1$d g USING ids WHERE g.ticket_id OPERATOR(pg_catalog.=) ids.ticket_id)"
	" DELETE FROM sla_state.events_%1$d e USING ids WHERE e.ticket_id OPERATOR(pg_catalog.=) ids.ticket_id",
	[RECORD_STOPS] =
	"INSERT INTO sla_state.stops_%1$d (ticket_id, metric, stopped_at, cleared_at)"
	" SELECT r.ticket_id, r.metric, r.stopped_at, $4"
	" FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) AS r(ticket_id, metric, stopped_at)",
	[RECORD_TEAMS] =
	"INSERT INTO sla_state.teams_%1$d (id, ticket_id, team, changed_at) OVERRIDING SYSTEM VALUE"
	" SELECT pg_catalog.nextval('sla_state.teams_%1$d_id_seq'), r.*"
	" FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) r",
};

/*
 * What the tracking of one attachment needs, read from sla.attachments on
 * a trigger's first statement in a backend, and its prepared statements.
 * Kept per trigger for the backend's lifetime: a trigger belongs to one
 * attachment, and what is kept here never changes while both exist
 * (renames change names, not attribute numbers; plans are revalidated by
 * the plan cache).
 */
typedef struct Attachment
{
	Oid			trigger;		/* hash key */
	int			attachment;
	Oid			root;			/* the attached table */
	/* the columns in the relation the trigger is on */
	AttrNumber	id_att;
	AttrNumber	status_att;
	AttrNumber	created_att;
	Oid			id_type;		/* the id column's base type */
	Oid			id_array_type;
	int16		id_len;
	bool		id_byval;
	char		id_align;
	Oid			status_output;
	AttrNumber	team_att;		/* InvalidAttrNumber: no team column */
	Oid			team_output;
	/* the metrics stopped by a column and counted per cycle */
	int			cycled_count;
	Datum	   *cycled_metric;	/* text, in TopMemoryContext */
	AttrNumber *cycled_att;		/* their stop columns */
	Oid			shard;			/* on a worker, the Citus shard the trigger is on; else InvalidOid */
	Oid			changes;		/* sla_state.changes_<n>, or its shard co-located with "shard" */
	Oid			change_ids;		/* the sequence numbering its rows */
	SPIPlanPtr	plans[STATEMENT_COUNT];
} Attachment;

static HTAB *attachments;

/* sla.shard: see sla_define_shard_setting */
static char *shard_setting = NULL;

/* One firing of the trigger: its attachment and what it reads with. */
typedef struct Tracked
{
	int			attachment;
	const Attachment *entry;
	TimestampTz now;
	Oid			caller;
	int			caller_context;
	Oid			owner;			/* the extension's owner, who writes the state */
	MemoryContext row_memory;	/* what one row's reading allocates, reset per row */
} Tracked;

/* The columns of a batch: a row of changes_<n> but its number, or ticket ids. */
typedef enum Column
{
	TICKET_ID,
	STATUS,						/* of a change; the new id of RENAME_TICKETS; the metric of
								 * RECORD_STOPS; the team of RECORD_TEAMS */
	AT,							/* of a change or a team; the stop column's value of RECORD_STOPS */
	KIND,
	COLUMN_COUNT
} Column;

/* Rows waiting to be applied, grown as needed. */
typedef struct Batch
{
	MemoryContext memory;		/* the values of by-reference types */
	int			count;
	int			capacity;
	int			limit;			/* rows it may hold: BATCH_ROWS, or more for renames */
	Datum	   *column[COLUMN_COUNT];
	bool	   *null[COLUMN_COUNT];
} Batch;

/*
 * A statement on the attachment's state as it runs on the relation the
 * trigger is on: on a Citus shard, with the state tables' co-located
 * shards (sla_private.on_state, while the trigger's sla.shard is set).
 */
static char *
statement_on_state(const Tracked *t, char *query)
{
	Oid			types[2] = {INT4OID, TEXTOID};
	Datum		values[2] = {Int32GetDatum(t->attachment), CStringGetTextDatum(query)};
	bool		isnull;

	if (!OidIsValid(t->entry->shard))
		return query;
	if (SPI_execute_with_args("SELECT sla_private.on_state($1, $2)", 2, types, values, NULL, true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "could not name the SLA state shards of attachment %d", t->attachment);
	return TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}

/* The plan of a statement for an attachment, prepared on first use. */
static SPIPlanPtr
plan_for(const Tracked *t, Statement statement)
{
	Attachment *entry = (Attachment *) t->entry;

	if (entry->plans[statement] == NULL)
	{
		Oid			types[4] = {entry->id_array_type, entry->id_array_type, InvalidOid, InvalidOid};
		int			count = statement == RENAME_TICKETS ? 2 : statement == RECORD_STOPS ? 4 : statement == RECORD_TEAMS ? 3 : 1;
		char	   *query = statement_on_state(t, psprintf(statements[statement], t->attachment));
		SPIPlanPtr	plan;

		if (statement == RECORD_STOPS || statement == RECORD_TEAMS)
		{
			types[1] = TEXTARRAYOID;
			types[2] = TIMESTAMPTZARRAYOID;
			types[3] = TIMESTAMPTZOID;
		}
		plan = SPI_prepare(query, count, types);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", query, SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		entry->plans[statement] = plan;
	}
	return entry->plans[statement];
}

/* A batch's column of ticket ids as an array. */
static Datum
id_array(const Tracked *t, const Batch *batch, Column column)
{
	const Attachment *e = t->entry;
	int			dims[1] = {batch->count};
	int			lbs[1] = {1};

	return PointerGetDatum(construct_md_array(batch->column[column], batch->null[column], 1, dims, lbs,
											  e->id_type, e->id_len, e->id_byval, e->id_align));
}

/* Empty a batch after it was applied. */
static void
reset(Batch *batch)
{
	batch->count = 0;
	MemoryContextReset(batch->memory);
}

/*
 * Run a statement over the batch of ids (or old and new ids, or stops, or
 * teams) as the extension's owner.
 */
static void
apply(const Tracked *t, Statement statement, Batch *batch)
{
	Datum		values[4] = {id_array(t, batch, TICKET_ID), (Datum) 0, (Datum) 0, TimestampTzGetDatum(t->now)};
	int			dims[1] = {batch->count};
	int			lbs[1] = {1};

	if (statement == RENAME_TICKETS)
		values[1] = id_array(t, batch, STATUS);
	else if (statement == RECORD_STOPS || statement == RECORD_TEAMS)
	{
		values[1] = PointerGetDatum(construct_md_array(batch->column[STATUS], batch->null[STATUS], 1, dims, lbs,
													   TEXTOID, -1, false, TYPALIGN_INT));
		values[2] = PointerGetDatum(construct_array(batch->column[AT], batch->count, TIMESTAMPTZOID,
													sizeof(TimestampTz), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	}
	SetUserIdAndSecContext(t->owner, t->caller_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
	if (SPI_execute_plan(plan_for(t, statement), values, NULL, false, 0) < 0)
		elog(ERROR, "could not apply SLA tracking statement %d", (int) statement);
	SetUserIdAndSecContext(t->caller, t->caller_context);
	reset(batch);
}

/*
 * Append the batch of changes to changes_<n>, as the extension's owner
 * (whose table it is), through the table access method: each row numbered
 * from the table's sequence, in batch order.  Later statements of this
 * trigger see the rows.  The table must be as create_state made it (no
 * index, trigger or column added), since nothing else is maintained.
 */
static void
append_changes(const Tracked *t, Batch *batch)
{
	Relation	changes;
	TupleTableSlot *slot;
	BulkInsertState bulk;
	CommandId	command = GetCurrentCommandId(true);
	static const Column column_of[] = {TICKET_ID, AT, STATUS, KIND};

	SetUserIdAndSecContext(t->owner, t->caller_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
	changes = table_open(t->entry->changes, RowExclusiveLock);
	if (changes->rd_rel->relhasindex || changes->trigdesc != NULL || RelationGetDescr(changes)->natts != 5)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("table sla_state.%s has been altered", RelationGetRelationName(changes)),
				 errdetail("The SLA tracking triggers append to it directly: it must have no index, trigger or added column."),
				 errhint("Drop what was added to it.")));
	slot = table_slot_create(changes, NULL);
	bulk = batch->count > 1 ? GetBulkInsertState() : NULL;
	for (int i = 0; i < batch->count; i++)
	{
		CHECK_FOR_INTERRUPTS();
		ExecClearTuple(slot);
		/* id, ticket_id, at, status, kind: the columns create_state makes */
		slot->tts_values[0] = Int64GetDatum(nextval_internal(t->entry->change_ids, false));
		slot->tts_isnull[0] = false;
		for (int c = 0; c < COLUMN_COUNT; c++)
		{
			slot->tts_values[c + 1] = batch->column[column_of[c]][i];
			slot->tts_isnull[c + 1] = batch->null[column_of[c]][i];
		}
		ExecStoreVirtualTuple(slot);
		table_tuple_insert(changes, slot, command, 0, bulk);
	}
	if (bulk != NULL)
		FreeBulkInsertState(bulk);
	ExecDropSingleTupleTableSlot(slot);
	table_close(changes, NoLock);
	SetUserIdAndSecContext(t->caller, t->caller_context);
	CommandCounterIncrement();
	reset(batch);
}

/* Start reading a transition table from its first row, with a read pointer of our own. */
static void
start_reading(Tuplestorestate *rows)
{
	tuplestore_select_read_pointer(rows, tuplestore_alloc_read_pointer(rows, EXEC_FLAG_REWIND));
	tuplestore_rescan(rows);
}

/* Make room in the batch for the row about to be filled. */
static void
make_room(Batch *batch)
{
	if (batch->count < batch->capacity)
		return;
	if (batch->count >= batch->limit)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a statement may change at most %d ticket ids of an attached table", batch->limit)));
	batch->capacity = batch->capacity == 0 ? 16 : Min(batch->capacity * 2, batch->limit);
	for (int c = 0; c < COLUMN_COUNT; c++)
	{
		batch->column[c] = batch->column[c] == NULL ? palloc(sizeof(Datum) * batch->capacity)
			: repalloc(batch->column[c], sizeof(Datum) * batch->capacity);
		batch->null[c] = batch->null[c] == NULL ? palloc(sizeof(bool) * batch->capacity)
			: repalloc(batch->null[c], sizeof(bool) * batch->capacity);
	}
}

/* Set a column of the batch row being filled to a ticket id, copied into the batch's memory. */
static void
put_id(const Tracked *t, Batch *batch, Column column, Datum id)
{
	MemoryContext old;

	make_room(batch);
	old = MemoryContextSwitchTo(batch->memory);
	batch->null[column][batch->count] = false;
	batch->column[column][batch->count] = datumCopy(id, t->entry->id_byval, t->entry->id_len);
	MemoryContextSwitchTo(old);
}

/*
 * Complete the batch row being filled (its ticket id put) as a change: the
 * ticket's status (NULL allowed, copied into the batch's memory), the
 * instant, the kind of change.
 */
static void
put_change(Batch *batch, const char *status, TimestampTz at, char kind)
{
	MemoryContext old = MemoryContextSwitchTo(batch->memory);

	batch->null[STATUS][batch->count] = status == NULL;
	batch->column[STATUS][batch->count] = status == NULL ? (Datum) 0 : CStringGetTextDatum(status);
	MemoryContextSwitchTo(old);
	batch->null[AT][batch->count] = false;
	batch->column[AT][batch->count] = TimestampTzGetDatum(at);
	batch->null[KIND][batch->count] = false;
	batch->column[KIND][batch->count] = CharGetDatum(kind);
	batch->count++;
}

/*
 * A column of a row as text (its type's output function "output", run as
 * the caller), in the row's memory.
 */
static char *
column_text(const Tracked *t, TupleTableSlot *slot, AttrNumber att, Oid output)
{
	bool		isnull;
	Datum		value = slot_getattr(slot, att, &isnull);
	MemoryContext old;
	char	   *text;

	if (isnull)
		return NULL;
	old = MemoryContextSwitchTo(t->row_memory);
	text = OidOutputFunctionCall(output, value);
	MemoryContextSwitchTo(old);
	return text;
}

/* The status of a row as text. */
static char *
status_text(const Tracked *t, TupleTableSlot *slot)
{
	return column_text(t, slot, t->entry->status_att, t->entry->status_output);
}

/* The team of a row as text, or NULL (also when the attachment has no team column). */
static char *
team_text(const Tracked *t, TupleTableSlot *slot)
{
	return t->entry->team_att == InvalidAttrNumber ? NULL
		: column_text(t, slot, t->entry->team_att, t->entry->team_output);
}

/* Put in "teams" the team of ticket "id" from the instant "at" (copied into the batch's memory). */
static void
put_team(const Tracked *t, Batch *teams, Datum id, const char *team, TimestampTz at)
{
	MemoryContext old;

	put_id(t, teams, TICKET_ID, id);
	old = MemoryContextSwitchTo(teams->memory);
	teams->null[STATUS][teams->count] = team == NULL;
	teams->column[STATUS][teams->count] = team == NULL ? (Datum) 0 : CStringGetTextDatum(team);
	MemoryContextSwitchTo(old);
	teams->null[AT][teams->count] = false;
	teams->column[AT][teams->count] = TimestampTzGetDatum(at);
	teams->count++;
}

/* Whether two texts (NULL allowed) differ. */
static bool
texts_differ(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0);
}

/* Whether a batch is to be applied now: full, or the last rows were read. */
static bool
ready(const Batch *batch, bool more)
{
	return batch->count >= BATCH_ROWS || (!more && batch->count > 0);
}

/*
 * Inserted tickets (each with its status, and its team when it has one,
 * from its creation instant) or deleted ones (their state, history,
 * changes, events and teams go): the rows of one transition table.
 */
static void
track_rows(const Tracked *t, Tuplestorestate *rows, TupleTableSlot *slot, Batch *batch, Batch *teams, bool inserted)
{
	bool		more = true;

	start_reading(rows);
	while (more)
	{
		bool		isnull;
		Datum		id;

		CHECK_FOR_INTERRUPTS();
		MemoryContextReset(t->row_memory);
		more = tuplestore_gettupleslot(rows, true, false, slot);
		if (more && (id = slot_getattr(slot, t->entry->id_att, &isnull), !isnull))
		{
			put_id(t, batch, TICKET_ID, id);
			if (inserted)
			{
				bool		created_null;
				Datum		created = slot_getattr(slot, t->entry->created_att, &created_null);
				TimestampTz since = created_null ? t->now : DatumGetTimestampTz(created);
				char	   *team = team_text(t, slot);

				put_change(batch, status_text(t, slot), since, 'i');
				if (team != NULL)
					put_team(t, teams, id, team, since);
			}
			else
				batch->count++;
		}
		if (ready(teams, more))
			apply(t, RECORD_TEAMS, teams);
		if (!ready(batch, more))
			continue;
		if (inserted)
			append_changes(t, batch);
		else
			apply(t, FORGET_TICKETS, batch);
	}
}

/*
 * Put in "stops" the stop columns of metrics counted per cycle that an
 * update of ticket "id" cleared, with their values until then.
 */
static void
put_cleared_stops(const Tracked *t, Batch *stops, Datum id, TupleTableSlot *old_slot, TupleTableSlot *new_slot)
{
	for (int m = 0; m < t->entry->cycled_count; m++)
	{
		bool		old_null,
					new_null;
		Datum		stopped_at = slot_getattr(old_slot, t->entry->cycled_att[m], &old_null);

		(void) slot_getattr(new_slot, t->entry->cycled_att[m], &new_null);
		if (old_null || !new_null)
			continue;
		put_id(t, stops, TICKET_ID, id);
		stops->null[STATUS][stops->count] = false;
		stops->column[STATUS][stops->count] = t->entry->cycled_metric[m];
		stops->null[AT][stops->count] = false;
		stops->column[AT][stops->count] = stopped_at;
		stops->count++;
	}
}

/*
 * Updated tickets: old and new rows in the order the UPDATE wrote them.
 * Status changes, touches of tickets whose status stayed, cleared stop
 * columns and team changes are recorded under the old id, then ids that
 * changed are renamed.
 */
static void
track_updates(const Tracked *t, Tuplestorestate *old_rows, Tuplestorestate *new_rows,
			  TupleTableSlot *old_slot, TupleTableSlot *new_slot, Batch *changes, Batch *stops, Batch *teams,
			  Batch *renames)
{
	bool		more = true;

	start_reading(old_rows);
	start_reading(new_rows);
	while (more)
	{
		CHECK_FOR_INTERRUPTS();
		MemoryContextReset(t->row_memory);
		more = tuplestore_gettupleslot(old_rows, true, false, old_slot);
		if (more != tuplestore_gettupleslot(new_rows, true, false, new_slot))
			elog(ERROR, "transition tables of an UPDATE differ in length");
		if (more)
		{
			bool		old_null,
						new_null;
			Datum		old_id = slot_getattr(old_slot, t->entry->id_att, &old_null);
			Datum		new_id = slot_getattr(new_slot, t->entry->id_att, &new_null);
			char	   *old_status = status_text(t, old_slot);
			char	   *new_status = status_text(t, new_slot);

			if (!old_null)
			{
				bool		changed = texts_differ(old_status, new_status);
				char	   *new_team = team_text(t, new_slot);

				/* a touch carries no status: it only makes the ticket due */
				put_id(t, changes, TICKET_ID, old_id);
				put_change(changes, changed ? new_status : NULL, t->now, changed ? 'u' : 't');
				put_cleared_stops(t, stops, old_id, old_slot, new_slot);
				if (texts_differ(team_text(t, old_slot), new_team))
					put_team(t, teams, old_id, new_team, t->now);
				if (!new_null && !datumIsEqual(old_id, new_id, t->entry->id_byval, t->entry->id_len))
				{
					put_id(t, renames, TICKET_ID, old_id);
					put_id(t, renames, STATUS, new_id);
					renames->count++;
				}
			}
		}
		/* all changes of a statement come before its renames, applied at once (ids may be swapped) */
		if (ready(changes, more))
			append_changes(t, changes);
		if (ready(stops, more))
			apply(t, RECORD_STOPS, stops);
		if (ready(teams, more))
			apply(t, RECORD_TEAMS, teams);
	}
	if (renames->count > 0)
		apply(t, RENAME_TICKETS, renames);
}

/*
 * A TRUNCATE: of the attached table, all state goes; of one partition, the
 * state of every ticket no longer in the attached table.
 */
static void
track_truncate(const Tracked *t, bool whole)
{
	char	   *query = psprintf(whole ? "SELECT sla_private.forget_all_tickets(%d)"
								 : "SELECT sla_private.forget_missing_tickets(%d)", t->attachment);

	SetUserIdAndSecContext(t->owner, t->caller_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
	if (SPI_execute(query, false, 0) < 0)
		elog(ERROR, "could not clear the SLA state after TRUNCATE");
	SetUserIdAndSecContext(t->caller, t->caller_context);
}

/* The attribute number in "rel" of the attached table's column "root_att". */
static AttrNumber
column_in(Relation rel, Oid root, AttrNumber root_att)
{
	char	   *name = get_attname(root, root_att, false);
	int			attnum = SPI_fnumber(RelationGetDescr(rel), name);

	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of relation \"%s\" does not exist", name, RelationGetRelationName(rel))));
	return (AttrNumber) attnum;
}

/*
 * Read the metrics of "loaded" stopped by a column and counted per cycle,
 * with their columns in "rel", into TopMemoryContext (last, when all else
 * was read: they live as long as the attachment's entry).
 */
static void
load_cycled_metrics(Attachment *loaded, Relation rel)
{
	Oid			types[1] = {INT4OID};
	Datum		values[1] = {Int32GetDatum(loaded->attachment)};
	AttrNumber *atts;

	if (SPI_execute_with_args("SELECT d.metric, d.stop_column FROM sla.attachments a,"
							  " sla_private.metric_definitions(a) d"
							  " WHERE a.id OPERATOR(pg_catalog.=) $1 AND d.each_cycle AND d.stop_column IS NOT NULL"
							  " ORDER BY d.i",
							  1, types, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the metrics of attachment %d", loaded->attachment);
	atts = palloc(sizeof(AttrNumber) * (SPI_processed + 1));
	for (uint64 m = 0; m < SPI_processed; m++)
	{
		bool		isnull;

		atts[m] = column_in(rel, loaded->root,
							DatumGetInt16(SPI_getbinval(SPI_tuptable->vals[m], SPI_tuptable->tupdesc, 2, &isnull)));
	}
	loaded->cycled_count = (int) SPI_processed;
	loaded->cycled_att = MemoryContextAlloc(TopMemoryContext, sizeof(AttrNumber) * (SPI_processed + 1));
	loaded->cycled_metric = MemoryContextAlloc(TopMemoryContext, sizeof(Datum) * (SPI_processed + 1));
	for (uint64 m = 0; m < SPI_processed; m++)
	{
		bool		isnull;
		Datum		metric = SPI_getbinval(SPI_tuptable->vals[m], SPI_tuptable->tupdesc, 1, &isnull);
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		loaded->cycled_att[m] = atts[m];
		loaded->cycled_metric[m] = datumCopy(metric, false, -1);
		MemoryContextSwitchTo(old);
	}
}

/*
 * The attachment numbered "number" that trigger "trigger" on relation "rel"
 * tracks, read as the extension's owner on first use (the caller has
 * switched to it).
 */
static Attachment *
attachment_for(Oid trigger, int number, Relation rel)
{
	Attachment *entry;
	bool		found;

	if (attachments == NULL)
	{
		HASHCTL		ctl = {.keysize = sizeof(Oid), .entrysize = sizeof(Attachment)};

		attachments = hash_create("sla attachments", 16, &ctl, HASH_ELEM | HASH_BLOBS);
	}
	entry = hash_search(attachments, &trigger, HASH_FIND, NULL);
	if (entry == NULL)
	{
		Oid			types[2] = {INT4OID, REGCLASSOID};
		Datum		values[2] = {Int32GetDatum(number), ObjectIdGetDatum(RelationGetRelid(rel))};
		HeapTuple	row;
		TupleDesc	desc;
		bool		isnull;
		bool		is_varlena;
		Attachment	loaded = {0};

		if (SPI_execute_with_args("SELECT a.tickets, a.id_column, a.status_column, a.created_column,"
								  " coalesce(sla_private.colocated_shard(x.changes, $2), x.changes),"
								  " pg_catalog.to_regclass(pg_catalog.pg_get_serial_sequence("
								  "   pg_catalog.format('sla_state.history_%s', a.id), 'id')),"
								  " a.team_column, sla_private.colocated_shard(a.tickets, $2)"
								  " FROM sla.attachments a CROSS JOIN LATERAL (SELECT pg_catalog.to_regclass("
								  "   pg_catalog.format('sla_state.changes_%s', a.id)) AS changes) x"
								  " WHERE a.id OPERATOR(pg_catalog.=) $1",
								  2, types, values, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read attachment %d", number);
		if (SPI_processed != 1)
			ereport(ERROR,
					(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					 errmsg("SLA attachment %d does not exist", number),
					 errhint("Let sla.attach() create the tracking triggers; on a Citus worker, a table distributed after it was attached must be detached and attached again.")));
		row = SPI_tuptable->vals[0];
		desc = SPI_tuptable->tupdesc;
		/* filled before it enters the cache: an error on the way leaves no half entry */
		loaded.trigger = trigger;
		loaded.attachment = number;
		loaded.root = DatumGetObjectId(SPI_getbinval(row, desc, 1, &isnull));
		(void) SPI_getbinval(row, desc, 8, &isnull);
		loaded.shard = isnull ? InvalidOid : RelationGetRelid(rel);
		if (RelationGetRelid(rel) != loaded.root && !OidIsValid(loaded.shard) &&
			!list_member_oid(get_partition_ancestors(RelationGetRelid(rel)), loaded.root))
			ereport(ERROR,
					(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					 errmsg("relation \"%s\" is not attached table %s, one of its partitions or one of its shards",
							RelationGetRelationName(rel), get_rel_name(loaded.root))));
		loaded.id_att = column_in(rel, loaded.root, DatumGetInt16(SPI_getbinval(row, desc, 2, &isnull)));
		loaded.status_att = column_in(rel, loaded.root, DatumGetInt16(SPI_getbinval(row, desc, 3, &isnull)));
		loaded.created_att = column_in(rel, loaded.root, DatumGetInt16(SPI_getbinval(row, desc, 4, &isnull)));
		loaded.changes = DatumGetObjectId(SPI_getbinval(row, desc, 5, &isnull));
		loaded.change_ids = DatumGetObjectId(SPI_getbinval(row, desc, 6, &isnull));
		if (!OidIsValid(loaded.changes) || !OidIsValid(loaded.change_ids))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_TABLE),
					 errmsg("the state tables of SLA attachment %d are missing", number)));
		loaded.id_type = getBaseType(TupleDescAttr(RelationGetDescr(rel), loaded.id_att - 1)->atttypid);
		loaded.id_array_type = get_array_type(loaded.id_type);
		get_typlenbyvalalign(loaded.id_type, &loaded.id_len, &loaded.id_byval, &loaded.id_align);
		getTypeOutputInfo(TupleDescAttr(RelationGetDescr(rel), loaded.status_att - 1)->atttypid,
						  &loaded.status_output, &is_varlena);
		(void) SPI_getbinval(row, desc, 7, &isnull);
		if (!isnull)
		{
			loaded.team_att = column_in(rel, loaded.root, DatumGetInt16(SPI_getbinval(row, desc, 7, &isnull)));
			getTypeOutputInfo(TupleDescAttr(RelationGetDescr(rel), loaded.team_att - 1)->atttypid,
							  &loaded.team_output, &is_varlena);
		}
		load_cycled_metrics(&loaded, rel);
		entry = hash_search(attachments, &trigger, HASH_ENTER, &found);
		*entry = loaded;
	}
	return entry;
}

/*
 * Define sla.shard, the Citus shard whose shard group the statements on
 * SLA state work on (sla_private.current_shard): set by sla's own code on a
 * worker, for one shard step or one firing of the trigger on a shard.  A
 * superuser setting, so that no other role can point sla's statements at
 * another shard group.
 */
void
sla_define_shard_setting(void)
{
	DefineCustomStringVariable("sla.shard",
							   "The Citus shard whose shard group sla's statements on SLA state work on.",
							   "Set by sla itself on the workers; empty elsewhere.",
							   &shard_setting, "", PGC_SUSET, GUC_NOT_IN_SAMPLE | GUC_NO_SHOW_ALL,
							   NULL, NULL, NULL);
}

PG_FUNCTION_INFO_V1(sla_track_changes);
/* The tracking trigger: see the file header. */
Datum
sla_track_changes(PG_FUNCTION_ARGS)
{
	TriggerData *data = (TriggerData *) fcinfo->context;
	Relation	rel;
	Attachment *attachment;
	Tracked		t;
	TupleTableSlot *slot,
			   *other_slot;
	Batch	   *batches;
	int			nest_level;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("sla_private.track_changes() must be called as a trigger")));
	if (!TRIGGER_FIRED_AFTER(data->tg_event) || TRIGGER_FIRED_FOR_ROW(data->tg_event) ||
		data->tg_trigger->tgnargs != 1)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("sla_private.track_changes() must be an AFTER ... FOR EACH STATEMENT trigger with one argument"),
				 errhint("Let sla.attach() create it.")));
	rel = data->tg_relation;
	t.attachment = atoi(data->tg_trigger->tgargs[0]);
	t.now = GetCurrentTransactionStartTimestamp();
	GetUserIdAndSecContext(&t.caller, &t.caller_context);
	t.owner = sla_extension_owner();

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	SetUserIdAndSecContext(t.owner, t.caller_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
	attachment = attachment_for(data->tg_trigger->tgoid, t.attachment, rel);
	SetUserIdAndSecContext(t.caller, t.caller_context);
	t.entry = attachment;
	nest_level = NewGUCNestLevel();
	if (OidIsValid(attachment->shard))
		(void) set_config_option("sla.shard",
								 quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
															RelationGetRelationName(rel)),
								 PGC_SUSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);

	/* changes, stops, teams, and the renames of an UPDATE (all of them at once) */
	batches = palloc0(sizeof(Batch) * 4);
	for (int i = 0; i < 4; i++)
	{
		batches[i].memory = AllocSetContextCreate(CurrentMemoryContext, "sla tracking batch", ALLOCSET_DEFAULT_SIZES);
		batches[i].limit = BATCH_ROWS;
	}
	batches[1].limit = BATCH_ROWS + attachment->cycled_count;	/* a row may add one per metric */
	batches[3].limit = (int) (MaxAllocSize / sizeof(Datum));
	t.row_memory = AllocSetContextCreate(CurrentMemoryContext, "sla tracking row", ALLOCSET_SMALL_SIZES);
	slot = MakeSingleTupleTableSlot(RelationGetDescr(rel), &TTSOpsMinimalTuple);
	other_slot = MakeSingleTupleTableSlot(RelationGetDescr(rel), &TTSOpsMinimalTuple);

	if (TRIGGER_FIRED_BY_TRUNCATE(data->tg_event))
		track_truncate(&t, RelationGetRelid(rel) == attachment->root);
	else if (data->tg_newtable == NULL && data->tg_oldtable == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("sla_private.track_changes() needs the statement's transition tables"),
				 errhint("Let sla.attach() create it.")));
	else if (TRIGGER_FIRED_BY_INSERT(data->tg_event))
		track_rows(&t, data->tg_newtable, slot, &batches[0], &batches[2], true);
	else if (TRIGGER_FIRED_BY_UPDATE(data->tg_event))
		track_updates(&t, data->tg_oldtable, data->tg_newtable, slot, other_slot, &batches[0], &batches[1], &batches[2],
					  &batches[3]);
	else if (TRIGGER_FIRED_BY_DELETE(data->tg_event))
		track_rows(&t, data->tg_oldtable, slot, &batches[0], &batches[2], false);

	ExecDropSingleTupleTableSlot(slot);
	ExecDropSingleTupleTableSlot(other_slot);
	AtEOXact_GUC(true, nest_level);
	SPI_finish();
	return PointerGetDatum(NULL);
}
