/*
 * test_term.c: feedctl's output filter.  Controls, C1 and BiDi marks
 * leave as \uXXXX wherever they sit in a write (the word-at-a-time scan
 * over plain ASCII must not step over one) and whatever the writes'
 * sizes (a character cut between two writes is carried over); the rest
 * passes byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "term.h"

/* "in" through the filter, written in pieces of "chunk" bytes. */
static char *
filtered(const char *in, size_t len, size_t chunk, int flags)
{
	char	*out = NULL;
	size_t	 outlen = 0, i, n;
	FILE	*mem, *w;

	assert_non_null(mem = open_memstream(&out, &outlen));
	assert_non_null(w = term_wrap(mem, flags));
	setvbuf(w, NULL, _IONBF, 0);	/* each fwrite is one write */
	for (i = 0; i < len; i += n) {
		n = len - i < chunk ? len - i : chunk;
		assert_int_equal(fwrite(in + i, 1, n, w), n);
	}
	assert_int_equal(fclose(w), 0);
	fclose(mem);
	return (out);
}

/* Every bad character at every offset of a long plain line. */
static void
test_term_bad_anywhere(void **state)
{
	static const struct {
		const char	*bytes;
		const char	*escaped;
	} bad[] = {
		{ "\x1b", "\\u001b" },
		{ "\x7f", "\\u007f" },
		{ "\x01", "\\u0001" },
		{ "\r", "\\u000d" },
		{ "\xc2\x9b", "\\u009b" },
		{ "\xe2\x80\xae", "\\u202e" },
		{ "\xe2\x81\xa6", "\\u2066" },
	};
	char		 in[128], want[160], *out;
	size_t		 b, at, chunk, blen;

	for (b = 0; b < sizeof(bad) / sizeof(*bad); b++) {
		blen = strlen(bad[b].bytes);
		for (at = 0; at + blen <= 40; at++) {
			memset(in, 'a', 40);
			memcpy(in + at, bad[b].bytes, blen);
			in[40] = '\0';
			snprintf(want, sizeof(want), "%.*s%s%s", (int)at, in,
			    bad[b].escaped, in + at + blen);
			for (chunk = 1; chunk <= 41; chunk += 4) {
				out = filtered(in, 40, chunk, 0);
				assert_string_equal(out, want);
				free(out);
			}
		}
	}
}

/* What may pass passes unchanged, however it is cut. */
static void
test_term_passes(void **state)
{
	const char	*in = "plain ASCII, then caf\xc3\xa9 \xe2\x80\x94 "
			    "\xe6\x9d\xb1 \xf0\x9f\x98\x80, a tab\tand a line\n"
			    "end; \xc2\xa0 and \xe2\x80\x99 are fine.\n";
	char		*out;
	size_t		 chunk;

	for (chunk = 1; chunk <= strlen(in); chunk++) {
		out = filtered(in, strlen(in), chunk, 0);
		/* The TAB is a control: it leaves escaped. */
		assert_non_null(strstr(out, "a tab\\u0009and"));
		assert_non_null(strstr(out, "caf\xc3\xa9 \xe2\x80\x94 "
		    "\xe6\x9d\xb1 \xf0\x9f\x98\x80"));
		assert_non_null(strstr(out, "end; \xc2\xa0 and \xe2\x80\x99 "
		    "are fine.\n"));
		free(out);
	}
	/* A carriage return passes where progress lines need it. */
	out = filtered("50%\r60%\n", 8, 3, TERM_CR);
	assert_string_equal(out, "50%\r60%\n");
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_term_bad_anywhere),
		cmocka_unit_test(test_term_passes),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
