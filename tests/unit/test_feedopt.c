/*
 * test_feedopt.c: per-feed settings (feedopt.h): what is accepted and
 * refused, the stored JSON round trip, and that the public form and
 * masked URLs never carry a secret.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "feedopt.h"

static void
set_ok(struct feedopt *o, const char *k, const char *v)
{
	char	*cause = NULL;

	if (feedopt_set(o, k, v, &cause) != 0)
		fail_msg("%s = %s: %s", k, v, cause);
}

static void
set_bad(const char *k, const char *v, const char *want)
{
	struct feedopt	 o;
	char		*cause = NULL;

	feedopt_init(&o);
	assert_int_equal(feedopt_set(&o, k, v, &cause), -1);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("%s = %s: \"%s\" lacks \"%s\"", k, v, cause, want);
	free(cause);
	feedopt_clear(&o);
}

static void
test_feedopt_refuses(void **state)
{
	set_bad("user_agent", "a\r\nX-Evil: 1", "line breaks");
	set_bad("headers", "NoColon", "Name: value");
	set_bad("headers", "Bad Name: x", "Name: value");
	set_bad("headers", ": x", "Name: value");
	set_bad("proxy", "ftp://h", "proxy");
	set_bad("proxy", "not a url", "proxy");
	set_bad("password_file", "relative.txt", "absolute");
	set_bad("charset", "utf 8", "charset");
	set_bad("charset", "nosuch-charset",
	    "charset: \"nosuch-charset\" is not a charset");
	set_bad("timeout", "soon", "duration");
	set_bad("max_feed_size", "-1", "size");
	set_bad("notify_first_poll", "maybe", "yes or no");
	set_bad("colour", "red", "not a feed setting");
}

static void
test_feedopt_round_trip(void **state)
{
	struct feedopt	 o, back;
	char		*json, *again, *cause = NULL;

	feedopt_init(&o);
	assert_null(feedopt_to_json(&o));
	set_ok(&o, "user_agent", "Agent/1");
	set_ok(&o, "headers", "X-A: 1");
	set_ok(&o, "headers", "X-B: two, three");
	set_ok(&o, "cookie", "k=v");
	set_ok(&o, "username", "joe");
	set_ok(&o, "password", "pw");
	set_ok(&o, "proxy", "socks5h://127.0.0.1:9050");
	set_ok(&o, "charset", "ISO-8859-1");
	set_ok(&o, "timeout", "2m");
	set_ok(&o, "max_feed_size", "1M");
	set_ok(&o, "notify_first_poll", "yes");
	assert_int_equal(o.timeout, 120);
	assert_int_equal(o.max_size, 1024 * 1024);
	json = feedopt_to_json(&o);
	assert_non_null(json);
	assert_int_equal(feedopt_from_json(json, &back, &cause), 0);
	again = feedopt_to_json(&back);
	assert_string_equal(json, again);
	assert_int_equal(back.nheaders, 2);
	assert_string_equal(back.headers[1], "X-B: two, three");
	assert_int_equal(back.notify_first_poll, 1);
	/* "" unsets; an empty header list too. */
	set_ok(&back, "headers", "");
	set_ok(&back, "password", "");
	set_ok(&back, "timeout", "");
	assert_int_equal(back.nheaders, 0);
	assert_null(back.password);
	assert_int_equal(back.timeout, -1);
	feedopt_clear(&back);
	assert_int_equal(feedopt_from_json("[1]", &back, &cause), -1);
	free(cause);
	free(json);
	free(again);
	feedopt_clear(&o);
	feedopt_clear(&back);
}

static void
test_feedopt_public_masks(void **state)
{
	struct feedopt	 o;
	json_t		*j;
	char		*s;

	feedopt_init(&o);
	set_ok(&o, "headers", "Authorization: Bearer t0ken");
	set_ok(&o, "cookie", "sid=c00kie");
	set_ok(&o, "username", "joe");
	set_ok(&o, "password", "pa55");
	set_ok(&o, "proxy", "http://u:pr0xypw@127.0.0.1:3128");
	j = feedopt_public(&o);
	s = json_dumps(j, JSON_COMPACT);
	assert_null(strstr(s, "t0ken"));
	assert_null(strstr(s, "c00kie"));
	assert_null(strstr(s, "pa55"));
	assert_null(strstr(s, "pr0xypw"));
	assert_non_null(strstr(s, "\"Authorization: ********\""));
	assert_non_null(strstr(s, "\"username\":\"joe\""));
	assert_non_null(strstr(s, "http://u:********@127.0.0.1:3128"));
	free(s);
	json_decref(j);
	feedopt_clear(&o);
}

static void
test_feedopt_urls(void **state)
{
	struct feedopt	 o;
	char		*u;

	u = feedopt_mask_url("https://bob:secret@example.org/feed?a=b@c");
	assert_string_equal(u, "https://bob:********@example.org/feed?a=b@c");
	free(u);
	u = feedopt_mask_url("https://example.org/x@y");
	assert_string_equal(u, "https://example.org/x@y");
	free(u);
	u = feedopt_mask_url("https://bob@example.org/");
	assert_string_equal(u, "https://bob@example.org/");
	free(u);

	feedopt_init(&o);
	u = feedopt_take_userinfo(&o, "https://bob:s%40cret@example.org/f");
	assert_string_equal(u, "https://example.org/f");
	assert_string_equal(o.username, "bob");
	assert_string_equal(o.password, "s@cret");
	free(u);
	u = feedopt_take_userinfo(&o, "https://example.org/g");
	assert_string_equal(u, "https://example.org/g");
	free(u);
	feedopt_clear(&o);
}

/*
 * A charset must be one the parser can read, under an alias too; unset
 * stays possible.  One stored before the check is read back all the
 * same, with the feed's other settings.
 */
static void
test_feedopt_charset(void **state)
{
	struct feedopt	 o;
	json_t		*bad = json_string("nosuch");
	char		*cause = NULL;

	feedopt_init(&o);
	set_ok(&o, "charset", "windows-1251");
	set_ok(&o, "charset", "KOI8-R");
	set_ok(&o, "charset", "latin1");
	set_ok(&o, "charset", "macroman");	/* charset.c's alias */
	set_ok(&o, "charset", "1251");		/* CP1251 */
	set_ok(&o, "charset", "");
	assert_null(o.charset);
	/* The socket's path: the same check, the value named. */
	assert_int_equal(feedopt_set_json(&o, "charset", bad, &cause), -1);
	assert_non_null(strstr(cause, "charset: \"nosuch\""));
	free(cause);
	cause = NULL;
	feedopt_clear(&o);
	assert_int_equal(feedopt_from_json(
	    "{\"charset\":\"nosuch\",\"timeout\":5}", &o, &cause), 0);
	assert_string_equal(o.charset, "nosuch");
	assert_int_equal(o.timeout, 5);
	json_decref(bad);
	feedopt_clear(&o);
}

static void
test_feedopt_set_json(void **state)
{
	struct feedopt	 o;
	json_t		*h = json_pack("[s, s]", "X-A: 1", "X-B: 2");
	json_t		*n = json_integer(30), *t = json_true();
	char		*cause = NULL;

	feedopt_init(&o);
	assert_int_equal(feedopt_set_json(&o, "headers", h, &cause), 0);
	assert_int_equal(o.nheaders, 2);
	assert_int_equal(feedopt_set_json(&o, "timeout", n, &cause), 0);
	assert_int_equal(o.timeout, 30);
	assert_int_equal(feedopt_set_json(&o, "max_feed_size", n, &cause), 0);
	assert_int_equal(o.max_size, 30);
	assert_int_equal(feedopt_set_json(&o, "notify_first_poll", t,
	    &cause), 0);
	assert_int_equal(o.notify_first_poll, 1);
	assert_int_equal(feedopt_set_json(&o, "timeout", NULL, &cause), 0);
	assert_int_equal(o.timeout, -1);
	assert_int_equal(feedopt_set_json(&o, "user_agent", n, &cause), -1);
	assert_non_null(strstr(cause, "wrong type"));
	free(cause);
	json_decref(h);
	json_decref(n);
	json_decref(t);
	feedopt_clear(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feedopt_refuses),
		cmocka_unit_test(test_feedopt_round_trip),
		cmocka_unit_test(test_feedopt_public_masks),
		cmocka_unit_test(test_feedopt_urls),
		cmocka_unit_test(test_feedopt_charset),
		cmocka_unit_test(test_feedopt_set_json),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
