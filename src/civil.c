/*
 * src/civil.c
 *	  Day-number arithmetic on the proleptic Gregorian calendar
 *	  (H. Hinnant's days-from-civil algorithm, shifted to 2000-01-01).
 */
#include "civil.h"

/* 2000-01-01 counted from 1970-01-01 */
#define DAYS_1970_TO_2000 10957

/* Whether "year" has a 29 February. */
bool
sla_civil_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Number of days of "month" in "year". */
int
sla_civil_days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return month == 2 && sla_civil_is_leap(year) ? 29 : days[month - 1];
}

/* Floor division, rounding towards minus infinity. */
int64_t
sla_civil_floor_div(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* Day number of a valid date. */
int32_t
sla_civil_to_days(CivilDate date)
{
	int64_t		y = date.year - (date.month <= 2);
	int64_t		era = sla_civil_floor_div(y, 400);
	int64_t		yoe = y - era * 400;
	int64_t		mp = (date.month + 9) % 12;
	int64_t		doy = (153 * mp + 2) / 5 + date.day - 1;
	int64_t		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (int32_t) (era * 146097 + doe - 719468 - DAYS_1970_TO_2000);
}

/* Date of a day number. */
CivilDate
sla_civil_from_days(int32_t days)
{
	int64_t		z = (int64_t) days + DAYS_1970_TO_2000 + 719468;
	int64_t		era = sla_civil_floor_div(z, 146097);
	int64_t		doe = z - era * 146097;
	int64_t		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t		mp = (5 * doy + 2) / 153;
	CivilDate	result;

	result.day = (int) (doy - (153 * mp + 2) / 5 + 1);
	result.month = (int) (mp < 10 ? mp + 3 : mp - 9);
	result.year = (int) (yoe + era * 400 + (result.month <= 2));
	return result;
}

/* Weekday of a day number, 0 = Monday; 2000-01-01 was a Saturday. */
int
sla_civil_weekday(int32_t days)
{
	int64_t		shifted = (int64_t) days + 5;

	return (int) (shifted - 7 * sla_civil_floor_div(shifted, 7));
}
