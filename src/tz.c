/*
 * src/tz.c
 *	  Zone lookup and local wall-clock time to instant, exactly as
 *	  "timestamp AT TIME ZONE zone" resolves gaps and overlaps:
 *	  timestamp2tm, DetermineTimeZoneOffset, tm2timestamp.
 */
#include "tz.h"

#include "datatype/timestamp.h"
#include "miscadmin.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "host.h"

/* pg_tzset, refusing what PostgreSQL would not accept as a zone. */
pg_tz *
sla_zone_lookup(const char *name)
{
	pg_tz	   *zone = pg_tzset(name);

	if (zone == NULL || !pg_tz_acceptable(zone))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("time zone \"%s\" not recognized", name),
				 errhint("Use an IANA zone name PostgreSQL knows, as listed in pg_timezone_names.")));
	return zone;
}

/* See tz.h. */
bool
sla_zone_is_fixed(pg_tz *zone)
{
	long int	gmtoff;

	return pg_get_timezone_offset(zone, &gmtoff);
}

/* The zone's name as PostgreSQL spells it. */
const char *
sla_zone_name(pg_tz *zone)
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

/* Zones whose bounds are known: pg_tzset never frees a zone, so pointers do. */
#define KNOWN_ZONES 32

typedef struct ZoneBounds
{
	const pg_tz *zone;
	int64		min_offset;
	int64		max_offset;
} ZoneBounds;

static ZoneBounds known_zones[KNOWN_ZONES];
static int	known_count;
static int	known_next;

/*
 * See host.h.  A fixed zone has one offset; otherwise walk the transitions
 * from the year 1 on.  The tz database's rules repeat every 400 years after
 * their last listed transition (2037), so walking to the year 2500 has met
 * every offset; a walk that takes too many steps falls back to the widest
 * offsets POSIX zone strings allow (167:59:59 either way).
 */
void
sla_zone_offset_bounds(const void *zone_ptr, int64_t *min_offset, int64_t *max_offset)
{
	const pg_tz *zone = zone_ptr;
	long int	gmtoff;
	pg_time_t	t = (pg_time_t) (-62135596800LL);	/* 0001-01-01 00:00 UTC */
	const pg_time_t stop = (pg_time_t) 16725225600LL;	/* 2500-01-01 00:00 UTC */
	int64		lo,
				hi;
	int			steps = 0;

	for (int i = 0; i < known_count; i++)
		if (known_zones[i].zone == zone)
		{
			*min_offset = known_zones[i].min_offset;
			*max_offset = known_zones[i].max_offset;
			return;
		}
	if (pg_get_timezone_offset(zone, &gmtoff))
		lo = hi = gmtoff;
	else
	{
		lo = PG_INT64_MAX;
		hi = PG_INT64_MIN;
		for (;;)
		{
			long int	before_gmtoff,
						after_gmtoff;
			int			before_isdst,
						after_isdst;
			pg_time_t	boundary;
			int			found;

			CHECK_FOR_INTERRUPTS();
			found = pg_next_dst_boundary(&t, &before_gmtoff, &before_isdst, &boundary,
										 &after_gmtoff, &after_isdst, zone);
			if (found < 0 || ++steps > 10000)
			{
				lo = -(168 * SECS_PER_HOUR);
				hi = 168 * SECS_PER_HOUR;
				break;
			}
			lo = Min(lo, before_gmtoff);
			hi = Max(hi, before_gmtoff);
			if (found == 0)
				break;
			lo = Min(lo, after_gmtoff);
			hi = Max(hi, after_gmtoff);
			if (boundary >= stop)
				break;
			t = boundary;
		}
	}
	*min_offset = lo * USECS_PER_SEC;
	*max_offset = hi * USECS_PER_SEC;
	known_zones[known_next].zone = zone;
	known_zones[known_next].min_offset = *min_offset;
	known_zones[known_next].max_offset = *max_offset;
	known_next = (known_next + 1) % KNOWN_ZONES;
	if (known_count < KNOWN_ZONES)
		known_count++;
}
