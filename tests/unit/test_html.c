/*
 * test_html.c: the content pipeline (html.c) on the hostile corpus in
 * tests/fixtures/html: each NAME.html (its first line the base URL, the
 * rest feed HTML) must sanitise to exactly NAME.out.html and render, at
 * 60 columns, to exactly NAME.txt, and its sanitised form must sanitise
 * to itself.  Then titles as text (text_html_to_text(), which must not
 * lose text to a stray quote), and display widths.
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
#include "gumbo-guard.h"
#include "html.h"
#include "item.h"
#include "text.h"
#include "xmalloc.h"

#include "parse-helpers.h"

#define HTML_WIDTH	60

static const char *const corpus[] = {
	"controls", "events", "forms", "javascript", "nesting", "relative",
	"script", "structure", "style", "svg-math", "tracking",
};

/* Names of elements and attributes no sanitised output may hold. */
static const char *const banned[] = {
	"<script", "<style", "<iframe", "<object", "<embed", "<form",
	"<input", "<meta", "<link", "<base", "<svg", "<math", "<textarea",
	"<button", " onclick", " onerror", " onload", " onmouseover",
	" onfocus", " style=", "javascript:", "data:", "vbscript:",
	"file:", "alert(", "<noscript",
};

static char *
fixture(const char *name, const char *ext)
{
	char	*path, *data;
	size_t	 len;

	xasprintf(&path, "html/%s%s", name, ext);
	data = read_fixture(path, &len);
	free(path);
	return (data);
}

static void
test_html_corpus(void **state)
{
	char	*in, *base, *want_html, *want_text, *html, *text, *again;
	size_t	 i, k;

	for (i = 0; i < sizeof(corpus) / sizeof(*corpus); i++) {
		in = fixture(corpus[i], ".html");
		want_html = fixture(corpus[i], ".out.html");
		want_text = fixture(corpus[i], ".txt");
		base = in;
		*strchr(in, '\n') = '\0';
		html_content(base + strlen(base) + 1, strlen(base +
		    strlen(base) + 1), base, HTML_WIDTH, HTML_TEXT_LINKS,
		    &html, &text);
		if (strcmp(html, want_html) != 0)
			fail_msg("%s: sanitised:\n%s\nwanted:\n%s", corpus[i],
			    html, want_html);
		if (strcmp(text, want_text) != 0)
			fail_msg("%s: text:\n%s\nwanted:\n%s", corpus[i], text,
			    want_text);
		for (k = 0; k < sizeof(banned) / sizeof(*banned); k++)
			if (strcasestr(html, banned[k]) != NULL ||
			    strcasestr(text, banned[k]) != NULL)
				fail_msg("%s: holds %s", corpus[i], banned[k]);
		again = html_sanitize(html, strlen(html), base);
		assert_string_equal(again, html);
		free(again);
		free(html);
		free(text);
		free(in);
		free(want_html);
		free(want_text);
	}
}

static void
title_is(const char *in, const char *want)
{
	struct buf	 b = { NULL, 0, 0 };
	char		*s;

	text_html_to_text(&b, in, strlen(in));
	s = text_fold(b.data != NULL ? b.data : "", b.len);
	assert_string_equal(s, want);
	free(s);
	buf_free(&b);
}

static void
test_html_titles(void **state)
{
	/* A browser shows "Link and the rest": so must we. */
	title_is("<a title=don't>Link</a> and the rest", "Link and the rest");
	title_is("Caf\xc3\xa9 owners &amp; the <em>new</em> tax",
	    "Caf\xc3\xa9 owners & the new tax");
	title_is("Tom &amp; Jerry", "Tom & Jerry");
	title_is("a<br>b", "a b");
	title_is("<p>one</p><p>two</p>", "one two");
	title_is("x<script>alert(1)</script>y", "xy");
	title_is("Price &lt; 5 &euro;", "Price < 5 \xe2\x82\xac");
	title_is("<b>unclosed", "unclosed");
}

static void
test_html_item(void **state)
{
	struct feed_item	*it = feed_item_new();
	char			*html, *text;

	html_item(it, NULL, 0, &html, &text);
	assert_null(html);
	assert_null(text);
	it->summary = xstrdup("<p>Sum <a href=\"/s\">s</a></p>");
	it->link = xstrdup("https://example.com/a/b");
	html_item(it, "https://feed.example/", 0, &html, &text);
	assert_string_equal(html, "<p>Sum <a href=\"https://example.com/s\" "
	    "rel=\"noopener noreferrer\">s</a></p>");
	assert_string_equal(text, "Sum s[1]\n\n[1] https://example.com/s");
	free(html);
	free(text);
	/* Content wins over the summary; no link: the base resolves. */
	it->content = xstrdup("<img src=\"i.png\" alt=\"I\">");
	free(it->link);
	it->link = NULL;
	html_item(it, "https://feed.example/f/", 0, &html, &text);
	assert_string_equal(html, "<img src=\"https://feed.example/f/i.png\" "
	    "alt=\"I\">");
	assert_string_equal(text, "[image: I]");
	free(html);
	free(text);
	/* The xml:base in force at the content beats link and base. */
	it->link = xstrdup("http://other.example/p");
	it->base = xstrdup("http://example.org/2003/");
	free(it->content);
	it->content = xstrdup("<a href=\"notes43\">n</a> <a href=\"/r\">r</a>");
	html_item(it, "https://feed.example/f/", 0, &html, &text);
	assert_string_equal(html, "<a href=\"http://example.org/2003/notes43\" "
	    "rel=\"noopener noreferrer\">n</a> <a href=\"http://example.org/r\" "
	    "rel=\"noopener noreferrer\">r</a>");
	assert_string_equal(text, "n[1] r[2]\n\n[1] "
	    "http://example.org/2003/notes43\n[2] http://example.org/r");
	free(html);
	free(text);
	assert_string_equal(html_item_base(it, "https://feed.example/"),
	    "http://example.org/2003/");
	free(it->base);
	it->base = NULL;
	assert_string_equal(html_item_base(it, "https://feed.example/"),
	    "http://other.example/p");
	free(it->link);
	it->link = NULL;
	assert_string_equal(html_item_base(it, "https://feed.example/"),
	    "https://feed.example/");
	assert_null(html_item_base(it, NULL));
	feed_item_free(it);
}

/* U+1F468 ZWJ U+1F469 ZWJ U+1F467 ZWJ U+1F466: one family emoji. */
#define FAMILY	"\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9" \
		"\xe2\x80\x8d\xf0\x9f\x91\xa7\xe2\x80\x8d\xf0\x9f\x91\xa6"

static void
cut_is(const char *s, size_t cols, const char *want, size_t used)
{
	struct buf	b = { NULL, 0, 0 };

	assert_int_equal(text_cut_width(&b, s, cols), used);
	assert_string_equal(b.data != NULL ? b.data : "", want);
	buf_free(&b);
}

static void
test_html_widths(void **state)
{
	/* East Asian wide characters take two columns; combining none. */
	assert_int_equal(text_width("abc", 3), 3);
	assert_int_equal(text_width("\xe6\x9d\xb1\xe4\xba\xac", 6), 4);
	assert_int_equal(text_width("e\xcc\x81", 3), 1);
	cut_is("abcdef", 10, "abcdef", 6);
	cut_is("abcdef", 4, "abc\xe2\x80\xa6", 4);
	/* A wide character that would cross the edge is left out whole. */
	cut_is("\xe6\x9d\xb1\xe4\xba\xac\xe9\x83\xbd", 4,
	    "\xe6\x9d\xb1\xe2\x80\xa6", 3);
	/* A ZWJ family is one cluster: two columns, cut whole or not at
	 * all (it was eight columns, and cut between its people). */
	assert_int_equal(text_width(FAMILY, strlen(FAMILY)), 2);
	cut_is("ab" FAMILY "cd", 5, "ab" FAMILY "\xe2\x80\xa6", 5);
	cut_is("ab" FAMILY "cd", 4, "ab\xe2\x80\xa6", 3);
	/* A stray byte is one column; a control character none. */
	assert_int_equal(text_width("a\xff" "b", 3), 3);
	assert_int_equal(text_width("a\tb", 3), 2);
}

/* No link list without HTML_TEXT_LINKS; no wrapping at width 0. */
static void
test_html_flags(void **state)
{
	const char	*in = "<p>One two three four five six seven eight nine "
			    "ten eleven twelve <a href=\"https://a.example/\">a"
			    "</a></p>";
	char		*text;

	html_content(in, strlen(in), NULL, 0, 0, NULL, &text);
	assert_string_equal(text, "One two three four five six seven eight "
	    "nine ten eleven twelve a");
	free(text);
	text = html_render(in, strlen(in), NULL, 30);
	assert_string_equal(text, "One two three four five six\nseven eight "
	    "nine ten eleven\ntwelve a[1]\n\n[1] https://a.example/");
	free(text);
}

/*
 * Noncharacters from character references come out as U+FFFD, which is
 * what the HTML parser reads the raw character as: the sanitised HTML
 * stays a fixed point (fuzz_html found U+FFFE going to U+FFFD on the
 * second pass).
 */
static void
test_html_noncharacters(void **state)
{
	const char	*in = "<p>a&#xFFFE;b&#xFDD0;c&#x1FFFF;d&#x10FFFE;e"
			    "&#x1F600;f</p>";
	char		*html, *again;

	html = html_sanitize(in, strlen(in), NULL);
	assert_string_equal(html, "<p>a\xef\xbf\xbd" "b\xef\xbf\xbd"
	    "c\xef\xbf\xbd" "d\xef\xbf\xbd" "e\xf0\x9f\x98\x80" "f</p>");
	again = html_sanitize(html, strlen(html), NULL);
	assert_string_equal(again, html);
	free(again);
	free(html);
}

/*
 * Trial 14: rendered at 72 columns, a paragraph of Latin and Korean
 * text broke between "있습니다" and its full stop, which then began the
 * next line.  Lines break at UAX #14 opportunities (text_wrap()), the
 * Korean at its space; a list item's lines keep their indent.
 */
static void
test_html_wrap(void **state)
{
	const char	*in = "<p>Mixed scripts in one paragraph, Latin text "
			    "first: \xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 "
			    "\xeb\xac\xb8\xec\x9e\xa5\xeb\x8f\x84 \xec\x9e\x88"
			    "\xec\x8a\xb5\xeb\x8b\x88\xeb\x8b\xa4. \xf0\x9f"
			    "\x8e\x89 emoji.</p><ul><li>aaaa bbbb (c), d</li>"
			    "</ul>";
	const char	*ul = strstr(in, "<ul>"), *li;
	char		*text;

	text = html_render(in, strlen(in), NULL, 72);
	assert_string_equal(text, "Mixed scripts in one paragraph, Latin text "
	    "first: \xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 "
	    "\xeb\xac\xb8\xec\x9e\xa5\xeb\x8f\x84\n\xec\x9e\x88"
	    "\xec\x8a\xb5\xeb\x8b\x88\xeb\x8b\xa4. \xf0\x9f\x8e\x89 emoji.\n"
	    "\n* aaaa bbbb (c), d");
	free(text);
	/* The least width a line gets is 20 columns, its indent aside. */
	text = html_render(ul, strlen(ul), NULL, 10);
	assert_string_equal(text, "* aaaa bbbb (c), d");
	free(text);
	li = "<ul><li>aaaa bbbb cccc dddd eeee (f), g</li></ul>";
	text = html_render(li, strlen(li), NULL, 10);
	assert_string_equal(text, "* aaaa bbbb cccc dddd\n  eeee (f), g");
	free(text);
}

static void
render_is(const char *in, const char *want)
{
	char	*text;

	text = html_render(in, strlen(in), "https://example.com/", 0);
	assert_string_equal(text, want);
	free(text);
}

/*
 * Trial 14: "[image: A picture]<script>escaped</script>" and
 * "styled[2][image: track2]": an image marker is a word of its own,
 * parted by a space from the text and link numbers around it; a linked
 * image's number follows it as a word's does.
 */
static void
test_html_image_marker(void **state)
{
	render_is("<p><img src=\"/a.png\" alt=\"A picture\">&lt;script&gt;"
	    "escaped&lt;/script&gt;</p>",
	    "[image: A picture] <script>escaped</script>");
	render_is("<a href=\"/s\">styled</a><img src=\"/t.png\" alt=\"track2\">",
	    "styled[1] [image: track2]\n\n[1] https://example.com/s");
	render_is("x<img src=\"/t.png\"><img src=\"/u.png\" alt=\"u\">y",
	    "x [image] [image: u] y");
	render_is("<a href=\"/i\"><img src=\"/i.png\" alt=\"logo\"></a>next",
	    "[image: logo][1] next\n\n[1] https://example.com/i");
	render_is("a<br><img src=\"/i.png\"> b", "a\n[image] b");
}

/* The sanitised form of "in", against https://example.com/. */
static void
sanitize_is(const char *in, const char *want)
{
	char	*html;

	html = html_sanitize(in, strlen(in), "https://example.com/");
	assert_string_equal(html, want);
	free(html);
}

/*
 * Trial 14: a one-pixel beacon sized by its style was kept, and with
 * the style removed it loaded full size.  Width or height of a pixel or
 * less (0 in any unit) or display: none in the style drops it, as the
 * width and height attributes do; other sizes, and styles the strict
 * reader does not read (a quote, a comment), keep the image.
 */
static void
test_html_tracking_css(void **state)
{
	sanitize_is("<img src=\"/a.gif\" style=\"width:1px;height:1px\">", "");
	sanitize_is("<img src=\"/a.gif\" style=\"WIDTH: 0 !important\">", "");
	sanitize_is("<img src=\"/a.gif\" style=\"border:0; height:.5px;\">",
	    "");
	sanitize_is("<img src=\"/a.gif\" style=\"max-width:100%;display:none\">",
	    "");
	sanitize_is("<img src=\"/a.gif\" style=\"width:0%\">", "");
	sanitize_is("<img src=\"/a.gif\" style=\"height: 1.0PX\">", "");
	sanitize_is("<img src=\"/b.jpg\" style=\"width:100px;height:1.5px\">",
	    "<img src=\"https://example.com/b.jpg\">");
	sanitize_is("<img src=\"/b.jpg\" style=\"width:1em;height:10px\">",
	    "<img src=\"https://example.com/b.jpg\">");
	sanitize_is("<img src=\"/b.jpg\" style=\"display:block;width:auto\">",
	    "<img src=\"https://example.com/b.jpg\">");
	sanitize_is("<img src=\"/b.jpg\" style=\"font-family:'a;width:0'\">",
	    "<img src=\"https://example.com/b.jpg\">");
	sanitize_is("<img src=\"/b.jpg\" style=\"/*;width:0;*/\">",
	    "<img src=\"https://example.com/b.jpg\">");
	sanitize_is("<img src=\"/b.jpg\" style=\"xwidth:0;width 0;width:-1px\">",
	    "<img src=\"https://example.com/b.jpg\">");
}

/*
 * Markup gumbo fails one of its own assertions on (MathML text inside a
 * table or template): the content reads as its markup, shown as text;
 * every entry point survives it, and a page of it has no feed links.
 */
static void
test_html_gumbo_asserts(void **state)
{
	static const char *const bad[] = {
		"<table><math><mtext><![CDATA[x]]>y",
		"<table><math><select><mtext><template></template><td>",
		("<math><tr><mtext><table><table><th><col><d><template>"
		    "</template></body>"),
	};
	struct gumbo_arena a;
	struct buf	 b = { NULL, 0, 0 };
	char		*html, *text, *again;
	size_t		 i, n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_null(gumbo_guard_parse(&a, bad[i], strlen(bad[i])));
		assert_int_equal(a.fail, GUMBO_GUARD_ASSERT);
		gumbo_guard_done(&a);
		html_content(bad[i], strlen(bad[i]), NULL, 72,
		    HTML_TEXT_LINKS, &html, &text);
		assert_non_null(strstr(html, "&lt;table&gt;") != NULL ?
		    html : strstr(html, "&lt;math&gt;"));
		assert_non_null(strstr(text, bad[i] + strlen(bad[i]) - 5));
		again = html_sanitize(html, strlen(html), NULL);
		assert_string_equal(again, html);
		free(again);
		free(html);
		free(text);
		html_inline_text(&b, bad[i], strlen(bad[i]));
		assert_true(b.len > 0);
		buf_free(&b);
		html_text_v1(&b, bad[i], strlen(bad[i]));
		buf_free(&b);
		n = html_cut(bad[i], strlen(bad[i]));
		assert_true(n == strlen(bad[i]));
	}
}

/*
 * How deep sanitised HTML nests, and how many formatting elements at
 * most are open at once: its tags are all written out and closed, and
 * its text holds no '<'.
 */
static void
nesting(const char *html, size_t *depth, size_t *format)
{
	static const char *const fmt[] = { "a", "b", "big", "code", "em",
	    "i", "s", "small", "strike", "strong", "tt", "u" };
	char		*open = NULL;	/* 1: a formatting element */
	size_t		 n = 0, cap = 0, nf = 0, len, k;
	const char	*p = html;

	*depth = *format = 0;
	while ((p = strchr(p, '<')) != NULL) {
		p++;
		len = strcspn(p, " >");
		if (*p == '/') {
			assert_true(n > 0);
			nf -= (size_t)open[--n];
			continue;
		}
		if ((len == 2 && (strncmp(p, "br", 2) == 0 ||
		    strncmp(p, "hr", 2) == 0)) || (len == 3 &&
		    (strncmp(p, "img", 3) == 0 || strncmp(p, "wbr", 3) == 0)))
			continue;
		if (n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			open = xreallocarray(open, cap, 1);
		}
		open[n] = 0;
		for (k = 0; k < sizeof(fmt) / sizeof(*fmt); k++)
			if (strlen(fmt[k]) == len && strncmp(p, fmt[k], len) == 0)
				open[n] = 1;
		nf += (size_t)open[n++];
		if (n > *depth)
			*depth = n;
		if (nf > *format)
			*format = nf;
	}
	assert_int_equal(n, 0);
	free(open);
}

/* "open" n times; a word of its own every 1,000 times, one at the end. */
static char *
deep(const char *open, size_t n)
{
	struct buf	 b = { NULL, 0, 0 };
	char		 w[32];
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (i % 1000 == 0) {
			snprintf(w, sizeof(w), "w%zu ", i);
			buf_adds(&b, w);
		}
		buf_adds(&b, open);
	}
	buf_adds(&b, "end of it");
	return (b.data);
}

/* Whether each of deep()'s words is in "s". */
static void
has_words(const char *s, size_t n)
{
	char	 w[32];
	size_t	 i;

	for (i = 0; i < n; i += 1000) {
		snprintf(w, sizeof(w), "w%zu", i);
		if (strstr(s, w) == NULL)
			fail_msg("%s lost", w);
	}
	assert_non_null(strstr(s, "end of it"));
}

/*
 * Markup nested thousands deep comes out nested no deeper than 256 (24
 * formatting elements), the deeper elements flattened into the deepest
 * kept: all its text is there, and the output sanitises to itself.
 */
static void
test_html_deep(void **state)
{
	static const struct {
		const char	*open;
		size_t		 n;
	} cases[] = {
		{ "<div>", 5000 },
		{ "<span>", 5000 },
		{ "<ul><li>", 2000 },
		{ "<blockquote>", 3000 },
		{ "<table><tr><td>", 1000 },
		{ "<dl><dd>", 2000 },
		{ "<b><i>", 3000 },
		{ "<p><b>", 3000 },
		{ "<a href=\"https://a.example/\"><div>", 2000 },
		{ "<b><div>x</b>", 2000 },
		{ "<table><caption><div>", 1000 },
		{ "<svg><g><div>", 2000 },
		{ "<ol><li><p><em>", 2000 },
	};
	char	*in, *html, *text, *again;
	size_t	 i, depth, format;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		in = deep(cases[i].open, cases[i].n);
		html_content(in, strlen(in), NULL, 60, HTML_TEXT_LINKS, &html,
		    &text);
		nesting(html, &depth, &format);
		if (depth > 256 || format > 24)
			fail_msg("%s: nested %zu deep, %zu formatting",
			    cases[i].open, depth, format);
		if (strstr(html, "&lt;") != NULL)
			fail_msg("%s: shown as markup", cases[i].open);
		has_words(html, cases[i].n);
		has_words(text, cases[i].n);
		again = html_sanitize(html, strlen(html), NULL);
		if (strcmp(html, again) != 0)
			fail_msg("%s: not a fixed point", cases[i].open);
		free(again);
		free(html);
		free(text);
		free(in);
	}
}

/*
 * Below the limit nothing changes; at it, 256 elements stay, and a table
 * keeps its tbody, tr and td whole (text in a table without them would
 * move out of it when the output is parsed again).
 */
static void
test_html_deep_limit(void **state)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*p;
	char		*in, *html, *again;
	size_t		 i, n, depth, format;

	(void)state;
	for (i = 0; i < 200; i++)
		buf_adds(&b, "<div>");
	buf_adds(&b, "text");
	for (i = 0; i < 200; i++)
		buf_adds(&b, "</div>");
	html = html_sanitize(b.data, b.len, NULL);
	assert_string_equal(html, b.data);
	free(html);
	buf_free(&b);

	in = deep("<div>", 300);
	html = html_sanitize(in, strlen(in), NULL);
	for (n = 0, p = html; (p = strstr(p, "<div>")) != NULL; p++)
		n++;
	assert_int_equal(n, 256);
	free(html);
	free(in);

	in = deep("<table><tr><td>", 100);
	html = html_sanitize(in, strlen(in), NULL);
	nesting(html, &depth, &format);
	assert_true(depth <= 256);
	for (n = 0, p = html; (p = strstr(p, "<table>")) != NULL; p++)
		n++;
	assert_true(n > 50);
	for (p = html, i = 0; (p = strstr(p, "<td>")) != NULL; p++)
		i++;
	assert_int_equal(i, n);
	has_words(html, 100);
	again = html_sanitize(html, strlen(html), NULL);
	assert_string_equal(again, html);
	free(again);
	free(html);
	free(in);
}

/*
 * What gumbo cannot parse within its budget: nesting a hundred thousand
 * deep (its work grows with the square of the depth: minutes), and
 * thousands of unclosed <b>s ahead of many blocks (each piece of text
 * re-opens them all: gigabytes).  The parse stops, the content reads as
 * its markup, and every entry point returns with all of its text.
 */
static void
test_html_budget(void **state)
{
	struct gumbo_arena	 a;
	struct buf		 b = { NULL, 0, 0 };
	char			*in, *html, *text, *again, tag[32];
	size_t			 i;

	(void)state;
	in = deep("<div>", 100000);
	assert_null(gumbo_guard_parse(&a, in, strlen(in)));
	assert_int_equal(a.fail, GUMBO_GUARD_CPU);
	gumbo_guard_done(&a);
	html_content(in, strlen(in), NULL, 0, HTML_TEXT_LINKS, &html, &text);
	assert_non_null(strstr(html, "&lt;div&gt;&lt;div&gt;"));
	has_words(html, 100000);
	has_words(text, 100000);
	again = html_sanitize(html, strlen(html), NULL);
	assert_string_equal(again, html);
	free(again);
	free(html);
	free(text);
	html_inline_text(&b, in, strlen(in));
	has_words(b.data, 100000);
	buf_free(&b);
	html_text_v1(&b, in, strlen(in));
	has_words(b.data, 100000);
	buf_free(&b);
	assert_int_equal(html_cut(in, strlen(in)), strlen(in));
	free(in);

	buf_adds(&b, "<p>");
	for (i = 0; i < 4000; i++) {
		snprintf(tag, sizeof(tag), "<b id=\"b%zu\">", i);
		buf_adds(&b, tag);
	}
	buf_adds(&b, "</p>");
	for (i = 0; i < 20000; i++)
		buf_adds(&b, "<div>x</div>");
	assert_null(gumbo_guard_parse(&a, b.data, b.len));
	assert_true(a.fail == GUMBO_GUARD_CPU || a.fail == GUMBO_GUARD_MEMORY);
	gumbo_guard_done(&a);
	html_content(b.data, b.len, NULL, 0, 0, &html, &text);
	assert_true(strlen(html) < 2 * b.len);
	free(html);
	free(text);
	buf_free(&b);
}

/*
 * Ordinary content well past any feed's size (3 MB of paragraphs, lists,
 * tables, links and images) parses within the budget.
 */
static void
test_html_budget_ordinary(void **state)
{
	struct gumbo_arena	 a;
	struct buf		 b = { NULL, 0, 0 };
	char			 s[256];
	size_t			 i;

	(void)state;
	for (i = 0; b.len < 3 * 1024 * 1024; i++) {
		snprintf(s, sizeof(s), "<p>Paragraph %zu with <a href=\"https:"
		    "//ex.example/%zu\">a link</a> and <em>some</em> text.</p>"
		    "<ul><li>one</li><li>two</li></ul><table><tr><td>%zu</td>"
		    "<td>x</td></tr></table><img src=\"/i/%zu.png\" alt=\"\">"
		    "\n", i, i, i, i);
		buf_adds(&b, s);
	}
	assert_non_null(gumbo_guard_parse(&a, b.data, b.len));
	assert_int_equal(a.fail, GUMBO_GUARD_OK);
	gumbo_guard_done(&a);
	buf_free(&b);
}

/*
 * Trees gumbo builds that the output, parsed again, would not give back:
 * an rt that an unwrapped element kept inside a list item (parsed again,
 * the rt closes the li), and an element the adoption agency left inside
 * a table outside its cells (parsed again, it moves out in front).  The
 * first keeps its text without the rt; the second goes.  Ruby and tables
 * as written are unchanged.
 */
static void
test_html_fixed_points(void **state)
{
	static const struct {
		const char	*in, *out;
	} cases[] = {
		{ "<ruby><li><x><rt>y", "<ruby><li>y</li></ruby>" },
		{ "<ruby><b><rt>y</rt></b></ruby>", "<ruby><b>y</b></ruby>" },
		{ "<ruby>\xe6\xbc\xa2<rt>kan</rt><rp>(</rp><rt>ji</rt></ruby>",
		    "<ruby>\xe6\xbc\xa2<rt>kan</rt><rp>(</rp><rt>ji</rt></ruby>" },
		{ "<big><table><strike><big><i><n><b><div>T</strike></big>",
		    "<big><strike><big><i><b></b></i></big></strike><i><b></b>"
		    "</i></big><i><b><div><big><strike>T</strike></big></div>"
		    "</b></i><table></table>" },
		{ "<table> <tr> <td>a</td> </tr> </table>",
		    "<table> <tbody><tr> <td>a</td> </tr> </tbody></table>" },
	};
	char	*html, *again;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		html = html_sanitize(cases[i].in, strlen(cases[i].in), NULL);
		assert_string_equal(html, cases[i].out);
		again = html_sanitize(html, strlen(html), NULL);
		assert_string_equal(again, html);
		free(again);
		free(html);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_corpus),
		cmocka_unit_test(test_html_titles),
		cmocka_unit_test(test_html_item),
		cmocka_unit_test(test_html_widths),
		cmocka_unit_test(test_html_flags),
		cmocka_unit_test(test_html_noncharacters),
		cmocka_unit_test(test_html_wrap),
		cmocka_unit_test(test_html_image_marker),
		cmocka_unit_test(test_html_tracking_css),
		cmocka_unit_test(test_html_gumbo_asserts),
		cmocka_unit_test(test_html_deep),
		cmocka_unit_test(test_html_deep_limit),
		cmocka_unit_test(test_html_budget),
		cmocka_unit_test(test_html_budget_ordinary),
		cmocka_unit_test(test_html_fixed_points),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
