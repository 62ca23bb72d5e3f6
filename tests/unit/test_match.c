/*
 * test_match.c: notifier expressions (match.h): what they match, and that
 * a pattern whose backtracking explodes on a text returns, with -1 when a
 * limit stopped it.  The pathological cases are those an attack run used:
 * with glibc's regexec() "korea.*vote" on 1 MB kept the writer busy for
 * 95 s.  No timing is asserted; the budget makes each call return.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "match.h"
#include "xmalloc.h"

#define MEGA	(1024 * 1024)

static void	test_match_semantics(void **);
static void	test_match_invalid_utf8(void **);
static void	test_match_text_cap(void **);
static void	test_match_pathological(void **);
static void	test_match_threads(void **);
static void	test_match_errors(void **);

static struct match *
compile(const char *re)
{
	struct match	*m;
	char		*cause = NULL;

	m = match_new(re, &cause);
	if (m == NULL)
		fail_msg("%s: %s", re, cause);
	return (m);
}

static int
run(const char *re, const char *text)
{
	struct match	*m = compile(re);
	int		 rc;

	rc = match_text(m, text, strlen(text));
	match_free(m);
	return (rc);
}

/* "unit" repeated to len bytes, then "tail". */
static char *
repeat(const char *unit, size_t len, const char *tail)
{
	size_t	 ul = strlen(unit), tl = strlen(tail), i;
	char	*s = xmalloc(len + tl + 1);

	for (i = 0; i < len; i++)
		s[i] = unit[i % ul];
	memcpy(s + len, tail, tl + 1);
	return (s);
}

static void
test_match_semantics(void **state)
{
	/* Case-insensitive, as the POSIX filter was, Unicode too. */
	assert_int_equal(run("korea|seoul", "News from SEOUL today"), 1);
	assert_int_equal(run("korea|seoul", "News from Tokyo"), 0);
	assert_int_equal(run("^(north|south) korea[[:space:]]+",
	    "South Korea\tvotes"), 1);
	assert_int_equal(run("^(north|south) korea[[:space:]]+",
	    "the South Korea vote"), 0);
	assert_int_equal(run("straße", "STRASSE"), 0);
	assert_int_equal(run("éLYSÉE", "L'Élysée dit"), 1);
	assert_int_equal(run("^.{3}$", "été"), 1);
	assert_int_equal(run("cve-[0-9]{4}-[0-9]{4,7}", "CVE-2024-12345"), 1);
	assert_int_equal(run("\\bgo\\b", "going"), 0);
	assert_int_equal(run("(a|b)*\\1c", "ababbc"), 1);
	assert_int_equal(run("", "anything"), 1);
}

/* Text is any bytes: invalid UTF-8 never matches, nor fails the call. */
static void
test_match_invalid_utf8(void **state)
{
	assert_int_equal(run("news", "bad \xff\xfe bytes, news"), 1);
	assert_int_equal(run("bad.bytes", "bad\xff" "bytes"), 0);
	assert_int_equal(run("x", "\xc3"), 0);
}

/* Only the first MATCH_MAX_TEXT bytes are looked at. */
static void
test_match_text_cap(void **state)
{
	char	*s;

	s = repeat("plain text ", MATCH_MAX_TEXT - 6, "korea");
	assert_int_equal(run("korea", s), 1);
	free(s);
	s = repeat("plain text ", MATCH_MAX_TEXT, "korea");
	assert_int_equal(run("korea", s), 0);
	free(s);
	/* A cut inside a character: the rest still matches. */
	s = repeat("x", MATCH_MAX_TEXT - 1, "é");
	assert_int_equal(run("^x+", s), 1);
	free(s);
}

/*
 * Each returns; those that explode say so.  Without the budget over the
 * whole call (PCRE2's own limit restarts at each start position) the
 * first two run for seconds, and regexec() ran for minutes.
 */
static void
test_match_pathological(void **state)
{
	char	*s;

	s = repeat("korea vot ", MEGA, "");
	assert_int_equal(run("korea.*vote", s), -1);
	free(s);
	s = repeat("aaaaaaaaaaaaaaab", MEGA, "");
	assert_int_equal(run("(a+)+$", s), -1);
	free(s);
	s = repeat("a", MEGA, "");
	s[0] = 'x';
	assert_int_equal(run("(.*a){20}x", s), -1);
	assert_int_equal(run("^xa+$", s), 1);
	/* 64 K iterations of a group: its backtracking memory runs out. */
	assert_int_equal(run("(a|aa)+$", s), -1);
	free(s);
	/* Nested repetitions compile small and return too. */
	s = repeat("x", 40, "zy");
	assert_int_equal(run("(x+x+)+y", s), -1);
	assert_int_equal(run("((((((((((((x+)+)+)+)+)+)+)+)+)+)+)+)+y", s),
	    -1);
	free(s);
	/*
	 * The attack run's text: quadratic in its length, so a limit; a
	 * text with the word, and a cheap pattern, get a plain answer.
	 */
	s = repeat("korea seoul news ", MEGA, "");
	assert_int_equal(run("korea.*vote", s), -1);
	assert_int_equal(run("seoul news", s), 1);
	assert_int_equal(run("zzz", s), 0);
	memcpy(s + MEGA / 64, "vote", 4);
	assert_int_equal(run("korea.*vote", s), 1);
	free(s);
}

struct worker {
	const struct match	*m;
	const char		*text;
	int			 rc[50];
};

static void *
worker(void *arg)
{
	struct worker	*w = arg;
	size_t		 i;

	for (i = 0; i < 50; i++)
		w->rc[i] = match_text(w->m, w->text, strlen(w->text));
	return (NULL);
}

/* One compiled pattern, several threads: each call has its own budget. */
static void
test_match_threads(void **state)
{
	struct match	*m = compile("(x+x+)+y|hit");
	struct worker	 w[4];
	pthread_t	 t[4];
	char		*slow = repeat("x", 30, "zy");
	size_t		 i, k;

	for (i = 0; i < 4; i++) {
		w[i].m = m;
		w[i].text = (i % 2) ? slow : "a hit";
		assert_int_equal(pthread_create(&t[i], NULL, worker, &w[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		for (k = 0; k < 50; k++)
			assert_int_equal(w[i].rc[k], (i % 2) ? -1 : 1);
	}
	free(slow);
	match_free(m);
}

static void
test_match_errors(void **state)
{
	char	*cause = NULL;

	assert_null(match_new("(korea", &cause));
	assert_string_equal(cause, "missing closing parenthesis at offset 6");
	free(cause);
	assert_null(match_new("[z-a]", &cause));
	assert_string_equal(cause, "range out of order in character class "
	    "at offset 3");
	free(cause);
	match_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_semantics),
		cmocka_unit_test(test_match_invalid_utf8),
		cmocka_unit_test(test_match_text_cap),
		cmocka_unit_test(test_match_pathological),
		cmocka_unit_test(test_match_threads),
		cmocka_unit_test(test_match_errors),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
