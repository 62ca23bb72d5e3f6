/*
 * match.c: a notifier's "match" expression in PCRE2, compiled once with
 * its limits and run with them (see match.h).
 *
 * Only the length and nesting of a pattern are limited when it is
 * compiled: PCRE2 refuses what would compile too large in its own words,
 * and what a pattern costs on a text is bounded when it runs, whatever the
 * pattern is ("(.*a){20}x" backtracks until a limit, then stops).
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "match.h"
#include "xmalloc.h"

struct match {
	pcre2_code		*code;
	pcre2_match_context	*mctx;
};

struct match *
match_new(const char *pattern, char **cause)
{
	struct match		*m;
	pcre2_compile_context	*cctx;
	PCRE2_UCHAR		 msg[256];
	PCRE2_SIZE		 off;
	int			 error;

	if (strlen(pattern) > MATCH_MAX_LEN) {
		xasprintf(cause, "longer than %d bytes", MATCH_MAX_LEN);
		return (NULL);
	}
	if ((cctx = pcre2_compile_context_create(NULL)) == NULL)
		fatalx("out of memory");
	pcre2_set_parens_nest_limit(cctx, MATCH_MAX_NEST);
	m = xcalloc(1, sizeof(*m));
	/*
	 * Case-insensitive as the filter always was; the text may be any
	 * bytes, so invalid UTF-8 in it never matches rather than failing
	 * the whole call; \C could split a character and is refused.
	 */
	m->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF |
	    PCRE2_NEVER_BACKSLASH_C | PCRE2_AUTO_CALLOUT, &error, &off, cctx);
	pcre2_compile_context_free(cctx);
	if (m->code == NULL) {
		if (pcre2_get_error_message(error, msg, sizeof(msg)) < 0)
			snprintf((char *)msg, sizeof(msg), "invalid");
		xasprintf(cause, "%s at offset %zu", (char *)msg, (size_t)off);
		free(m);
		return (NULL);
	}
	/* Without JIT (not built for this CPU) the interpreter runs it. */
	(void)pcre2_jit_compile(m->code, PCRE2_JIT_COMPLETE);
	if ((m->mctx = pcre2_match_context_create(NULL)) == NULL)
		fatalx("out of memory");
	pcre2_set_match_limit(m->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(m->mctx, MATCH_DEPTH);
	pcre2_set_heap_limit(m->mctx, MATCH_HEAP);
	return (m);
}

/* Each item of the pattern tried: the whole call's budget (match.h). */
static int
match_step_cb(pcre2_callout_block *cb, void *arg)
{
	unsigned long	*left = arg;

	if (*left == 0)
		return (PCRE2_ERROR_MATCHLIMIT);
	(*left)--;
	return (0);
}

/* 1: the text matches; 0: it does not; -1: a limit was hit first. */
int
match_text(const struct match *m, const char *text, size_t len)
{
	pcre2_match_context	*mctx;
	pcre2_match_data	*md;
	unsigned long		 left = MATCH_STEPS;
	int			 rc;

	/*
	 * The start of a long text is what a filter is for (the title,
	 * the first paragraphs); a cut inside a UTF-8 sequence only makes
	 * that last character invalid, which PCRE2_MATCH_INVALID_UTF skips.
	 */
	if (len > MATCH_MAX_TEXT)
		len = MATCH_MAX_TEXT;
	/* The budget is this call's: a context of its own, for threads. */
	if ((mctx = pcre2_match_context_copy(m->mctx)) == NULL ||
	    (md = pcre2_match_data_create(1, NULL)) == NULL)
		fatalx("out of memory");
	pcre2_set_callout(mctx, match_step_cb, &left);
	rc = pcre2_match(m->code, (PCRE2_SPTR)text, len, 0, 0, md, mctx);
	pcre2_match_data_free(md);
	pcre2_match_context_free(mctx);
	if (rc >= 0)
		return (1);
	if (rc == PCRE2_ERROR_NOMATCH)
		return (0);
	/* The limits, and JIT's stack, the only other ways a match fails. */
	return (-1);
}

void
match_free(struct match *m)
{
	if (m == NULL)
		return;
	pcre2_match_context_free(m->mctx);
	pcre2_code_free(m->code);
	free(m);
}
