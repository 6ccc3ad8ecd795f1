/*
 * src/day_hours.h
 *	  The open hours of one local date under a calendar's rules and
 *	  holidays, in local minutes; no backend headers.
 */
#ifndef SLA_DAY_HOURS_H
#define SLA_DAY_HOURS_H

#include "calendar_parse.h"

typedef struct CalendarRules
{
	RuleSet		rules;
	const int32_t *holidays;	/* sorted day numbers */
	int			nholidays;
	int			max_day_spans;	/* room sla_day_hours needs in its output */
	/* local dates outside [specific_first, specific_last] follow the yearly pattern */
	bool		has_specific;
	int32_t		specific_first;
	int32_t		specific_last;
} CalendarRules;

/* Set up "cal" for rules and holidays (both must outlive it). */
extern void sla_day_hours_init(CalendarRules *cal, const RuleSet *rules,
						   const int32_t *holidays, int nholidays);

/*
 * The open spans of local date "day" within [0, 1440], each as a rule
 * gave it (they are mapped to instants one by one and merged after): the
 * spills of the night before first, then the date's own spans by start.
 * Writes at most cal->max_day_spans spans to "out" and returns the count.
 */
extern int	sla_day_hours(const CalendarRules *cal, int32_t day, TimeSpan *out);

/*
 * How the calendar behaves outside its year-specific dates and holidays:
 * whether some date has open time, and whether every date is open all day.
 */
extern void sla_day_hours_pattern(const CalendarRules *cal, TimeSpan *scratch,
							  bool *ever_open, bool *always_open);

#endif
