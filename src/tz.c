/*
 * src/tz.c
 *	  Zone lookup and local wall-clock time to instant, exactly as
 *	  "timestamp AT TIME ZONE zone" resolves gaps and overlaps:
 *	  timestamp2tm, DetermineTimeZoneOffset, tm2timestamp.
 */
#include "tz.h"

#include "datatype/timestamp.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "host.h"

/* pg_tzset, refusing what PostgreSQL would not accept as a zone. */
pg_tz *
zone_lookup(const char *name)
{
	pg_tz	   *zone = pg_tzset(name);

	if (zone == NULL || !pg_tz_acceptable(zone))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" not recognized", name),
				 errhint("Use an IANA zone name PostgreSQL knows, as listed in pg_timezone_names.")));
	return zone;
}

/* The zone's name as PostgreSQL spells it. */
const char *
zone_name(pg_tz *zone)
{
	return pg_get_timezone_name(zone);
}

/* See host.h: timestamp2tm, DetermineTimeZoneOffset, tm2timestamp. */
int64_t
sla_local_to_utc(const void *zone, int64_t local_usec)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			offset;
	Timestamp	result;

	if (timestamp2tm(local_usec, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	offset = DetermineTimeZoneOffset(&tm, (pg_tz *) zone);
	if (tm2timestamp(&tm, fsec, &offset, &result) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return result;
}
