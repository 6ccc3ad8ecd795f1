/*
 * src/calendar_parse.h
 *	  The parsed form of calendar rules (a subset of OpenStreetMap's
 *	  opening_hours syntax), the parser and the canonical printer.
 *	  No backend headers: this is what the fuzzer drives.
 */
#ifndef SLA_CALENDAR_PARSE_H
#define SLA_CALENDAR_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MINUTES_PER_DAY 1440

typedef enum SelectorKind
{
	SELECT_ALWAYS,				/* 24/7 */
	SELECT_WEEKDAYS,
	SELECT_DATES,
	SELECT_HOLIDAYS				/* PH */
} SelectorKind;

/* A date or date range: "[YYYY ]Mon DD[-[Mon ]DD]" */
typedef struct DateRange
{
	int			year;			/* 0: every year */
	int			from_month;
	int			from_day;
	int			to_month;
	int			to_day;
	int32_t		first_day;		/* with a year: the day numbers it covers */
	int32_t		last_day;
} DateRange;

/* "HH:MM-HH:MM" in minutes of the day; end < start crosses midnight */
typedef struct TimeSpan
{
	int			start;			/* 0..1439 */
	int			end;			/* 1..1440, never equal to start */
} TimeSpan;

typedef struct Rule
{
	SelectorKind kind;
	unsigned	weekdays;		/* SELECT_WEEKDAYS: bit 0 = Monday */
	int			ndates;
	DateRange  *dates;			/* SELECT_DATES */
	int			nspans;			/* 0: off */
	TimeSpan   *spans;			/* sorted by start, merged (see sla_rules_parse) */
	size_t		offset;			/* byte offset of the rule in the text parsed */
} Rule;

typedef struct RuleSet
{
	int			nrules;
	Rule	   *rules;
	bool		mentions_holidays;	/* false: an implicit final "PH off" */
} RuleSet;

/* Where and why parsing failed. */
typedef struct ParseError
{
	int			position;		/* 1-based character position */
	char		message[160];
} ParseError;

/* Longest rules text accepted (a bound on work and memory). */
#define RULES_MAX_LENGTH (1024 * 1024)

/*
 * Parse "text" (length "len", need not be NUL-terminated) into *rules,
 * allocating from "owner" via sla_alloc.  Returns false and fills *error
 * on bad input.
 *
 * The result is canonical: a rule's spans are sorted and written once; a
 * rule that a later identical rule repeats is dropped (the later one gives
 * the same hours and spills).  Its canonical text is at most
 * RULES_MAX_LENGTH bytes, so whatever parses reads back: longer is an
 * error.
 */
extern bool sla_rules_parse(const char *text, size_t len, void *owner,
						RuleSet *rules, ParseError *error);

/*
 * Merge each rule's spans where they overlap or touch (a span crossing
 * midnight counted on its date and the next), then drop the rules this
 * makes repeats.  Exact for a zone without transitions only: each span is
 * mapped to instants on its own, and a span ending in a spring-forward gap
 * maps otherwise than its merged whole.  Shortens the canonical text.
 */
extern void sla_rules_merge_spans(RuleSet *rules, void *owner);

/*
 * Print the canonical text of "rules" into buf (size "cap"); returns the
 * length it needs, which may exceed cap (then call again with more room).
 */
extern size_t sla_rules_format(const RuleSet *rules, char *buf, size_t cap);

/* The white space of rules and of the text form: space, tab, newline, return. */
static inline bool
rules_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

#endif
