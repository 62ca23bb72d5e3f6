/*
 * date.c: the dates feeds carry, as seconds since the epoch in UTC.
 *
 * RFC 3339 and the ISO 8601 / W3CDTF profiles that Atom and Dublin Core
 * use are read by hand.  RFC 822/2822 dates are rewritten into one plain
 * form here and then read by libcurl's curl_getdate, which owns the table
 * of zone names.  A date that cannot be read is an error for the caller to
 * shrug off; nothing here may fail a feed.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "date.h"

#define DATE_RFC822_MAX	128	/* longer RFC 822 input is not a date */
#define DATE_RFC822_OUT	64	/* "dd Mon yyyy hh:mm:ss +hhmm" and room */
#define DATE_WORD_MAX	9	/* "wednesday", "september" */
#define DATE_YEAR_MIN	1583	/* curl_getdate: the Gregorian calendar */
#define DATE_ZONE_MAX	1400	/* curl_getdate: largest "+hhmm" it takes */

struct date_name {
	const char	*name;
	int		 value;
};

/*
 * What the RFC 822 reader has seen.  mday and year are assigned the way
 * curl_getdate assigns them, so its result can be checked afterwards.
 */
struct date_rfc822 {
	char	 out[DATE_RFC822_OUT];
	size_t	 outlen;
	int	 mday;
	int	 mon;		/* 0-11 */
	int	 year;
	int	 hour;
	int	 min;
	int	 sec;
	int	 want_year;	/* the next number is a year, not a day */
	int	 zone;		/* a zone, named or numeric, was seen */
	int	 numzone;	/* ... and it was numeric */
	int	 utc;		/* ... or GMT, UT, UTC, Z */
	int	 offset;	/* seconds east of UTC, for numzone */
};

static int	 date_isalpha(int);
static int	 date_isdigit(int);
static int	 date_isspace(int);
static void	 date_trim(const char **, size_t *);
static int	 date_digits(const char *, size_t, size_t *, size_t, int *);
static int	 date_is_leap(int64_t);
static int	 date_days_in_month(int64_t, int);
static int64_t	 date_days_from_civil(int64_t, int, int);
static int	 date_starts_iso(const char *, size_t);
static int	 date_rfc3339(const char *, size_t, int64_t *);
static const struct date_name *date_lookup(const struct date_name *, size_t,
		    const char *, size_t);
static int	 date_rfc822_add(struct date_rfc822 *, const char *, size_t);
static int	 date_rfc822_comment(const char *, size_t, size_t *);
static int	 date_rfc822_zone(struct date_rfc822 *, const char *, size_t,
		    size_t *);
static int	 date_rfc822_time(struct date_rfc822 *, const char *, size_t,
		    size_t *);
static int	 date_rfc822_number(struct date_rfc822 *, const char *,
		    size_t, size_t *);
static int	 date_rfc822_word(struct date_rfc822 *, const char *, size_t,
		    size_t *);
static int	 date_rfc822_plain(const char *, size_t, int64_t *);
static int	 date_rfc822(const char *, size_t, int64_t *);
static int	 date_rfc822_offset(struct date_rfc822 *, int);
static int	 date_rfc822_etc(struct date_rfc822 *, const char *, size_t,
		    size_t *);
static int	 date_iso_other(const char *, size_t, int64_t *);

/* Month names and the abbreviations feeds use; value is 0-11. */
static const struct date_name date_months[] = {
	{ .name = "jan", .value = 0 },
	{ .name = "january", .value = 0 },
	{ .name = "feb", .value = 1 },
	{ .name = "february", .value = 1 },
	{ .name = "mar", .value = 2 },
	{ .name = "march", .value = 2 },
	{ .name = "apr", .value = 3 },
	{ .name = "april", .value = 3 },
	{ .name = "may", .value = 4 },
	{ .name = "jun", .value = 5 },
	{ .name = "june", .value = 5 },
	{ .name = "jul", .value = 6 },
	{ .name = "july", .value = 6 },
	{ .name = "aug", .value = 7 },
	{ .name = "august", .value = 7 },
	{ .name = "sep", .value = 8 },
	{ .name = "sept", .value = 8 },
	{ .name = "september", .value = 8 },
	{ .name = "oct", .value = 9 },
	{ .name = "october", .value = 9 },
	{ .name = "nov", .value = 10 },
	{ .name = "november", .value = 10 },
	{ .name = "dec", .value = 11 },
	{ .name = "december", .value = 11 },
};

/* The three-letter forms curl_getdate knows, indexed by month. */
static const char *date_month_abbr[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* Day names; 0 is Monday.  The value is not used, see date_rfc822_word. */
static const struct date_name date_days[] = {
	{ .name = "mon", .value = 0 },
	{ .name = "monday", .value = 0 },
	{ .name = "tue", .value = 1 },
	{ .name = "tues", .value = 1 },
	{ .name = "tuesday", .value = 1 },
	{ .name = "wed", .value = 2 },
	{ .name = "wednesday", .value = 2 },
	{ .name = "thu", .value = 3 },
	{ .name = "thur", .value = 3 },
	{ .name = "thurs", .value = 3 },
	{ .name = "thursday", .value = 3 },
	{ .name = "fri", .value = 4 },
	{ .name = "friday", .value = 4 },
	{ .name = "sat", .value = 5 },
	{ .name = "saturday", .value = 5 },
	{ .name = "sun", .value = 6 },
	{ .name = "sunday", .value = 6 },
};

/*
 * North American zone names without the S or D, as their standard time
 * (curl_getdate knows EST, not ET); seconds east of UTC.
 */
static const struct date_name date_us_zones[] = {
	{ .name = "at", .value = -4 * 3600 },
	{ .name = "ct", .value = -6 * 3600 },
	{ .name = "et", .value = -5 * 3600 },
	{ .name = "mt", .value = -7 * 3600 },
	{ .name = "pt", .value = -8 * 3600 },
};

/* Names of UTC that writers put in front of an offset ("GMT+0200"). */
static const struct date_name date_utc_names[] = {
	{ .name = "gmt", .value = 0 },
	{ .name = "ut", .value = 0 },
	{ .name = "utc", .value = 0 },
};

#define DATE_NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* ASCII only: the input is feed text in any locale. */
static int
date_isalpha(int c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

static int
date_isdigit(int c)
{
	return (c >= '0' && c <= '9');
}

static int
date_isspace(int c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f');
}

/* Narrow s/len to the text between leading and trailing white space. */
static void
date_trim(const char **s, size_t *len)
{
	const char	*p = *s;
	size_t		 n;

	while (date_isspace((unsigned char)*p))
		p++;
	n = strlen(p);
	while (n > 0 && date_isspace((unsigned char)p[n - 1]))
		n--;
	*s = p;
	*len = n;
}

/* Read exactly n digits at *i into *v and step over them. */
static int
date_digits(const char *s, size_t len, size_t *i, size_t n, int *v)
{
	size_t	j;
	int	val = 0;

	if (len - *i < n)
		return (-1);
	for (j = *i; j < *i + n; j++) {
		if (!date_isdigit((unsigned char)s[j]))
			return (-1);
		val = val * 10 + (s[j] - '0');
	}
	*i += n;
	*v = val;
	return (0);
}

static int
date_is_leap(int64_t y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

/* m is 1-12. */
static int
date_days_in_month(int64_t y, int m)
{
	static const int	days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && date_is_leap(y))
		return (29);
	return (days[m - 1]);
}

/*
 * Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar, for
 * any year, without timegm or the TZ environment (H. Hinnant,
 * "chrono-Compatible Low-Level Date Algorithms", days_from_civil).
 */
static int64_t
date_days_from_civil(int64_t y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	if (m <= 2)
		y--;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

/* ISO 8601 dates open with a four-digit year and a hyphen. */
static int
date_starts_iso(const char *s, size_t len)
{
	size_t	i;

	if (len < 5 || s[4] != '-')
		return (0);
	for (i = 0; i < 4; i++)
		if (!date_isdigit((unsigned char)s[i]))
			return (0);
	return (1);
}

/*
 * RFC 3339 section 5.6, with what W3CDTF and feeds in the wild add: "t",
 * "z" and ' ' for the separators (RFC 3339 5.6 NOTE), no seconds, no
 * zone (read as UTC), "+hhmm" and "+hh" zones, a date alone and a year
 * and month alone.  A fraction of any length is read and dropped.
 */
static int
date_rfc3339(const char *s, size_t len, int64_t *t)
{
	size_t	i = 0;
	int	year, mon, day = 1, hour = 0, min = 0, sec = 0;
	int	zh = 0, zm = 0, sign = 0;
	int64_t	v;

	if (date_digits(s, len, &i, 4, &year) == -1)
		return (-1);
	if (i == len || s[i++] != '-')
		return (-1);
	if (date_digits(s, len, &i, 2, &mon) == -1 || mon < 1 || mon > 12)
		return (-1);
	if (i == len)
		goto done;
	if (s[i++] != '-')
		return (-1);
	if (date_digits(s, len, &i, 2, &day) == -1 || day < 1 ||
	    day > date_days_in_month(year, mon))
		return (-1);
	if (i == len)
		goto done;
	if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
		return (-1);
	i++;
	if (date_digits(s, len, &i, 2, &hour) == -1 || hour > 23)
		return (-1);
	if (i == len || s[i++] != ':')
		return (-1);
	if (date_digits(s, len, &i, 2, &min) == -1 || min > 59)
		return (-1);
	if (i < len && s[i] == ':') {
		i++;
		/*
		 * 60 is a leap second: held at :59, as a reader shows it,
		 * rather than carried into the next minute (or year).
		 */
		if (date_digits(s, len, &i, 2, &sec) == -1 || sec > 60)
			return (-1);
		if (sec == 60)
			sec = 59;
		/* ISO 8601 allows a comma as well as a full stop. */
		if (i + 1 < len && (s[i] == '.' || s[i] == ',') &&
		    date_isdigit((unsigned char)s[i + 1])) {
			i++;
			while (i < len && date_isdigit((unsigned char)s[i]))
				i++;
		}
	}
	if (i < len && (s[i] == 'Z' || s[i] == 'z'))
		i++;
	else if (i < len && (s[i] == '+' || s[i] == '-')) {
		sign = s[i++] == '-' ? -1 : 1;
		if (date_digits(s, len, &i, 2, &zh) == -1 || zh > 23)
			return (-1);
		/* "+hh:mm", "+hhmm" or "+hh". */
		if (i < len && s[i] == ':') {
			i++;
			if (date_digits(s, len, &i, 2, &zm) == -1)
				return (-1);
		} else if (i < len && date_digits(s, len, &i, 2, &zm) == -1)
			return (-1);
		if (zm > 59)
			return (-1);
	}
	if (i != len)
		return (-1);

done:
	v = date_days_from_civil(year, mon, day) * 86400 +
	    hour * 3600 + min * 60 + sec;
	/* The zone says how far local time is ahead of UTC. */
	*t = v - sign * (zh * 3600 + zm * 60);
	return (0);
}

/*
 * Find the n bytes at s, in any case, in a table of lower-case names.  The
 * words are letters, so "| 0x20" lowers them, and the compare needs no
 * strlen or strncasecmp per entry (every RSS date looks up two or three
 * words in tables of twenty).
 */
static const struct date_name *
date_lookup(const struct date_name *tab, size_t ntab, const char *s,
    size_t n)
{
	const char	*name;
	size_t		 i, k;

	if (n == 0)
		return (NULL);
	for (i = 0; i < ntab; i++) {
		name = tab[i].name;
		for (k = 0; k < n && name[k] == (s[k] | 0x20); k++)
			;
		if (k == n && name[n] == '\0')
			return (&tab[i]);
	}
	return (NULL);
}

/* Append one token, and a space before it, to the text for curl. */
static int
date_rfc822_add(struct date_rfc822 *r, const char *s, size_t n)
{
	size_t	sep = r->outlen > 0;

	if (n + sep >= sizeof(r->out) - r->outlen)
		return (-1);
	if (sep)
		r->out[r->outlen++] = ' ';
	memcpy(r->out + r->outlen, s, n);
	r->outlen += n;
	r->out[r->outlen] = '\0';
	return (0);
}

/* Step over an RFC 2822 3.2.3 comment, "(IST)", which may nest. */
static int
date_rfc822_comment(const char *s, size_t len, size_t *i)
{
	size_t	j;
	int	depth = 0;

	for (j = *i; j < len; j++) {
		if (s[j] == '(')
			depth++;
		else if (s[j] == ')' && --depth == 0) {
			*i = j + 1;
			return (0);
		}
	}
	return (-1);
}

/*
 * A numeric zone at *i: "+hhmm" (RFC 2822 3.3) or "+hh:mm", which feeds
 * borrow from RFC 3339 and curl_getdate does not know; both are written
 * out as "+hhmm".  Returns 1 if one was read, 0 if the sign is not a zone
 * (a '-' may separate "06-Nov-94"), -1 if the date is bad.
 */
static int
date_rfc822_zone(struct date_rfc822 *r, const char *s, size_t len,
    size_t *i)
{
	char	 buf[5];
	size_t	 j = *i + 1;
	int	 hh, mm, colon = 0;

	if (date_digits(s, len, &j, 2, &hh) == -1)
		return (0);
	if (j < len && s[j] == ':') {
		colon = 1;
		j++;
	}
	if (date_digits(s, len, &j, 2, &mm) == -1)
		return (0);
	if (j < len && (date_isdigit((unsigned char)s[j]) || s[j] == ':'))
		return (0);
	/*
	 * curl_getdate takes "-hhmm" up to 1400 as a zone and a larger
	 * number as a year; do the same.
	 */
	if (s[*i] == '-' && !colon && hh * 100 + mm > DATE_ZONE_MAX)
		return (0);
	if (hh * 100 + mm > DATE_ZONE_MAX || mm > 59 || r->zone)
		return (-1);
	r->offset = (s[*i] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
	buf[0] = s[*i];
	buf[1] = '0' + hh / 10;
	buf[2] = '0' + hh % 10;
	buf[3] = '0' + mm / 10;
	buf[4] = '0' + mm % 10;
	if (date_rfc822_add(r, buf, 5) == -1)
		return (-1);
	r->zone = r->numzone = 1;
	*i = j;
	return (1);
}

/*
 * "hh:mm[:ss]" (RFC 2822 3.3), with a fraction after the seconds dropped
 * since curl_getdate refuses it.
 */
static int
date_rfc822_time(struct date_rfc822 *r, const char *s, size_t len,
    size_t *i)
{
	size_t	j = *i, start = *i, end;

	if (r->hour != -1)
		return (-1);
	if (len - j >= 2 && date_isdigit((unsigned char)s[j + 1])) {
		if (date_digits(s, len, &j, 2, &r->hour) == -1)
			return (-1);
	} else if (date_digits(s, len, &j, 1, &r->hour) == -1)
		return (-1);
	if (j == len || s[j++] != ':')
		return (-1);
	if (date_digits(s, len, &j, 2, &r->min) == -1)
		return (-1);
	r->sec = 0;
	if (j < len && s[j] == ':') {
		j++;
		if (date_digits(s, len, &j, 2, &r->sec) == -1)
			return (-1);
	}
	end = j;
	if (j + 1 < len && (s[j] == '.' || s[j] == ',') &&
	    date_isdigit((unsigned char)s[j + 1])) {
		j++;
		while (j < len && date_isdigit((unsigned char)s[j]))
			j++;
	}
	if (j < len && (date_isdigit((unsigned char)s[j]) || s[j] == ':'))
		return (-1);
	if (r->hour > 23 || r->min > 59 || r->sec > 60)
		return (-1);
	if (date_rfc822_add(r, s + start, end - start) == -1)
		return (-1);
	/* A leap second is held at :59, as in date_rfc3339(). */
	if (r->sec == 60) {
		r->sec = 59;
		r->out[r->outlen - 1] = '9';
		r->out[r->outlen - 2] = '5';
	}
	*i = j;
	return (0);
}

/*
 * A day, a year or "yyyymmdd", told apart in the order curl_getdate uses:
 * the first number from 1 to 31 is the day and the other is the year.
 */
static int
date_rfc822_number(struct date_rfc822 *r, const char *s, size_t len,
    size_t *i)
{
	char	buf[4];
	size_t	j = *i, n;
	int	val;

	while (j < len && date_isdigit((unsigned char)s[j]))
		j++;
	n = j - *i;
	/* Only "yyyymmdd" is longer than a year; it fits an int. */
	if (n > 4 && n != 8)
		return (-1);
	if (date_digits(s, len, i, n, &val) == -1)
		return (-1);
	if (n == 8) {
		if (r->year != -1 || r->mon != -1 || r->mday != -1)
			return (-1);
		r->year = val / 10000;
		r->mon = val / 100 % 100 - 1;
		r->mday = val % 100;
		if (r->year < DATE_YEAR_MIN || r->mon < 0 || r->mon > 11 ||
		    r->mday < 1)
			return (-1);
		return (date_rfc822_add(r, s + *i - n, n));
	}
	if (!r->want_year && r->mday == -1) {
		r->want_year = 1;
		if (val >= 1 && val <= 31) {
			r->mday = val;
			return (date_rfc822_add(r, s + *i - n, n));
		}
	}
	/* RFC 2822 3.3 and 4.3: a year has at least two digits. */
	if (!r->want_year || r->year != -1 || n < 2)
		return (-1);
	/*
	 * RFC 2822 4.3: add 2000 to a two-digit year below 50 and 1900 to
	 * other two- and three-digit years.  curl_getdate would read 50 to
	 * 70 as 2050 to 2070, so the year is always written out in full.
	 */
	if (n == 2)
		val += val < 50 ? 2000 : 1900;
	else if (n == 3)
		val += 1900;
	if (val < DATE_YEAR_MIN)
		return (-1);
	/* Four digits, from DATE_YEAR_MIN to 9999: no snprintf needed. */
	r->year = val;
	if (r->mday == -1)
		r->want_year = 0;
	buf[0] = (char)('0' + val / 1000);
	buf[1] = (char)('0' + val / 100 % 10);
	buf[2] = (char)('0' + val / 10 % 10);
	buf[3] = (char)('0' + val % 10);
	return (date_rfc822_add(r, buf, sizeof(buf)));
}

/* Sets a zone of "off" seconds east of UTC, written as "+hhmm". */
static int
date_rfc822_offset(struct date_rfc822 *r, int off)
{
	char	buf[6];
	int	a = off < 0 ? -off : off;

	if (r->zone || a / 3600 * 100 + a % 3600 / 60 > DATE_ZONE_MAX)
		return (-1);
	buf[0] = off < 0 ? '-' : '+';
	buf[1] = (char)('0' + a / 36000);
	buf[2] = (char)('0' + a / 3600 % 10);
	buf[3] = (char)('0' + a % 3600 / 600);
	buf[4] = (char)('0' + a % 3600 / 60 % 10);
	buf[5] = '\0';
	r->offset = off;
	r->zone = r->numzone = 1;
	return (date_rfc822_add(r, buf, 5));
}

/*
 * The tz database's "Etc/" zones after "Etc": Etc/GMT, Etc/UTC,
 * Etc/Zulu ... and Etc/GMT+5, which is five hours west (POSIX signs).
 */
static int
date_rfc822_etc(struct date_rfc822 *r, const char *s, size_t len,
    size_t *i)
{
	static const char *const utc[] = { "gmt", "utc", "uct", "ut", "zulu",
	    "universal", "greenwich", NULL };
	const char *const	*u;
	size_t			 j = *i + 1, k, n;
	int			 hh = 0, sign = 0;

	for (k = j; k < len && date_isalpha((unsigned char)s[k]); k++)
		;
	n = k - j;
	for (u = utc; *u != NULL; u++)
		if (strlen(*u) == n && strncasecmp(*u, s + j, n) == 0)
			break;
	if (*u == NULL)
		return (-1);
	if (k < len && (s[k] == '+' || s[k] == '-') && n == 3 &&
	    strncasecmp(s + j, "gmt", 3) == 0) {
		sign = s[k] == '-' ? 1 : -1;	/* reversed */
		for (k++; k < len && date_isdigit((unsigned char)s[k]); k++) {
			hh = hh * 10 + (s[k] - '0');
			if (hh > 14)
				return (-1);
		}
	}
	*i = k;
	return (date_rfc822_offset(r, sign * hh * 3600));
}

/* A day name, a month name or a zone name. */
static int
date_rfc822_word(struct date_rfc822 *r, const char *s, size_t len,
    size_t *i)
{
	const struct date_name	*m;
	const char		*w = s + *i;
	size_t			 j = *i, n, k;
	int			 upper;

	while (j < len && date_isalpha((unsigned char)s[j]))
		j++;
	n = j - *i;
	*i = j;
	if (n > DATE_WORD_MAX)
		return (-1);

	/*
	 * The day name is optional (RFC 2822 3.3) and often wrong in feeds;
	 * curl_getdate does not check it either.  Dropping it also keeps
	 * curl within the six parts it reads, so that trailing text is
	 * seen and refused rather than ignored.
	 */
	if (date_lookup(date_days, DATE_NITEMS(date_days), w, n) != NULL)
		return (0);

	if ((m = date_lookup(date_months, DATE_NITEMS(date_months), w,
	    n)) != NULL) {
		if (r->mon != -1)
			return (-1);
		r->mon = m->value;
		return (date_rfc822_add(r, date_month_abbr[m->value], 3));
	}

	/* "GMT+0530", "UTC -08:00": the offset that follows says it all. */
	k = j;
	while (k < len && s[k] == ' ')
		k++;
	if (k + 1 < len && (s[k] == '+' || s[k] == '-') &&
	    date_isdigit((unsigned char)s[k + 1]) &&
	    date_lookup(date_utc_names, DATE_NITEMS(date_utc_names), w,
	    n) != NULL)
		return (0);

	/* "Etc/GMT+5" (the tz database: its sign is POSIX's, reversed). */
	if (n == 3 && strncasecmp(w, "etc", 3) == 0 && j < len && s[j] == '/')
		return (date_rfc822_etc(r, s, len, i));

	/* "ET", "PT": a North American zone, as its standard time. */
	if ((m = date_lookup(date_us_zones, DATE_NITEMS(date_us_zones), w,
	    n)) != NULL && !r->zone)
		return (date_rfc822_offset(r, m->value));

	/* "-0700 PDT": a zone's name repeated after its offset. */
	if (r->numzone && n >= 2 && n <= 5) {
		for (k = 0, upper = 1; k < n; k++)
			if (w[k] < 'A' || w[k] > 'Z')
				upper = 0;
		if (upper)
			return (0);
	}

	/*
	 * Anything else must be a zone name; curl_getdate has the list.  A
	 * name glued to a number is not one: "2024T06:26" would read as the
	 * military zone T.
	 */
	if (r->zone || n > 5 || (j < len && date_isdigit((unsigned char)s[j])))
		return (-1);
	r->zone = 1;
	r->utc = date_lookup(date_utc_names, DATE_NITEMS(date_utc_names), w,
	    n) != NULL;
	return (date_rfc822_add(r, w, n));
}

/*
 * The layout nearly every RSS date has, "Tue, 09 Jul 2024 00:56:00 GMT" or
 * the same with "+0200", read at its fixed places without the token
 * rewriting below, which cost as much as the rest of an item's fields.
 * Returns 1 for anything else, or for any value it does not take as is
 * (a 31 February, a leap second, a zone past +1400), so that date_rfc822
 * decides those; what it does read equals date_rfc822's result (test_date
 * and fuzz_date compare the two).
 */
static int
date_rfc822_plain(const char *s, size_t len, int64_t *t)
{
	const struct date_name	*m;
	size_t			 i = 5;
	int			 mday, year, hh, mm, ss, zh, zm, off = 0;

	if (len < sizeof("Tue, 9 Jul 2024 00:56:00 UT") - 1 ||
	    s[3] != ',' || s[4] != ' ' ||
	    date_lookup(date_days, DATE_NITEMS(date_days), s, 3) == NULL)
		return (1);
	if (date_digits(s, len, &i, s[6] == ' ' ? 1 : 2, &mday) == -1 ||
	    s[i] != ' ' || len - i < sizeof(" Jul 2024 00:56:00 UT") - 1 ||
	    (m = date_lookup(date_months, DATE_NITEMS(date_months), s + i + 1,
	    3)) == NULL || s[i + 4] != ' ')
		return (1);
	i += 5;
	if (date_digits(s, len, &i, 4, &year) == -1 || s[i++] != ' ' ||
	    date_digits(s, len, &i, 2, &hh) == -1 || s[i++] != ':' ||
	    date_digits(s, len, &i, 2, &mm) == -1 || s[i++] != ':' ||
	    date_digits(s, len, &i, 2, &ss) == -1 || i == len ||
	    s[i++] != ' ')
		return (1);
	if (len - i == 5 && (s[i] == '+' || s[i] == '-')) {
		i++;
		if (date_digits(s, len, &i, 2, &zh) == -1 ||
		    date_digits(s, len, &i, 2, &zm) == -1 ||
		    zh * 100 + zm > DATE_ZONE_MAX || zm > 59)
			return (1);
		off = (s[len - 5] == '-' ? -1 : 1) * (zh * 3600 + zm * 60);
	} else if (date_lookup(date_utc_names, DATE_NITEMS(date_utc_names),
	    s + i, len - i) == NULL)
		return (1);
	if (year < DATE_YEAR_MIN || mday < 1 ||
	    mday > date_days_in_month(year, m->value + 1) || hh > 23 ||
	    mm > 59 || ss > 59)
		return (1);
	*t = date_days_from_civil(year, m->value + 1, mday) * 86400 +
	    hh * 3600 + mm * 60 + ss - off;
	return (0);
}

/*
 * RFC 822 section 5 and RFC 2822 section 3.3 dates, and what feeds make of
 * them.  The text is rewritten token by token into "d Mon yyyy hh:mm:ss
 * zone", which curl_getdate reads; what it cannot see (a 31 February, a
 * result of -1) is checked here.
 */
static int
date_rfc822(const char *s, size_t len, int64_t *t)
{
	struct date_rfc822	r;
	size_t			i = 0;
	time_t			ct;
	int			c, rv;

	if (len > DATE_RFC822_MAX)
		return (-1);
	if (date_rfc822_plain(s, len, t) == 0)
		return (0);
	memset(&r, 0, sizeof(r));
	r.mday = r.mon = r.year = r.hour = r.min = r.sec = -1;

	while (i < len) {
		c = (unsigned char)s[i];
		if (c == '(') {
			if (date_rfc822_comment(s, len, &i) == -1)
				return (-1);
		} else if (c == '+' || c == '-') {
			if ((rv = date_rfc822_zone(&r, s, len, &i)) == -1)
				return (-1);
			if (rv == 0) {
				if (c == '+')
					return (-1);
				i++;
			}
		} else if (date_isdigit(c)) {
			/*
			 * A time is "h:" or "hh:"; "09/Jul/2024:06:26:00"
			 * (Common Log Format) has a colon after the year.
			 */
			size_t	j = i;

			while (j < len && date_isdigit((unsigned char)s[j]))
				j++;
			if (j - i <= 2 && j < len && s[j] == ':')
				rv = date_rfc822_time(&r, s, len, &i);
			else
				rv = date_rfc822_number(&r, s, len, &i);
			if (rv == -1)
				return (-1);
		} else if (date_isalpha(c)) {
			if (date_rfc822_word(&r, s, len, &i) == -1)
				return (-1);
		} else if (c == 0xc2 && i + 1 < len &&
		    (unsigned char)s[i + 1] == 0xa0)
			i += 2;	/* UTF-8 no-break space, from HTML */
		else if (c >= 0x80)
			return (-1);	/* "été" is not "t", the zone */
		else
			i++;	/* curl_getdate skips all other bytes too */
	}

	/* This also refuses text without digits, which curl may accept. */
	if (r.mday == -1 || r.mon == -1 || r.year == -1)
		return (-1);
	/* curl_getdate turns 31 February into 2 or 3 March. */
	if (r.mday > date_days_in_month(r.year, r.mon + 1))
		return (-1);

	/*
	 * The everyday case, a numeric or UTC zone and a plain time, needs
	 * no more parsing: computed here, it costs a tenth of what
	 * curl_getdate does (bench/parse).  Anything odder goes to curl.
	 */
	if ((r.numzone || r.utc) && r.hour >= 0 && r.hour <= 23 &&
	    r.min >= 0 && r.min <= 59 && r.sec <= 59 && r.year >= 1583) {
		*t = date_days_from_civil(r.year, r.mon + 1, r.mday) * 86400 +
		    r.hour * 3600 + r.min * 60 + (r.sec > 0 ? r.sec : 0) -
		    (r.numzone ? r.offset : 0);
		return (0);
	}
	if ((ct = curl_getdate(r.out, NULL)) == -1)
		return (-1);
	/*
	 * curl_getdate returns 0 for 1969-12-31T23:59:59Z, as -1 means
	 * failure.  Zones are whole minutes, so only that second leaves 59
	 * in the seconds and 0 in the result.
	 */
	if (ct == 0 && r.sec == 59)
		ct = -1;
	*t = (int64_t)ct;
	return (0);
}

/*
 * ISO 8601 forms beyond RFC 3339 that feeds use: a year alone ("2003"),
 * an ordinal date ("2003-335", with a time after it or not), the basic
 * format ("20031231T101455Z") and a two-digit year ("03-12-31", by the
 * RFC 2822 rule).  Each is rewritten into RFC 3339 and read by it.
 */
static int
date_iso_other(const char *s, size_t len, int64_t *t)
{
	char	buf[96];
	size_t	i = 0, n;
	int	y = 0, d = 0, m, hh = 0, mi = 0, ss = 0;

	for (n = 0; n < len && date_isdigit((unsigned char)s[n]); n++)
		;
	if (n == 4 && len == 4) {
		date_digits(s, len, &i, 4, &y);
		snprintf(buf, sizeof(buf), "%04d-01-01", y);
		return (date_rfc3339(buf, strlen(buf), t));
	}
	if (n == 4 && len >= 8 && s[4] == '-' &&
	    date_digits(s, len, &(size_t){ 5 }, 3, &d) == 0 &&
	    (len == 8 || !date_isdigit((unsigned char)s[8]))) {
		date_digits(s, len, &i, 4, &y);
		if (d < 1 || d > (date_is_leap(y) ? 366 : 365) ||
		    len - 8 >= sizeof(buf) - 12)
			return (-1);
		for (m = 1; d > date_days_in_month(y, m); m++)
			d -= date_days_in_month(y, m);
		snprintf(buf, sizeof(buf), "%04d-%02d-%02d%.*s", y, m, d,
		    (int)(len - 8), s + 8);
		return (date_rfc3339(buf, strlen(buf), t));
	}
	if (n == 8 && len >= 13 && (s[8] == 'T' || s[8] == 't') &&
	    date_digits(s, len, &(size_t){ 9 }, 2, &hh) == 0 &&
	    date_digits(s, len, &(size_t){ 11 }, 2, &mi) == 0 &&
	    len - 13 < sizeof(buf) - 24) {
		i = 13;
		if (len >= 15 && date_digits(s, len, &i, 2, &ss) != 0)
			i = 13;
		snprintf(buf, sizeof(buf), "%.4s-%.2s-%.2sT%02d:%02d:%02d%.*s",
		    s, s + 4, s + 6, hh, mi, ss, (int)(len - i), s + i);
		return (date_rfc3339(buf, strlen(buf), t));
	}
	if (n == 2 && len >= 8 && s[2] == '-' && date_isdigit(
	    (unsigned char)s[3]) && date_isdigit((unsigned char)s[4]) &&
	    s[5] == '-' && len < sizeof(buf) - 2) {
		date_digits(s, len, &i, 2, &y);
		y += y < 50 ? 2000 : 1900;
		snprintf(buf, sizeof(buf), "%04d%.*s", y, (int)(len - 2),
		    s + 2);
		return (date_rfc3339(buf, strlen(buf), t));
	}
	return (1);	/* not one of these: let RFC 822 try */
}

/*
 * Feed dates: a year before 1900 or from 2200 on is a typo or a
 * placeholder, not when something was published.
 */
#define DATE_FEED_MIN	INT64_C(-2208988800)	/* 1900-01-01T00:00:00Z */
#define DATE_FEED_MAX	INT64_C(7258118400)	/* 2200-01-01T00:00:00Z */

int
date_parse(const char *s, int64_t *t)
{
	size_t	len;
	int64_t	v;
	int	rv;

	if (s == NULL || t == NULL)
		return (-1);
	date_trim(&s, &len);
	if (date_starts_iso(s, len)) {
		if ((rv = date_rfc3339(s, len, &v)) != 0)
			rv = date_iso_other(s, len, &v) == 0 ? 0 : -1;
	} else if ((rv = date_iso_other(s, len, &v)) == 1)
		rv = date_rfc822(s, len, &v);
	if (rv != 0 || v < DATE_FEED_MIN || v >= DATE_FEED_MAX)
		return (-1);
	*t = v;
	return (0);
}

int
date_parse_rfc822(const char *s, int64_t *t)
{
	size_t	len;

	if (s == NULL || t == NULL)
		return (-1);
	date_trim(&s, &len);
	return (date_rfc822(s, len, t));
}

int
date_parse_rfc3339(const char *s, int64_t *t)
{
	size_t	len;

	if (s == NULL || t == NULL)
		return (-1);
	date_trim(&s, &len);
	return (date_rfc3339(s, len, t));
}

static void
date_put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/* "2024-07-09T00:56:00Z": RFC 3339 5.6 in UTC, without a fraction. */
char *
date_format_rfc3339(int64_t t, char *buf, size_t len)
{
	struct tm	tm;
	time_t		tt = (time_t)t;
	long long	year;
	int		n;

	if (buf == NULL || len == 0)
		return (NULL);
	buf[0] = '\0';
	if ((int64_t)tt != t || gmtime_r(&tt, &tm) == NULL)
		return (NULL);
	/* tm_year + 1900 can overflow an int near the end of time_t. */
	year = (long long)tm.tm_year + 1900;
	/* Every feed's year, by hand: "feedctl parse" formats each date. */
	if (year >= 0 && year <= 9999 && len >= DATE_RFC3339_LEN &&
	    DATE_RFC3339_LEN >= 21) {
		date_put2(buf, (int)(year / 100));
		date_put2(buf + 2, (int)(year % 100));
		buf[4] = '-';
		date_put2(buf + 5, tm.tm_mon + 1);
		buf[7] = '-';
		date_put2(buf + 8, tm.tm_mday);
		buf[10] = 'T';
		date_put2(buf + 11, tm.tm_hour);
		buf[13] = ':';
		date_put2(buf + 14, tm.tm_min);
		buf[16] = ':';
		date_put2(buf + 17, tm.tm_sec);
		buf[19] = 'Z';
		buf[20] = '\0';
		return (buf);
	}
	n = snprintf(buf, len, "%s%04lld-%02d-%02dT%02d:%02d:%02dZ",
	    year < 0 ? "-" : "", year < 0 ? -year : year, tm.tm_mon + 1,
	    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (n < 0 || (size_t)n >= len) {
		buf[0] = '\0';
		return (NULL);
	}
	return (buf);
}

/* a / unit, rounded to the nearest, with no overflow near UINT64_MAX. */
static uint64_t
date_round(uint64_t a, uint64_t unit)
{
	return (a / unit + (a % unit >= unit / 2));
}

/*
 * "5m ago", "in 2h", "now": how far t is from now, in the largest unit
 * (s, m, h, d) it reaches, rounded to the nearest one ("1h" up to 1h29m,
 * "2h" from 1h30m).  Always writes buf; returns it.
 */
char *
date_relative(int64_t t, int64_t now, char *buf, size_t len)
{
	uint64_t	 a, n;
	const char	*unit = "s";

	if (len == 0)
		return (buf);
	if (t == now) {
		snprintf(buf, len, "now");
		return (buf);
	}
	a = t < now ? (uint64_t)now - (uint64_t)t : (uint64_t)t -
	    (uint64_t)now;
	n = a;
	if (a >= 60 && (n = date_round(a, 60)) < 60)
		unit = "m";
	else if (a >= 60 && (n = date_round(a, 3600)) < 24)
		unit = "h";
	else if (a >= 60) {
		n = date_round(a, 86400);
		unit = "d";
	}
	snprintf(buf, len, t < now ? "%llu%s ago" : "in %llu%s",
	    (unsigned long long)n, unit);
	return (buf);
}
