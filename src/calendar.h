/*
 * src/calendar.h
 *	  The sla.calendar type: zone + rules + holidays as one value.
 *
 * On disk: a varlena with a format version, the holidays as sorted distinct
 * day numbers, the canonical zone name and the canonical rules text.  Equal
 * calendars have equal bytes, so "=" and the compile cache compare bytes.
 */
#ifndef SLA_CALENDAR_H
#define SLA_CALENDAR_H

#include "postgres.h"

#include "fmgr.h"

#define CALENDAR_FORMAT_VERSION 1

typedef struct SlaCalendar
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;		/* CALENDAR_FORMAT_VERSION */
	uint8		reserved;		/* zero */
	uint16		zone_len;
	int32		rules_len;
	int32		nholidays;
	/* int32 holidays[nholidays], char zone[zone_len], char rules[rules_len] */
	char		data[FLEXIBLE_ARRAY_MEMBER];
} SlaCalendar;

#define DatumGetCalendarP(X) ((SlaCalendar *) PG_DETOAST_DATUM(X))
#define PG_GETARG_CALENDAR_P(n) DatumGetCalendarP(PG_GETARG_DATUM(n))

static inline const int32 *
calendar_holidays(const SlaCalendar *cal)
{
	return (const int32 *) cal->data;
}

static inline const char *
calendar_zone(const SlaCalendar *cal)
{
	return cal->data + sizeof(int32) * cal->nholidays;
}

static inline const char *
calendar_rules(const SlaCalendar *cal)
{
	return calendar_zone(cal) + cal->zone_len;
}

#endif
