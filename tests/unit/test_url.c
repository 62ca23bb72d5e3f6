/*
 * test_url.c: url_is_absolute and url_resolve (url.h).  The resolution
 * cases are RFC 3986 section 5.4 ("Reference Resolution Examples"), base
 * "http://a/b/c/d;p?q", copied from the RFC's own table; the others were
 * worked out by hand with the algorithm of section 5.2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "url.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define RFC_BASE	"http://a/b/c/d;p?q"

struct resolve_case {
	const char	*base;
	const char	*ref;
	const char	*want;
};

static int	resolve_table(const struct resolve_case *, size_t);

static void	test_url_is_absolute_yes(void **);
static void	test_url_is_absolute_no(void **);
static void	test_url_resolve_rfc3986_normal(void **);
static void	test_url_resolve_rfc3986_abnormal(void **);
static void	test_url_resolve_rfc3986_empty_ref(void **);
static void	test_url_resolve_absolute_untouched(void **);
static void	test_url_resolve_no_base(void **);
static void	test_url_resolve_bad_base(void **);
static void	test_url_resolve_feed_cases(void **);
static void	test_url_resolve_authority(void **);
static void	test_url_resolve_keeps_encoding(void **);
static void	test_url_strip_controls(void **);
static void	test_url_normalize_cases(void **);
static void	test_url_has_control_cases(void **);
static void	test_url_feed_cases(void **);

/* Runs a table, printing every miss; returns how many missed. */
static int
resolve_table(const struct resolve_case *c, size_t n)
{
	char	*got;
	size_t	 i;
	int	 bad = 0;

	for (i = 0; i < n; i++) {
		got = url_resolve(c[i].base, c[i].ref);
		if (got == NULL || strcmp(got, c[i].want) != 0) {
			print_error("url_resolve(\"%s\", \"%s\"): want \"%s\", "
			    "got %s%s%s\n", c[i].base ? c[i].base : "NULL",
			    c[i].ref, c[i].want, got ? "\"" : "",
			    got ? got : "NULL", got ? "\"" : "");
			bad++;
		}
		free(got);
	}
	return (bad);
}

/* RFC 3986 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
static void
test_url_is_absolute_yes(void **state)
{
	static const char *const yes[] = {
		"http://a/b", "https://www.devdiscourse.com/news", "HTTP://A/",
		"mailto:someone@example.com", "urn:isbn:0451450523",
		"tag:devdiscourse.com,2024:article-3005012", "g:h",
		"a+b-c.d:rest", "ftp://ftp.example.org/", "data:,hello",
		"x:",
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(yes); i++)
		if (!url_is_absolute(yes[i]))
			fail_msg("url_is_absolute(\"%s\") = 0", yes[i]);
}

static void
test_url_is_absolute_no(void **state)
{
	static const char *const no[] = {
		"", "/path", "//host/path", "path/to", "./g:h", "?q=a:b",
		"#frag:x", ":nothing", "1http://a/", "-a:b", "a b:c",
		"../a:b", "g", "a_b:c", "caf\xc3\xa9:x",
	};
	size_t	i;

	(void)state;
	for (i = 0; i < NITEMS(no); i++)
		if (url_is_absolute(no[i]))
			fail_msg("url_is_absolute(\"%s\") = 1", no[i]);
}

/* RFC 3986 5.4.1. */
static void
test_url_resolve_rfc3986_normal(void **state)
{
	static const struct resolve_case	cases[] = {
		{ RFC_BASE, "g:h", "g:h" },
		{ RFC_BASE, "g", "http://a/b/c/g" },
		{ RFC_BASE, "./g", "http://a/b/c/g" },
		{ RFC_BASE, "g/", "http://a/b/c/g/" },
		{ RFC_BASE, "/g", "http://a/g" },
		/* RFC 3986 6.2.3: an empty http path is "/"; curl writes it. */
		{ RFC_BASE, "//g", "http://g/" },
		{ RFC_BASE, "?y", "http://a/b/c/d;p?y" },
		{ RFC_BASE, "g?y", "http://a/b/c/g?y" },
		{ RFC_BASE, "#s", "http://a/b/c/d;p?q#s" },
		{ RFC_BASE, "g#s", "http://a/b/c/g#s" },
		{ RFC_BASE, "g?y#s", "http://a/b/c/g?y#s" },
		{ RFC_BASE, ";x", "http://a/b/c/;x" },
		{ RFC_BASE, "g;x", "http://a/b/c/g;x" },
		{ RFC_BASE, "g;x?y#s", "http://a/b/c/g;x?y#s" },
		{ RFC_BASE, ".", "http://a/b/c/" },
		{ RFC_BASE, "./", "http://a/b/c/" },
		{ RFC_BASE, "..", "http://a/b/" },
		{ RFC_BASE, "../", "http://a/b/" },
		{ RFC_BASE, "../g", "http://a/b/g" },
		{ RFC_BASE, "../..", "http://a/" },
		{ RFC_BASE, "../../", "http://a/" },
		{ RFC_BASE, "../../g", "http://a/g" },
	};
	int	bad;

	(void)state;
	if ((bad = resolve_table(cases, NITEMS(cases))) != 0)
		fail_msg("%d of %zu RFC 3986 5.4.1 cases wrong", bad,
		    NITEMS(cases));
}

/* RFC 3986 5.4.2 (a strict parser: "http:g" is absolute). */
static void
test_url_resolve_rfc3986_abnormal(void **state)
{
	static const struct resolve_case	cases[] = {
		{ RFC_BASE, "../../../g", "http://a/g" },
		{ RFC_BASE, "../../../../g", "http://a/g" },
		{ RFC_BASE, "/./g", "http://a/g" },
		{ RFC_BASE, "/../g", "http://a/g" },
		{ RFC_BASE, "g.", "http://a/b/c/g." },
		{ RFC_BASE, ".g", "http://a/b/c/.g" },
		{ RFC_BASE, "g..", "http://a/b/c/g.." },
		{ RFC_BASE, "..g", "http://a/b/c/..g" },
		{ RFC_BASE, "./../g", "http://a/b/g" },
		{ RFC_BASE, "./g/.", "http://a/b/c/g/" },
		{ RFC_BASE, "g/./h", "http://a/b/c/g/h" },
		{ RFC_BASE, "g/../h", "http://a/b/c/h" },
		{ RFC_BASE, "g;x=1/./y", "http://a/b/c/g;x=1/y" },
		{ RFC_BASE, "g;x=1/../y", "http://a/b/c/y" },
		{ RFC_BASE, "g?y/./x", "http://a/b/c/g?y/./x" },
		{ RFC_BASE, "g?y/../x", "http://a/b/c/g?y/../x" },
		{ RFC_BASE, "g#s/./x", "http://a/b/c/g#s/./x" },
		{ RFC_BASE, "g#s/../x", "http://a/b/c/g#s/../x" },
		{ RFC_BASE, "http:g", "http:g" },
	};
	int	bad;

	(void)state;
	if ((bad = resolve_table(cases, NITEMS(cases))) != 0)
		fail_msg("%d of %zu RFC 3986 5.4.2 cases wrong", bad,
		    NITEMS(cases));
}

/* RFC 3986 5.2.2: an empty reference is the base (without fragment). */
static void
test_url_resolve_rfc3986_empty_ref(void **state)
{
	static const struct resolve_case	cases[] = {
		{ RFC_BASE, "", "http://a/b/c/d;p?q" },
		{ "http://a/b/c#frag", "", "http://a/b/c" },
	};
	int	bad;

	(void)state;
	if ((bad = resolve_table(cases, NITEMS(cases))) != 0)
		fail_msg("%d of %zu empty-reference cases wrong", bad,
		    NITEMS(cases));
}

/* Absolute links are left exactly as they are (no normalisation). */
static void
test_url_resolve_absolute_untouched(void **state)
{
	static const struct resolve_case	cases[] = {
		{ "http://a/b", "HTTPS://Example.COM/A/../B?x=%7e#F",
		    "HTTPS://Example.COM/A/../B?x=%7e#F" },
		{ "http://a/b", "mailto:news@example.com",
		    "mailto:news@example.com" },
		{ "http://a/b", "tag:devdiscourse.com,2024:article-3005012",
		    "tag:devdiscourse.com,2024:article-3005012" },
		{ "http://a/b", "https://www.devdiscourse.com/remote.axd?"
		    "https://devdiscoursenews.blob.core.windows.net/x.jpg",
		    "https://www.devdiscourse.com/remote.axd?"
		    "https://devdiscoursenews.blob.core.windows.net/x.jpg" },
		{ NULL, "http://a/b/../c", "http://a/b/../c" },
	};
	int	bad;

	(void)state;
	if ((bad = resolve_table(cases, NITEMS(cases))) != 0)
		fail_msg("%d of %zu absolute cases changed", bad,
		    NITEMS(cases));
}

/* Without a base (NULL or ""), a relative reference stays relative. */
static void
test_url_resolve_no_base(void **state)
{
	static const struct resolve_case	cases[] = {
		{ NULL, "posts/1.html", "posts/1.html" },
		{ "", "posts/1.html", "posts/1.html" },
		{ NULL, "/root", "/root" },
	};
	int	bad;

	(void)state;
	if ((bad = resolve_table(cases, NITEMS(cases))) != 0)
		fail_msg("%d of %zu cases without a base wrong", bad,
		    NITEMS(cases));
}

/* A base that is not a URL: the reference comes back as it is. */
static void
test_url_resolve_bad_base(void **state)
{
	static const struct resolve_case	cases[] = {
		{ "not a url", "x.html", "x.html" },
		{ "sub/dir/", "x.html", "x.html" },
	};
	int	bad;

	(void)state;
	if ((bad = resolve_table(cases, NITEMS(cases))) != 0)
		fail_msg("%d of %zu bad-base cases wrong", bad, NITEMS(cases));
}

/* What feeds do: xml:base with a trailing slash or a file name. */
static void
test_url_resolve_feed_cases(void **state)
{
	static const struct resolve_case	cases[] = {
		{ "https://www.devdiscourse.com/", "article/headlines/3005012-"
		    "north-korea", "https://www.devdiscourse.com/article/"
		    "headlines/3005012-north-korea" },
		{ "https://www.devdiscourse.com/", "news",
		    "https://www.devdiscourse.com/news" },
		{ "https://www.devdiscourse.com/rss/world", "/article/1",
		    "https://www.devdiscourse.com/article/1" },
		{ "https://www.devdiscourse.com/rss/world", "other",
		    "https://www.devdiscourse.com/rss/other" },
		{ "https://example.com/feeds/main.xml", "sub/",
		    "https://example.com/feeds/sub/" },
		{ "https://example.com/feeds/sub/", "../",
		    "https://example.com/feeds/" },
		{ "https://example.com/feed", "//cdn.example.net/a.png",
		    "https://cdn.example.net/a.png" },
		{ "http://base.example.com/blog/deep/", "?page=2",
		    "http://base.example.com/blog/deep/?page=2" },
		{ "http://a/b/c#old", "d", "http://a/b/d" },
		{ "http://a/b/c?q#old", "#new", "http://a/b/c?q#new" },
	};
	int	bad;

	(void)state;
	if ((bad = resolve_table(cases, NITEMS(cases))) != 0)
		fail_msg("%d of %zu feed cases wrong", bad, NITEMS(cases));
}

/* Ports, user information, IPv6 literals and other schemes survive. */
static void
test_url_resolve_authority(void **state)
{
	static const struct resolve_case	cases[] = {
		{ "http://user@a.example:8080/b/c", "../d",
		    "http://user@a.example:8080/d" },
		{ "http://[::1]:8080/a/b", "c", "http://[::1]:8080/a/c" },
		{ "ftp://ftp.example.org/pub/a/b", "../c",
		    "ftp://ftp.example.org/pub/c" },
		{ "https://a.example", "b", "https://a.example/b" },
	};
	int	bad;

	(void)state;
	if ((bad = resolve_table(cases, NITEMS(cases))) != 0)
		fail_msg("%d of %zu authority cases wrong", bad,
		    NITEMS(cases));
}

/* Percent-encoded bytes are neither decoded nor encoded twice. */
static void
test_url_resolve_keeps_encoding(void **state)
{
	static const struct resolve_case	cases[] = {
		{ "http://a/b/c", "d%20e?f=g%2Fh#i",
		    "http://a/b/d%20e?f=g%2Fh#i" },
		{ "http://a/b/c", "caf%C3%A9/x", "http://a/b/caf%C3%A9/x" },
		{ "http://a/b/c", "?q=a%26b&r=1", "http://a/b/c?q=a%26b&r=1" },
	};
	int	bad;

	(void)state;
	if ((bad = resolve_table(cases, NITEMS(cases))) != 0)
		fail_msg("%d of %zu encoding cases wrong", bad, NITEMS(cases));
}

/* The WHATWG steps: trim C0 and space at both ends, drop controls inside. */
static void
test_url_strip_controls(void **state)
{
	static const struct { const char *in, *want; } c[] = {
		{ "  http://a/b \n", "http://a/b" },
		{ "java\tscript:alert(1)", "javascript:alert(1)" },
		{ "http://a/\r\nb", "http://a/b" },
		{ "\x01http://a/\x1b[2Jb\x7f", "http://a/[2Jb" },
		{ "http://a/b c", "http://a/b c" },
		{ "", "" },
	};
	char	*got;
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(c); i++) {
		got = url_strip(c[i].in);
		assert_string_equal(got, c[i].want);
		free(got);
	}
}

/* Worked out by hand: what a stored link or feed URL becomes. */
static void
test_url_normalize_cases(void **state)
{
	static const struct {
		const char *base, *ref;
		int flags;
		const char *want;
	} c[] = {
		{ NULL, "HTTP://X.EXAMPLE/a", 0, "http://x.example/a" },
		{ NULL, "http://x.example:80/a", 0, "http://x.example/a" },
		{ NULL, "https://X.example:443/A?Q#F", 0,
		    "https://x.example/A?Q#F" },
		{ NULL, "https://x.example:8443/", 0, "https://x.example:8443/" },
		{ "http://x.example/d/", "../notes43", 0,
		    "http://x.example/notes43" },
		{ "http://x.example/d/", "img/disk.png", 0,
		    "http://x.example/d/img/disk.png" },
		{ NULL, "/relative", 0, NULL },
		{ NULL, "java\tscript:alert(1)", 0, NULL },
		{ "http://x.example/", "java\tscript:alert(1)", 0, NULL },
		{ NULL, "javascript:alert(1)", URL_MAILTO, NULL },
		{ NULL, "data:text/html,x", 0, NULL },
		{ NULL, "vbscript:x", 0, NULL },
		{ NULL, "file:///etc/passwd", 0, NULL },
		{ NULL, "ftp://x.example/a", 0, NULL },
		{ NULL, "http://x.exa\r\nmple/a", 0, "http://x.example/a" },
		{ NULL, "mailto:a@x.example", URL_MAILTO, "mailto:a@x.example" },
		{ NULL, "MAILTO:a@x.example", URL_MAILTO, "mailto:a@x.example" },
		{ NULL, "mailto:a@x.example", 0, NULL },
		{ NULL, "http:///nohost", 0, "http://nohost/" },	/* as WHATWG */
		{ NULL, "", 0, NULL },
		{ NULL, "http://x.example/a b", 0, "http://x.example/a%20b" },
	};
	char	*got;
	size_t	 i;
	int	 bad = 0;

	(void)state;
	for (i = 0; i < NITEMS(c); i++) {
		got = url_normalize(c[i].base, c[i].ref, c[i].flags);
		if ((got == NULL) != (c[i].want == NULL) ||
		    (got != NULL && strcmp(got, c[i].want) != 0)) {
			print_error("url_normalize(%s, \"%s\"): want %s, "
			    "got %s\n", c[i].base ? c[i].base : "NULL",
			    c[i].ref, c[i].want ? c[i].want : "NULL",
			    got ? got : "NULL");
			bad++;
		}
		free(got);
	}
	assert_int_equal(bad, 0);
}

static void
test_url_has_control_cases(void **state)
{
	(void)state;
	assert_false(url_has_control("http://x.example/a"));
	assert_true(url_has_control("http://x.example/a\r\nb"));
	assert_true(url_has_control("http://x.example/a b"));
	assert_true(url_has_control("http://x.example/\ta"));
	assert_true(url_has_control("http://x.example/\x7f"));
}

/* Feed URLs: one form for every spelling, controls refused, not cut. */
static void
test_url_feed_cases(void **state)
{
	const char	*why = NULL;
	char		*u;

	(void)state;
	u = url_feed("HTTP://X.EXAMPLE/a", &why);
	assert_string_equal(u, "http://x.example/a");
	free(u);
	u = url_feed("http://x.example:80/a", &why);
	assert_string_equal(u, "http://x.example/a");
	free(u);
	u = url_feed("https://X.example:443/a?Q=1#F", &why);
	assert_string_equal(u, "https://x.example/a?Q=1");
	free(u);
	/* Only the first '#' starts the fragment. */
	u = url_feed("http://x.example/a#b#c", &why);
	assert_string_equal(u, "http://x.example/a");
	free(u);
	u = url_feed("http://x.example/a%23b", &why);
	assert_string_equal(u, "http://x.example/a%23b");
	free(u);
	u = url_feed("http://x.example:8080/A", &why);
	assert_string_equal(u, "http://x.example:8080/A");
	free(u);
	assert_null(url_feed("http://x.example/a\r\n<0>FORGED", &why));
	assert_string_equal(why, "a control character or space in the URL");
	assert_null(url_feed("http://x.example/a b", &why));
	assert_null(url_feed(" http://x.example/a", &why));
	assert_null(url_feed("http://x.example/\x1b[2J", &why));
	why = NULL;
	assert_null(url_feed("file:///etc/passwd", &why));
	assert_string_equal(why,
	    "not an absolute http:// or https:// URL with a host");
	assert_null(url_feed("", &why));
	assert_null(url_feed("http://", &why));
}

/*
 * Output escaping: what RFC 3986 never allows raw is encoded, what is
 * encoded already stays, the rest is untouched.
 */
static void
test_url_escape_cases(void **state)
{
	char	*u;

	(void)state;
	u = url_escape("http://127.0.0.1:8714/a/q\"uote%20x>y<z");
	assert_string_equal(u, "http://127.0.0.1:8714/a/q%22uote%20x%3Ey%3Cz");
	free(u);
	u = url_escape("http://x.example/sl?x=1&y=|2#a b");
	assert_string_equal(u, "http://x.example/sl?x=1&y=%7C2#a%20b");
	free(u);
	u = url_escape("http://x.example/\xc3\xbc\\^`{}\t");
	assert_string_equal(u, "http://x.example/%C3%BC%5C%5E%60%7B%7D%09");
	free(u);
	u = url_escape("https://x.example/a-b_c.d~e/!$&'()*+,;=:@?q=%2F");
	assert_string_equal(u, "https://x.example/a-b_c.d~e/!$&'()*+,;=:@?q=%2F");
	free(u);
	u = url_escape("");
	assert_string_equal(u, "");
	free(u);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_is_absolute_yes),
		cmocka_unit_test(test_url_is_absolute_no),
		cmocka_unit_test(test_url_resolve_rfc3986_normal),
		cmocka_unit_test(test_url_resolve_rfc3986_abnormal),
		cmocka_unit_test(test_url_resolve_rfc3986_empty_ref),
		cmocka_unit_test(test_url_resolve_absolute_untouched),
		cmocka_unit_test(test_url_resolve_no_base),
		cmocka_unit_test(test_url_resolve_bad_base),
		cmocka_unit_test(test_url_resolve_feed_cases),
		cmocka_unit_test(test_url_resolve_authority),
		cmocka_unit_test(test_url_resolve_keeps_encoding),
		cmocka_unit_test(test_url_strip_controls),
		cmocka_unit_test(test_url_normalize_cases),
		cmocka_unit_test(test_url_has_control_cases),
		cmocka_unit_test(test_url_feed_cases),
		cmocka_unit_test(test_url_escape_cases),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
