/*
 * src/entry_points_1_0.c
 *	  The C symbols that sql/sla--1.0.sql binds its functions to, kept so
 *	  that a database still at version 1.0 of the SQL objects works with
 *	  this library until ALTER EXTENSION sla UPDATE binds them to the
 *	  sla_-prefixed symbols (PostgreSQL loads modules with RTLD_GLOBAL:
 *	  the symbols of a library share one namespace with every other).  Each
 *	  is the 1.1 function under its 1.0 name.  Remove them with the last
 *	  upgrade path from 1.0.  (The 1.0 tracking trigger is trigger_1_0.c.)
 */
#include "postgres.h"

#include "fmgr.h"

/* The 1.0 symbol "name", calling sla_<name>. */
#define ENTRY_POINT_1_0(name) \
	extern Datum sla_##name(PG_FUNCTION_ARGS); \
	PG_FUNCTION_INFO_V1(name); \
	Datum name(PG_FUNCTION_ARGS) { return sla_##name(fcinfo); }

ENTRY_POINT_1_0(business_add)
ENTRY_POINT_1_0(business_time)
ENTRY_POINT_1_0(calendar_eq)
ENTRY_POINT_1_0(calendar_hash)
ENTRY_POINT_1_0(calendar_in)
ENTRY_POINT_1_0(calendar_make)
ENTRY_POINT_1_0(calendar_ne)
ENTRY_POINT_1_0(calendar_out)
ENTRY_POINT_1_0(calendar_recv)
ENTRY_POINT_1_0(calendar_send)
ENTRY_POINT_1_0(evaluate)
ENTRY_POINT_1_0(is_open)
ENTRY_POINT_1_0(next_close)
ENTRY_POINT_1_0(next_open)
ENTRY_POINT_1_0(open_windows)
ENTRY_POINT_1_0(pauses_final)
ENTRY_POINT_1_0(pauses_step)
ENTRY_POINT_1_0(policy_id_for)
