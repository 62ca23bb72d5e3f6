/*
 * gumbo-guard.h: gumbo's parse of feed content, with its memory in one
 * arena freed at once, its failed assertions survived, and its time and
 * memory bounded.  Debian's libgumbo is built with its assert()s, and
 * feed content reaches some of them (MathML or SVG text inside a table:
 * a 36-byte item aborted feedd at every poll of its feed).  Its tree
 * construction scans the stack of open elements for nearly every tag,
 * so markup nested a hundred thousand deep held the thread for minutes,
 * and gumbo has no limit of its own.  A parse that fails an assertion or
 * passes its budget gives NULL, and the program goes on.
 */
#ifndef FEEDD_GUMBO_GUARD_H
#define FEEDD_GUMBO_GUARD_H

#include <stddef.h>

#include <gumbo.h>

enum gumbo_guard_fail {
	GUMBO_GUARD_OK = 0,
	GUMBO_GUARD_ASSERT,	/* gumbo failed one of its assertions */
	GUMBO_GUARD_CPU,	/* past its CPU time */
	GUMBO_GUARD_MEMORY	/* past its memory */
};

struct gumbo_arena {
	char		**blocks;
	size_t		  nblocks;
	char		 *cur;
	size_t		  left;
	size_t		  used, max_used;	/* bytes */
	unsigned	  calls;
	long long	  cpu_limit;	/* the thread's CPU clock, ns */
	enum gumbo_guard_fail fail;	/* why gumbo_guard_parse() gave NULL */
};

GumboOutput	*gumbo_guard_parse(struct gumbo_arena *, const char *, size_t);
void		 gumbo_guard_done(struct gumbo_arena *);

#endif /* FEEDD_GUMBO_GUARD_H */
