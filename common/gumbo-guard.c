/*
 * gumbo-guard.c: the arena, and __assert_fail() for the whole program:
 * glibc's behaviour, unless a guarded parse is under way on the calling
 * thread; then it jumps back out of gumbo to gumbo_guard_parse().
 * libgumbo's references to __assert_fail bind to this definition, since
 * the executable's symbols come first.  The arena's allocator jumps out
 * the same way when the parse has used up its CPU time or memory: gumbo
 * allocates for nearly every token, so it is reached often enough.
 * gumbo keeps no state outside the parse, and all it allocated is in the
 * arena, freed as a whole: leaving it half-way leaks nothing.
 */
#include <assert.h>
#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gumbo-guard.h"
#include "xmalloc.h"

/*
 * The parser makes a small allocation per node, attribute and string;
 * freeing them one by one walked the tree a second time.
 */
#define GUMBO_ARENA_BLOCK	(64 * 1024)

/*
 * The budget of a parse.  gumbo reads ordinary HTML at about 40 ms a MB
 * and allocates 8 bytes for each byte it reads; the budget is 25 and 8
 * times that, plus room for small input, so content that passes it is
 * nesting built to be expensive.  The clock is the thread's own CPU
 * time, so a busy machine does not cut ordinary content short; it is
 * read once every GUMBO_CHECK_EVERY allocations.
 */
#define GUMBO_CPU_BASE_NS	(100LL * 1000 * 1000)
#define GUMBO_CPU_NS_PER_BYTE	1000LL
#define GUMBO_MEM_BASE		((size_t)64 * 1024 * 1024)
#define GUMBO_MEM_PER_BYTE	64
#define GUMBO_CHECK_EVERY	128

static _Thread_local jmp_buf		*gumbo_guard_jb;
static _Thread_local struct gumbo_arena	*gumbo_guard_arena;

void
__assert_fail(const char *assertion, const char *file, unsigned int line,
    const char *function)
{
	if (gumbo_guard_jb != NULL) {
		gumbo_guard_arena->fail = GUMBO_GUARD_ASSERT;
		longjmp(*gumbo_guard_jb, 1);
	}
	fprintf(stderr, "%s: %s:%u: %s: Assertion `%s' failed.\n",
	    program_invocation_short_name, file, line,
	    function != NULL ? function : "?", assertion);
	abort();
}

static long long
gumbo_cpu_ns(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		return (0);
	return ((long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
}

static void *
gumbo_arena_alloc(void *arg, size_t size)
{
	struct gumbo_arena	*a = arg;
	size_t			 bs;
	void			*p;

	size = (size + 15) & ~(size_t)15;
	a->used += size;
	if (a->used > a->max_used) {
		a->fail = GUMBO_GUARD_MEMORY;
		longjmp(*gumbo_guard_jb, 1);
	}
	if (++a->calls % GUMBO_CHECK_EVERY == 0 &&
	    gumbo_cpu_ns() > a->cpu_limit) {
		a->fail = GUMBO_GUARD_CPU;
		longjmp(*gumbo_guard_jb, 1);
	}
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
 * of its assertions on this input, or passed its budget ("a->fail").
 */
GumboOutput *
gumbo_guard_parse(struct gumbo_arena *a, const char *s, size_t len)
{
	GumboOptions		 o = kGumboDefaultOptions;
	GumboOutput		*out;
	jmp_buf			 jb;

	memset(a, 0, sizeof(*a));
	a->max_used = len > (SIZE_MAX - GUMBO_MEM_BASE) / GUMBO_MEM_PER_BYTE ?
	    SIZE_MAX : GUMBO_MEM_BASE + len * GUMBO_MEM_PER_BYTE;
	a->cpu_limit = gumbo_cpu_ns() + GUMBO_CPU_BASE_NS +
	    (long long)(len < 1000000000 ? len : 1000000000) *
	    GUMBO_CPU_NS_PER_BYTE;
	o.allocator = gumbo_arena_alloc;
	o.deallocator = gumbo_arena_free;
	o.userdata = a;
	o.max_errors = 0;	/* the error list is never read */
	if (setjmp(jb) != 0) {
		gumbo_guard_jb = NULL;
		gumbo_guard_arena = NULL;
		return (NULL);
	}
	gumbo_guard_arena = a;
	gumbo_guard_jb = &jb;
	out = gumbo_parse_with_options(&o, s, len);
	gumbo_guard_jb = NULL;
	gumbo_guard_arena = NULL;
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
