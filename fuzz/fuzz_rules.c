/*
 * fuzz/fuzz_rules.c
 *	  libFuzzer target for the rules parser and the canonical printer.
 *
 * Any bytes go to sla_rules_parse.  On failure the error must be sane (a
 * position inside the text, a terminated message).  On success the parsed
 * rules must be well formed, the printer must report the length it writes
 * and truncate cleanly, and the canonical text must parse again to the
 * same rules and print to the same text (idempotence).  Any violation
 * aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar_parse.h"
#include "civil.h"
#include "host_standalone.h"

/* Longest input tried: well above any real calendar, small enough to stay fast. */
#define MAX_INPUT 4096

/* Report a broken invariant with the text involved, then abort. */
static void
fail(const char *what, const char *text, size_t len)
{
	fprintf(stderr, "fuzz_rules: %s\ntext (%zu bytes): \"%.*s\"\n", what, len, (int) len, text);
	abort();
}

/* Whether s[0..len) is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF). */
static bool
valid_utf8(const unsigned char *s, size_t len)
{
	size_t		i = 0;

	while (i < len)
	{
		unsigned char c = s[i];
		int			n;
		uint32_t	cp;

		if (c < 0x80)
		{
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 1, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 2, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3, cp = c & 0x07;
		else
			return false;
		if (i + n >= len)
			return false;
		for (int k = 1; k <= n; k++)
		{
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
			(n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return false;
		i += n + 1;
	}
	return true;
}

/* Whether the parsed rules respect the invariants the rest of the engine relies on. */
static const char *
check_well_formed(const RuleSet *rules)
{
	bool		holidays = false;

	for (int i = 0; i < rules->nrules; i++)
	{
		const Rule *rule = &rules->rules[i];

		if (rule->nspans < 0 || (rule->nspans > 0 && rule->spans == NULL))
			return "bad span count";
		for (int s = 0; s < rule->nspans; s++)
		{
			const TimeSpan *span = &rule->spans[s];

			if (span->start < 0 || span->start >= MINUTES_PER_DAY ||
				span->end < 1 || span->end > MINUTES_PER_DAY || span->start == span->end)
				return "span out of range";
			if (s > 0 && rule->spans[s - 1].start > span->start)
				return "spans not sorted by start";
		}
		switch (rule->kind)
		{
			case SELECT_ALWAYS:
				if (rule->nspans != 1 || rule->spans[0].start != 0 ||
					rule->spans[0].end != MINUTES_PER_DAY)
					return "24/7 is not open all day";
				break;
			case SELECT_WEEKDAYS:
				if (rule->weekdays == 0 || rule->weekdays > 0x7F)
					return "bad weekday set";
				break;
			case SELECT_HOLIDAYS:
				holidays = true;
				break;
			case SELECT_DATES:
				if (rule->ndates < 1)
					return "date rule without dates";
				for (int d = 0; d < rule->ndates; d++)
				{
					const DateRange *r = &rule->dates[d];
					int			y = r->year ? r->year : 2000;

					if (r->year < 0 || r->year > 9999 ||
						r->from_month < 1 || r->from_month > 12 ||
						r->to_month < 1 || r->to_month > 12 ||
						r->from_day < 1 || r->from_day > sla_civil_days_in_month(y, r->from_month) ||
						r->to_day < 1 || r->to_day > sla_civil_days_in_month(2000, r->to_month))
						return "date out of range";
					if (r->year)
					{
						CivilDate	from = {r->year, r->from_month, r->from_day};
						CivilDate	last = sla_civil_from_days(r->last_day);

						if (r->first_day != sla_civil_to_days(from) || r->last_day < r->first_day ||
							last.month != r->to_month || last.day != r->to_day ||
							r->last_day - r->first_day > 366 * 8 + 1)
							return "bad day numbers of a dated range";
					}
				}
				break;
			default:
				return "bad selector kind";
		}
	}
	if (holidays != rules->mentions_holidays)
		return "mentions_holidays disagrees with the rules";
	return NULL;
}

/* Whether two parsed rule sets are the same, field by field. */
static bool
same_rules(const RuleSet *a, const RuleSet *b)
{
	if (a->nrules != b->nrules || a->mentions_holidays != b->mentions_holidays)
		return false;
	for (int i = 0; i < a->nrules; i++)
	{
		const Rule *x = &a->rules[i];
		const Rule *y = &b->rules[i];

		if (x->kind != y->kind || x->nspans != y->nspans || x->ndates != y->ndates ||
			(x->kind == SELECT_WEEKDAYS && x->weekdays != y->weekdays))
			return false;
		for (int s = 0; s < x->nspans; s++)
			if (x->spans[s].start != y->spans[s].start || x->spans[s].end != y->spans[s].end)
				return false;
		for (int d = 0; d < x->ndates; d++)
		{
			const DateRange *p = &x->dates[d];
			const DateRange *q = &y->dates[d];

			if (p->year != q->year || p->from_month != q->from_month ||
				p->from_day != q->from_day || p->to_month != q->to_month ||
				p->to_day != q->to_day ||
				(p->year && (p->first_day != q->first_day || p->last_day != q->last_day)))
				return false;
		}
	}
	return true;
}

/* The canonical text of "rules" in a malloc'd buffer of exactly the right size. */
static char *
format_exact(const RuleSet *rules, size_t *len, const char *text, size_t text_len)
{
	size_t		need = sla_rules_format(rules, NULL, 0);
	char	   *buf = malloc(need + 1);
	size_t		again;

	if (buf == NULL)
		abort();
	again = sla_rules_format(rules, buf, need + 1);
	if (again != need || strlen(buf) != need)
		fail("sla_rules_format length differs between calls", text, text_len);
	*len = need;
	return buf;
}

/* A short buffer gets a NUL-terminated prefix of the canonical text. */
static void
check_truncation(const RuleSet *rules, const char *canonical, size_t len,
				 const char *text, size_t text_len)
{
	size_t		caps[3] = {1, len / 2 + 1, len};

	for (int i = 0; i < 3; i++)
	{
		size_t		cap = caps[i];
		char	   *buf;

		if (cap == 0 || cap > len)
			continue;
		buf = malloc(cap);		/* exactly cap bytes: ASan sees any overrun */
		if (buf == NULL)
			abort();
		if (sla_rules_format(rules, buf, cap) != len)
			fail("sla_rules_format into a short buffer reports another length", text, text_len);
		if (strlen(buf) != cap - 1 || memcmp(buf, canonical, cap - 1) != 0)
			fail("sla_rules_format into a short buffer is not a prefix", text, text_len);
		free(buf);
	}
}

/*
 * The merged form (fixed-offset zones): well formed, no longer than the
 * canonical text, and a fixed point of parsing and merging again.
 */
static void
check_merged(RuleSet *rules, const char *canonical, size_t len, FuzzArena *arena,
			 const char *text, size_t text_len)
{
	RuleSet		again;
	ParseError	error;
	char	   *merged,
			   *remerged;
	size_t		merged_len,
				remerged_len;
	const char *problem;

	sla_rules_merge_spans(rules, arena);
	if ((problem = check_well_formed(rules)) != NULL)
		fail(problem, text, text_len);
	merged = format_exact(rules, &merged_len, text, text_len);
	if (merged_len > len)
		fail("merging made the canonical text longer", text, text_len);
	if (!sla_rules_parse(merged, merged_len, arena, &again, &error))
	{
		fprintf(stderr, "merged text fails to parse: %s\nmerged: \"%s\"\n", error.message, merged);
		fail("merged text does not parse", text, text_len);
	}
	sla_rules_merge_spans(&again, arena);
	remerged = format_exact(&again, &remerged_len, merged, merged_len);
	if (remerged_len != merged_len || memcmp(merged, remerged, merged_len) != 0)
	{
		fprintf(stderr, "canonical: \"%s\"\nmerged: \"%s\"\nremerged: \"%s\"\n", canonical, merged, remerged);
		fail("merged text is not a fixed point", text, text_len);
	}
	free(merged);
	free(remerged);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *) data;
	FuzzArena	arena;
	RuleSet		rules,
				again;
	ParseError	error;
	char	   *canonical,
			   *recanonical;
	size_t		len,
				relen;
	const char *problem;

	if (size > MAX_INPUT)
		return 0;
	fuzz_arena_init(&arena);
	memset(&error, 0x7F, sizeof(error));
	if (!sla_rules_parse(text, size, &arena, &rules, &error))
	{
		if (error.position < 1 || (size_t) error.position > size + 1)
			fail("error position outside the text", text, size);
		if (memchr(error.message, '\0', sizeof(error.message)) == NULL || error.message[0] == '\0')
			fail("error message not terminated or empty", text, size);
		/* the message quotes the text: it must not break a valid encoding */
		if (valid_utf8(data, size) &&
			!valid_utf8((const unsigned char *) error.message, strlen(error.message)))
			fail("error message is not valid UTF-8 though the text is", text, size);
		fuzz_arena_free_all(&arena);
		return 0;
	}
	if ((problem = check_well_formed(&rules)) != NULL)
		fail(problem, text, size);

	canonical = format_exact(&rules, &len, text, size);
	check_truncation(&rules, canonical, len, text, size);

	memset(&error, 0, sizeof(error));
	if (!sla_rules_parse(canonical, len, &arena, &again, &error))
	{
		fprintf(stderr, "canonical text fails to parse: %s\ncanonical: \"%s\"\n", error.message, canonical);
		fail("canonical text does not parse", text, size);
	}
	if (!same_rules(&rules, &again))
	{
		fprintf(stderr, "canonical: \"%s\"\n", canonical);
		fail("canonical text parses to different rules", text, size);
	}
	recanonical = format_exact(&again, &relen, canonical, len);
	if (relen != len || memcmp(canonical, recanonical, len) != 0)
	{
		fprintf(stderr, "canonical: \"%s\"\nreprinted: \"%s\"\n", canonical, recanonical);
		fail("canonical text is not a fixed point", text, size);
	}
	check_merged(&again, canonical, len, &arena, text, size);
	free(canonical);
	free(recanonical);
	fuzz_arena_free_all(&arena);
	return 0;
}
