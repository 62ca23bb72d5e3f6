/*
 * test_mailaddr.c: a mail notifier's "from" and "to" read as RFC 5322
 * mailboxes (mailaddr.c): names unquoted, addresses out of their angle
 * brackets, lists split only at commas outside quotes and brackets, and
 * what would break a header refused with a reason.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mailaddr.h"

static void
parse_ok(const char *s, int flags, const char *name, const char *addr)
{
	struct mailaddr	 m;
	const char	*why = NULL;

	if (mailaddr_parse(s, strlen(s), flags, &m, &why) != 0)
		fail_msg("\"%s\": %s", s, why);
	if (name == NULL)
		assert_null(m.name);
	else
		assert_string_equal(m.name, name);
	assert_string_equal(m.addr, addr);
	mailaddr_clear(&m);
}

static void
parse_err(const char *s, int flags, const char *want)
{
	struct mailaddr	 m;
	const char	*why = NULL;

	if (mailaddr_parse(s, strlen(s), flags, &m, &why) == 0)
		fail_msg("\"%s\" parsed, wanted \"%s\"", s, want);
	assert_string_equal(why, want);
	assert_null(m.name);
	assert_null(m.addr);
}

static void
test_mailaddr_parse(void **state)
{
	parse_ok("bot@example.org", MAILADDR_DOMAIN, NULL, "bot@example.org");
	parse_ok("  <bot@example.org> ", MAILADDR_DOMAIN, NULL,
	    "bot@example.org");
	parse_ok("Feeds Bot <bot@example.org>", MAILADDR_DOMAIN, "Feeds Bot",
	    "bot@example.org");
	parse_ok("\"Bob, \\\"Jr.\\\" <x>\" <bob@example.org>", 0,
	    "Bob, \"Jr.\" <x>", "bob@example.org");
	parse_ok("Me \xc3\x9c <me@example.org>", 0, "Me \xc3\x9c",
	    "me@example.org");
	parse_ok("root", 0, NULL, "root");

	parse_err("root", MAILADDR_DOMAIN, "no @domain in the address");
	parse_err("", 0, "no address");
	parse_err("Feeds Bot <>", 0, "no address");
	parse_err("Feeds Bot bot@example.org", MAILADDR_DOMAIN, "a space or a "
	    "character an address cannot have (a display name goes before "
	    "the address in <>)");
	parse_err("Feeds Bot <bot@example.org", 0,
	    "no \">\" at the end of the address");
	parse_err("A <b@x> <c@x>", 0, "no \">\" at the end of the address");
	parse_err("\"Bob <bob@x>", 0, "an unterminated quote");
	parse_err("Bob, Jr. <bob@x>", 0, "a display name with \" , ; > or \\ "
	    "that is not quoted");
	parse_err("B\"o\"b <bob@x>", 0, "a display name with \" , ; > or \\ "
	    "that is not quoted");
	parse_err("Bob\r\nBcc: x@y <bob@x>", 0,
	    "a control character in the display name");
	parse_err("B\xff <bob@x>", 0, "a display name that is not UTF-8");
	parse_err("b@\xc3\xa4.example", 0, "a non-ASCII address (only a "
	    "display name may have other characters)");
	parse_err("@example.org", 0, "an empty part before or after the @");
	parse_err("a@b@example.org", 0, "a space or a character an address "
	    "cannot have (a display name goes before the address in <>)");
	parse_err("a@exa_mple.org", 0, "a domain that is not a host name");
}

static void
test_mailaddr_list(void **state)
{
	struct mailaddr	*v;
	size_t		 n;
	const char	*why = NULL;

	assert_int_equal(mailaddr_list("a@example.org, \"Bob, Jr.\" "
	    "<bob@example.org>,Me <me@x>", 0, &v, &n, &why), 0);
	assert_int_equal(n, 3);
	assert_null(v[0].name);
	assert_string_equal(v[0].addr, "a@example.org");
	assert_string_equal(v[1].name, "Bob, Jr.");
	assert_string_equal(v[1].addr, "bob@example.org");
	assert_string_equal(v[2].name, "Me");
	assert_string_equal(v[2].addr, "me@x");
	mailaddr_free_list(v, n);

	assert_int_equal(mailaddr_list("a@x,", 0, &v, &n, &why), -1);
	assert_string_equal(why, "no address");
	assert_null(v);
	assert_int_equal(n, 0);
	assert_int_equal(mailaddr_list("a@x, \"b <b@x>", 0, &v, &n, &why), -1);
	assert_string_equal(why, "an unterminated quote");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mailaddr_parse),
		cmocka_unit_test(test_mailaddr_list),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
