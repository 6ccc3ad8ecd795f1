/*
 * src/evaluate_scan.c
 *	  sla.evaluate in FROM without a tuplestore.  PostgreSQL scans a function
 *	  in FROM (CROSS JOIN LATERAL sla.evaluate(...) r) with a function scan,
 *	  which puts every call's one row into a tuplestore of its own, made and
 *	  dropped per outer row: most of the cost of such a join.  This planner
 *	  hook offers, for a FROM item that is exactly one call of sla.evaluate,
 *	  a custom scan that evaluates the call and returns its row directly.
 *	  The results are the function scan's: the call's row, or one row of
 *	  NULLs when the call gives NULL.  Users call sla.evaluate as before.
 *
 *	  The hook is installed when the library is loaded (by the first call of
 *	  any of its functions in a session, or shared_preload_libraries), so a
 *	  query planned before that in a session uses the function scan.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_language.h"
#include "catalog/pg_proc.h"
#include "commands/explain.h"
#include "executor/executor.h"
#include "funcapi.h"
#include "nodes/extensible.h"
#include "nodes/makefuncs.h"
#include "optimizer/pathnode.h"
#include "optimizer/paths.h"
#include "optimizer/restrictinfo.h"
#include "utils/builtins.h"
#include "utils/ruleutils.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "trigger.h"

void		_PG_init(void);

static set_rel_pathlist_hook_type previous_set_rel_pathlist_hook = NULL;

/* The executor state of one scan: the call, and whether its row was returned. */
typedef struct EvaluateScanState
{
	CustomScanState css;
	ExprState  *call;
	bool		returned;
} EvaluateScanState;

static Plan *plan_evaluate_scan(PlannerInfo *root, RelOptInfo *rel, CustomPath *best_path,
								List *tlist, List *clauses, List *custom_plans);
static Node *create_evaluate_scan_state(CustomScan *cscan);
static void begin_evaluate_scan(CustomScanState *node, EState *estate, int eflags);
static TupleTableSlot *exec_evaluate_scan(CustomScanState *node);
static void end_evaluate_scan(CustomScanState *node);
static void rescan_evaluate_scan(CustomScanState *node);
static void explain_evaluate_scan(CustomScanState *node, List *ancestors, ExplainState *es);

static const CustomPathMethods path_methods = {
	.CustomName = "sla.evaluate",
	.PlanCustomPath = plan_evaluate_scan,
};

static const CustomScanMethods scan_methods = {
	.CustomName = "sla.evaluate",
	.CreateCustomScanState = create_evaluate_scan_state,
};

static const CustomExecMethods exec_methods = {
	.CustomName = "sla.evaluate",
	.BeginCustomScan = begin_evaluate_scan,
	.ExecCustomScan = exec_evaluate_scan,
	.EndCustomScan = end_evaluate_scan,
	.ReScanCustomScan = rescan_evaluate_scan,
	.ExplainCustomScan = explain_evaluate_scan,
};

/* Whether a function is this library's sla.evaluate (bound as in 1.1 or in 1.0). */
static bool
is_sla_evaluate(Oid function)
{
	HeapTuple	tuple = SearchSysCache1(PROCOID, ObjectIdGetDatum(function));
	bool		found = false;

	if (!HeapTupleIsValid(tuple))
		return false;
	if (((Form_pg_proc) GETSTRUCT(tuple))->prolang == ClanguageId)
	{
		bool		isnull;
		Datum		source = SysCacheGetAttr(PROCOID, tuple, Anum_pg_proc_prosrc, &isnull);
		Datum		library = isnull ? (Datum) 0 : SysCacheGetAttr(PROCOID, tuple, Anum_pg_proc_probin, &isnull);

		if (!isnull)
		{
			char	   *symbol = TextDatumGetCString(source);
			char	   *path = TextDatumGetCString(library);
			size_t		length = strlen(path);

			found = (strcmp(symbol, "sla_evaluate") == 0 || strcmp(symbol, "evaluate") == 0) &&
				length >= 4 && strcmp(path + length - 4, "/sla") == 0;
		}
	}
	ReleaseSysCache(tuple);
	return found;
}

/* The call of sla.evaluate a FROM item is, or NULL when it is anything else. */
static FuncExpr *
evaluate_call_of(RangeTblEntry *rte)
{
	RangeTblFunction *rtfunc;

	if (rte->rtekind != RTE_FUNCTION || rte->funcordinality || list_length(rte->functions) != 1)
		return NULL;
	rtfunc = linitial_node(RangeTblFunction, rte->functions);
	if (!IsA(rtfunc->funcexpr, FuncExpr) || rtfunc->funccolnames != NIL)
		return NULL;
	if (((FuncExpr *) rtfunc->funcexpr)->funcretset || !is_sla_evaluate(((FuncExpr *) rtfunc->funcexpr)->funcid))
		return NULL;
	return (FuncExpr *) rtfunc->funcexpr;
}

/*
 * The planner hook: next to the function scan of a FROM item that calls
 * sla.evaluate, a custom path with the same parameterization (the lateral
 * references) and a lower cost, since it builds no tuplestore.
 */
static void
offer_evaluate_scan(PlannerInfo *root, RelOptInfo *rel, Index rti, RangeTblEntry *rte)
{
	FuncExpr   *call;

	if (previous_set_rel_pathlist_hook)
		previous_set_rel_pathlist_hook(root, rel, rti, rte);
	if (rel->reloptkind == RELOPT_BASEREL && rel->pathlist != NIL && (call = evaluate_call_of(rte)) != NULL)
	{
		Path	   *function_scan = linitial(rel->pathlist);
		CustomPath *path = makeNode(CustomPath);

		path->path.pathtype = T_CustomScan;
		path->path.parent = rel;
		path->path.pathtarget = rel->reltarget;
		path->path.param_info = get_baserel_parampathinfo(root, rel, rel->lateral_relids);
		path->path.parallel_aware = false;
		path->path.parallel_safe = rel->consider_parallel;
		path->path.rows = function_scan->rows;
		path->path.startup_cost = function_scan->startup_cost;
		path->path.total_cost = function_scan->startup_cost + (function_scan->total_cost - function_scan->startup_cost) / 2;
		path->custom_private = list_make1(call);
		path->methods = &path_methods;
		add_path(rel, &path->path);
	}
}

/*
 * The plan: the call in custom_exprs (setrefs and the nestloop parameters
 * of lateral references treat it like a qual), the scan tuple the call's
 * row (custom_scan_tlist: one Var per column of sla.result).
 */
static Plan *
plan_evaluate_scan(PlannerInfo *root, RelOptInfo *rel, CustomPath *best_path,
				   List *tlist, List *clauses, List *custom_plans)
{
	FuncExpr   *call = linitial(best_path->custom_private);
	TupleDesc	desc = lookup_rowtype_tupdesc(call->funcresulttype, -1);
	CustomScan *scan = makeNode(CustomScan);
	List	   *scan_tlist = NIL;

	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		scan_tlist = lappend(scan_tlist,
							 makeTargetEntry((Expr *) makeVar(rel->relid, i + 1, att->atttypid, att->atttypmod,
															  att->attcollation, 0),
											 i + 1, pstrdup(NameStr(att->attname)), false));
	}
	ReleaseTupleDesc(desc);
	scan->scan.plan.targetlist = tlist;
	scan->scan.plan.qual = extract_actual_clauses(clauses, false);
	scan->scan.scanrelid = 0;
	scan->custom_scan_tlist = scan_tlist;
	scan->custom_exprs = list_make1(copyObject(call));
	scan->methods = &scan_methods;
	return &scan->scan.plan;
}

static Node *
create_evaluate_scan_state(CustomScan *cscan)
{
	EvaluateScanState *state = (EvaluateScanState *) newNode(sizeof(EvaluateScanState), T_CustomScanState);

	state->css.methods = &exec_methods;
	return (Node *) state;
}

static void
begin_evaluate_scan(CustomScanState *node, EState *estate, int eflags)
{
	EvaluateScanState *state = (EvaluateScanState *) node;
	CustomScan *cscan = (CustomScan *) node->ss.ps.plan;

	state->call = ExecInitExpr(linitial(cscan->custom_exprs), &node->ss.ps);
	state->returned = false;
}

/* The scan's one row: the call's result, its columns in the scan slot (all NULL for a NULL result). */
static TupleTableSlot *
next_row(ScanState *ss)
{
	EvaluateScanState *state = (EvaluateScanState *) ss;
	TupleTableSlot *slot = ss->ss_ScanTupleSlot;
	TupleDesc	desc = slot->tts_tupleDescriptor;
	bool		isnull;
	Datum		result;
	MemoryContext old;

	ExecClearTuple(slot);
	if (state->returned)
		return slot;
	state->returned = true;
	/* in the per-row memory, which ExecScan resets before the next row */
	old = MemoryContextSwitchTo(ss->ps.ps_ExprContext->ecxt_per_tuple_memory);
	result = ExecEvalExpr(state->call, ss->ps.ps_ExprContext, &isnull);
	if (isnull)
		memset(slot->tts_isnull, true, sizeof(bool) * desc->natts);
	else
	{
		HeapTupleHeader header = DatumGetHeapTupleHeader(result);
		HeapTupleData tuple;

		tuple.t_len = HeapTupleHeaderGetDatumLength(header);
		ItemPointerSetInvalid(&tuple.t_self);
		tuple.t_tableOid = InvalidOid;
		tuple.t_data = header;
		heap_deform_tuple(&tuple, desc, slot->tts_values, slot->tts_isnull);
	}
	MemoryContextSwitchTo(old);
	return ExecStoreVirtualTuple(slot);
}

/* Nothing to recheck: the scan reads no relation. */
static bool
recheck_row(ScanState *ss, TupleTableSlot *slot)
{
	return true;
}

static TupleTableSlot *
exec_evaluate_scan(CustomScanState *node)
{
	return ExecScan(&node->ss, next_row, recheck_row);
}

static void
end_evaluate_scan(CustomScanState *node)
{
}

/* A new outer row (new lateral parameters): the call is made again. */
static void
rescan_evaluate_scan(CustomScanState *node)
{
	((EvaluateScanState *) node)->returned = false;
	ExecScanReScan(&node->ss);
}

/* EXPLAIN shows the call, as it shows a function scan's. */
static void
explain_evaluate_scan(CustomScanState *node, List *ancestors, ExplainState *es)
{
	CustomScan *cscan = (CustomScan *) node->ss.ps.plan;
	List	   *context = set_deparse_context_plan(es->deparse_cxt, (Plan *) cscan, ancestors);

	ExplainPropertyText("Function Call",
						deparse_expression(linitial(cscan->custom_exprs), context, es->verbose, false), es);
}

/*
 * The library's initialization: the planner hook and the custom scan's
 * methods, and the tracking triggers' setting (trigger.c).
 */
void
_PG_init(void)
{
	sla_define_shard_setting();
	RegisterCustomScanMethods(&scan_methods);
	previous_set_rel_pathlist_hook = set_rel_pathlist_hook;
	set_rel_pathlist_hook = offer_evaluate_scan;
}
