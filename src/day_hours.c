/*
 * src/day_hours.c
 *	  Which hours a local date is open, with the rule semantics of
 *	  opening_hours: the last rule selecting a date gives its own hours;
 *	  spans crossing midnight spill into the next date unless a later rule
 *	  selects that date; an implicit final "PH off" closes holidays when no
 *	  rule mentions PH.
 */
#include "day_hours.h"

#include "civil.h"
#include "host.h"

/* What the selectors look at for one date. */
typedef struct DayFacts
{
	int32_t		day;			/* day number */
	int			year;			/* 0: a date of no particular year */
	int			month;
	int			mday;
	int			weekday;		/* 0 = Monday */
	bool		holiday;
} DayFacts;

/* Whether "day" is in the sorted holiday list. */
static bool
is_holiday(const CalendarRules *cal, int32_t day)
{
	int			lo = 0,
				hi = cal->nholidays - 1;

	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (cal->holidays[mid] == day)
			return true;
		if (cal->holidays[mid] < day)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return false;
}

/* The facts of a real date. */
static DayFacts
facts_of_day(const CalendarRules *cal, int32_t day)
{
	CivilDate	date = sla_civil_from_days(day);
	DayFacts	facts = {day, date.year, date.month, date.day, sla_civil_weekday(day),
	is_holiday(cal, day)};

	return facts;
}

/* Whether a date range selects the date. */
static bool
range_selects(const DateRange *range, const DayFacts *facts)
{
	int			md,
				from,
				to;

	if (range->year)
		return facts->year != 0 && facts->day >= range->first_day && facts->day <= range->last_day;
	md = facts->month * 100 + facts->mday;
	from = range->from_month * 100 + range->from_day;
	to = range->to_month * 100 + range->to_day;
	return from <= to ? (md >= from && md <= to) : (md >= from || md <= to);
}

/* Whether rule "index" selects the date; index nrules is the implicit "PH off". */
static bool
rule_selects(const CalendarRules *cal, int index, const DayFacts *facts)
{
	const Rule *rule;

	if (index == cal->rules.nrules)
		return !cal->rules.mentions_holidays && facts->holiday;
	rule = &cal->rules.rules[index];
	switch (rule->kind)
	{
		case SELECT_ALWAYS:
			return true;
		case SELECT_WEEKDAYS:
			return (rule->weekdays >> facts->weekday) & 1;
		case SELECT_HOLIDAYS:
			return facts->holiday;
		case SELECT_DATES:
			for (int i = 0; i < rule->ndates; i++)
				if (range_selects(&rule->dates[i], facts))
					return true;
			return false;
	}
	return false;
}

/* Append the local span [start, end) to "out". */
static void
push_span(TimeSpan *out, int *n, int start, int end)
{
	out[*n].start = start;
	out[*n].end = end;
	(*n)++;
}

/* The open spans of a date given its facts and the facts of the date before. */
static int
hours_from_facts(const CalendarRules *cal, const DayFacts *today,
				 const DayFacts *yesterday, TimeSpan *out)
{
	int			last = -1;
	int			n = 0;

	for (int i = cal->rules.nrules; i >= 0; i--)
		if (rule_selects(cal, i, today))
		{
			last = i;
			break;
		}
	/* early parts of overnight spans of rules from "last" on that select yesterday */
	for (int i = last < 0 ? 0 : last; i < cal->rules.nrules; i++)
	{
		const Rule *rule = &cal->rules.rules[i];

		if (!rule_selects(cal, i, yesterday))
			continue;
		for (int s = 0; s < rule->nspans; s++)
			if (rule->spans[s].end < rule->spans[s].start)
				push_span(out, &n, 0, rule->spans[s].end);
	}
	if (last >= 0 && last < cal->rules.nrules)
	{
		const Rule *rule = &cal->rules.rules[last];

		for (int s = 0; s < rule->nspans; s++)
			push_span(out, &n, rule->spans[s].start,
					  rule->spans[s].end > rule->spans[s].start ? rule->spans[s].end : MINUTES_PER_DAY);
	}
	return n;
}

/* See day_hours.h: also finds the span of dates with year-specific rules or holidays. */
void
sla_day_hours_init(CalendarRules *cal, const RuleSet *rules, const int32_t *holidays, int nholidays)
{
	int			total_spans = 0;

	cal->rules = *rules;
	cal->holidays = holidays;
	cal->nholidays = nholidays;
	cal->has_specific = false;
	for (int i = 0; i < rules->nrules; i++)
	{
		const Rule *rule = &rules->rules[i];

		total_spans += rule->nspans;
		for (int d = 0; d < rule->ndates; d++)
			if (rule->dates[d].year)
			{
				if (!cal->has_specific || rule->dates[d].first_day < cal->specific_first)
					cal->specific_first = rule->dates[d].first_day;
				if (!cal->has_specific || rule->dates[d].last_day > cal->specific_last)
					cal->specific_last = rule->dates[d].last_day;
				cal->has_specific = true;
			}
	}
	if (nholidays > 0)
	{
		if (!cal->has_specific || holidays[0] < cal->specific_first)
			cal->specific_first = holidays[0];
		if (!cal->has_specific || holidays[nholidays - 1] > cal->specific_last)
			cal->specific_last = holidays[nholidays - 1];
		cal->has_specific = true;
	}
	/* the date after a specific date may hold its spill */
	if (cal->has_specific)
		cal->specific_last++;
	/* the own spans of one rule and the spills of all */
	cal->max_day_spans = 2 * total_spans + 1;
}

/* See day_hours.h. */
int
sla_day_hours(const CalendarRules *cal, int32_t day, TimeSpan *out)
{
	DayFacts	today = facts_of_day(cal, day);
	DayFacts	yesterday = facts_of_day(cal, day - 1);

	return hours_from_facts(cal, &today, &yesterday, out);
}

/* Whether local spans (spills first, then sorted own spans) cover 00:00-24:00. */
static bool
covers_whole_day(const TimeSpan *spans, int n)
{
	int			covered = 0;

	/* spills all start at 0; own spans are sorted by start */
	for (int i = 0; i < n; i++)
		if (spans[i].start <= covered && spans[i].end > covered)
			covered = spans[i].end;
	return covered >= MINUTES_PER_DAY;
}

/*
 * Outside the specific dates a date's hours depend only on its weekday and
 * day of the year and those of the date before; every combination occurs in
 * the 400-year Gregorian cycle, so trying each combination once decides.
 */
void
sla_day_hours_pattern(const CalendarRules *cal, TimeSpan *scratch, bool *ever_open, bool *always_open)
{
	*ever_open = false;
	*always_open = true;
	for (int month = 1; month <= 12; month++)
		for (int mday = 1; mday <= sla_civil_days_in_month(2000, month); mday++)
		{
			/* 1 March follows 28 or 29 February */
			int			variants = (month == 3 && mday == 1) ? 2 : 1;

			for (int v = 0; v < variants; v++)
				for (int weekday = 0; weekday < 7; weekday++)
				{
					DayFacts	today = {0, 0, month, mday, weekday, false};
					DayFacts	yesterday = {0, 0, month, mday - 1, (weekday + 6) % 7, false};
					int			n;

					sla_check_interrupts();
					if (mday == 1)
					{
						yesterday.month = month == 1 ? 12 : month - 1;
						yesterday.mday = sla_civil_days_in_month(v == 0 ? 2000 : 2001, yesterday.month);
					}
					n = hours_from_facts(cal, &today, &yesterday, scratch);
					if (n > 0)
						*ever_open = true;
					if (!covers_whole_day(scratch, n))
						*always_open = false;
				}
		}
}
