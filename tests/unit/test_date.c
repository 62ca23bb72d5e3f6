/*
 * test_date.c: date.c against hand-written values.  Every expected time
 * was worked out by hand from the calendar; 2024-07-09T00:56:00Z is
 * 1720486560 and 2024-07-09T06:26:00Z, 5 h 30 min later, is 1720506360.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"

#define T_0056Z		INT64_C(1720486560)	/* 2024-07-09T00:56:00Z */
#define T_0626Z		INT64_C(1720506360)	/* 2024-07-09T06:26:00Z */
#define T_MIDNIGHT	INT64_C(1720483200)	/* 2024-07-09T00:00:00Z */
#define HOUR		INT64_C(3600)

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

struct date_case {
	const char	*in;
	int64_t		 want;
};

static void	parse_ok(const char *, int64_t);
static void	parse_bad(const char *);
static void	parse_table(const struct date_case *, size_t);
static void	format_is(int64_t, const char *);

static void	test_date_rfc822_seed(void **);
static void	test_date_reader_variants(void **);
static void	test_date_rfc3339_seed(void **);
static void	test_date_rfc822_no_day_name(void **);
static void	test_date_rfc822_day_names(void **);
static void	test_date_rfc822_one_digit_day(void **);
static void	test_date_rfc822_two_digit_year(void **);
static void	test_date_rfc822_no_seconds(void **);
static void	test_date_rfc822_named_zones(void **);
static void	test_date_rfc822_military_zones(void **);
static void	test_date_rfc822_numeric_zones(void **);
static void	test_date_rfc822_month_names(void **);
static void	test_date_rfc822_other_layouts(void **);
static void	test_date_rfc822_comment_and_fraction(void **);
static void	test_date_rfc822_impossible_day(void **);
static void	test_date_rfc822_epoch_edges(void **);
static void	test_date_rfc822_rejects(void **);
static void	test_date_rfc822_plain_layout(void **);
static void	test_date_rfc3339_fraction(void **);
static void	test_date_rfc3339_no_zone(void **);
static void	test_date_rfc3339_no_seconds(void **);
static void	test_date_rfc3339_reduced(void **);
static void	test_date_rfc3339_lowercase(void **);
static void	test_date_rfc3339_space_separator(void **);
static void	test_date_rfc3339_zones(void **);
static void	test_date_rfc3339_leap_day(void **);
static void	test_date_rfc3339_leap_second(void **);
static void	test_date_rfc3339_ranges(void **);
static void	test_date_rfc3339_before_1970(void **);
static void	test_date_rfc3339_rejects(void **);
static void	test_date_parse_invalid(void **);
static void	test_date_parse_whitespace(void **);
static void	test_date_parse_failure_keeps_value(void **);
static void	test_date_parse_direct(void **);
static void	test_date_format_rfc3339(void **);
static void	test_date_format_small_buffer(void **);
static void	test_date_format_out_of_range(void **);
static void	test_date_format_round_trip(void **);
static void	test_date_relative(void **);

/* date_parse must read s as want. */
static void
parse_ok(const char *s, int64_t want)
{
	int64_t	t = 0;

	if (date_parse(s, &t) != 0)
		fail_msg("date_parse(\"%s\") failed, want %lld", s,
		    (long long)want);
	if (t != want)
		fail_msg("date_parse(\"%s\") = %lld, want %lld", s,
		    (long long)t, (long long)want);
}

/* date_parse must refuse s. */
static void
parse_bad(const char *s)
{
	int64_t	t = 0;

	if (date_parse(s, &t) != -1)
		fail_msg("date_parse(\"%s\") = %lld, want failure",
		    s != NULL ? s : "(null)", (long long)t);
}

static void
parse_table(const struct date_case *tab, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		parse_ok(tab[i].in, tab[i].want);
}

static void
format_is(int64_t t, const char *want)
{
	char	buf[DATE_RFC3339_LEN];

	if (date_format_rfc3339(t, buf, sizeof(buf)) != buf)
		fail_msg("date_format_rfc3339(%lld) failed", (long long)t);
	assert_string_equal(buf, want);
}

static void
test_date_rfc822_seed(void **state)
{
	int64_t	t = 0;

	(void)state;
	parse_ok("Tue, 09 Jul 2024 06:26:00 +0530", T_0056Z);
	assert_int_equal(date_parse_rfc822("Tue, 09 Jul 2024 06:26:00 +0530",
	    &t), 0);
	assert_true(t == T_0056Z);
}

static void
test_date_rfc3339_seed(void **state)
{
	int64_t	t = 0;

	(void)state;
	parse_ok("2024-07-09T06:26:00+05:30", T_0056Z);
	parse_ok("2024-07-09T00:56:00Z", T_0056Z);
	assert_int_equal(date_parse_rfc3339("2024-07-09T06:26:00+05:30", &t),
	    0);
	assert_true(t == T_0056Z);
}

static void
test_date_rfc822_no_day_name(void **state)
{
	(void)state;
	parse_ok("09 Jul 2024 06:26:00 +0530", T_0056Z);
	parse_ok("09 Jul 2024 06:26:00 GMT", T_0626Z);
}

/* Full, short and odd day names, with and without the comma. */
static void
test_date_rfc822_day_names(void **state)
{
	static const struct date_case	tab[] = {
		{ "Tuesday, 09 Jul 2024 06:26:00 GMT", T_0626Z },
		{ "Tues, 09 Jul 2024 06:26:00 GMT", T_0626Z },
		{ "tue, 09 jul 2024 06:26:00 gmt", T_0626Z },
		{ "Tue 09 Jul 2024 06:26:00 GMT", T_0626Z },
		{ "Tue,, 09 Jul, 2024, 06:26:00, GMT", T_0626Z },
		{ "Tue,09 Jul 2024 06:26:00 GMT", T_0626Z },
		/* Wrong day names are common; the date wins. */
		{ "Mon, 09 Jul 2024 06:26:00 GMT", T_0626Z },
	};

	(void)state;
	parse_table(tab, NITEMS(tab));
}

static void
test_date_rfc822_one_digit_day(void **state)
{
	(void)state;
	parse_ok("Tue, 9 Jul 2024 06:26:00 GMT", T_0626Z);
	parse_ok("9 Jul 2024 06:26:00 +0530", T_0056Z);
	/* 2024-07-01T00:00:00Z is 8 days before 2024-07-09. */
	parse_ok("Mon, 1 Jul 2024 00:00:00 GMT", INT64_C(1719792000));
}

/* RFC 2822 4.3: 00-49 are 2000-2049, 50-99 and three digits are 19xx. */
static void
test_date_rfc822_two_digit_year(void **state)
{
	static const struct date_case	tab[] = {
		{ "Tue, 09 Jul 24 06:26:00 GMT", T_0626Z },
		/* 2024 less 25 years and their 6 leap days */
		{ "Fri, 09 Jul 99 06:26:00 GMT", INT64_C(931501560) },
		/* 2024 plus 25 years and 6 leap days (2028-2048) */
		{ "09 Jul 49 06:26:00 GMT", INT64_C(2509424760) },
		/* 2024 less 74 years and 19 leap days; curl alone says 2050 */
		{ "09 Jul 50 06:26:00 GMT", INT64_C(-614799240) },
		{ "09 Jul 124 06:26:00 GMT", T_0626Z },
		{ "Sunday, 06-Nov-94 08:49:37 GMT", INT64_C(784111777) },
	};

	(void)state;
	parse_table(tab, NITEMS(tab));
}

static void
test_date_rfc822_no_seconds(void **state)
{
	(void)state;
	parse_ok("Tue, 09 Jul 2024 06:26 +0530", T_0056Z);
	parse_ok("Tue, 09 Jul 2024 6:26 GMT", T_0626Z);
	/* No time at all is midnight. */
	parse_ok("09 Jul 2024", T_MIDNIGHT);
}

/* RFC 822 5.1: the US zones are behind UTC, so UTC is later. */
static void
test_date_rfc822_named_zones(void **state)
{
	static const struct date_case	tab[] = {
		{ "Tue, 09 Jul 2024 06:26:00 UT", T_0626Z },
		{ "Tue, 09 Jul 2024 06:26:00 GMT", T_0626Z },
		{ "Tue, 09 Jul 2024 06:26:00 UTC", T_0626Z },
		{ "Tue, 09 Jul 2024 06:26:00 Z", T_0626Z },
		{ "Tue, 09 Jul 2024 06:26:00 EST", T_0626Z + 5 * HOUR },
		{ "Tue, 09 Jul 2024 06:26:00 EDT", T_0626Z + 4 * HOUR },
		{ "Tue, 09 Jul 2024 06:26:00 CST", T_0626Z + 6 * HOUR },
		{ "Tue, 09 Jul 2024 06:26:00 CDT", T_0626Z + 5 * HOUR },
		{ "Tue, 09 Jul 2024 06:26:00 MST", T_0626Z + 7 * HOUR },
		{ "Tue, 09 Jul 2024 06:26:00 MDT", T_0626Z + 6 * HOUR },
		{ "Tue, 09 Jul 2024 06:26:00 PST", T_0626Z + 8 * HOUR },
		{ "Tue, 09 Jul 2024 06:26:00 PDT", T_0626Z + 7 * HOUR },
		{ "Tue, 09 Jul 2024 06:26:00 pdt", T_0626Z + 7 * HOUR },
		/* No zone is UTC. */
		{ "Tue, 09 Jul 2024 06:26:00", T_0626Z },
	};

	(void)state;
	parse_table(tab, NITEMS(tab));
}

/*
 * curl_getdate reads the military letters as RFC 822 5.1 wrote them
 * ("A" is -1), the sign RFC 1123 5.2.14 calls wrong.
 */
static void
test_date_rfc822_military_zones(void **state)
{
	static const struct date_case	tab[] = {
		{ "Tue, 09 Jul 2024 06:26:00 Z", T_0626Z },
		{ "Tue, 09 Jul 2024 06:26:00 A", T_0626Z + 1 * HOUR },
		{ "Tue, 09 Jul 2024 06:26:00 N", T_0626Z - 1 * HOUR },
		{ "Tue, 09 Jul 2024 06:26:00 M", T_0626Z + 12 * HOUR },
		{ "Tue, 09 Jul 2024 06:26:00 Y", T_0626Z - 12 * HOUR },
	};

	(void)state;
	parse_table(tab, NITEMS(tab));
	/* "J" is the observer's local time: no zone at all. */
	parse_bad("Tue, 09 Jul 2024 06:26:00 J");
}

static void
test_date_rfc822_numeric_zones(void **state)
{
	static const struct date_case	tab[] = {
		{ "Tue, 09 Jul 2024 06:26:00 +0530", T_0056Z },
		{ "Tue, 09 Jul 2024 06:26:00 +05:30", T_0056Z },
		{ "Mon, 08 Jul 2024 16:56:00 -0800", T_0056Z },
		{ "Mon, 08 Jul 2024 16:56:00 -08:00", T_0056Z },
		{ "Tue, 09 Jul 2024 06:26:00 +0000", T_0626Z },
		{ "Tue, 09 Jul 2024 06:26:00 -0000", T_0626Z },
		{ "Tue, 09 Jul 2024 06:26:00+0530", T_0056Z },
		{ "Tue, 09 Jul 2024 06:26:00 GMT+0530", T_0056Z },
		{ "Tue, 09 Jul 2024 06:26:00 UTC+05:30", T_0056Z },
		{ "Mon, 08 Jul 2024 16:56:00 GMT -0800", T_0056Z },
		{ "Tue, 09 Jul 2024 20:26:00 +1400", T_0626Z },
	};

	(void)state;
	parse_table(tab, NITEMS(tab));
	parse_bad("Tue, 09 Jul 2024 06:26:00 +1401");
	parse_bad("Tue, 09 Jul 2024 06:26:00 +2400");
	parse_bad("Tue, 09 Jul 2024 06:26:00 +0575");
	parse_bad("Tue, 09 Jul 2024 06:26:00 +05:75");
	parse_bad("Tue, 09 Jul 2024 06:26:00 +530");
	parse_bad("Tue, 09 Jul 2024 06:26:00 +0530 +0530");
	parse_bad("Tue, 09 Jul 2024 06:26:00 EST +0530");
}

static void
test_date_rfc822_month_names(void **state)
{
	static const struct date_case	tab[] = {
		{ "Tue, 09 July 2024 06:26:00 +0530", T_0056Z },
		{ "Tue, 09 JULY 2024 06:26:00 +0530", T_0056Z },
		{ "Tue, 09 july 2024 06:26:00 +0530", T_0056Z },
		/* 2024-09-09 is 62 days after 2024-07-09. */
		{ "Mon, 09 September 2024 06:26:00 +0530",
		    T_0056Z + 62 * 86400 },
		{ "Mon, 09 Sept 2024 06:26:00 +0530", T_0056Z + 62 * 86400 },
		{ "Mon, 09 Sep 2024 06:26:00 +0530", T_0056Z + 62 * 86400 },
		/* 2024-06-09 is 30 days before. */
		{ "Sun, 09 June 2024 06:26:00 +0530", T_0056Z - 30 * 86400 },
	};

	(void)state;
	parse_table(tab, NITEMS(tab));
	parse_bad("Tue, 09 Juli 2024 06:26:00 +0530");
	parse_bad("Tue, 09 Jul Jul 2024 06:26:00 +0530");
}

/* The other orders curl_getdate knows: asctime, ISO-less numbers. */
static void
test_date_rfc822_other_layouts(void **state)
{
	static const struct date_case	tab[] = {
		/* RFC 2616 3.3.1's examples, 1994-11-06T08:49:37Z */
		{ "Sun, 06 Nov 1994 08:49:37 GMT", INT64_C(784111777) },
		{ "Sun Nov  6 08:49:37 1994", INT64_C(784111777) },
		{ "Sunday, 06-Nov-94 08:49:37 GMT", INT64_C(784111777) },
		{ "Jul 9 2024 06:26:00 GMT", T_0626Z },
		{ "2024 Jul 9 06:26:00 GMT", T_0626Z },
		{ "20240709 06:26:00 +0530", T_0056Z },
		{ "09/Jul/2024:06:26:00 +0530", T_0056Z },
	};

	(void)state;
	parse_table(tab, NITEMS(tab));
}

static void
test_date_rfc822_comment_and_fraction(void **state)
{
	static const struct date_case	tab[] = {
		{ "Tue, 09 Jul 2024 06:26:00 +0530 (IST)", T_0056Z },
		{ "Tue, 09 Jul 2024 06:26:00 +0530 (India (Standard) Time)",
		    T_0056Z },
		{ "Mon, 08 Jul 2024 17:56:00 -0700 PDT", T_0056Z },
		{ "Tue, 09 Jul 2024 06:26:00.123 +0530", T_0056Z },
		{ "Tue, 09 Jul 2024 06:26:00.123456789 GMT", T_0626Z },
	};

	(void)state;
	parse_table(tab, NITEMS(tab));
	parse_bad("Tue, 09 Jul 2024 06:26:00 +0530 (IST");
}

/* curl_getdate alone would read 31 February 2024 as 2 March. */
static void
test_date_rfc822_impossible_day(void **state)
{
	(void)state;
	/* 2024-01-01 is 1704067200; 29 February is 59 days later. */
	parse_ok("Thu, 29 Feb 2024 00:00:00 GMT", INT64_C(1709164800));
	parse_bad("29 Feb 2023 00:00:00 GMT");
	parse_bad("30 Feb 2024 00:00:00 GMT");
	parse_bad("31 Feb 2024 00:00:00 GMT");
	parse_bad("31 Apr 2024 00:00:00 GMT");
	parse_bad("32 Jul 2024 00:00:00 GMT");
	parse_bad("00 Jul 2024 00:00:00 GMT");
	parse_bad("20240231 00:00:00 GMT");
	parse_bad("09 Jul 2024 24:00:00 GMT");
	parse_bad("09 Jul 2024 06:60:00 GMT");
	parse_bad("09 Jul 2024 06:26:61 GMT");
}

/* curl_getdate gives 0 for the second before the epoch. */
static void
test_date_rfc822_epoch_edges(void **state)
{
	(void)state;
	parse_ok("Wed, 31 Dec 1969 23:59:59 GMT", -1);
	/* 00:59:59 at +0100 is 23:59:59 the day before in UTC. */
	parse_ok("Thu, 01 Jan 1970 00:59:59 +0100", -1);
	parse_ok("Thu, 01 Jan 1970 00:00:00 GMT", 0);
	/* A leap second is held at :59, not carried into 1970. */
	parse_ok("Wed, 31 Dec 1969 23:59:60 GMT", -1);
	parse_ok("Wed, 31 Dec 1969 23:59:58 GMT", -2);
	/* 1969-07-20T20:17:40Z: 165 days and 3 h 42 min 20 s early */
	parse_ok("Sun, 20 Jul 1969 20:17:40 +0000", INT64_C(-14182940));
	/* Feed dates run from 1900 to 2199; outside is a typo. */
	parse_bad("01 Jan 1583 00:00:00 GMT");
	parse_bad("31 Dec 1582 00:00:00 GMT");
	parse_bad("31 Dec 9999 23:59:59 GMT");
	parse_bad("01 Jan 10000 00:00:00 GMT");
	parse_bad("31 Dec 1899 23:59:59 GMT");
	parse_ok("01 Jan 1900 00:00:00 GMT", INT64_C(-2208988800));
	parse_ok("31 Dec 2199 23:59:59 GMT", INT64_C(7258118399));
	parse_bad("01 Jan 2200 00:00:00 GMT");
}

static void
test_date_rfc822_rejects(void **state)
{
	char	 longer[200];

	(void)state;
	parse_bad("garbage");
	parse_bad("Tue");
	parse_bad("Jul");
	parse_bad("Tue, Jul GMT");
	parse_bad("09 Jul");
	parse_bad("Jul 2024");
	parse_bad("09 Jul 4 06:26:00 GMT");
	parse_bad("Tue, 09 Jul 2024 06:26:00 +0530 junk");
	parse_bad("Tue, 09 Jul 2024 06:26:00 GMT junk");
	parse_bad("Tue, 09 Jul 2024 06:26:00 GMT 1");
	parse_bad("Tue, 09 Jul 2024 06:26:00 06:26:00");
	parse_bad("Tue, 09 Jul 2024 06:26:00 XYZ");
	parse_bad("Tue, 09 Jul 2024T06:26:00");
	parse_bad("Tue, 09 Jul 2024 123:26:00 GMT");
	parse_bad("Tue, 09 Jul 2024 06:26:00:00 GMT");
	parse_bad("Tue, 09 Jul 2024 06:26:00 ++0530");
	parse_bad("Tue, 09 Jul 2024 06:26:00 \xc3\xa9t\xc3\xa9");

	/* Over 128 bytes, even when a date is in there. */
	memset(longer, ' ', sizeof(longer));
	memcpy(longer, "09 Jul 2024 06:26:00 GMT", 24);
	longer[sizeof(longer) - 2] = 'x';
	longer[sizeof(longer) - 1] = '\0';
	parse_bad(longer);
	/* Surrounding white space does not count. */
	longer[sizeof(longer) - 2] = ' ';
	parse_ok(longer, T_0626Z);
}

static void
test_date_rfc3339_fraction(void **state)
{
	(void)state;
	parse_ok("2024-07-09T00:56:00.5Z", T_0056Z);
	parse_ok("2024-07-09T00:56:00.999Z", T_0056Z);
	parse_ok("2024-07-09T06:26:00.123456789012345678+05:30", T_0056Z);
	parse_ok("2024-07-09T00:56:00,5Z", T_0056Z);
	parse_bad("2024-07-09T00:56:00.Z");
	parse_bad("2024-07-09T00:56:00.");
	parse_bad("2024-07-09T00:56.5Z");
}

static void
test_date_rfc3339_no_zone(void **state)
{
	(void)state;
	parse_ok("2024-07-09T00:56:00", T_0056Z);
	parse_ok("2024-07-09T00:56:00.25", T_0056Z);
}

static void
test_date_rfc3339_no_seconds(void **state)
{
	(void)state;
	parse_ok("2024-07-09T06:26Z", T_0626Z);
	parse_ok("2024-07-09T06:26+05:30", T_0056Z);
	parse_ok("2024-07-09T00:56", T_0056Z);
	parse_bad("2024-07-09T06Z");
	parse_bad("2024-07-09T06");
}

/* W3CDTF's reduced forms, down to a year alone (its first second). */
static void
test_date_rfc3339_reduced(void **state)
{
	(void)state;
	parse_ok("2024-07-09", T_MIDNIGHT);
	parse_ok("2024-07", INT64_C(1719792000));
	parse_ok("2024", INT64_C(1704067200));
	parse_ok("2003", INT64_C(1041379200));
	parse_bad("1899");
	parse_bad("02003");
	parse_bad("2024-");
	parse_bad("2024-07-");
	parse_bad("2024-7-9");
	parse_bad("2024-07-09T");
	parse_bad("2024-07T00:56Z");
	parse_bad("2024-07-09Z");
}

static void
test_date_rfc3339_lowercase(void **state)
{
	(void)state;
	parse_ok("2024-07-09t00:56:00z", T_0056Z);
	parse_ok("2024-07-09t06:26:00+05:30", T_0056Z);
}

static void
test_date_rfc3339_space_separator(void **state)
{
	(void)state;
	parse_ok("2024-07-09 00:56:00Z", T_0056Z);
	parse_ok("2024-07-09 06:26:00+05:30", T_0056Z);
	parse_ok("2024-07-09 00:56:00", T_0056Z);
	parse_bad("2024-07-09  00:56:00Z");
	parse_bad("2024-07-09 00:56:00 Z");
}

static void
test_date_rfc3339_zones(void **state)
{
	static const struct date_case	tab[] = {
		{ "2024-07-08T16:56:00-08:00", T_0056Z },
		{ "2024-07-08T16:56:00-0800", T_0056Z },
		{ "2024-07-08T16:56:00-08", T_0056Z },
		{ "2024-07-09T06:26:00+0530", T_0056Z },
		{ "2024-07-09T05:56:00+05", T_0056Z },
		{ "2024-07-09T00:56:00+00:00", T_0056Z },
		{ "2024-07-09T00:56:00-00:00", T_0056Z },
		{ "2024-07-09T23:56:00+23:00", T_0056Z },
		/* The offset can move the date across a day boundary. */
		{ "2024-07-09T23:30:00-01:00", T_MIDNIGHT + 86400 + 1800 },
	};

	(void)state;
	parse_table(tab, NITEMS(tab));
	parse_bad("2024-07-09T00:56:00+24:00");
	parse_bad("2024-07-09T00:56:00+05:60");
	parse_bad("2024-07-09T00:56:00+05:");
	parse_bad("2024-07-09T00:56:00+5");
	parse_bad("2024-07-09T00:56:00+053");
	parse_bad("2024-07-09T00:56:00+05:30:00");
	parse_bad("2024-07-09T00:56:00ZZ");
	parse_bad("2024-07-09T00:56:00Z+05:30");
}

static void
test_date_rfc3339_leap_day(void **state)
{
	(void)state;
	parse_ok("2024-02-29T00:00:00Z", INT64_C(1709164800));
	/* 2000-01-01 is 946684800; divisible by 400, so a leap year. */
	parse_ok("2000-02-29", INT64_C(951782400));
	parse_bad("2023-02-29T00:00:00Z");
	parse_bad("1900-02-29");
	parse_bad("2024-02-30");
	parse_bad("2024-04-31");
	parse_ok("2024-12-31", INT64_C(1735603200));
}

/* RFC 3339 5.7: a leap second is carried into the next minute. */
static void
test_date_rfc3339_leap_second(void **state)
{
	(void)state;
	/* Held at :59: not 2017 yet. */
	parse_ok("2016-12-31T23:59:60Z", INT64_C(1483228799));
	parse_ok("2016-12-31T23:59:59Z", INT64_C(1483228799));
}

/* What other readers take that RFC 822 and RFC 3339 do not say. */
static void
test_date_reader_variants(void **state)
{
	(void)state;
	/* The tz database's Etc/ zones; Etc/GMT+5 is five hours west. */
	parse_ok("Tue, 09 Jul 2024 00:56:00 Etc/GMT", T_0056Z);
	parse_ok("Tue, 09 Jul 2024 00:56:00 Etc/UTC", T_0056Z);
	parse_ok("Mon, 08 Jul 2024 19:56:00 Etc/GMT+5", T_0056Z);
	parse_ok("Tue, 09 Jul 2024 02:56:00 Etc/GMT-2", T_0056Z);
	parse_bad("Tue, 09 Jul 2024 00:56:00 Etc/Mars");
	/* Minutes that are not a quarter hour. */
	parse_ok("2024-07-09T00:36:00-00:20", T_0056Z);
	parse_ok("Tue, 09 Jul 2024 00:36:00 -0020", T_0056Z);
	parse_ok("Tue, 09 Jul 2024 01:16:00 +00:20", T_0056Z);
	/* North American zones without S or D: standard time. */
	parse_ok("Mon, 08 Jul 2024 20:56:00 AT", T_0056Z);
	parse_ok("Mon, 08 Jul 2024 19:56:00 ET", T_0056Z);
	parse_ok("Mon, 08 Jul 2024 18:56:00 CT", T_0056Z);
	parse_ok("Mon, 08 Jul 2024 17:56:00 MT", T_0056Z);
	parse_ok("Mon, 08 Jul 2024 16:56:00 PT", T_0056Z);
	/* ISO 8601: fractions, basic format, ordinal dates, short years. */
	parse_ok("2003-12-31T10:14:55.1234Z", INT64_C(1072865695));
	parse_ok("20031231T101455Z", INT64_C(1072865695));
	parse_ok("20031231T1014Z", INT64_C(1072865640));
	parse_ok("20031231T101455+01:00", INT64_C(1072862095));
	parse_ok("2003-335", INT64_C(1070236800));	/* 1 December */
	parse_ok("2004-335", INT64_C(1101772800));	/* leap: 30 Nov */
	parse_ok("2003-365T10:14:55Z", INT64_C(1072865695));
	parse_bad("2003-366");
	parse_bad("2003-000");
	parse_ok("03-12-31", INT64_C(1072828800));
	parse_ok("99-12-31", INT64_C(946598400));
	parse_ok("03-12-31T10:14:55Z", INT64_C(1072865695));
	/* RFC 2822 4.3 for two-digit years. */
	parse_ok("Wed, 31 Dec 03 10:14:55 GMT", INT64_C(1072865695));
	parse_ok("Fri, 31 Dec 99 00:00:00 GMT", INT64_C(946598400));
	/* A leap second in an RFC 822 date with a named zone (curl's path). */
	parse_ok("Sat, 31 Dec 2016 18:59:60 EST", INT64_C(1483228799));
}

static void
test_date_rfc3339_ranges(void **state)
{
	int64_t	t;

	(void)state;
	/* RFC 3339 reads every year; feed dates stop at 1900 and 2200. */
	assert_int_equal(date_parse_rfc3339("0000-01-01T00:00:00Z", &t), 0);
	assert_true(t == INT64_C(-62167219200));
	assert_int_equal(date_parse_rfc3339("9999-12-31T23:59:59Z", &t), 0);
	assert_true(t == INT64_C(253402300799));
	parse_bad("0000-01-01T00:00:00Z");
	parse_bad("9999-12-31T23:59:59Z");
	parse_bad("2024-00-09");
	parse_bad("2024-13-09");
	parse_bad("2024-07-00");
	parse_bad("2024-07-32");
	parse_bad("2024-07-09T24:00:00Z");
	parse_bad("2024-07-09T00:60:00Z");
	parse_bad("2024-07-09T00:56:61Z");
	parse_bad("20240-07-09");
	parse_bad("-2024-07-09");
}

static void
test_date_rfc3339_before_1970(void **state)
{
	(void)state;
	parse_ok("1969-07-20T20:17:40Z", INT64_C(-14182940));
	parse_ok("1969-12-31T23:59:59Z", -1);
	parse_ok("1970-01-01T01:00:00+01:00", 0);
	parse_ok("1900-01-01", INT64_C(-2208988800));
	parse_bad("1582-10-15T00:00:00Z");
}

static void
test_date_rfc3339_rejects(void **state)
{
	(void)state;
	parse_bad("2024-07-09T00:56:00Zjunk");
	parse_bad("2024-07-09T00:56:00Z x");
	parse_bad("2024-07-09x");
	parse_bad("2024-07-09T00:56:00+05:30x");
	parse_bad("2024-07-09T0:56:00Z");
	parse_bad("2024-07-09T00:5:00Z");
	parse_bad("2024-07-09T00:56:0Z");
	parse_bad("2024-07-09T00-56-00Z");
	parse_bad("2024-0a-09");
}

static void
test_date_parse_invalid(void **state)
{
	int64_t	t = 0;

	(void)state;
	parse_bad(NULL);
	parse_bad("");
	parse_bad(" \t\r\n");
	parse_bad("garbage");
	parse_bad("0");
	parse_bad("-");
	parse_bad("+");
	parse_bad("()");
	assert_int_equal(date_parse_rfc822(NULL, &t), -1);
	assert_int_equal(date_parse_rfc3339(NULL, &t), -1);
	assert_int_equal(date_parse("2024-07-09", NULL), -1);
}

static void
test_date_parse_whitespace(void **state)
{
	(void)state;
	parse_ok("  \t2024-07-09T00:56:00Z\r\n", T_0056Z);
	parse_ok("\n  Tue, 09 Jul 2024 06:26:00 +0530  \n", T_0056Z);
	parse_ok("Tue,\n\t09 Jul 2024\t06:26:00 +0530", T_0056Z);
}

static void
test_date_parse_failure_keeps_value(void **state)
{
	int64_t	t = 42;

	(void)state;
	assert_int_equal(date_parse("2023-02-29", &t), -1);
	assert_true(t == 42);
	assert_int_equal(date_parse("31 Feb 2024", &t), -1);
	assert_true(t == 42);
}

/* The two readers each refuse the other's dates. */
static void
test_date_parse_direct(void **state)
{
	int64_t	t = 0;

	(void)state;
	assert_int_equal(date_parse_rfc3339("Tue, 09 Jul 2024 06:26:00 +0530",
	    &t), -1);
	assert_int_equal(date_parse_rfc822("2024-07-09T06:26:00+05:30", &t),
	    -1);
	assert_int_equal(date_parse_rfc3339(" 2024-07-09T00:56:00Z ", &t), 0);
	assert_true(t == T_0056Z);
	assert_int_equal(date_parse_rfc822(" 09 Jul 2024 06:26 GMT ", &t), 0);
	assert_true(t == T_0626Z);
}

static void
test_date_format_rfc3339(void **state)
{
	(void)state;
	format_is(T_0056Z, "2024-07-09T00:56:00Z");
	format_is(0, "1970-01-01T00:00:00Z");
	format_is(-1, "1969-12-31T23:59:59Z");
	format_is(INT64_C(-14182940), "1969-07-20T20:17:40Z");
	format_is(INT64_C(1709164800), "2024-02-29T00:00:00Z");
	format_is(INT64_C(253402300799), "9999-12-31T23:59:59Z");
	format_is(INT64_C(-62167219200), "0000-01-01T00:00:00Z");
	/* One second earlier is 31 December of year -1. */
	format_is(INT64_C(-62167219201), "-0001-12-31T23:59:59Z");
	/* 9999-12-31T23:59:59Z plus one second */
	format_is(INT64_C(253402300800), "10000-01-01T00:00:00Z");
}

static void
test_date_format_small_buffer(void **state)
{
	char	buf[32];

	(void)state;
	/* "2024-07-09T00:56:00Z" is 20 bytes and its NUL. */
	memset(buf, 'x', sizeof(buf));
	assert_null(date_format_rfc3339(T_0056Z, buf, 20));
	assert_int_equal(buf[0], '\0');
	assert_null(date_format_rfc3339(T_0056Z, buf, 0));
	assert_null(date_format_rfc3339(T_0056Z, NULL, 32));
	assert_ptr_equal(date_format_rfc3339(T_0056Z, buf, 21), buf);
	assert_string_equal(buf, "2024-07-09T00:56:00Z");
}

static void
test_date_format_out_of_range(void **state)
{
	char	buf[DATE_RFC3339_LEN];

	(void)state;
	assert_null(date_format_rfc3339(INT64_MAX, buf, sizeof(buf)));
	assert_null(date_format_rfc3339(INT64_MIN, buf, sizeof(buf)));
}

/*
 * How far a date is from now: the same second is "now" (and is written,
 * like every other answer, into the caller's buffer), each unit rounds to
 * the nearest, and reaching 60 of one is 1 of the next.
 */
static void
test_date_relative(void **state)
{
	static const struct {
		int64_t		 d;
		const char	*want;
	} tab[] = {
		{ 0, "now" }, { -1, "1s ago" }, { 1, "in 1s" },
		{ -59, "59s ago" }, { -60, "1m ago" }, { -89, "1m ago" },
		{ -90, "2m ago" }, { -3569, "59m ago" }, { -3570, "1h ago" },
		{ 5399, "in 1h" }, { 5400, "in 2h" }, { 7200, "in 2h" },
		{ -86399, "1d ago" }, { -129599, "1d ago" },
		{ -129600, "2d ago" }, { INT64_C(8640000), "in 100d" },
	};
	const int64_t	 now = T_0056Z;
	char		 buf[32];
	size_t		 i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		memset(buf, 'x', sizeof(buf));
		buf[sizeof(buf) - 1] = '\0';
		assert_ptr_equal(date_relative(now + tab[i].d, now, buf,
		    sizeof(buf)), buf);
		if (strcmp(buf, tab[i].want) != 0)
			fail_msg("%lld s from now: \"%s\", want \"%s\"",
			    (long long)tab[i].d, buf, tab[i].want);
	}
	/* The extremes of time do not overflow. */
	date_relative(INT64_MIN, INT64_MAX, buf, sizeof(buf));
	assert_string_equal(buf, "213503982334601d ago");
	date_relative(INT64_MAX, INT64_MIN, buf, 4);
	assert_string_equal(buf, "in ");
}

static void
test_date_format_round_trip(void **state)
{
	static const int64_t	 times[] = {
		0, -1, 1, T_0056Z, INT64_C(-14182940), INT64_C(951782400),
		INT64_C(1483228800), INT64_C(-62167219200),
		INT64_C(253402300799), INT64_C(-12219292800),
	};
	char			 buf[DATE_RFC3339_LEN];
	int64_t			 t;
	size_t			 i;

	(void)state;
	for (i = 0; i < NITEMS(times); i++) {
		assert_non_null(date_format_rfc3339(times[i], buf,
		    sizeof(buf)));
		t = times[i] + 1;
		assert_int_equal(date_parse_rfc3339(buf, &t), 0);
		assert_true(t == times[i]);
	}

	/* Parse, format, parse: the same instant in canonical form. */
	assert_int_equal(date_parse("Tue, 09 Jul 2024 06:26:00 +0530", &t), 0);
	assert_string_equal(date_format_rfc3339(t, buf, sizeof(buf)),
	    "2024-07-09T00:56:00Z");
	assert_int_equal(date_parse("1969-07-20T21:17:40.5+01:00", &t), 0);
	assert_string_equal(date_format_rfc3339(t, buf, sizeof(buf)),
	    "1969-07-20T20:17:40Z");
}

/*
 * The everyday layout is read at fixed places; a comment after it sends
 * the same date through the general reader, which must agree on every
 * field's edges (day 0 and 32, 29 February, 24:00, a leap second, zones
 * past +1400, names in any case).
 */
static void
test_date_rfc822_plain_layout(void **state)
{
	static const char *const days[] = { "Tue", "tue", "SUN", "Xyz" };
	static const char *const mdays[] = { "9", "09", "00", "29", "31",
	    "32", "1x" };
	static const char *const mons[] = { "Jul", "feb", "FEB", "Apr", "Jux",
	    "Sept" };
	static const char *const years[] = { "2024", "2023", "1900", "1582",
	    "9999", "24" };
	static const char *const times[] = { "00:56:00", "23:59:59",
	    "24:00:00", "12:60:00", "23:59:60", "6:26:00", "06:26" };
	static const char *const zones[] = { "GMT", "gmt", "UT", "UTC", "Z",
	    "EST", "+0530", "-0700", "+1400", "-1400", "+1401", "+0060",
	    "-00:20", "+053" };
	char		 a[96], b[112];
	int64_t		 ta, tb;
	size_t		 d, md, mo, y, ti, z;
	int		 ra, rb, fast = 0;

	(void)state;
	for (d = 0; d < NITEMS(days); d++)
	for (md = 0; md < NITEMS(mdays); md++)
	for (mo = 0; mo < NITEMS(mons); mo++)
	for (y = 0; y < NITEMS(years); y++)
	for (ti = 0; ti < NITEMS(times); ti++)
	for (z = 0; z < NITEMS(zones); z++) {
		snprintf(a, sizeof(a), "%s, %s %s %s %s %s", days[d],
		    mdays[md], mons[mo], years[y], times[ti], zones[z]);
		snprintf(b, sizeof(b), "%s (c)", a);
		ta = tb = -1;
		ra = date_parse_rfc822(a, &ta);
		rb = date_parse_rfc822(b, &tb);
		if (ra != rb || (ra == 0 && ta != tb))
			fail_msg("\"%s\": %d %lld, with a comment %d %lld", a,
			    ra, (long long)ta, rb, (long long)tb);
		fast += ra == 0;
	}
	/* The grid must hold dates both readers take, or it shows nothing. */
	assert_true(fast > 1000);
	parse_ok("Tue, 09 Jul 2024 00:56:00 GMT", T_0056Z);
	parse_ok("tue, 9 jul 2024 06:26:00 +0530", T_0056Z);
	parse_ok("Mon, 08 Jul 2024 17:56:00 -0700", T_0056Z);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_date_rfc822_seed),
		cmocka_unit_test(test_date_reader_variants),
		cmocka_unit_test(test_date_rfc3339_seed),
		cmocka_unit_test(test_date_rfc822_no_day_name),
		cmocka_unit_test(test_date_rfc822_day_names),
		cmocka_unit_test(test_date_rfc822_one_digit_day),
		cmocka_unit_test(test_date_rfc822_two_digit_year),
		cmocka_unit_test(test_date_rfc822_no_seconds),
		cmocka_unit_test(test_date_rfc822_named_zones),
		cmocka_unit_test(test_date_rfc822_military_zones),
		cmocka_unit_test(test_date_rfc822_numeric_zones),
		cmocka_unit_test(test_date_rfc822_month_names),
		cmocka_unit_test(test_date_rfc822_other_layouts),
		cmocka_unit_test(test_date_rfc822_comment_and_fraction),
		cmocka_unit_test(test_date_rfc822_impossible_day),
		cmocka_unit_test(test_date_rfc822_epoch_edges),
		cmocka_unit_test(test_date_rfc822_rejects),
		cmocka_unit_test(test_date_rfc822_plain_layout),
		cmocka_unit_test(test_date_rfc3339_fraction),
		cmocka_unit_test(test_date_rfc3339_no_zone),
		cmocka_unit_test(test_date_rfc3339_no_seconds),
		cmocka_unit_test(test_date_rfc3339_reduced),
		cmocka_unit_test(test_date_rfc3339_lowercase),
		cmocka_unit_test(test_date_rfc3339_space_separator),
		cmocka_unit_test(test_date_rfc3339_zones),
		cmocka_unit_test(test_date_rfc3339_leap_day),
		cmocka_unit_test(test_date_rfc3339_leap_second),
		cmocka_unit_test(test_date_rfc3339_ranges),
		cmocka_unit_test(test_date_rfc3339_before_1970),
		cmocka_unit_test(test_date_rfc3339_rejects),
		cmocka_unit_test(test_date_parse_invalid),
		cmocka_unit_test(test_date_parse_whitespace),
		cmocka_unit_test(test_date_parse_failure_keeps_value),
		cmocka_unit_test(test_date_parse_direct),
		cmocka_unit_test(test_date_format_rfc3339),
		cmocka_unit_test(test_date_format_small_buffer),
		cmocka_unit_test(test_date_format_out_of_range),
		cmocka_unit_test(test_date_format_round_trip),
		cmocka_unit_test(test_date_relative),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
