/*
 * test_discover.c: feed autodiscovery (discover.h): which <link>s of an
 * HTML page are feeds, how their URLs resolve, and the common paths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "discover.h"

#define PAGE	"http://Example.ORG:80/blog/post.html"

static size_t
links(const char *html, char ***urls)
{
	return (discover_links(html, strlen(html), PAGE, urls, NULL));
}

static void
test_discover_one(void **state)
{
	char	**u;
	size_t	  n;

	n = links("<!DOCTYPE html><html><head><title>x</title>"
	    "<link rel=\"alternate\" type=\"application/rss+xml\" "
	    "href=\"/feed.rss\"></head><body>hi</body></html>", &u);
	assert_int_equal(n, 1);
	assert_string_equal(u[0], "http://example.org/feed.rss");
	discover_free(u, n);
}

/* Labels: the link's title, folded and cut, and its format. */
static void
test_discover_labels(void **state)
{
	char	**u, **l;
	size_t	  n;
	const char *html = "<html><head>"
	    "<link rel=alternate type=application/rss+xml href=/a "
	    "title=\"Posts\n  &amp; more\">"
	    "<link rel=alternate type=application/atom+xml href=/b "
	    "title=\"Comments\">"
	    "<link rel=alternate type=application/feed+json href=/c>"
	    "<link rel=alternate type=application/rdf+xml href=/d title=\" \">"
	    "<link rel=alternate type=application/rss+xml href=/e title=\""
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "456789\">"
	    "</head></html>";

	(void)state;
	n = discover_links(html, strlen(html), PAGE, &u, &l);
	assert_int_equal(n, 5);
	assert_string_equal(l[0], "Posts & more (RSS)");
	assert_string_equal(l[1], "Comments (Atom)");
	assert_string_equal(l[2], "JSON Feed");
	assert_string_equal(l[3], "RSS 1.0");
	assert_string_equal(l[4], "012345678901234567890123456789012345678901"
	    "234567890123456789 (RSS)");
	discover_free(u, n);
	discover_free(l, n);
}

static void
test_discover_types_and_order(void **state)
{
	char	**u;
	size_t	  n;

	/* Stylesheets, icons and HTML alternates are not feeds. */
	n = links("<html><head>"
	    "<link rel=stylesheet type=text/css href=a.css>"
	    "<LINK REL=\"Alternate\" TYPE=\"Application/Atom+XML\" "
	    "HREF=\"atom.xml\">"
	    "<link rel=\"alternate\" type=\"text/html\" href=\"/fr/\">"
	    "<link rel=\"alternate home\" type=\"application/feed+json; "
	    "charset=utf-8\" href=\"https://cdn.example.org/f.json\">"
	    "<link rel=\"alternate\" type=\"application/rss+xml\" "
	    "href=\"atom.xml\">"
	    "<link rel=\"alternate\" type=\"application/rss+xml\">"
	    "</head></html>", &u);
	assert_int_equal(n, 2);
	assert_string_equal(u[0], "http://example.org/blog/atom.xml");
	assert_string_equal(u[1], "https://cdn.example.org/f.json");
	discover_free(u, n);
}

static void
test_discover_base(void **state)
{
	char	**u;
	size_t	  n;

	/* Only the first <base> counts; a link in <body> still counts. */
	n = links("<html><head><base href=\"/other/\"><base href=\"/no/\">"
	    "</head><body><p><link rel=alternate "
	    "type=application/rss+xml href=rss></body></html>", &u);
	assert_int_equal(n, 1);
	assert_string_equal(u[0], "http://example.org/other/rss");
	discover_free(u, n);
}

static void
test_discover_none(void **state)
{
	char	**u;
	size_t	  n;

	n = links("<html><body><a href=\"/feed\">feed</a>"
	    "<link rel=alternate type=application/rss+xml "
	    "href=\"javascript:alert(1)\"></body></html>", &u);
	assert_int_equal(n, 0);
	discover_free(u, n);
	n = discover_links("", 0, PAGE, &u, NULL);
	assert_int_equal(n, 0);
	discover_free(u, n);
	/* A page gumbo fails an assertion on (gumbo-guard.h): no links. */
	n = links("<link rel=alternate type=application/rss+xml "
	    "href=/feed><table><math><mtext><![CDATA[x]]>y", &u);
	assert_int_equal(n, 0);
	discover_free(u, n);
}

static void
test_discover_common(void **state)
{
	char	**u;
	size_t	  n;

	n = discover_common(PAGE, &u);
	assert_int_equal(n, 5);
	assert_string_equal(u[0], "http://example.org/feed");
	assert_string_equal(u[1], "http://example.org/rss.xml");
	assert_string_equal(u[4], "http://example.org/feed.json");
	discover_free(u, n);
}

static void
test_discover_is_html(void **state)
{
	assert_true(discover_is_html("text/html; charset=utf-8", "", 0));
	assert_true(discover_is_html(NULL, "\xef\xbb\xbf  <!DOCTYPE html>",
	    23));
	assert_true(discover_is_html("text/plain", "<HTML>", 6));
	assert_false(discover_is_html("application/xml", "<?xml?><rss/>",
	    13));
	assert_false(discover_is_html(NULL, NULL, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_discover_one),
		cmocka_unit_test(test_discover_labels),
		cmocka_unit_test(test_discover_types_and_order),
		cmocka_unit_test(test_discover_base),
		cmocka_unit_test(test_discover_none),
		cmocka_unit_test(test_discover_common),
		cmocka_unit_test(test_discover_is_html),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
