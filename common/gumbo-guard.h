/*
 * gumbo-guard.h: gumbo's parse of feed content, with its memory in one
 * arena freed at once, and its failed assertions survived.  Debian's
 * libgumbo is built with its assert()s, and feed content reaches some of
 * them (MathML or SVG text inside a table: a 36-byte item aborted feedd
 * at every poll of its feed).  A parse that fails one gives NULL, and the
 * program goes on.
 */
#ifndef FEEDD_GUMBO_GUARD_H
#define FEEDD_GUMBO_GUARD_H

#include <stddef.h>

#include <gumbo.h>

struct gumbo_arena {
	char	**blocks;
	size_t	  nblocks;
	char	 *cur;
	size_t	  left;
};

GumboOutput	*gumbo_guard_parse(struct gumbo_arena *, const char *, size_t);
void		 gumbo_guard_done(struct gumbo_arena *);

#endif /* FEEDD_GUMBO_GUARD_H */
