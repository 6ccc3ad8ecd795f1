/*
 * src/trigger.c
 *	  sla.track_status(): the row trigger sla.attach puts on a ticket table.
 *	  It records status changes, renames and deletions of tickets by calling
 *	  the extension's SQL functions (record_change, rename_ticket,
 *	  forget_ticket) as the invoking user.
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

typedef enum TrackCall
{
	CALL_RECORD_CHANGE,
	CALL_RENAME_TICKET,
	CALL_FORGET_TICKET
} TrackCall;

/* Plans kept for the backend's lifetime, revalidated by the plan cache. */
static SPIPlanPtr plans[3];

/* Prepare (once) the call of one of the extension's SQL functions. */
static SPIPlanPtr
plan_for(TrackCall call, Oid extension_namespace)
{
	static const char *const queries[] = {
		"SELECT %s.record_change($1, $2, $3, $4, $5::text[], $6::text[])",
		"SELECT %s.rename_ticket($1, $2, $3)",
		"SELECT %s.forget_ticket($1, $2)"
	};
	static const int nargs[] = {6, 3, 2};
	Oid			types[6] = {REGCLASSOID, TEXTOID, TEXTOID, TIMESTAMPTZOID, TEXTOID, TEXTOID};

	if (plans[call] == NULL)
	{
		char	   *query = psprintf(queries[call],
									 quote_identifier(get_namespace_name(extension_namespace)));
		SPIPlanPtr	plan;

		if (call != CALL_RECORD_CHANGE)
			types[2] = TEXTOID;
		plan = SPI_prepare(query, nargs[call], types);
		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", query, SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		plans[call] = plan;
	}
	return plans[call];
}

/* Run a prepared call; NULL values are passed as SQL NULLs. */
static void
run(TrackCall call, Oid extension_namespace, Datum *values, const bool *isnull, int count)
{
	char		nulls[6];

	for (int i = 0; i < count; i++)
		nulls[i] = isnull[i] ? 'n' : ' ';
	if (SPI_execute_plan(plan_for(call, extension_namespace), values, nulls, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed");
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
	Datum		values[6];
	bool		isnull[6] = {false, false, false, false, false, false};

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
	values[4] = CStringGetTextDatum(args[3]);
	values[5] = CStringGetTextDatum(args[4]);

	if (TRIGGER_FIRED_BY_INSERT(data->tg_event))
	{
		HeapTuple	row = data->tg_trigtuple;
		text	   *id = column_text(row, rel, id_att);
		text	   *status = column_text(row, rel, status_att);
		bool		created_null;
		Datum		created = SPI_getbinval(row, RelationGetDescr(rel), created_att, &created_null);

		values[1] = PointerGetDatum(id);
		isnull[1] = id == NULL;
		values[2] = PointerGetDatum(status);
		isnull[2] = status == NULL;
		values[3] = created_null ? TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()) : created;
		if (id != NULL)
			run(CALL_RECORD_CHANGE, extension_namespace, values, isnull, 6);
	}
	else if (TRIGGER_FIRED_BY_UPDATE(data->tg_event))
	{
		text	   *old_id = column_text(data->tg_trigtuple, rel, id_att);
		text	   *new_id = column_text(data->tg_newtuple, rel, id_att);
		text	   *old_status = column_text(data->tg_trigtuple, rel, status_att);
		text	   *new_status = column_text(data->tg_newtuple, rel, status_att);

		if (old_id != NULL && texts_differ(old_status, new_status))
		{
			values[1] = PointerGetDatum(old_id);
			values[2] = PointerGetDatum(new_status);
			isnull[2] = new_status == NULL;
			values[3] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
			run(CALL_RECORD_CHANGE, extension_namespace, values, isnull, 6);
		}
		if (old_id != NULL && new_id != NULL && texts_differ(old_id, new_id))
		{
			values[1] = PointerGetDatum(old_id);
			values[2] = PointerGetDatum(new_id);
			isnull[2] = false;
			run(CALL_RENAME_TICKET, extension_namespace, values, isnull, 3);
		}
	}
	else if (TRIGGER_FIRED_BY_DELETE(data->tg_event))
	{
		text	   *id = column_text(data->tg_trigtuple, rel, id_att);

		values[1] = PointerGetDatum(id);
		if (id != NULL)
			run(CALL_FORGET_TICKET, extension_namespace, values, isnull, 2);
	}
	SPI_finish();
	return PointerGetDatum(NULL);
}
