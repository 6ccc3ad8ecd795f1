/*
 * src/calendar.c
 *	  The sla.calendar type: constructor, text and binary I/O, equality and
 *	  hashing.  Every way in goes through calendar_build, which validates
 *	  and canonicalizes.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"

#include "calendar.h"
#include "calendar_parse.h"
#include "arguments.h"
#include "civil.h"
#include "tz.h"

PG_MODULE_MAGIC;

/* Holidays are dates of years 1 to 9999, like the rules' years. */
#define FIRST_HOLIDAY (-730119)		/* 0001-01-01 */
#define LAST_HOLIDAY 2921939	/* 9999-12-31 */

/* qsort order of day numbers. */
static int
compare_days(const void *a, const void *b)
{
	int32		x = *(const int32 *) a,
				y = *(const int32 *) b;

	return (x > y) - (x < y);
}

/* Report a holiday outside the supported years. */
static void
check_holiday(int32 day)
{
	if (day < FIRST_HOLIDAY || day > LAST_HOLIDAY)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("holiday out of range"),
				 errdetail("Holidays must fall in the years 1 to 9999.")));
}

/*
 * Validate and canonicalize: parse the rules (22P02 with the position),
 * look up the zone (22023), sort and deduplicate the holidays.
 */
static SlaCalendar *
calendar_build(const char *rules_text, size_t rules_len, const char *zone_text,
			   int32 *holidays, int nholidays)
{
	RuleSet		rules;
	ParseError	error;
	pg_tz	   *tz;
	const char *zone;
	size_t		zone_len;
	size_t		canonical_len;
	char	   *canonical;
	int			distinct = 0;
	SlaCalendar *cal;
	Size		size;

	if (!sla_rules_parse(rules_text, rules_len, CurrentMemoryContext, &rules, &error))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid calendar rules: %s", error.message)));
	tz = sla_zone_lookup(zone_text);
	if (sla_zone_is_fixed(tz))
		sla_rules_merge_spans(&rules, CurrentMemoryContext);
	canonical_len = sla_rules_format(&rules, NULL, 0);
	canonical = palloc(canonical_len + 1);
	sla_rules_format(&rules, canonical, canonical_len + 1);

	zone = sla_zone_name(tz);
	zone_len = strlen(zone);

	for (int i = 0; i < nholidays; i++)
	{
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		check_holiday(holidays[i]);
	}
	sla_sort_interruptible(holidays, nholidays, sizeof(int32), compare_days);
	for (int i = 0; i < nholidays; i++)
	{
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (distinct == 0 || holidays[distinct - 1] != holidays[i])
			holidays[distinct++] = holidays[i];
	}

	size = offsetof(SlaCalendar, data) + sizeof(int32) * distinct + zone_len + canonical_len;
	cal = palloc0(size);
	SET_VARSIZE(cal, size);
	cal->version = CALENDAR_FORMAT_VERSION;
	cal->zone_len = (uint16) zone_len;
	cal->rules_len = (int32) canonical_len;
	cal->nholidays = distinct;
	memcpy(cal->data, holidays, sizeof(int32) * distinct);
	memcpy(cal->data + sizeof(int32) * distinct, zone, zone_len);
	memcpy(cal->data + sizeof(int32) * distinct + zone_len, canonical, canonical_len);
	return cal;
}

/* The holidays of a date[] argument; NULL elements are an error. */
static int32 *
holidays_from_array(ArrayType *array, int *count)
{
	Datum	   *values;
	bool	   *nulls;
	int32	   *days;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("holidays must be a one-dimensional array")));
	deconstruct_array(array, DATEOID, sizeof(DateADT), true, TYPALIGN_INT,
					  &values, &nulls, count);
	days = palloc(sizeof(int32) * (*count + 1));
	for (int i = 0; i < *count; i++)
	{
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("holidays must not contain NULL"),
					 errdetail("Element %d is NULL.", i + 1)));
		days[i] = DatumGetDateADT(values[i]);
		if (DATE_NOT_FINITE(days[i]))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("holidays must be finite dates"),
					 errdetail("Element %d is infinite.", i + 1)));
	}
	return days;
}

PG_FUNCTION_INFO_V1(sla_calendar_make);
/* sla.calendar(rules text, zone text, holidays date[]) */
Datum
sla_calendar_make(PG_FUNCTION_ARGS)
{
	text	   *rules = PG_GETARG_TEXT_PP(0);
	char	   *zone = text_to_cstring(PG_GETARG_TEXT_PP(1));
	int			nholidays;
	int32	   *holidays = holidays_from_array(PG_GETARG_ARRAYTYPE_P(2), &nholidays);

	PG_RETURN_POINTER(calendar_build(VARDATA_ANY(rules), VARSIZE_ANY_EXHDR(rules),
									 zone, holidays, nholidays));
}

/* Skip spaces in the text form. */
static const char *
skip_spaces(const char *s)
{
	while (rules_is_space(*s))
		s++;
	return s;
}

/* Report a malformed text form at "at". */
static void
text_form_error(const char *input, const char *at, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type sla.calendar: %s at character %d",
					what, pg_mbstrlen_with_len(input, (int) (at - input)) + 1),
			 errhint("Write zone=Europe/Berlin rules=\"Mo-Fr 09:00-17:00\" holidays=2026-12-25,2026-12-26, or only the rules.")));
}

/* The value of "count" digits at s, or -1 when they are not all digits. */
static int
digits(const char *s, int count)
{
	int			value = 0;

	for (int i = 0; i < count; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return -1;
		value = value * 10 + (s[i] - '0');
	}
	return value;
}

/* A YYYY-MM-DD holiday at *s, ending at a comma, a space or the end; advances *s. */
static int32
parse_holiday(const char *input, const char **s)
{
	const char *at = *s;
	CivilDate	date = {digits(at, 4), -1, -1};

	if (date.year >= 0 && at[4] == '-')
		date.month = digits(at + 5, 2);
	if (date.month >= 0 && at[7] == '-')
		date.day = digits(at + 8, 2);
	if (date.day < 0 || (at[10] != '\0' && at[10] != ',' && !rules_is_space(at[10])))
		text_form_error(input, at, "expected a holiday date YYYY-MM-DD");
	if (date.year < 1 || date.month < 1 || date.month > 12 ||
		date.day < 1 || date.day > sla_civil_days_in_month(date.year, date.month))
		text_form_error(input, at, "holiday is not a valid date of the years 1 to 9999");
	*s = at + 10;
	return sla_civil_to_days(date);
}

PG_FUNCTION_INFO_V1(sla_calendar_in);
/*
 * Text form: zone=NAME rules="RULES" holidays=YYYY-MM-DD,... (any order,
 * each optional), or only rules, meaning a UTC calendar without holidays.
 */
Datum
sla_calendar_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *s = input;
	char	   *zone = NULL;
	const char *rules = NULL;
	size_t		rules_len = 0;
	int32	   *holidays = palloc(sizeof(int32) * (strlen(input) / 11 + 1));
	int			nholidays = 0;
	bool		seen_holidays = false;

	if (strchr(input, '=') == NULL)
		PG_RETURN_POINTER(calendar_build(input, strlen(input), "UTC", holidays, 0));
	for (s = skip_spaces(s); *s != '\0'; s = skip_spaces(s))
	{
		if (pg_strncasecmp(s, "zone=", 5) == 0 && zone == NULL)
		{
			const char *from = s += 5;

			while (*s != '\0' && !rules_is_space(*s))
				s++;
			if (s == from)
				text_form_error(input, s, "expected a zone name");
			zone = pnstrdup(from, s - from);
		}
		else if (pg_strncasecmp(s, "rules=\"", 7) == 0 && rules == NULL)
		{
			const char *close;

			rules = s + 7;
			close = strchr(rules, '"');
			if (close == NULL)
				text_form_error(input, s + 6, "unterminated quoted rules");
			rules_len = close - rules;
			s = close + 1;
		}
		else if (pg_strncasecmp(s, "holidays=", 9) == 0 && !seen_holidays)
		{
			seen_holidays = true;
			s += 9;
			/* "holidays=" alone is an empty list */
			if (*s != '\0' && !rules_is_space(*s))
				for (;;)
				{
					if ((nholidays & 1023) == 0)
						CHECK_FOR_INTERRUPTS();
					holidays[nholidays++] = parse_holiday(input, &s);
					if (*s != ',')
						break;
					s++;
				}
		}
		else
			text_form_error(input, s, "expected zone=, rules=\"...\" or holidays= once each");
	}
	PG_RETURN_POINTER(calendar_build(rules ? rules : "", rules_len, zone ? zone : "UTC",
									 holidays, nholidays));
}

/* The canonical text form into "buf". */
static void
calendar_to_text(const SlaCalendar *cal, StringInfo buf)
{
	appendStringInfo(buf, "zone=%.*s rules=\"%.*s\"", cal->zone_len, calendar_zone(cal),
					 cal->rules_len, calendar_rules(cal));
	for (int i = 0; i < cal->nholidays; i++)
	{
		CivilDate	date = sla_civil_from_days(calendar_holidays(cal)[i]);

		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		appendStringInfo(buf, "%s%04d-%02d-%02d", i == 0 ? " holidays=" : ",",
						 date.year, date.month, date.day);
	}
}

PG_FUNCTION_INFO_V1(sla_calendar_out);
/* The canonical text form. */
Datum
sla_calendar_out(PG_FUNCTION_ARGS)
{
	SlaCalendar *cal = PG_GETARG_CALENDAR_P(0);
	StringInfoData buf;

	initStringInfo(&buf);
	calendar_to_text(cal, &buf);
	PG_RETURN_CSTRING(buf.data);
}

PG_FUNCTION_INFO_V1(sla_calendar_send);
/* Binary form: version byte, zone, rules, holiday count, holidays. */
Datum
sla_calendar_send(PG_FUNCTION_ARGS)
{
	SlaCalendar *cal = PG_GETARG_CALENDAR_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, CALENDAR_FORMAT_VERSION);
	pq_sendint32(&buf, cal->zone_len);
	pq_sendbytes(&buf, calendar_zone(cal), cal->zone_len);
	pq_sendint32(&buf, cal->rules_len);
	pq_sendbytes(&buf, calendar_rules(cal), cal->rules_len);
	pq_sendint32(&buf, cal->nholidays);
	for (int i = 0; i < cal->nholidays; i++)
	{
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_sendint32(&buf, calendar_holidays(cal)[i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(sla_calendar_recv);
/* The binary form, validated as thoroughly as the text form. */
Datum
sla_calendar_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version = pq_getmsgbyte(buf);
	int32		zone_len,
				rules_len,
				nholidays;
	char	   *zone;
	const char *rules;
	int32	   *holidays;

	if (version != CALENDAR_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported sla.calendar binary format version %d", version)));
	zone_len = pq_getmsgint(buf, 4);
	if (zone_len < 0 || zone_len > buf->len - buf->cursor)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid zone length in sla.calendar binary form")));
	zone = pnstrdup(pq_getmsgbytes(buf, zone_len), zone_len);
	rules_len = pq_getmsgint(buf, 4);
	if (rules_len < 0 || rules_len > buf->len - buf->cursor)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid rules length in sla.calendar binary form")));
	rules = pq_getmsgbytes(buf, rules_len);
	nholidays = pq_getmsgint(buf, 4);
	if (nholidays < 0 || nholidays > (buf->len - buf->cursor) / 4)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid holiday count in sla.calendar binary form")));
	holidays = palloc(sizeof(int32) * (nholidays + 1));
	for (int i = 0; i < nholidays; i++)
	{
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		holidays[i] = pq_getmsgint(buf, 4);
	}
	pq_getmsgend(buf);
	if (memchr(zone, '\0', zone_len) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("zone name contains a NUL byte")));
	PG_RETURN_POINTER(calendar_build(rules, rules_len, zone, holidays, nholidays));
}

/* Whether two calendar datums hold the same bytes. */
static bool
calendar_same(Datum a, Datum b)
{
	struct varlena *x = PG_DETOAST_DATUM_PACKED(a);
	struct varlena *y = PG_DETOAST_DATUM_PACKED(b);

	return VARSIZE_ANY_EXHDR(x) == VARSIZE_ANY_EXHDR(y) &&
		memcmp(VARDATA_ANY(x), VARDATA_ANY(y), VARSIZE_ANY_EXHDR(x)) == 0;
}

PG_FUNCTION_INFO_V1(sla_calendar_eq);
/* calendar = calendar: the same bytes. */
Datum
sla_calendar_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(calendar_same(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)));
}

PG_FUNCTION_INFO_V1(sla_calendar_ne);
/* calendar <> calendar. */
Datum
sla_calendar_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!calendar_same(PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)));
}

PG_FUNCTION_INFO_V1(sla_calendar_hash);
/* Hash of the bytes, for hash joins and GROUP BY. */
Datum
sla_calendar_hash(PG_FUNCTION_ARGS)
{
	struct varlena *x = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));

	PG_RETURN_DATUM(hash_any((unsigned char *) VARDATA_ANY(x), VARSIZE_ANY_EXHDR(x)));
}
