/*
 * src/calendar_parse.c
 *	  Parser and canonical printer for calendar rules:
 *
 *	  rules    = rule *(";" rule)
 *	  rule     = "24/7" | selector [times | "off" | "closed"]
 *	  selector = weekdays | dates | "PH"
 *	  weekdays = day ["-" day] *("," day ["-" day])
 *	  dates    = [YYYY] Mon DD ["-" [Mon] DD] *("," ...)
 *	  times    = HH:MM "-" HH:MM *("," HH:MM "-" HH:MM)
 *
 *	  Case-insensitive, spaces free between tokens.  Errors carry the
 *	  1-based character position and the offending token.
 */
#include "calendar_parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "civil.h"
#include "host.h"

static const char *const weekday_names[7] = {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"};
static const char *const month_names[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* ASCII classes, independent of the server's locale */
#define IS_LETTER(c) (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z'))
#define IS_DIGIT(c) ((c) >= '0' && (c) <= '9')

typedef enum TokenKind
{
	TOKEN_END,
	TOKEN_WORD,					/* letters */
	TOKEN_NUMBER,				/* digits */
	TOKEN_PUNCT,				/* one of ; , - : / */
	TOKEN_BAD					/* any other character */
} TokenKind;

typedef struct Token
{
	TokenKind	kind;
	size_t		offset;			/* byte offset in the text */
	size_t		len;
	long		number;			/* TOKEN_NUMBER: value, -1 when too long */
} Token;

typedef struct Parser
{
	const char *text;
	size_t		len;
	size_t		pos;			/* next unread byte */
	Token		token;			/* current token */
	size_t		consumed_end;	/* byte offset just past the previous token */
	void	   *owner;
	ParseError *error;
} Parser;

/* Read the next token into p->token. */
static void
next_token(Parser *p)
{
	Token	   *t = &p->token;
	unsigned char c;

	p->consumed_end = t->offset + t->len;
	while (p->pos < p->len && rules_is_space(p->text[p->pos]))
		p->pos++;
	t->offset = p->pos;
	t->number = 0;
	if (p->pos >= p->len)
	{
		t->kind = TOKEN_END;
		t->len = 0;
		return;
	}
	c = (unsigned char) p->text[p->pos];
	if (IS_LETTER(c) || c >= 0x80)
	{
		/* a word; non-ASCII letters belong to it, so errors show all of it */
		t->kind = TOKEN_WORD;
		while (p->pos < p->len && (IS_LETTER(p->text[p->pos]) ||
								   (unsigned char) p->text[p->pos] >= 0x80))
			p->pos++;
	}
	else if (IS_DIGIT(c))
	{
		t->kind = TOKEN_NUMBER;
		while (p->pos < p->len && IS_DIGIT(p->text[p->pos]))
		{
			if (t->number >= 0)
				t->number = p->pos - t->offset < 9 ? t->number * 10 + (p->text[p->pos] - '0') : -1;
			p->pos++;
		}
	}
	else
	{
		t->kind = strchr(";,-:/", c) != NULL && c != '\0' ? TOKEN_PUNCT : TOKEN_BAD;
		p->pos++;
	}
	t->len = p->pos - t->offset;
}

/* 1-based character position of byte offset "offset" (UTF-8 aware). */
static int
char_position(const Parser *p, size_t offset)
{
	int			chars = 1;

	for (size_t i = 0; i < offset && i < p->len; i++)
		if (((unsigned char) p->text[i] & 0xC0) != 0x80)
			chars++;
	return chars;
}

/*
 * Fail with "<what> "<token>"<detail> at character N" about token "t";
 * always returns false.
 */
static bool
fail_at(Parser *p, const Token *t, const char *what, const char *detail)
{
	char		shown[80];
	size_t		out = 0;
	size_t		i;

	/* the token as text, non-printable bytes escaped, cut when long */
	if (t->kind == TOKEN_END)
		snprintf(shown, sizeof(shown), "end of rules");
	else
	{
		shown[out++] = '"';
		/*
		 * control characters escaped; cut when long, at a character boundary
		 * (a character has at most 3 continuation bytes: invalid UTF-8 or a
		 * single-byte encoding may have more in a row)
		 */
		for (i = 0; i < t->len && (out < 40 || (((unsigned char) p->text[t->offset + i] & 0xC0) == 0x80 && out < 43)); i++)
		{
			unsigned char c = (unsigned char) p->text[t->offset + i];

			if ((c >= 0x20 && c != 0x7F && c != '"' && c != '\\'))
				shown[out++] = (char) c;
			else
				out += snprintf(shown + out, sizeof(shown) - out, "\\x%02X", c);
		}
		if (i < t->len)
			out += snprintf(shown + out, sizeof(shown) - out, "...");
		shown[out++] = '"';
		shown[out] = '\0';
	}
	p->error->position = char_position(p, t->offset);
	snprintf(p->error->message, sizeof(p->error->message), "%s %s%s at character %d",
			 what, shown, detail, p->error->position);
	return false;
}

/* Whether the current token is the (case-insensitive) word or punctuation "s". */
static bool
token_is(const Parser *p, const char *s)
{
	const Token *t = &p->token;

	return (t->kind == TOKEN_WORD || t->kind == TOKEN_PUNCT) && t->len == strlen(s) &&
		strncasecmp(p->text + t->offset, s, t->len) == 0;
}

/* Number of characters (not bytes) of the current token. */
static size_t
token_chars(const Parser *p)
{
	size_t		chars = 0;

	for (size_t i = 0; i < p->token.len; i++)
		if (((unsigned char) p->text[p->token.offset + i] & 0xC0) != 0x80)
			chars++;
	return chars;
}

/* Index of the current word in "names" (case-insensitive), or -1. */
static int
token_lookup(const Parser *p, const char *const *names, int count)
{
	for (int i = 0; i < count; i++)
		if (token_is(p, names[i]))
			return i;
	return -1;
}

/* Append one element of "size" bytes to a growing array. */
static void *
append(Parser *p, void *array, int *count, int *capacity, size_t size)
{
	if (*count == *capacity)
	{
		*capacity = *capacity ? *capacity * 2 : 4;
		array = sla_realloc(p->owner, array, size * (size_t) *capacity);
	}
	(*count)++;
	return array;
}

/* weekdays = day ["-" day] *("," day ["-" day]) */
static bool
parse_weekdays(Parser *p, Rule *rule)
{
	rule->kind = SELECT_WEEKDAYS;
	for (;;)
	{
		int			from = token_lookup(p, weekday_names, 7);
		int			to;

		if (from < 0)
			return fail_at(p, &p->token, p->token.kind == TOKEN_WORD ? "unknown weekday" : "expected a weekday, found", "");
		next_token(p);
		to = from;
		if (token_is(p, "-"))
		{
			next_token(p);
			to = token_lookup(p, weekday_names, 7);
			if (to < 0)
				return fail_at(p, &p->token, p->token.kind == TOKEN_WORD ? "unknown weekday" : "expected a weekday, found", "");
			next_token(p);
		}
		for (int d = from;; d = (d + 1) % 7)
		{
			rule->weekdays |= 1u << d;
			if (d == to)
				break;
		}
		if (!token_is(p, ","))
			return true;
		next_token(p);
	}
}

/* A month name; fills *month (1..12). */
static bool
parse_month(Parser *p, int *month)
{
	int			m = token_lookup(p, month_names, 12);

	if (m < 0)
		return fail_at(p, &p->token, p->token.kind == TOKEN_WORD ? "unknown month" : "expected a month, found", "");
	*month = m + 1;
	next_token(p);
	return true;
}

/* A day of "month" (of "year", or of any year when 0). */
static bool
parse_day(Parser *p, int year, int month, int *day)
{
	int			max_day = sla_civil_days_in_month(year ? year : 2000, month);

	if (p->token.kind != TOKEN_NUMBER)
		return fail_at(p, &p->token, "expected a day of the month, found", "");
	if (p->token.number < 1 || p->token.number > max_day || p->token.len > 2)
	{
		char		detail[40];

		if (year && p->token.number == 29 && month == 2)
			snprintf(detail, sizeof(detail), " does not exist in Feb %04d", year);
		else
			snprintf(detail, sizeof(detail), " does not exist in %s", month_names[month - 1]);
		return fail_at(p, &p->token, "day", detail);
	}
	*day = (int) p->token.number;
	next_token(p);
	return true;
}

/*
 * The days a range with a year covers: from its start to the next
 * occurrence of its end (a 29 February end waits for a leap year).
 */
static void
date_range_days(DateRange *range)
{
	CivilDate	from = {range->year, range->from_month, range->from_day};

	range->first_day = sla_civil_to_days(from);
	for (int year = range->year;; year++)
	{
		CivilDate	to = {year, range->to_month, range->to_day};

		if (to.day <= sla_civil_days_in_month(year, to.month) && sla_civil_to_days(to) >= range->first_day)
		{
			range->last_day = sla_civil_to_days(to);
			return;
		}
	}
}

/* dates = [YYYY] Mon DD ["-" [Mon] DD] *("," ...) */
static bool
parse_dates(Parser *p, Rule *rule)
{
	int			capacity = 0;

	rule->kind = SELECT_DATES;
	for (;;)
	{
		DateRange	range = {0};

		if (p->token.kind == TOKEN_NUMBER)
		{
			if (p->token.len != 4 || p->token.number < 1)
				return fail_at(p, &p->token, "expected a year YYYY (0001-9999), found", "");
			range.year = (int) p->token.number;
			next_token(p);
		}
		if (!parse_month(p, &range.from_month) ||
			!parse_day(p, range.year, range.from_month, &range.from_day))
			return false;
		range.to_month = range.from_month;
		range.to_day = range.from_day;
		if (token_is(p, "-"))
		{
			next_token(p);
			if (p->token.kind == TOKEN_WORD && !parse_month(p, &range.to_month))
				return false;
			if (!parse_day(p, 0, range.to_month, &range.to_day))
				return false;
		}
		if (range.year)
			date_range_days(&range);
		rule->dates = append(p, rule->dates, &rule->ndates, &capacity, sizeof(DateRange));
		rule->dates[rule->ndates - 1] = range;
		if (!token_is(p, ","))
			return true;
		next_token(p);
	}
}

/* HH:MM as minutes of the day; 24:00 only when "is_end". */
static bool
parse_time(Parser *p, bool is_end, int *minutes, Token *start_token)
{
	Token		hours = p->token;
	long		h,
				m;

	*start_token = hours;
	if (hours.kind != TOKEN_NUMBER || hours.len > 2)
		return fail_at(p, &hours, "expected a time HH:MM, found", "");
	next_token(p);
	if (!token_is(p, ":"))
		return fail_at(p, &p->token, "expected \":\" in a time, found", "");
	next_token(p);
	if (p->token.kind != TOKEN_NUMBER || p->token.len != 2)
		return fail_at(p, &p->token, "expected two-digit minutes, found", "");
	h = hours.number;
	m = p->token.number;
	if (m > 59)
		return fail_at(p, &p->token, "minutes", " are over 59");
	if (h > 24 || (h == 24 && m != 0))
		return fail_at(p, &hours, "hour", " is past 24:00");
	if (h == 24 && !is_end)
		return fail_at(p, &hours, "hour", " cannot start a span (24:00 is the end of the day)");
	*minutes = (int) (h * 60 + m);
	next_token(p);
	return true;
}

/* times = span *("," span) */
static bool
parse_times(Parser *p, Rule *rule)
{
	int			capacity = 0;

	for (;;)
	{
		TimeSpan	span;
		Token		start_token,
					end_token,
					whole;

		if (!parse_time(p, false, &span.start, &start_token))
			return false;
		if (!token_is(p, "-"))
			return fail_at(p, &p->token, "expected \"-\" between times, found", "");
		next_token(p);
		if (!parse_time(p, true, &span.end, &end_token))
			return false;
		whole = start_token;
		whole.len = p->consumed_end - start_token.offset;
		if (span.end == span.start)
			return fail_at(p, &whole, "span", " starts and ends at the same time");
		if (span.end == 0)
			span.end = MINUTES_PER_DAY;
		rule->spans = append(p, rule->spans, &rule->nspans, &capacity, sizeof(TimeSpan));
		rule->spans[rule->nspans - 1] = span;
		if (!token_is(p, ","))
			return true;
		next_token(p);
	}
}

/* Where a span ends on the line of its date and the next (minutes from its date's 00:00). */
static int
span_end_on_two_days(const TimeSpan *span)
{
	return span->end > span->start ? span->end : span->end + MINUTES_PER_DAY;
}

/* qsort order of spans: by start, then by end (on the two-day line). */
static int
compare_spans(const void *a, const void *b)
{
	const TimeSpan *x = a,
			   *y = b;
	int			xe = span_end_on_two_days(x),
				ye = span_end_on_two_days(y);

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (xe > ye) - (xe < ye);
}

/* Sort a rule's spans and drop exact repeats (which map to the same instants in any zone). */
static void
sort_spans(Rule *rule)
{
	int			n = 0;

	qsort(rule->spans, rule->nspans, sizeof(TimeSpan), compare_spans);
	for (int i = 0; i < rule->nspans; i++)
	{
		if ((i & 1023) == 0)
			sla_check_interrupts();
		if (n == 0 || rule->spans[n - 1].start != rule->spans[i].start ||
			rule->spans[n - 1].end != rule->spans[i].end)
			rule->spans[n++] = rule->spans[i];
	}
	rule->nspans = n;
}

/*
 * Merge the sorted spans of a rule: on the line of the date and the next,
 * spans that overlap or touch become one.  A union shorter than a day is one
 * span again; one of a day or more that runs into the next date (only
 * overlapping spans make those) is written as "start-24:00" and
 * "23:59-end", which merge back to the same union.
 */
static void
merge_spans(Rule *rule, void *owner)
{
	TimeSpan   *merged;
	int			n = 0,
				out = 0;

	if (rule->nspans < 2)
		return;
	merged = sla_alloc(owner, sizeof(TimeSpan) * (size_t) rule->nspans);
	for (int i = 0; i < rule->nspans; i++)
	{
		int			start = rule->spans[i].start;
		int			end = span_end_on_two_days(&rule->spans[i]);

		if ((i & 1023) == 0)
			sla_check_interrupts();
		if (n > 0 && start <= merged[n - 1].end)
		{
			if (end > merged[n - 1].end)
				merged[n - 1].end = end;
		}
		else
		{
			merged[n].start = start;
			merged[n].end = end;
			n++;
		}
	}
	/* a union needing two spans comes from two spans or more: out <= nspans */
	for (int i = 0; i < n; i++)
	{
		int			start = merged[i].start;
		int			end = merged[i].end;

		if (end <= MINUTES_PER_DAY)
			rule->spans[out++] = merged[i];
		else if (end - start < MINUTES_PER_DAY)
		{
			rule->spans[out].start = start;
			rule->spans[out++].end = end - MINUTES_PER_DAY;
		}
		else
		{
			rule->spans[out].start = start;
			rule->spans[out++].end = MINUTES_PER_DAY;
			rule->spans[out].start = MINUTES_PER_DAY - 1;
			rule->spans[out++].end = end - MINUTES_PER_DAY;
		}
	}
	rule->nspans = out;
}

/* rule = "24/7" | selector [times | "off" | "closed"] */
static bool
parse_rule(Parser *p, Rule *rule)
{
	memset(rule, 0, sizeof(*rule));
	rule->offset = p->token.offset;
	if (p->token.kind == TOKEN_NUMBER && p->token.number == 24 && p->token.len == 2)
	{
		Token		first = p->token;

		next_token(p);
		if (!token_is(p, "/"))
			return fail_at(p, &first, "expected a weekday, date, PH or 24/7, found", "");
		next_token(p);
		if (p->token.kind != TOKEN_NUMBER || p->token.number != 7 || p->token.len != 1)
			return fail_at(p, &p->token, "expected \"24/7\", found", "");
		next_token(p);
		rule->kind = SELECT_ALWAYS;
	}
	else if (token_is(p, "PH"))
	{
		rule->kind = SELECT_HOLIDAYS;
		next_token(p);
	}
	else if (token_lookup(p, weekday_names, 7) >= 0)
	{
		if (!parse_weekdays(p, rule))
			return false;
	}
	else if (token_lookup(p, month_names, 12) >= 0 ||
			 (p->token.kind == TOKEN_NUMBER && p->token.len == 4))
	{
		if (!parse_dates(p, rule))
			return false;
	}
	else if (p->token.kind == TOKEN_WORD && token_chars(p) == 2)
		return fail_at(p, &p->token, "unknown weekday", "");
	else if (p->token.kind == TOKEN_WORD && token_chars(p) == 3)
		return fail_at(p, &p->token, "unknown month", "");
	else
		return fail_at(p, &p->token, "expected a weekday, date, PH or 24/7, found", "");

	if (rule->kind != SELECT_ALWAYS && (token_is(p, "off") || token_is(p, "closed")))
		next_token(p);
	else if (rule->kind != SELECT_ALWAYS && p->token.kind == TOKEN_NUMBER)
	{
		if (!parse_times(p, rule))
			return false;
		/* sorted, without repeats, so that equal rules print equally */
		sort_spans(rule);
	}
	else
	{
		rule->spans = sla_alloc(p->owner, sizeof(TimeSpan));
		rule->spans[0].start = 0;
		rule->spans[0].end = MINUTES_PER_DAY;
		rule->nspans = 1;
	}
	if (p->token.kind != TOKEN_END && !token_is(p, ";"))
		return fail_at(p, &p->token, "unexpected", "");
	return true;
}

static size_t rule_text_length(const Rule *rule);

/* A hash of a rule's fields, for finding repeated rules. */
static uint32_t
rule_hash(const Rule *rule)
{
	uint32_t	h = 2166136261u;

#define MIX(v) (h = (h ^ (uint32_t) (v)) * 16777619u)
	MIX(rule->kind);
	MIX(rule->weekdays);
	MIX(rule->ndates);
	MIX(rule->nspans);
	for (int i = 0; i < rule->ndates; i++)
	{
		MIX(rule->dates[i].year);
		MIX(rule->dates[i].from_month * 32 + rule->dates[i].from_day);
		MIX(rule->dates[i].to_month * 32 + rule->dates[i].to_day);
	}
	for (int i = 0; i < rule->nspans; i++)
		MIX(rule->spans[i].start * 2048 + rule->spans[i].end);
#undef MIX
	return h;
}

/* Whether two rules select the same dates with the same spans. */
static bool
same_rule(const Rule *x, const Rule *y)
{
	if (x->kind != y->kind || x->weekdays != y->weekdays || x->ndates != y->ndates ||
		x->nspans != y->nspans)
		return false;
	for (int i = 0; i < x->ndates; i++)
	{
		const DateRange *a = &x->dates[i];
		const DateRange *b = &y->dates[i];

		if (a->year != b->year || a->from_month != b->from_month || a->from_day != b->from_day ||
			a->to_month != b->to_month || a->to_day != b->to_day)
			return false;
	}
	for (int i = 0; i < x->nspans; i++)
		if (x->spans[i].start != y->spans[i].start || x->spans[i].end != y->spans[i].end)
			return false;
	return true;
}

/*
 * Drop every rule that an identical rule repeats later: the later one
 * selects the same dates, so the earlier one's own spans never count, and
 * its spills count only where the later one's do.
 */
static void
drop_repeated_rules(void *owner, RuleSet *rules)
{
	int			size = 1;
	int32_t    *table;
	bool	   *dropped;
	int			kept = 0;

	if (rules->nrules < 2)
		return;
	while (size < 2 * rules->nrules)
		size <<= 1;
	table = sla_alloc(owner, sizeof(int32_t) * (size_t) size);
	dropped = sla_alloc(owner, sizeof(bool) * (size_t) rules->nrules);
	for (int i = 0; i < size; i++)
		table[i] = -1;
	for (int i = rules->nrules - 1; i >= 0; i--)
	{
		uint32_t	h = rule_hash(&rules->rules[i]) & (uint32_t) (size - 1);

		dropped[i] = false;
		while (table[h] >= 0)
		{
			sla_check_interrupts();
			if (same_rule(&rules->rules[table[h]], &rules->rules[i]))
			{
				dropped[i] = true;
				break;
			}
			h = (h + 1) & (uint32_t) (size - 1);
		}
		if (!dropped[i])
			table[h] = i;
	}
	for (int i = 0; i < rules->nrules; i++)
		if (!dropped[i])
			rules->rules[kept++] = rules->rules[i];
	rules->nrules = kept;
}

/*
 * The parsed rules made canonical: repeated rules dropped, and the
 * canonical text checked to fit RULES_MAX_LENGTH, so that it parses again.
 */
static bool
finish_rules(Parser *p, RuleSet *rules)
{
	size_t		length = 0;

	drop_repeated_rules(p->owner, rules);
	for (int i = 0; i < rules->nrules; i++)
	{
		if ((i & 1023) == 0)
			sla_check_interrupts();
		length += (i ? 2 : 0) + rule_text_length(&rules->rules[i]);
		if (length > RULES_MAX_LENGTH)
		{
			p->error->position = char_position(p, rules->rules[i].offset);
			snprintf(p->error->message, sizeof(p->error->message),
					 "rules longer than %d bytes in canonical form, from the rule at character %d on",
					 RULES_MAX_LENGTH, p->error->position);
			return false;
		}
	}
	return true;
}

/* See calendar_parse.h: rules separated by ";", empty ones skipped. */
bool
sla_rules_parse(const char *text, size_t len, void *owner, RuleSet *rules, ParseError *error)
{
	Parser		p = {text, len, 0, {0}, 0, owner, error};
	int			capacity = 0;

	memset(rules, 0, sizeof(*rules));
	if (len > RULES_MAX_LENGTH)
	{
		error->position = RULES_MAX_LENGTH + 1;
		snprintf(error->message, sizeof(error->message),
				 "rules text is longer than %d bytes", RULES_MAX_LENGTH);
		return false;
	}
	next_token(&p);
	for (;;)
	{
		sla_check_interrupts();
		if (p.token.kind == TOKEN_BAD)
			return fail_at(&p, &p.token, "unexpected character", "");
		if (p.token.kind != TOKEN_END && !token_is(&p, ";"))
		{
			rules->rules = append(&p, rules->rules, &rules->nrules, &capacity, sizeof(Rule));
			if (!parse_rule(&p, &rules->rules[rules->nrules - 1]))
				return false;
			if (rules->rules[rules->nrules - 1].kind == SELECT_HOLIDAYS)
				rules->mentions_holidays = true;
		}
		if (p.token.kind == TOKEN_END)
			return finish_rules(&p, rules);
		next_token(&p);			/* the ";" */
	}
}

/* See calendar_parse.h: merged spans may make more rules repeats. */
void
sla_rules_merge_spans(RuleSet *rules, void *owner)
{
	for (int i = 0; i < rules->nrules; i++)
		merge_spans(&rules->rules[i], owner);
	drop_repeated_rules(owner, rules);
}

/* A bounded string builder: counts what it would write past the end. */
typedef struct Output
{
	char	   *buf;
	size_t		cap;
	size_t		len;
} Output;

static void emit(Output *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append formatted text to "out". */
static void
emit(Output *out, const char *fmt, ...)
{
	va_list		args;
	int			n;

	va_start(args, fmt);
	n = vsnprintf(out->len < out->cap ? out->buf + out->len : NULL,
				  out->len < out->cap ? out->cap - out->len : 0, fmt, args);
	va_end(args);
	out->len += (size_t) n;
}

/* Weekdays as runs: three or more days as "Mo-We", shorter runs listed. */
static void
format_weekdays(Output *out, unsigned weekdays)
{
	bool		first = true;

	for (int d = 0; d < 7;)
	{
		int			end = d;

		if (!(weekdays & (1u << d)))
		{
			d++;
			continue;
		}
		while (end + 1 < 7 && (weekdays & (1u << (end + 1))))
			end++;
		if (end - d >= 2)
		{
			emit(out, "%s%s-%s", first ? "" : ",", weekday_names[d], weekday_names[end]);
			first = false;
		}
		else
			for (int i = d; i <= end; i++, first = false)
				emit(out, "%s%s", first ? "" : ",", weekday_names[i]);
		d = end + 1;
	}
}

/* Date ranges as "[YYYY ]Mon DD[-[Mon ]DD]", comma-separated. */
static void
format_dates(Output *out, const Rule *rule)
{
	for (int i = 0; i < rule->ndates; i++)
	{
		const DateRange *r = &rule->dates[i];

		emit(out, "%s", i ? "," : "");
		if (r->year)
			emit(out, "%04d ", r->year);
		emit(out, "%s %02d", month_names[r->from_month - 1], r->from_day);
		if (r->to_month != r->from_month)
			emit(out, "-%s %02d", month_names[r->to_month - 1], r->to_day);
		else if (r->to_day != r->from_day)
			emit(out, "-%02d", r->to_day);
	}
}

/* One rule's canonical text. */
static void
format_rule(Output *out, const Rule *rule)
{
	switch (rule->kind)
	{
		case SELECT_ALWAYS:
			emit(out, "24/7");
			return;
		case SELECT_HOLIDAYS:
			emit(out, "PH");
			break;
		case SELECT_WEEKDAYS:
			format_weekdays(out, rule->weekdays);
			break;
		case SELECT_DATES:
			format_dates(out, rule);
			break;
	}
	if (rule->nspans == 0)
		emit(out, " off");
	else if (rule->nspans > 1 || rule->spans[0].start != 0 ||
			 rule->spans[0].end != MINUTES_PER_DAY)
		for (int s = 0; s < rule->nspans; s++)
			emit(out, "%s%02d:%02d-%02d:%02d", s ? "," : " ",
				 rule->spans[s].start / 60, rule->spans[s].start % 60,
				 rule->spans[s].end / 60, rule->spans[s].end % 60);
}

/* The length of one rule's canonical text. */
static size_t
rule_text_length(const Rule *rule)
{
	Output		out = {NULL, 0, 0};

	format_rule(&out, rule);
	return out.len;
}

/* See calendar_parse.h: rules joined by "; ". */
size_t
sla_rules_format(const RuleSet *rules, char *buf, size_t cap)
{
	Output		out = {buf, cap, 0};

	if (cap > 0)
		buf[0] = '\0';
	for (int i = 0; i < rules->nrules; i++)
	{
		emit(&out, "%s", i ? "; " : "");
		format_rule(&out, &rules->rules[i]);
	}
	return out.len;
}
