/*
 * match.h: the regular expression of a notifier's "match" filter.  It is
 * written by the administrator but runs on every item of every feed, on
 * the writer thread, so it is compiled with limits: glibc's regcomp()
 * copies a subexpression once per repetition ("a+" is "aa*", "x{9}" is
 * nine x), so nested repetitions need memory exponential in the pattern's
 * length ("(a+)+" ... gigabytes from 100 bytes), and a back-reference
 * makes matching exponential in the item's length.  Operators in a row
 * (POSIX leaves "a?+" undefined) after an anchor make its epsilon
 * closures exponential: "$y??+++++r" ran for minutes.
 */
#ifndef FEEDD_MATCH_H
#define FEEDD_MATCH_H

#include <stddef.h>
#include <regex.h>

#define MATCH_MAX_LEN	1024	/* bytes of pattern */
#define MATCH_MAX_SIZE	2000	/* atoms once repetitions are expanded */
#define MATCH_MAX_RUN	2	/* repetition operators in a row ("*?") */

int	match_compile(regex_t *, const char *, char *, size_t);

struct match;

struct match	*match_new(const char *, char **);
int		 match_text(const struct match *, const char *, size_t);
void		 match_free(struct match *);

#endif /* FEEDD_MATCH_H */
