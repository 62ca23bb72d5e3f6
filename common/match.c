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
#include <string.h>

#include "match.h"

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
