/*
 * src/trigger_1_0.c
 *	  The tracking trigger of version 1.0 of the SQL objects, kept so that a
 *	  database still at 1.0 keeps recording status changes with this
 *	  library until ALTER EXTENSION sla UPDATE replaces its triggers by
 *	  those of src/trigger.c.  Remove it with the last upgrade path from 1.0.
 *
 *	  sla.track_status(): the row trigger sla.attach puts on a ticket table,
 *	  running as whoever changes the tickets.  A status change is appended
 *	  to sla.status_history and applied to the ticket's row in
 *	  sla.ticket_state in one statement (the UPDATE locks the row); a new
 *	  ticket or a change older than the last one rebuilds the state from the
 *	  history (sla.refresh_ticket).  Id changes and deletions call
 *	  rename_ticket and forget_ticket.
 *
 * Arguments, given by sla.attach: id column, status column, created column,
 * paused statuses and resolved statuses (text[] literals).
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

typedef enum Statement
{
	RECORD_HISTORY,
	ADVANCE_STATE,
	REFRESH_TICKET,
	RENAME_TICKET,
	FORGET_TICKET
} Statement;

/*
 * The statements, with %1$s for the extension's schema.  Parameters:
 * $1 table, $2 ticket id, $3 status (or new id), $4 instant, $5 paused
 * statuses, $6 resolved statuses, $7 whether the change happens now: then
 * it cannot precede the last one recorded (a transaction that started
 * earlier may commit its change later), so its instant is at least that.
 */
#define CHANGE_INSTANT \
	"(CASE WHEN $7 THEN GREATEST($4, s.status_since) ELSE $4 END)"

static const char *const statements[] = {
	[RECORD_HISTORY] =
	"INSERT INTO %1$s.status_history (tickets, ticket_id, changed_at, status) VALUES ($1, $2, $4, $3)",
	[ADVANCE_STATE] =
	"WITH advanced AS ("
	"UPDATE %1$s.ticket_state s SET status = $3, status_since = " CHANGE_INSTANT ","
	" paused = CASE"
	"   WHEN $3 OPERATOR(pg_catalog.=) ANY ($5::pg_catalog.text[])"
	"        AND NOT s.status OPERATOR(pg_catalog.=) ANY ($5::pg_catalog.text[])"
	"   THEN s.paused OPERATOR(pg_catalog.+) pg_catalog.tstzmultirange(pg_catalog.tstzrange(" CHANGE_INSTANT ", NULL))"
	"   WHEN s.status OPERATOR(pg_catalog.=) ANY ($5::pg_catalog.text[])"
	"        AND NOT $3 OPERATOR(pg_catalog.=) ANY ($5::pg_catalog.text[])"
	"   THEN s.paused OPERATOR(pg_catalog.-) pg_catalog.tstzmultirange(pg_catalog.tstzrange(" CHANGE_INSTANT ", NULL))"
	"   ELSE s.paused END,"
	" reopened = s.reopened OPERATOR(pg_catalog.+) CASE"
	"   WHEN s.status OPERATOR(pg_catalog.=) ANY ($6::pg_catalog.text[])"
	"        AND NOT $3 OPERATOR(pg_catalog.=) ANY ($6::pg_catalog.text[]) THEN 1 ELSE 0 END"
	" WHERE s.tickets OPERATOR(pg_catalog.=) $1 AND s.ticket_id OPERATOR(pg_catalog.=) $2"
	"   AND ($7 OR s.status_since OPERATOR(pg_catalog.<=) $4)"
	" RETURNING s.status_since) "
	"INSERT INTO %1$s.status_history (tickets, ticket_id, changed_at, status)"
	" SELECT $1, $2, advanced.status_since, $3 FROM advanced",
	[REFRESH_TICKET] =
	"SELECT %1$s.refresh_ticket($1, $2, $5::pg_catalog.text[], $6::pg_catalog.text[])",
	[RENAME_TICKET] =
	"SELECT %1$s.rename_ticket($1, $2, $3)",
	[FORGET_TICKET] =
	"SELECT %1$s.forget_ticket($1, $2)",
};

/* Plans kept for the backend's lifetime, revalidated by the plan cache. */
static SPIPlanPtr plans[lengthof(statements)];

/* Run one of the statements (prepared once) with all seven parameters. */
static int
run(Statement statement, Oid extension_namespace, Datum *values, const bool *isnull)
{
	static const Oid types[7] = {REGCLASSOID, TEXTOID, TEXTOID, TIMESTAMPTZOID, TEXTOID, TEXTOID, BOOLOID};
	char		nulls[7];
	int			result;

	if (plans[statement] == NULL)
	{
		char	   *query = psprintf(statements[statement],
									 quote_identifier(get_namespace_name(extension_namespace)));
		SPIPlanPtr	plan = SPI_prepare(query, 7, (Oid *) types);

		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", query, SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		plans[statement] = plan;
	}
	for (int i = 0; i < 7; i++)
		nulls[i] = isnull[i] ? 'n' : ' ';
	result = SPI_execute_plan(plans[statement], values, nulls, false, 0);
	if (result < 0)
		elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(result));
	return (int) SPI_processed;
}

/* The attribute number of a column named in a trigger argument. */
static int
column_number(Relation rel, const char *name)
{
	int			attnum = SPI_fnumber(RelationGetDescr(rel), name);

	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of relation \"%s\" does not exist", name, RelationGetRelationName(rel)),
				 errhint("Detach and attach the table again after renaming its columns.")));
	return attnum;
}

/* A column's value as text (its type's output function), or NULL. */
static text *
column_text(HeapTuple tuple, Relation rel, int attnum)
{
	char	   *value = SPI_getvalue(tuple, RelationGetDescr(rel), attnum);

	return value == NULL ? NULL : cstring_to_text(value);
}

/* Whether two column values (as text, NULL allowed) are distinct. */
static bool
texts_differ(text *a, text *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) != (b == NULL);
	return VARSIZE_ANY_EXHDR(a) != VARSIZE_ANY_EXHDR(b) ||
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) != 0;
}

/*
 * Record that ticket values[1] took status "status" at values[3] (or, when
 * values[6] says the change happens now, no earlier than the last change)
 * and bring its state up to date: one statement when the change follows
 * the ticket's last one, else the history and a rebuild.
 */
static void
record_change(Oid extension_namespace, Datum *values, bool *isnull, text *status)
{
	values[2] = PointerGetDatum(status);
	isnull[2] = status == NULL;
	/* a NULL status neither pauses nor resumes: history only */
	if (status != NULL && run(ADVANCE_STATE, extension_namespace, values, isnull) == 1)
		return;
	run(RECORD_HISTORY, extension_namespace, values, isnull);
	if (status != NULL)
		run(REFRESH_TICKET, extension_namespace, values, isnull);
}

PG_FUNCTION_INFO_V1(track_status);
/* The tracking trigger: see the file header. */
Datum
track_status(PG_FUNCTION_ARGS)
{
	TriggerData *data = (TriggerData *) fcinfo->context;
	Relation	rel;
	char	  **args;
	Oid			extension_namespace = get_func_namespace(fcinfo->flinfo->fn_oid);
	int			id_att,
				status_att,
				created_att;
	Datum		values[7];
	bool		isnull[7] = {false, false, false, false, false, false, false};

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("sla.track_status() must be called as a trigger")));
	if (!TRIGGER_FIRED_AFTER(data->tg_event) || !TRIGGER_FIRED_FOR_ROW(data->tg_event) ||
		data->tg_trigger->tgnargs != 5)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("sla.track_status() must be an AFTER ... FOR EACH ROW trigger with five arguments"),
				 errhint("Let sla.attach() create it.")));
	rel = data->tg_relation;
	args = data->tg_trigger->tgargs;
	id_att = column_number(rel, args[0]);
	status_att = column_number(rel, args[1]);
	created_att = column_number(rel, args[2]);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	values[0] = ObjectIdGetDatum(RelationGetRelid(rel));
	values[3] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	values[4] = CStringGetTextDatum(args[3]);
	values[5] = CStringGetTextDatum(args[4]);
	values[6] = BoolGetDatum(TRIGGER_FIRED_BY_UPDATE(data->tg_event));

	if (TRIGGER_FIRED_BY_INSERT(data->tg_event))
	{
		HeapTuple	row = data->tg_trigtuple;
		text	   *id = column_text(row, rel, id_att);
		bool		created_null;
		Datum		created = SPI_getbinval(row, RelationGetDescr(rel), created_att, &created_null);

		/* the status a ticket is inserted with counts from its creation */
		if (!created_null)
			values[3] = created;
		values[1] = PointerGetDatum(id);
		if (id != NULL)
			record_change(extension_namespace, values, isnull, column_text(row, rel, status_att));
	}
	else if (TRIGGER_FIRED_BY_UPDATE(data->tg_event))
	{
		text	   *old_id = column_text(data->tg_trigtuple, rel, id_att);
		text	   *new_id = column_text(data->tg_newtuple, rel, id_att);
		text	   *old_status = column_text(data->tg_trigtuple, rel, status_att);
		text	   *new_status = column_text(data->tg_newtuple, rel, status_att);

		/* under the old id: a rename in the same statement follows */
		values[1] = PointerGetDatum(old_id);
		if (old_id != NULL && texts_differ(old_status, new_status))
			record_change(extension_namespace, values, isnull, new_status);
		if (old_id != NULL && new_id != NULL && texts_differ(old_id, new_id))
		{
			values[2] = PointerGetDatum(new_id);
			isnull[2] = false;
			run(RENAME_TICKET, extension_namespace, values, isnull);
		}
	}
	else if (TRIGGER_FIRED_BY_DELETE(data->tg_event))
	{
		text	   *id = column_text(data->tg_trigtuple, rel, id_att);

		values[1] = PointerGetDatum(id);
		if (id != NULL)
			run(FORGET_TICKET, extension_namespace, values, isnull);
	}
	SPI_finish();
	return PointerGetDatum(NULL);
}
