/*
 * src/trigger.c
 *	  sla_private.track_changes(): the statement triggers sla.attach puts on
 *	  an attached ticket table and on each of its partitions, at any depth.
 *	  They read the statement's transition tables (old and new rows, paired
 *	  in order) here in C, as whoever changed the tickets (only the status
 *	  column's output function runs), and apply the changes to the
 *	  attachment's own state tables (sla_state.state_<n>, history_<n>,
 *	  events_<n>) in batches of set-based statements run as the extension's
 *	  owner, the way PostgreSQL's foreign-key triggers switch to the
 *	  referenced table's owner: the application needs no privilege on the
 *	  state, and nobody else can write it.
 *
 *	  A row moved between partitions by an UPDATE of the attached table is
 *	  one old and one new row of that UPDATE, so it keeps its history.  A
 *	  status change counts from the transaction's start, and never before
 *	  the ticket's last recorded change; an inserted ticket's status counts
 *	  from its creation.  Every updated ticket is due for the sweep again
 *	  (next_check = -infinity): any column may move its deadline.
 *
 * Argument, given by sla.attach: the attachment's number (sla.attachments.id).
 * Its columns are looked up by name in the partition that fired.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/partition.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "privilege.h"

/* Rows applied per statement: bounds the memory a COPY of millions takes. */
#define BATCH_ROWS 10000

typedef enum Statement
{
	INSERT_TICKETS,
	CHANGE_STATUS,
	TOUCH_TICKETS,
	RENAME_TICKETS,
	FORGET_TICKETS,
	REFRESH_TICKETS,
	STATEMENT_COUNT
} Statement;

/*
 * The statements, with %1$d for the attachment number and %2$s for the
 * part that depends on whether ticket ids are unique (a unique index on
 * the id column alone): then a statement's rows need no deduplication and
 * new tickets no conflict handling.  Parameters: $1 ticket ids (or old
 * ids), $2 statuses (or new ids), $3 instants or the change's instant, $4
 * paused statuses, $5 resolved statuses (text[]).
 */
#define IS_PAUSED(s) s " OPERATOR(pg_catalog.=) ANY ($4)"
#define IS_RESOLVED(s) s " OPERATOR(pg_catalog.=) ANY ($5)"
#define PAUSE_FROM(at) "pg_catalog.tstzmultirange(pg_catalog.tstzrange(" at ", NULL))"
#define CHANGED_AT "GREATEST($3, s.status_since)"

/* INSERT_TICKETS: new tickets whose history was imported before keep their state */
static const char *const insert_guard[2] = {
	"ON CONFLICT (ticket_id) DO NOTHING",
	"WHERE NOT EXISTS (SELECT FROM sla_state.state_%1$d x WHERE x.ticket_id OPERATOR(pg_catalog.=) c.ticket_id)",
};

/* CHANGE_STATUS: a ticket's last change in the statement counts */
static const char *const change_rows[2] = {
	"SELECT DISTINCT ON (c.ticket_id) c.ticket_id, c.status"
	"  FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) WITH ORDINALITY AS c(ticket_id, status, k)"
	" ORDER BY c.ticket_id, c.k DESC",
	"SELECT * FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) AS c(ticket_id, status)",
};

static const char *const statements[] = {
	[INSERT_TICKETS] =
	"WITH c AS (SELECT * FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), pg_catalog.unnest($3)) AS c(ticket_id, status, at)),"
	" s AS (INSERT INTO sla_state.state_%1$d AS s (ticket_id, status, status_since, paused)"
	"       SELECT c.ticket_id, c.status, c.at,"
	"              CASE WHEN " IS_PAUSED("c.status") " THEN " PAUSE_FROM("c.at") " ELSE '{}' END"
	"         FROM c %2$s RETURNING 1),"
	" h AS (INSERT INTO sla_state.history_%1$d (ticket_id, changed_at, status)"
	"       SELECT c.ticket_id, c.at, c.status FROM c)"
	" SELECT pg_catalog.count(*) FROM s",
	[CHANGE_STATUS] =
	"WITH c AS (%2$s),"
	" s AS (INSERT INTO sla_state.state_%1$d AS s (ticket_id, status, status_since, paused)"
	"       SELECT c.ticket_id, c.status, $3,"
	"              CASE WHEN " IS_PAUSED("c.status") " THEN " PAUSE_FROM("$3") " ELSE '{}' END"
	"         FROM c WHERE c.status IS NOT NULL"
	"       ON CONFLICT (ticket_id) DO UPDATE SET status = EXCLUDED.status,"
	"          status_since = " CHANGED_AT ","
	"          paused = CASE"
	"            WHEN " IS_PAUSED("EXCLUDED.status") " AND NOT coalesce(" IS_PAUSED("s.status") ", false)"
	"            THEN s.paused OPERATOR(pg_catalog.+) " PAUSE_FROM(CHANGED_AT)
	"            WHEN " IS_PAUSED("s.status") " AND NOT " IS_PAUSED("EXCLUDED.status")
	"            THEN s.paused OPERATOR(pg_catalog.-) " PAUSE_FROM(CHANGED_AT)
	"            ELSE s.paused END,"
	"          reopened = s.reopened OPERATOR(pg_catalog.+) CASE"
	"            WHEN " IS_RESOLVED("s.status") " AND NOT " IS_RESOLVED("EXCLUDED.status") " THEN 1 ELSE 0 END,"
	"          next_check = '-infinity', version = s.version OPERATOR(pg_catalog.+) 1"
	"       RETURNING s.ticket_id, s.status_since, s.status)"
	" INSERT INTO sla_state.history_%1$d (ticket_id, changed_at, status)"
	" SELECT s.ticket_id, s.status_since, s.status FROM s"
	" UNION ALL SELECT c.ticket_id, $3, NULL FROM c WHERE c.status IS NULL",
	[TOUCH_TICKETS] =
	"UPDATE sla_state.state_%1$d s SET next_check = '-infinity', version = s.version OPERATOR(pg_catalog.+) 1"
	" WHERE s.ticket_id OPERATOR(pg_catalog.=) ANY ($1)",
	/* a swap of two ids must delete both before inserting either (the sorts) */
	[RENAME_TICKETS] =
	"WITH r AS (SELECT * FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) AS r(old_id, new_id)),"
	" moved AS (DELETE FROM sla_state.state_%1$d s USING r WHERE s.ticket_id OPERATOR(pg_catalog.=) r.old_id"
	"           RETURNING r.new_id, s.status, s.status_since, s.paused, s.reopened, s.version),"
	" s AS (INSERT INTO sla_state.state_%1$d (ticket_id, status, status_since, paused, reopened, version)"
	"       SELECT m.new_id, m.status, m.status_since, m.paused, m.reopened, m.version OPERATOR(pg_catalog.+) 1"
	"         FROM moved m ORDER BY m.new_id),"
	" h AS (UPDATE sla_state.history_%1$d h SET ticket_id = r.new_id FROM r"
	"        WHERE h.ticket_id OPERATOR(pg_catalog.=) r.old_id),"
	" e AS (DELETE FROM sla_state.events_%1$d e USING r WHERE e.ticket_id OPERATOR(pg_catalog.=) r.old_id"
	"       RETURNING r.new_id, e.id, e.metric, e.kind, e.level, e.happened_at, e.recorded_at)"
	" INSERT INTO sla_state.events_%1$d (id, ticket_id, metric, kind, level, happened_at, recorded_at)"
	" SELECT e.id, e.new_id, e.metric, e.kind, e.level, e.happened_at, e.recorded_at FROM e ORDER BY e.new_id",
	[FORGET_TICKETS] =
	"WITH s AS (DELETE FROM sla_state.state_%1$d s WHERE s.ticket_id OPERATOR(pg_catalog.=) ANY ($1)),"
	" h AS (DELETE FROM sla_state.history_%1$d h WHERE h.ticket_id OPERATOR(pg_catalog.=) ANY ($1))"
	" DELETE FROM sla_state.events_%1$d e WHERE e.ticket_id OPERATOR(pg_catalog.=) ANY ($1)",
	[REFRESH_TICKETS] =
	"SELECT sla_private.refresh_ticket(%1$d, c) FROM pg_catalog.unnest($1) AS c",
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
	bool		unique_ids;		/* a unique index on the id column alone */
	Datum		paused;			/* text[] */
	Datum		resolved;		/* text[] */
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
	SPIPlanPtr	plans[STATEMENT_COUNT];
} Attachment;

static HTAB *attachments;

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

/* Rows waiting to be applied: up to three columns of values, grown as needed. */
typedef struct Batch
{
	MemoryContext memory;		/* the values of by-reference types */
	int			count;
	int			capacity;
	int			limit;			/* rows it may hold: BATCH_ROWS, or more for renames */
	Datum	   *column[3];
	bool	   *null[3];
} Batch;

/* The plan of a statement for an attachment, prepared on first use. */
static SPIPlanPtr
plan_for(const Tracked *t, Statement statement)
{
	Attachment *entry = (Attachment *) t->entry;

	static const int nparams[] = {
		[INSERT_TICKETS] = 4, [CHANGE_STATUS] = 5, [TOUCH_TICKETS] = 1,
		[RENAME_TICKETS] = 2, [FORGET_TICKETS] = 1, [REFRESH_TICKETS] = 1,
	};
	if (entry->plans[statement] == NULL)
	{
		Oid			types[5] = {t->entry->id_array_type, TEXTARRAYOID, TIMESTAMPTZARRAYOID, TEXTARRAYOID, TEXTARRAYOID};
		char	   *query;
		SPIPlanPtr	plan;

		if (statement == INSERT_TICKETS)
			query = psprintf(statements[statement], t->attachment,
							 psprintf(insert_guard[entry->unique_ids], t->attachment));
		else if (statement == CHANGE_STATUS)
			query = psprintf(statements[statement], t->attachment, change_rows[entry->unique_ids]);
		else
			query = psprintf(statements[statement], t->attachment);

		if (statement == CHANGE_STATUS)
			types[2] = TIMESTAMPTZOID;
		else if (statement == RENAME_TICKETS)
			types[1] = t->entry->id_array_type;
		plan = SPI_prepare(query, nparams[statement], types);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", query, SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		entry->plans[statement] = plan;
	}
	return entry->plans[statement];
}

/* A one-dimensional array of "count" values of a type, NULLs allowed. */
static Datum
array_of(Datum *values, bool *nulls, int count, Oid type, int16 len, bool byval, char align)
{
	int			dims[1] = {count};
	int			lbs[1] = {1};

	return PointerGetDatum(construct_md_array(values, nulls, 1, dims, lbs, type, len, byval, align));
}

/* Run a statement over the batch as the extension's owner; returns SPI_processed. */
static uint64
apply(const Tracked *t, Statement statement, Batch *batch, Oid types[3])
{
	Datum		values[5];
	char		nulls[5] = {' ', ' ', ' ', ' ', ' '};
	uint64		processed;

	for (int c = 0; c < 3; c++)
	{
		if (types[c] == InvalidOid)
			continue;
		if (types[c] == t->entry->id_type)
			values[c] = array_of(batch->column[c], batch->null[c], batch->count,
								 t->entry->id_type, t->entry->id_len, t->entry->id_byval, t->entry->id_align);
		else if (types[c] == TEXTOID)
			values[c] = array_of(batch->column[c], batch->null[c], batch->count, TEXTOID, -1, false, TYPALIGN_INT);
		else
			values[c] = array_of(batch->column[c], batch->null[c], batch->count,
								 TIMESTAMPTZOID, sizeof(TimestampTz), true, TYPALIGN_DOUBLE);
	}
	if (statement == CHANGE_STATUS)
		values[2] = TimestampTzGetDatum(t->now);
	values[3] = t->entry->paused;
	values[4] = t->entry->resolved;

	SetUserIdAndSecContext(t->owner, t->caller_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_NOFORCE_RLS);
	if (SPI_execute_plan(plan_for(t, statement), values, nulls, false, 0) < 0)
		elog(ERROR, "could not apply SLA tracking statement %d", (int) statement);
	processed = SPI_processed;
	if (statement == INSERT_TICKETS && SPI_processed == 1)
	{
		bool		isnull;

		processed = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	}
	SetUserIdAndSecContext(t->caller, t->caller_context);
	return processed;
}

/* Empty a batch after it was applied. */
static void
reset(Batch *batch)
{
	batch->count = 0;
	MemoryContextReset(batch->memory);
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
	for (int c = 0; c < 3; c++)
	{
		batch->column[c] = batch->column[c] == NULL ? palloc(sizeof(Datum) * batch->capacity)
			: repalloc(batch->column[c], sizeof(Datum) * batch->capacity);
		batch->null[c] = batch->null[c] == NULL ? palloc(sizeof(bool) * batch->capacity)
			: repalloc(batch->null[c], sizeof(bool) * batch->capacity);
	}
}

/* Add a column value to the batch row being filled, copied into its memory. */
static void
put(const Tracked *t, Batch *batch, int column, Datum value, bool isnull, bool is_id)
{
	MemoryContext old;

	make_room(batch);
	old = MemoryContextSwitchTo(batch->memory);
	batch->null[column][batch->count] = isnull;
	batch->column[column][batch->count] = isnull ? (Datum) 0 :
		is_id ? datumCopy(value, t->entry->id_byval, t->entry->id_len) : value;
	MemoryContextSwitchTo(old);
}

/*
 * The status of a row as text (its type's output function, run as the
 * caller), in the row's memory.
 */
static char *
status_text(const Tracked *t, TupleTableSlot *slot)
{
	bool		isnull;
	Datum		value = slot_getattr(slot, t->entry->status_att, &isnull);
	MemoryContext old;
	char	   *text;

	if (isnull)
		return NULL;
	old = MemoryContextSwitchTo(t->row_memory);
	text = OidOutputFunctionCall(t->entry->status_output, value);
	MemoryContextSwitchTo(old);
	return text;
}

/* Add a status to the batch as a text value (NULL allowed). */
static void
put_status(const Tracked *t, Batch *batch, int column, const char *status)
{
	MemoryContext old;

	make_room(batch);
	old = MemoryContextSwitchTo(batch->memory);
	batch->null[column][batch->count] = status == NULL;
	batch->column[column][batch->count] = status == NULL ? (Datum) 0 : CStringGetTextDatum(status);
	MemoryContextSwitchTo(old);
}

/* Whether a batch is to be applied now: full, or the last rows were read. */
static bool
ready(const Batch *batch, bool more)
{
	return batch->count == BATCH_ROWS || (!more && batch->count > 0);
}

/*
 * Inserted tickets (each with its status from its creation instant) or
 * deleted ones (their state, history and events go): the rows of one
 * transition table.
 */
static void
track_rows(const Tracked *t, Tuplestorestate *rows, TupleTableSlot *slot, Batch *batch, bool inserted)
{
	Oid			insert_types[3] = {t->entry->id_type, TEXTOID, TIMESTAMPTZOID};
	Oid			ids_only[3] = {t->entry->id_type, InvalidOid, InvalidOid};
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
			put(t, batch, 0, id, false, true);
			if (inserted)
			{
				bool		created_null;
				Datum		created = slot_getattr(slot, t->entry->created_att, &created_null);

				put_status(t, batch, 1, status_text(t, slot));
				put(t, batch, 2, created_null ? TimestampTzGetDatum(t->now) : created, false, false);
			}
			batch->count++;
		}
		if (!ready(batch, more))
			continue;
		if (!inserted)
			apply(t, FORGET_TICKETS, batch, ids_only);
		/* a ticket whose history was imported before it was inserted: rebuild */
		else if (apply(t, INSERT_TICKETS, batch, insert_types) < (uint64) batch->count)
			apply(t, REFRESH_TICKETS, batch, ids_only);
		reset(batch);
	}
}

/*
 * Updated tickets: old and new rows in the order the UPDATE wrote them.
 * Status changes are recorded under the old id, then ids that changed are
 * renamed, and every ticket updated is due for the sweep again.
 */
static void
track_updates(const Tracked *t, Tuplestorestate *old_rows, Tuplestorestate *new_rows,
			  TupleTableSlot *old_slot, TupleTableSlot *new_slot, Batch *changes, Batch *renames, Batch *touches)
{
	Oid			change_types[3] = {t->entry->id_type, TEXTOID, InvalidOid};
	Oid			rename_types[3] = {t->entry->id_type, t->entry->id_type, InvalidOid};
	Oid			touch_types[3] = {t->entry->id_type, InvalidOid, InvalidOid};
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
				if ((old_status == NULL) != (new_status == NULL) ||
					(old_status != NULL && strcmp(old_status, new_status) != 0))
				{
					put(t, changes, 0, old_id, false, true);
					put_status(t, changes, 1, new_status);
					changes->count++;
				}
				else
				{
					put(t, touches, 0, old_id, false, true);
					touches->count++;
				}
				if (!new_null && !datumIsEqual(old_id, new_id, t->entry->id_byval, t->entry->id_len))
				{
					put(t, renames, 0, old_id, false, true);
					put(t, renames, 1, new_id, false, true);
					renames->count++;
				}
			}
		}
		/* all changes of a statement come before its renames, applied at once (ids may be swapped) */
		if (ready(changes, more))
		{
			apply(t, CHANGE_STATUS, changes, change_types);
			reset(changes);
		}
		if (ready(touches, more))
		{
			apply(t, TOUCH_TICKETS, touches, touch_types);
			reset(touches);
		}
	}
	if (renames->count > 0)
		apply(t, RENAME_TICKETS, renames, rename_types);
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
		Oid			types[1] = {INT4OID};
		Datum		values[1] = {Int32GetDatum(number)};
		HeapTuple	row;
		TupleDesc	desc;
		bool		isnull;
		bool		is_varlena;
		MemoryContext old;
		Attachment	loaded = {0};

		if (SPI_execute_with_args("SELECT a.tickets, a.id_column, a.status_column, a.created_column,"
								  " a.paused_statuses, a.resolved_statuses,"
								  " EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indrelid OPERATOR(pg_catalog.=) a.tickets"
								  "         AND i.indisunique AND i.indnkeyatts OPERATOR(pg_catalog.=) 1"
								  "         AND i.indkey[0] OPERATOR(pg_catalog.=) a.id_column AND i.indpred IS NULL)"
								  " FROM sla.attachments a WHERE a.id OPERATOR(pg_catalog.=) $1",
								  1, types, values, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read attachment %d", number);
		if (SPI_processed != 1)
			ereport(ERROR,
					(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					 errmsg("SLA attachment %d does not exist", number),
					 errhint("Let sla.attach() create the tracking triggers.")));
		row = SPI_tuptable->vals[0];
		desc = SPI_tuptable->tupdesc;
		/* filled before it enters the cache: an error on the way leaves no half entry */
		loaded.trigger = trigger;
		loaded.attachment = number;
		loaded.root = DatumGetObjectId(SPI_getbinval(row, desc, 1, &isnull));
		if (RelationGetRelid(rel) != loaded.root &&
			!list_member_oid(get_partition_ancestors(RelationGetRelid(rel)), loaded.root))
			ereport(ERROR,
					(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
					 errmsg("relation \"%s\" is not attached table %s or one of its partitions",
							RelationGetRelationName(rel), get_rel_name(loaded.root))));
		loaded.id_att = column_in(rel, loaded.root, DatumGetInt16(SPI_getbinval(row, desc, 2, &isnull)));
		loaded.status_att = column_in(rel, loaded.root, DatumGetInt16(SPI_getbinval(row, desc, 3, &isnull)));
		loaded.created_att = column_in(rel, loaded.root, DatumGetInt16(SPI_getbinval(row, desc, 4, &isnull)));
		loaded.unique_ids = DatumGetBool(SPI_getbinval(row, desc, 7, &isnull));
		loaded.id_type = getBaseType(TupleDescAttr(RelationGetDescr(rel), loaded.id_att - 1)->atttypid);
		loaded.id_array_type = get_array_type(loaded.id_type);
		get_typlenbyvalalign(loaded.id_type, &loaded.id_len, &loaded.id_byval, &loaded.id_align);
		getTypeOutputInfo(TupleDescAttr(RelationGetDescr(rel), loaded.status_att - 1)->atttypid,
						  &loaded.status_output, &is_varlena);
		old = MemoryContextSwitchTo(TopMemoryContext);
		loaded.paused = datumCopy(SPI_getbinval(row, desc, 5, &isnull), false, -1);
		loaded.resolved = datumCopy(SPI_getbinval(row, desc, 6, &isnull), false, -1);
		MemoryContextSwitchTo(old);
		entry = hash_search(attachments, &trigger, HASH_ENTER, &found);
		*entry = loaded;
	}
	return entry;
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

	batches = palloc0(sizeof(Batch) * 3);
	for (int i = 0; i < 3; i++)
	{
		batches[i].memory = AllocSetContextCreate(CurrentMemoryContext, "sla tracking batch", ALLOCSET_DEFAULT_SIZES);
		batches[i].limit = BATCH_ROWS;
	}
	batches[1].limit = (int) (MaxAllocSize / sizeof(Datum));	/* the renames of an UPDATE */
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
		track_rows(&t, data->tg_newtable, slot, &batches[0], true);
	else if (TRIGGER_FIRED_BY_UPDATE(data->tg_event))
		track_updates(&t, data->tg_oldtable, data->tg_newtable, slot, other_slot,
					  &batches[0], &batches[1], &batches[2]);
	else if (TRIGGER_FIRED_BY_DELETE(data->tg_event))
		track_rows(&t, data->tg_oldtable, slot, &batches[0], false);

	ExecDropSingleTupleTableSlot(slot);
	ExecDropSingleTupleTableSlot(other_slot);
	SPI_finish();
	return PointerGetDatum(NULL);
}
