/*
 * test_log.c: what the log writes of text from outside.  A CR or LF from
 * a feed URL or title started a line of its own ("<0>FORGED" is an
 * emergency under journald); ESC drove the reader's terminal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"

/* What one log_warnx() call wrote to stderr. */
static char *
logged(const char *arg)
{
	static char	 out[8192];
	char		 path[] = "/tmp/feedd-test-log-XXXXXX";
	FILE		*f;
	size_t		 n;
	int		 fd, saved;

	assert_true((fd = mkstemp(path)) != -1);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	log_warnx("poll: %s: gone", arg);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
	assert_non_null(f = fopen(path, "r"));
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	unlink(path);
	return (out);
}

static void
test_log_escapes_controls(void **state)
{
	log_init("feedd", LOG_LEVEL_WARN);
	assert_string_equal(logged("http://x.example/a\r\n<0>FORGED"),
	    "<4>poll: http://x.example/a\\x0d\\x0a<0>FORGED: gone\n");
	assert_string_equal(logged("\x1b]0;owned\x07\x1b[2J\x7f\t"),
	    "<4>poll: \\x1b]0;owned\\x07\\x1b[2J\\x7f\\x09: gone\n");
	/* UTF-8 stays as it is. */
	assert_string_equal(logged("Séoul — 서울"),
	    "<4>poll: Séoul — 서울: gone\n");
}

/* A line of nothing but controls still fits, whole or cut, never torn. */
static void
test_log_long_line(void **state)
{
	char	 arg[2000];
	char	*out;

	memset(arg, '\n', sizeof(arg) - 1);
	arg[sizeof(arg) - 1] = '\0';
	log_init("feedd", LOG_LEVEL_WARN);
	out = logged(arg);
	assert_int_equal(strchr(out, '\n') - out, (long)strlen(out) - 1);
	assert_non_null(strstr(out, "\\x0a\\x0a"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_escapes_controls),
		cmocka_unit_test(test_log_long_line),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
