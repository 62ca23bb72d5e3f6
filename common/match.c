/*
 * match.c: compile a notifier's "match" expression, POSIX extended and
 * case-insensitive, after checking it against the limits in match.h.
 *
 * The size check walks the pattern the way an ERE parser would, counting
 * atoms.  A group counts the sum of its alternatives; a repetition
 * multiplies what it applies to by its largest count (two at least), and
 * applies to the result of the one before it ("a++" is "(a+)+").  The
 * count is an upper bound of what regcomp() builds, not an exact figure;
 * what is not valid ERE is left for regcomp() to report in its own words.
 */
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH	8
#include <pcre2.h>

#include "log.h"
#include "match.h"
#include "xmalloc.h"

#define MATCH_MAX_DEPTH	32	/* nested groups */

struct match_group {
	size_t	alts;	/* atoms of the alternatives closed so far */
	size_t	cur;	/* atoms of the alternative being read */
	size_t	last;	/* atoms of the last piece, which a repetition takes */
};

/* The largest count of an interval at *pp ("{m}", "{m,}", "{m,n}"), or 0
 * when it is not one; *pp then points past it. */
/* A repetition count at *p, or -1 without one; *p moves past it. */
static long
match_count(const char **p)
{
	long	v = 0;

	if (**p < '0' || **p > '9')
		return (-1);
	/* Past RE_DUP_MAX the interval is regcomp()'s error to report. */
	while (**p >= '0' && **p <= '9' && v <= RE_DUP_MAX)
		v = v * 10 + (*(*p)++ - '0');
	return (v);
}

static size_t
match_interval(const char **pp)
{
	const char	*p = *pp + 1;
	long		 m, n;

	if ((m = match_count(&p)) == -1)
		return (0);
	n = m;
	if (*p == ',') {
		p++;
		if (*p == '}')
			n = m + 1;	/* "{m,}": m copies and a star */
		else if ((n = match_count(&p)) == -1)
			return (0);
	}
	if (*p != '}')
		return (0);
	*pp = p;
	return ((size_t)(n > m ? n : m));
}

/* Past a bracket expression starting at p ("[" ... "]"), or NULL when it
 * does not end. */
static const char *
match_bracket(const char *p)
{
	char	close;

	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	for (; *p != '\0' && *p != ']'; p++) {
		if (*p == '[' && (p[1] == ':' || p[1] == '=' || p[1] == '.')) {
			close = p[1];
			for (p += 2; *p != '\0' &&
			    !(p[0] == close && p[1] == ']'); p++)
				;
			if (*p == '\0')
				return (NULL);
			p++;
		}
	}
	return (*p == ']' ? p : NULL);
}

static int
match_check(const char *re, char *err, size_t errlen)
{
	struct match_group	 g[MATCH_MAX_DEPTH + 1], *top = g;
	const char		*p;
	size_t			 atom, times, size, run = 0, maxrun = 0;

	if (strlen(re) > MATCH_MAX_LEN) {
		snprintf(err, errlen, "longer than %d bytes", MATCH_MAX_LEN);
		return (-1);
	}
	memset(top, 0, sizeof(*top));
	for (p = re; *p != '\0'; p++) {
		times = 0;
		atom = 1;
		switch (*p) {
		case '\\':
			if (p[1] >= '1' && p[1] <= '9') {
				snprintf(err, errlen, "back-references (\\%c) "
				    "are not supported", p[1]);
				return (-1);
			}
			if (p[1] != '\0')
				p++;
			break;
		case '[':
			if ((p = match_bracket(p)) == NULL)
				return (0);	/* regcomp() says why */
			break;
		case '(':
			if (top == &g[MATCH_MAX_DEPTH]) {
				snprintf(err, errlen, "groups nested deeper "
				    "than %d", MATCH_MAX_DEPTH);
				return (-1);
			}
			memset(++top, 0, sizeof(*top));
			run = 0;
			continue;
		case ')':
			if (top == g)
				break;	/* an unmatched ")" is ordinary */
			atom = top->alts + top->cur + 1;
			top--;
			break;
		case '|':
			top->alts += top->cur;
			top->cur = top->last = 0;
			run = 0;
			continue;
		case '*':
		case '?':
		case '+':
			/*
			 * Counted as two copies although "*" and "?" make
			 * one: regcomp's epsilon closures are exponential in
			 * how deep optional pieces nest ("a??????..." ran
			 * for 100 s with 40 of them), so nesting must stay
			 * shallow too.
			 */
			times = 2;
			break;
		case '{':
			times = match_interval(&p);
			break;
		}
		run = times > 0 ? run + 1 : 0;
		if (run > maxrun)
			maxrun = run;
		if (times > 0) {
			/* A repetition of the last piece, plus its own node. */
			top->cur -= top->last;
			top->last = top->last * times + 1;
			top->cur += top->last;
		} else {
			top->last = atom;
			top->cur += atom;
		}
		if (top->alts + top->cur > MATCH_MAX_SIZE)
			goto big;
	}
	for (size = 0; top >= g; top--)
		size += top->alts + top->cur;
	if (size > MATCH_MAX_SIZE)
		goto big;
	if (maxrun > MATCH_MAX_RUN) {
		snprintf(err, errlen, "more than %d repetition operators in a "
		    "row", MATCH_MAX_RUN);
		return (-1);
	}
	return (0);
big:
	snprintf(err, errlen, "too large once its repetitions are expanded "
	    "(more than %d atoms)", MATCH_MAX_SIZE);
	return (-1);
}

int
match_compile(regex_t *re, const char *pattern, char *err, size_t errlen)
{
	int	r;

	if (match_check(pattern, err, errlen) == -1)
		return (-1);
	r = regcomp(re, pattern, REG_EXTENDED | REG_ICASE | REG_NOSUB);
	if (r != 0) {
		regerror(r, re, err, errlen);
		return (-1);
	}
	return (0);
}

/*
 * The PCRE2 engine behind feeds' rules: match_new(), match_text(),
 * match_free().  Patterns are UTF-8, case-insensitive; a match gives up
 * (as no match) past its match and depth limits, so a pattern that
 * backtracks exponentially costs a bounded time per item.
 */

#define MATCH_PCRE_LIMIT	100000	/* backtracking steps per match */
#define MATCH_PCRE_DEPTH	1000	/* nested backtracking frames */

struct match {
	pcre2_code		*code;
	pcre2_match_context	*ctx;
};

struct match *
match_new(const char *pattern, char **cause)
{
	struct match	*m;
	PCRE2_UCHAR	 buf[256];
	PCRE2_SIZE	 off;
	int		 err;

	m = xcalloc(1, sizeof(*m));
	m->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF, &err, &off,
	    NULL);
	if (m->code == NULL) {
		pcre2_get_error_message(err, buf, sizeof(buf));
		xasprintf(cause, "at offset %zu: %s", (size_t)off, buf);
		free(m);
		return (NULL);
	}
	if ((m->ctx = pcre2_match_context_create(NULL)) == NULL)
		fatalx("match: out of memory");
	pcre2_set_match_limit(m->ctx, MATCH_PCRE_LIMIT);
	pcre2_set_depth_limit(m->ctx, MATCH_PCRE_DEPTH);
	return (m);
}

/* 1 match, 0 none, -1 a limit was hit (taken as no match). */
int
match_text(const struct match *m, const char *text, size_t len)
{
	pcre2_match_data	*md;
	int			 rc;

	if ((md = pcre2_match_data_create_from_pattern(m->code, NULL)) ==
	    NULL)
		fatalx("match: out of memory");
	rc = pcre2_match(m->code, (PCRE2_SPTR)text, len, 0, 0, md, m->ctx);
	pcre2_match_data_free(md);
	if (rc >= 0)
		return (1);
	if (rc == PCRE2_ERROR_NOMATCH)
		return (0);
	return (-1);
}

void
match_free(struct match *m)
{
	if (m == NULL)
		return;
	pcre2_match_context_free(m->ctx);
	pcre2_code_free(m->code);
	free(m);
}
