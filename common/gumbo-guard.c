/*
 * gumbo-guard.c: the arena, and __assert_fail() for the whole program:
 * glibc's behaviour, unless a guarded parse is under way on the calling
 * thread; then it jumps back out of gumbo to gumbo_guard_parse().
 * libgumbo's references to __assert_fail bind to this definition, since
 * the executable's symbols come first.  gumbo keeps no state outside the
 * parse, and all it allocated is in the arena, freed as a whole: leaving
 * it half-way leaks nothing.
 */
#include <assert.h>
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gumbo-guard.h"
#include "xmalloc.h"

/*
 * The parser makes a small allocation per node, attribute and string;
 * freeing them one by one walked the tree a second time.
 */
#define GUMBO_ARENA_BLOCK	(64 * 1024)

static _Thread_local jmp_buf	*gumbo_guard_jb;

void
__assert_fail(const char *assertion, const char *file, unsigned int line,
    const char *function)
{
	if (gumbo_guard_jb != NULL)
		longjmp(*gumbo_guard_jb, 1);
	fprintf(stderr, "%s: %s:%u: %s: Assertion `%s' failed.\n",
	    program_invocation_short_name, file, line,
	    function != NULL ? function : "?", assertion);
	abort();
}

static void *
gumbo_arena_alloc(void *arg, size_t size)
{
	struct gumbo_arena	*a = arg;
	size_t			 bs;
	void			*p;

	size = (size + 15) & ~(size_t)15;
	if (size > a->left) {
		bs = size > GUMBO_ARENA_BLOCK ? size : GUMBO_ARENA_BLOCK;
		a->blocks = xreallocarray(a->blocks, a->nblocks + 1,
		    sizeof(*a->blocks));
		a->cur = a->blocks[a->nblocks++] = xmalloc(bs);
		a->left = bs;
	}
	p = a->cur;
	a->cur += size;
	a->left -= size;
	return (p);
}

static void
gumbo_arena_free(void *arg, void *p)
{
	/* Everything goes with the arena. */
}

/*
 * Parses "s" into a tree that lives in "a" until gumbo_guard_done(),
 * which the caller runs whatever this returned.  NULL: gumbo failed one
 * of its assertions on this input.
 */
GumboOutput *
gumbo_guard_parse(struct gumbo_arena *a, const char *s, size_t len)
{
	GumboOptions		 o = kGumboDefaultOptions;
	GumboOutput		*out;
	jmp_buf			 jb;

	memset(a, 0, sizeof(*a));
	o.allocator = gumbo_arena_alloc;
	o.deallocator = gumbo_arena_free;
	o.userdata = a;
	o.max_errors = 0;	/* the error list is never read */
	if (setjmp(jb) != 0) {
		gumbo_guard_jb = NULL;
		return (NULL);
	}
	gumbo_guard_jb = &jb;
	out = gumbo_parse_with_options(&o, s, len);
	gumbo_guard_jb = NULL;
	return (out);
}

void
gumbo_guard_done(struct gumbo_arena *a)
{
	size_t	i;

	for (i = 0; i < a->nblocks; i++)
		free(a->blocks[i]);
	free(a->blocks);
	memset(a, 0, sizeof(*a));
}
