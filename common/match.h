/*
 * match.h: a regular expression written by the administrator (a
 * notifier's "match" filter) that runs on every item of every feed, on the
 * writer thread, inside the poll's transaction.  Its cost must be bounded
 * whatever the pattern and the text: PCRE2 runs it with match, depth and
 * heap limits, on at most MATCH_MAX_TEXT bytes of the text; a match that
 * hits a limit is reported as such (-1), and callers count it as no match.
 *
 * PCRE2's own match limit counts from each start position anew, so
 * "(a+)+$" on 64 KiB of "aaa...ab" stays under it at every position and
 * runs for seconds in all; a callout at every item of the pattern counts
 * the whole call instead (MATCH_STEPS), which JIT runs as well.
 *
 * Patterns are PCRE2 syntax (a superset of POSIX extended for what people
 * write), UTF-8 and case-insensitive.  A compiled match is read-only: any
 * thread may run it, each call has its own match data.
 */
#ifndef FEEDD_MATCH_H
#define FEEDD_MATCH_H

#include <stddef.h>

#define MATCH_MAX_LEN	1024		/* bytes of pattern */
#define MATCH_MAX_NEST	32		/* nested parentheses */
#define MATCH_MAX_TEXT	(64 * 1024)	/* bytes of text looked at */
#define MATCH_STEPS	5000000		/* pattern items tried per call */
#define MATCH_LIMIT	1000000		/* backtracks from one start */
#define MATCH_DEPTH	10000		/* nested backtracking points */
#define MATCH_HEAP	4096		/* KiB of backtracking memory */

struct match;

struct match	*match_new(const char *, char **);
int		 match_text(const struct match *, const char *, size_t);
void		 match_free(struct match *);

#endif /* FEEDD_MATCH_H */
