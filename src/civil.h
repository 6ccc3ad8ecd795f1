/*
 * src/civil.h
 *	  Proleptic Gregorian dates as day numbers counted from 2000-01-01, the
 *	  same numbering as PostgreSQL's date type, without backend headers.
 */
#ifndef SLA_CIVIL_H
#define SLA_CIVIL_H

#include <stdbool.h>
#include <stdint.h>

#define SLA_USECS_PER_MINUTE INT64_C(60000000)
#define SLA_USECS_PER_DAY INT64_C(86400000000)

typedef struct CivilDate
{
	int			year;
	int			month;			/* 1..12 */
	int			day;			/* 1..31 */
} CivilDate;

extern bool sla_civil_is_leap(int year);
extern int	sla_civil_days_in_month(int year, int month);
extern int32_t sla_civil_to_days(CivilDate date);
extern CivilDate sla_civil_from_days(int32_t days);
/* 0 = Monday .. 6 = Sunday */
extern int	sla_civil_weekday(int32_t days);
/* floor division, for day numbers of negative instants */
extern int64_t sla_civil_floor_div(int64_t a, int64_t b);

#endif
