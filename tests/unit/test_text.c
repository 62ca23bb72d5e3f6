/*
 * test_text.c: the text transforms of text.h on UTF-8 (RFC 3629):
 * encoding code points, validating and cutting sequences, trimming,
 * folding white space, HTML to text (Atom type="html" titles), HTML
 * escaping and wrapping at a width (UAX #14 break opportunities).  Byte sequences below were encoded by hand from the RFC 3629
 * table: U+00E9 é is C3 A9, U+20AC € is E2 82 AC, U+1F600 is F0 9F 98 80.
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
#include "text.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static void	put_is(uint32_t, const char *);
static void	valid_is(const char *, size_t, size_t, int);
static void	html_is(const char *, const char *);
static void	escape_is(const char *, int, const char *);
static void	plain_is(const char *, size_t, const char *, int);

static void	test_text_utf8_put_ascii(void **);
static void	test_text_utf8_put_multibyte(void **);
static void	test_text_utf8_put_invalid(void **);
static void	test_text_utf8_put_appends(void **);
static void	test_text_utf8_valid_good(void **);
static void	test_text_utf8_valid_bad(void **);
static void	test_text_utf8_valid_truncated(void **);
static void	test_text_utf8_valid_multi_null(void **);
static void	test_text_utf8_cut(void **);
static void	test_text_trim(void **);
static void	test_text_trim_length(void **);
static void	test_text_fold(void **);
static void	test_text_fold_length(void **);
static void	test_text_html_to_text_tags(void **);
static void	test_text_html_to_text_entities(void **);
static void	test_text_html_to_text_not_tags(void **);
static void	test_text_html_to_text_length(void **);
static void	test_text_looks_html_yes(void **);
static void	test_text_looks_html_no(void **);
static void	test_text_looks_html_length(void **);
static void	test_text_html_title_keeps_text(void **);
static void	test_text_escape_html(void **);
static void	test_text_escape_html_length(void **);
static void	test_text_plain_html(void **);
static void	test_text_plain_html_max(void **);
static void	test_text_expand_tabs(void **);
static void	test_text_wrap_punctuation(void **);
static void	test_text_wrap_cjk(void **);
static void	test_text_wrap_clusters(void **);
static void	test_text_wrap_words(void **);
static void	test_text_wrap_lines(void **);

/* text_utf8_put(cp) must append exactly "want". */
static void
put_is(uint32_t cp, const char *want)
{
	struct buf	b = { NULL, 0, 0 };
	int		ok;

	text_utf8_put(&b, cp);
	ok = b.len == strlen(want) && memcmp(b.data, want, b.len) == 0;
	if (!ok)
		print_error("text_utf8_put(U+%04X): %zu bytes, want %zu\n",
		    (unsigned int)cp, b.len, strlen(want));
	buf_free(&b);
	if (!ok)
		fail();
}

/* text_utf8_valid(s, len) must return "want" and set multi to "multi". */
static void
valid_is(const char *s, size_t len, size_t want, int multi)
{
	size_t	got;
	int	m = -1;

	got = text_utf8_valid(s, len, &m);
	if (got != want)
		fail_msg("text_utf8_valid(%zu bytes): %zu valid, want %zu",
		    len, got, want);
	if (m != multi)
		fail_msg("text_utf8_valid(%zu bytes): multi %d, want %d", len,
		    m, multi);
}

/* HTML to text, then folded as the parser does for titles. */
static void
html_is(const char *html, const char *want)
{
	struct buf	 b = { NULL, 0, 0 };
	char		*got;
	int		 ok;

	text_html_to_text(&b, html, strlen(html));
	got = text_fold(b.data != NULL ? b.data : "", b.len);
	if (!(ok = strcmp(got, want) == 0))
		print_error("html \"%s\": want \"%s\", got \"%s\"\n", html,
		    want, got);
	free(got);
	buf_free(&b);
	if (!ok)
		fail();
}

/* text_looks_html(s) must say "want". */
static void
looks_is(const char *s, int want)
{
	int	got = text_looks_html(s, strlen(s));

	if (got != want) {
		print_error("\"%s\": want %s, got %s\n", s, want ? "HTML" :
		    "text", got ? "HTML" : "text");
		fail();
	}
}

/* text_html_title(html), folded, must be "want". */
static void
title_is(const char *html, const char *want)
{
	struct buf	 b = { NULL, 0, 0 };
	char		*got;
	int		 ok;

	text_html_title(&b, html, strlen(html));
	got = text_fold(b.data != NULL ? b.data : "", b.len);
	if (!(ok = strcmp(got, want) == 0))
		print_error("title \"%s\": want \"%s\", got \"%s\"\n", html,
		    want, got);
	free(got);
	buf_free(&b);
	if (!ok)
		fail();
}

static void
escape_is(const char *s, int attr, const char *want)
{
	struct buf	b = { NULL, 0, 0 };
	int		ok;

	text_escape_html(&b, s, strlen(s), attr);
	ok = b.len == strlen(want) && (b.len == 0 || memcmp(b.data, want,
	    b.len) == 0);
	if (!ok)
		print_error("escape \"%s\" (attr %d): want \"%s\", got "
		    "\"%.*s\"\n", s, attr, want, (int)b.len,
		    b.data != NULL ? b.data : "");
	buf_free(&b);
	if (!ok)
		fail();
}

static void
test_text_utf8_put_ascii(void **state)
{
	(void)state;
	put_is('A', "A");
	put_is(0x7f, "\x7f");
	put_is('<', "<");
}

/* The boundaries of each length (RFC 3629 section 3). */
static void
test_text_utf8_put_multibyte(void **state)
{
	(void)state;
	put_is(0x80, "\xc2\x80");
	put_is(0xe9, "\xc3\xa9");
	put_is(0x7ff, "\xdf\xbf");
	put_is(0x800, "\xe0\xa0\x80");
	put_is(0x20ac, "\xe2\x82\xac");
	put_is(0xfffd, "\xef\xbf\xbd");
	put_is(0xffff, "\xef\xbf\xbf");
	put_is(0x10000, "\xf0\x90\x80\x80");
	put_is(0x1f600, "\xf0\x9f\x98\x80");
	put_is(0x10ffff, "\xf4\x8f\xbf\xbf");
}

/* Surrogates and code points past U+10FFFF are not characters: U+FFFD. */
static void
test_text_utf8_put_invalid(void **state)
{
	(void)state;
	put_is(0xd800, "\xef\xbf\xbd");
	put_is(0xdfff, "\xef\xbf\xbd");
	put_is(0x110000, "\xef\xbf\xbd");
	put_is(0xffffffffU, "\xef\xbf\xbd");
}

static void
test_text_utf8_put_appends(void **state)
{
	struct buf	b = { NULL, 0, 0 };

	(void)state;
	buf_adds(&b, "caf");
	text_utf8_put(&b, 0xe9);
	text_utf8_put(&b, '!');
	assert_int_equal(b.len, 6);
	assert_string_equal(b.data, "caf\xc3\xa9!");
	buf_free(&b);
}

static void
test_text_utf8_valid_good(void **state)
{
	(void)state;
	valid_is("", 0, 0, 0);
	valid_is("plain ascii", 11, 11, 0);
	valid_is("caf\xc3\xa9", 5, 5, 1);
	valid_is("\xe2\x82\xac" "5", 4, 4, 1);
	valid_is("\xf0\x9f\x98\x80", 4, 4, 1);
	valid_is("\xf4\x8f\xbf\xbf", 4, 4, 1);
	valid_is("\xed\x9f\xbf", 3, 3, 1);		/* U+D7FF */
	valid_is("\xee\x80\x80", 3, 3, 1);		/* U+E000 */
	/* The length is a length, not a NUL search. */
	valid_is("ab\0cd", 5, 5, 0);
}

/* RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF. */
static void
test_text_utf8_valid_bad(void **state)
{
	(void)state;
	valid_is("ab\xc0\x80", 4, 2, 0);		/* overlong NUL */
	valid_is("ab\xc1\xbf", 4, 2, 0);		/* overlong 0x7f */
	valid_is("\xe0\x80\xaf", 3, 0, 0);		/* overlong '/' */
	valid_is("\xe0\x9f\xbf", 3, 0, 0);		/* overlong U+07FF */
	valid_is("\xf0\x80\x80\xaf", 4, 0, 0);		/* overlong '/' */
	valid_is("\xf0\x8f\xbf\xbf", 4, 0, 0);		/* overlong U+FFFF */
	valid_is("x\xed\xa0\x80", 4, 1, 0);		/* U+D800 */
	valid_is("x\xed\xbf\xbf", 4, 1, 0);		/* U+DFFF */
	valid_is("\xf4\x90\x80\x80", 4, 0, 0);		/* U+110000 */
	valid_is("\xf5\x80\x80\x80", 4, 0, 0);
	valid_is("\xff", 1, 0, 0);
	valid_is("\xfe\xff", 2, 0, 0);
	valid_is("a\x80" "b", 3, 1, 0);			/* lone trail */
	valid_is("caf\xe9 ok", 7, 3, 0);		/* Latin-1 é */
	valid_is("\xc3\xa9\xc3(", 4, 2, 1);		/* bad trail */
	valid_is("\xe2\x82(", 3, 0, 0);
}

/* A sequence cut by the end of the length is not (yet) valid. */
static void
test_text_utf8_valid_truncated(void **state)
{
	(void)state;
	valid_is("ab\xc3", 3, 2, 0);
	valid_is("ab\xe2\x82", 4, 2, 0);
	valid_is("ab\xf0\x9f\x98", 5, 2, 0);
	valid_is("\xc3\xa9\xf0\x9f", 4, 2, 1);
	/* Exactly at the end is complete. */
	valid_is("ab\xc3\xa9", 4, 4, 1);
	valid_is("ab\xf0\x9f\x98\x80", 6, 6, 1);
}

static void
test_text_utf8_valid_multi_null(void **state)
{
	(void)state;
	assert_int_equal(text_utf8_valid("caf\xc3\xa9", 5, NULL), 5);
	assert_int_equal(text_utf8_valid("caf\xe9", 4, NULL), 3);
}

/* The largest length <= len that does not split a sequence. */
static void
test_text_utf8_cut(void **state)
{
	/* "aé€😀": a C3 A9 E2 82 AC F0 9F 98 80, 10 bytes. */
	static const char	s[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
	static const size_t	want[] = {
		0,	/* 0 */
		1,	/* 1: after "a" */
		1,	/* 2: inside é */
		3,	/* 3: after é */
		3,	/* 4: inside € */
		3,	/* 5: inside € */
		6,	/* 6: after € */
		6,	/* 7: inside 😀 */
		6,	/* 8 */
		6,	/* 9 */
		10,	/* 10: the end (s[10] is the NUL) */
	};
	size_t			len;

	(void)state;
	for (len = 0; len < NITEMS(want); len++)
		if (text_utf8_cut(s, len) != want[len])
			fail_msg("text_utf8_cut(len %zu) = %zu, want %zu", len,
			    text_utf8_cut(s, len), want[len]);
	assert_int_equal(text_utf8_cut("plain", 3), 3);
}

static void
test_text_trim(void **state)
{
	static const struct {
		const char	*in;
		const char	*want;
	} cases[] = {
		{ "", "" },
		{ "   ", "" },
		{ "a", "a" },
		{ "  a b  ", "a b" },
		{ "\n\t\r\f\v x \n", "x" },
		{ "\n  <p>Line one</p>\n\n  <p>Line   two</p>   \n",
		    "<p>Line one</p>\n\n  <p>Line   two</p>" },
		/* U+00A0 is not white space to trim. */
		{ "\xc2\xa0" "a" "\xc2\xa0", "\xc2\xa0" "a" "\xc2\xa0" },
	};
	char	*got;
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(cases); i++) {
		got = text_trim(cases[i].in, strlen(cases[i].in));
		if (strcmp(got, cases[i].want) != 0) {
			print_error("text_trim(\"%s\") = \"%s\", want "
			    "\"%s\"\n", cases[i].in, got, cases[i].want);
			free(got);
			fail();
		}
		free(got);
	}
}

/* Only "len" bytes are read, and the copy is NUL-terminated. */
static void
test_text_trim_length(void **state)
{
	char	*got;

	(void)state;
	got = text_trim("  abc  xyz", 5);
	assert_string_equal(got, "abc");
	free(got);
	got = text_trim("abc", 0);
	assert_string_equal(got, "");
	free(got);
}

static void
test_text_fold(void **state)
{
	static const struct {
		const char	*in;
		const char	*want;
	} cases[] = {
		{ "", "" },
		{ "   \n\t ", "" },
		{ "a", "a" },
		{ "  a  ", "a" },
		{ "\n\tSpaced\t\tout \n  title  ", "Spaced out title" },
		{ "a\r\nb\fc\vd", "a b c d" },
		{ "one two", "one two" },
		/* U+00A0 is a character, not a separator. */
		{ "a\xc2\xa0 b", "a\xc2\xa0 b" },
		{ "caf\xc3\xa9   \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac" },
		/* Longer than a word: text_fold copies 8 bytes at a time. */
		{ "https://example.com/2024/07/a-long-slug-for-a-post/",
		    "https://example.com/2024/07/a-long-slug-for-a-post/" },
		{ "  averyverylongword\t\tandanotherlongword  \n",
		    "averyverylongword andanotherlongword" },
		{ "12345678 12345678\n\n12345678", "12345678 12345678 12345678" },
		{ "1234567 123456789\r\n\f\v1234567x",
		    "1234567 123456789 1234567x" },
		/* Control bytes are not white space, and stay. */
		{ "abcdefg\x01hijklmno\x1fpqrstuvw", "abcdefg\x01hijklmno\x1f"
		    "pqrstuvw" },
		{ "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 \xc3\xa9\xc3\xa9\xc3\xa9"
		    "\xc3\xa9", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9 \xc3\xa9"
		    "\xc3\xa9\xc3\xa9\xc3\xa9" },
	};
	char	*got;
	size_t	 i;

	(void)state;
	for (i = 0; i < NITEMS(cases); i++) {
		got = text_fold(cases[i].in, strlen(cases[i].in));
		if (strcmp(got, cases[i].want) != 0) {
			print_error("text_fold(\"%s\") = \"%s\", want "
			    "\"%s\"\n", cases[i].in, got, cases[i].want);
			free(got);
			fail();
		}
		free(got);
	}
}

static void
test_text_fold_length(void **state)
{
	char	*got;

	(void)state;
	got = text_fold("a  b  c", 4);
	assert_string_equal(got, "a b");
	free(got);
}

/* Tags go; words on either side of a tag stay apart. */
static void
test_text_html_to_text_tags(void **state)
{
	(void)state;
	html_is("<p>Hi</p>", "Hi");
	html_is("Atom-Powered <b>Robots</b> Run Amok", "Atom-Powered Robots "
	    "Run Amok");
	html_is("line one<br>line two", "line one line two");
	html_is("line one<br/>line two", "line one line two");
	html_is("<a href=\"http://x/?a=1&amp;b=2\" title='x > y'>link</a>",
	    "link");
	html_is("a <!-- comment --> b", "a b");
	html_is("<![CDATA[x]]>", "");
	html_is("<P CLASS=\"x\">Upper</P>", "Upper");
}

/* Entities decode: XML's five, numeric references, HTML's named set. */
static void
test_text_html_to_text_entities(void **state)
{
	(void)state;
	html_is("Ben &amp; Jerry", "Ben & Jerry");
	html_is("&lt;script&gt;", "<script>");
	html_is("&quot;q&quot; &apos;a&apos;", "\"q\" 'a'");
	html_is("caf&#233; caf&#xe9; caf&#XE9;", "caf\xc3\xa9 caf\xc3\xa9 "
	    "caf\xc3\xa9");
	html_is("&#8217;&#x1F600;", "\xe2\x80\x99\xf0\x9f\x98\x80");
	html_is("caf&eacute; &mdash; &hellip; &rsquo;&nbsp;&euro;",
	    "caf\xc3\xa9 \xe2\x80\x94 \xe2\x80\xa6 \xe2\x80\x99\xc2\xa0"
	    "\xe2\x82\xac");
	/* Decoded once: a double-escaped entity stays an entity. */
	html_is("&amp;lt;b&amp;gt;", "&lt;b&gt;");
	/* Not entities: kept as written. */
	html_is("&foo; &; & AT&T &#; &#x; &#xZZ;", "&foo; &; & AT&T &#; "
	    "&#x; &#xZZ;");
	html_is("no semicolon &amp here", "no semicolon &amp here");
	/* Entity names are case-sensitive: &Eacute; is É, &EACUTE; is not. */
	html_is("&Eacute; &EACUTE;", "\xc3\x89 &EACUTE;");
}

/* A "<" that does not start a tag is text. */
static void
test_text_html_to_text_not_tags(void **state)
{
	(void)state;
	html_is("5 < 6 and 7 > 3", "5 < 6 and 7 > 3");
	html_is("x <= y", "x <= y");
	html_is("trailing <", "trailing <");
	html_is("a<1", "a<1");
}

/* Only "len" bytes are read. */
static void
test_text_html_to_text_length(void **state)
{
	struct buf	b = { NULL, 0, 0 };

	(void)state;
	text_html_to_text(&b, "abc&amp;def", 5);
	buf_addc(&b, '\0');
	assert_string_equal(b.data, "abc&a");
	buf_free(&b);
}

/*
 * An RSS title is HTML when it holds a reference left after XML decoding
 * or an inline end tag or a <br>, and no tag outside the inline set.
 */
static void
test_text_looks_html_yes(void **state)
{
	(void)state;
	looks_is("<b>Bold</b> news", 1);
	looks_is("<B>Bold</B> news", 1);
	looks_is("Tom &amp; Jerry", 1);
	looks_is("It&#8217;s", 1);
	looks_is("It&#x2019;s", 1);
	looks_is("Caf&eacute;", 1);
	looks_is("line one<br>line two", 1);
	looks_is("line one<br/>line two", 1);
	looks_is("line one<br />line two", 1);
	looks_is("<a href=\"http://x.example/\">x</a>", 1);
	looks_is("<span class=\"x\">H</span><sub>2</sub>O", 1);
	looks_is("<em>a</em> <strong>b</strong> <code>c</code> <i>d</i>", 1);
	looks_is("<abbr>a</abbr><cite>b</cite><q>c</q><small>d</small>"
	    "<mark>e</mark><s>f</s><u>g</u><del>h</del><ins>i</ins><tt>j</tt>"
	    "<kbd>k</kbd><var>l</var><samp>m</samp><font>n</font><sup>o</sup>",
	    1);
	/* A "<" that starts no tag is no tag: "x <3" is text in HTML. */
	looks_is("I <3 <b>cats</b>", 1);
	looks_is("5 < 6 &amp; 7", 1);
}

/* Titles that talk about tags, or hold no sign of HTML, are text. */
static void
test_text_looks_html_no(void **state)
{
	(void)state;
	looks_is("", 0);
	looks_is("Plain title", 0);
	looks_is("Using the <div> element in HTML5", 0);
	looks_is("Why <script> tags block rendering", 0);
	looks_is("Vector<T> in C++ and Map<K, V>", 0);
	looks_is("if (a <b && c> d)", 0);
	looks_is("Loops: <i> and <b> as names", 0);
	looks_is("AT&T and Q&A", 0);
	looks_is("Unknown &foo; stays", 0);
	looks_is("no semicolon &amp here", 0);
	looks_is("5 < 6 and 7 > 3", 0);
	looks_is("trailing <", 0);
	looks_is("a</", 0);
	/* One tag outside the inline set is enough. */
	looks_is("<style>b{}</style> vs <b>bold</b>", 0);
	looks_is("std::vector<int> &amp; friends", 0);
	looks_is("<b>Bold</b> <script>x</script>", 0);
	looks_is("<b>Bold</b> <div>x</div>", 0);
	looks_is("<b>x</b> </div>", 0);
	looks_is("<bold>x</bold>", 0);
	looks_is("<b-x>x</b-x>", 0);
}

/* Only "len" bytes are read. */
static void
test_text_looks_html_length(void **state)
{
	(void)state;
	assert_int_equal(text_looks_html("x &amp; y", 6), 0);
	assert_int_equal(text_looks_html("x &amp; y", 7), 1);
	assert_int_equal(text_looks_html("<b>x</b><div>", 8), 1);
	assert_int_equal(text_looks_html("<b>x</b", 7), 0);
	/* A NUL is no end of a tag name. */
	assert_int_equal(text_looks_html("<i\0x></i>", 9), 0);
}

/*
 * An HTML title keeps the text an element left open took in (a script,
 * a style, a textarea would hide the rest of it); a closed script goes.
 */
static void
test_text_html_title_keeps_text(void **state)
{
	(void)state;
	title_is("<b>Bold</b> news", "Bold news");
	title_is("Tom &amp; Jerry", "Tom & Jerry");
	title_is("It&#8217;s", "It\xe2\x80\x99s");
	title_is("H<sub>2</sub>O", "H2O");
	title_is("Why <script> tags block rendering",
	    "Why tags block rendering");
	title_is("Why <style> matters", "Why matters");
	title_is("<b>x</b> <textarea>y z", "x y z");
	title_is("a <select>b c", "a b c");
	title_is("a <svg>b c", "a b c");
	title_is("Code<script>var a=1</script>end", "Codeend");
	title_is("<style>b{}</style>Hi", "Hi");
	/* Summaries still drop what a browser hides. */
	html_is("Why <script> tags block rendering", "Why");
}

static void
test_text_escape_html(void **state)
{
	(void)state;
	escape_is("", 0, "");
	escape_is("plain", 0, "plain");
	escape_is("a < b & c > d", 0, "a &lt; b &amp; c &gt; d");
	escape_is("say \"hi\" 'there'", 0, "say \"hi\" 'there'");
	escape_is("say \"hi\" 'there'", 1, "say &quot;hi&quot; 'there'");
	escape_is("&amp;", 0, "&amp;amp;");
	escape_is("caf\xc3\xa9 <\xe2\x82\xac>", 1, "caf\xc3\xa9 &lt;"
	    "\xe2\x82\xac&gt;");
	/* Longer than a word: runs without & < > " are skipped 8 at once. */
	escape_is("a fairly long run of text & then <b>more</b> text", 0,
	    "a fairly long run of text &amp; then &lt;b&gt;more&lt;/b&gt; "
	    "text");
	escape_is("01234567\"01234567&01234567<>", 1, "01234567&quot;"
	    "01234567&amp;01234567&lt;&gt;");
	escape_is("01234567\"01234567", 0, "01234567\"01234567");
}

/* Only "len" bytes; the output is appended. */
static void
test_text_escape_html_length(void **state)
{
	struct buf	b = { NULL, 0, 0 };

	(void)state;
	buf_adds(&b, "x=");
	text_escape_html(&b, "<a>&<b>", 4, 0);
	buf_addc(&b, '\0');
	assert_string_equal(b.data, "x=&lt;a&gt;&amp;");
	buf_free(&b);
}

/* One line of text from HTML, cut on a character with "...". */
static void
test_text_summary(void **state)
{
	char	*s;

	s = text_summary("<p>Kim  Geum\n Chol <b>left</b> &amp; flew.</p>",
	    100);
	assert_string_equal(s, "Kim Geum Chol left & flew.");
	free(s);
	/* 5 bytes fit "ab" and the first 2-byte "\xc3\xa9" but not the next. */
	s = text_summary("ab\xc3\xa9\xc3\xa9", 5);
	assert_string_equal(s, "ab\xc3\xa9...");
	free(s);
	s = text_summary("", 10);
	assert_string_equal(s, "");
	free(s);
}

/* text_wrap()'s lines, each ended by '\n', into the buffer "arg". */
static void
wrap_line_cb(void *arg, const char *s, size_t len)
{
	buf_add(arg, s, len);
	buf_addc(arg, '\n');
}

static void
wrap_is(const char *in, size_t cols, const char *want)
{
	struct buf	b = { NULL, 0, 0 };

	text_wrap(in, strlen(in), cols, wrap_line_cb, &b);
	assert_non_null(b.data);
	assert_string_equal(b.data, want);
	buf_free(&b);
}

/* Korean text, then U+1F389 twice and a family emoji (ZWJ sequence). */
#define KOREAN	"\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 " \
		"\xeb\xac\xb8\xec\x9e\xa5\xeb\x8f\x84 " \
		"\xec\x9e\x88\xec\x8a\xb5\xeb\x8b\x88\xeb\x8b\xa4"
#define PARTY	"\xf0\x9f\x8e\x89"
#define FAMILY	"\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d" \
		"\xf0\x9f\x91\xa7\xe2\x80\x8d\xf0\x9f\x91\xa6"

/*
 * Trial 14: at 72 columns the line broke between the last Hangul
 * syllable and the full stop (UAX #14 class IS: no break before it).
 * The 49 columns of Latin and "한국어 문장도 있습니다" (22 columns) end at
 * column 72 exactly: the stop cannot go alone, and Korean, written with
 * spaces, breaks at a space, not inside the word.
 */
static void
test_text_wrap_punctuation(void **state)
{
	wrap_is("Mixed scripts in one paragraph, Latin text first: " KOREAN
	    ". " PARTY PARTY FAMILY " family emoji.", 72,
	    "Mixed scripts in one paragraph, Latin text first: "
	    "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 "
	    "\xeb\xac\xb8\xec\x9e\xa5\xeb\x8f\x84\n"
	    "\xec\x9e\x88\xec\x8a\xb5\xeb\x8b\x88\xeb\x8b\xa4. "
	    PARTY PARTY FAMILY " family emoji.\n");
	/* Nor before a comma or a closing bracket. */
	wrap_is("aaaaaaa (b), c", 11, "aaaaaaa\n(b), c\n");
	wrap_is("aaaaaaaa bb, c", 11, "aaaaaaaa\nbb, c\n");
}

/*
 * Japanese: two columns a character, breaks between ideographs and kana
 * where UAX #14 allows, never before 。、」 (CL) nor after 「 (OP).
 * 漢字の文章です。「括弧」と、読点。 at 10 columns (5 characters a line):
 * no line starts with 。、」 and none ends with 「.
 */
static void
test_text_wrap_cjk(void **state)
{
	wrap_is("\xe6\xbc\xa2\xe5\xad\x97\xe3\x81\xae\xe6\x96\x87\xe7\xab\xa0"
	    "\xe3\x81\xa7\xe3\x81\x99\xe3\x80\x82\xe3\x80\x8c\xe6\x8b\xac"
	    "\xe5\xbc\xa7\xe3\x80\x8d\xe3\x81\xa8\xe3\x80\x81\xe8\xaa\xad"
	    "\xe7\x82\xb9\xe3\x80\x82", 10,
	    /* 漢字の文章 */
	    "\xe6\xbc\xa2\xe5\xad\x97\xe3\x81\xae\xe6\x96\x87\xe7\xab\xa0\n"
	    /* です。「括 */
	    "\xe3\x81\xa7\xe3\x81\x99\xe3\x80\x82\xe3\x80\x8c\xe6\x8b\xac\n"
	    /* 弧」と、読 */
	    "\xe5\xbc\xa7\xe3\x80\x8d\xe3\x81\xa8\xe3\x80\x81\xe8\xaa\xad\n"
	    /* 点。 */
	    "\xe7\x82\xb9\xe3\x80\x82\n");
	/* At 8 columns "です。「括" cannot end on 「: it goes down with 括. */
	wrap_is("\xe6\x96\x87\xe3\x81\xa7\xe3\x81\x99\xe3\x80\x82"
	    "\xe3\x80\x8c\xe6\x8b\xac", 8,
	    "\xe6\x96\x87\xe3\x81\xa7\xe3\x81\x99\xe3\x80\x82\n"
	    "\xe3\x80\x8c\xe6\x8b\xac\n");
	/* Latin after an ideograph with no space may start a line. */
	wrap_is("\xe6\xbc\xa2\xe5\xad\x97" "abc", 4,
	    "\xe6\xbc\xa2\xe5\xad\x97\nabc\n");
}

/*
 * A character cluster never parts, and is as wide as its widest
 * character: a family emoji (four emoji joined by U+200D) is two
 * columns, as a terminal shows it, where the code points sum to eight.
 */
static void
test_text_wrap_clusters(void **state)
{
	wrap_is(FAMILY FAMILY, 2, FAMILY "\n" FAMILY "\n");
	wrap_is("ab " FAMILY FAMILY " x", 4, "ab\n" FAMILY FAMILY "\nx\n");
	/* e and U+0301 (combining acute): one column, one cluster. */
	wrap_is("e\xcc\x81" "e\xcc\x81 e\xcc\x81", 3,
	    "e\xcc\x81" "e\xcc\x81\ne\xcc\x81\n");
	/* U+FFFF (libunibreak 1.1's end of text: it aborted) is a character. */
	wrap_is("a\xef\xbf\xbf b \xef\xbf\xbf", 3,
	    "a\xef\xbf\xbf\nb \xef\xbf\xbf\n");
	/* A stray byte is a column of its own; spaces still break. */
	wrap_is("ab\xff" "cd efg", 5, "ab\xff" "cd\nefg\n");
}

/*
 * Text written with spaces breaks at its spaces only: a URL or a
 * hyphenated word stays whole (longer than the line, it stands alone),
 * and U+00A0 (no-break space) joins.
 */
static void
test_text_wrap_words(void **state)
{
	wrap_is("see https://example.org/a-long/path here", 10,
	    "see\nhttps://example.org/a-long/path\nhere\n");
	wrap_is("a well-known fact", 8, "a\nwell-known\nfact\n");
	wrap_is("ab 10\xc2\xa0km", 6, "ab\n10\xc2\xa0km\n");
	wrap_is("one two three", 7, "one two\nthree\n");
	wrap_is("  lead  and  trail  ", 9, "lead  and\ntrail\n");
}

/* '\n' ends a line, blank ones kept; width 0 leaves each as it is. */
static void
test_text_wrap_lines(void **state)
{
	wrap_is("one two\n\n  three", 5, "one\ntwo\n\nthree\n");
	wrap_is("one two\n  three ", 0, "one two\n  three \n");
	wrap_is("", 10, "\n");
}

/* text_plain_html(s, max) must append "want" and return "cut". */
static void
plain_is(const char *s, size_t max, const char *want, int cut)
{
	struct buf	b = { NULL, 0, 0 };
	int		got;

	buf_adds(&b, "[");
	got = text_plain_html(&b, s, strlen(s), max);
	if (strcmp(b.data + 1, want) != 0 || got != cut)
		fail_msg("text_plain_html(\"%s\", %zu): \"%s\" (%d), want "
		    "\"%s\" (%d)", s, max, b.data + 1, got, want, cut);
	buf_free(&b);
}

/*
 * Plain text reads the same as HTML: markup characters escaped, a blank
 * line a paragraph, any other line end a <br>; one paragraph unwrapped.
 */
static void
test_text_plain_html(void **state)
{
	(void)state;
	plain_is("", SIZE_MAX, "", 0);
	plain_is("Nothing to do: as it was.", SIZE_MAX,
	    "Nothing to do: as it was.", 0);
	plain_is("Use <stdio.h> and write x &lt; y literally.", SIZE_MAX,
	    "Use &lt;stdio.h&gt; and write x &amp;lt; y literally.", 0);
	plain_is("one\ntwo\r\nthree\rfour", SIZE_MAX,
	    "one<br>\ntwo<br>\nthree<br>\nfour", 0);
	plain_is("Use <stdio.h>.\nSecond line\n\nNew para: "
	    "for (i=0;i<n;i++) {}", SIZE_MAX,
	    "<p>Use &lt;stdio.h&gt;.<br>\nSecond line</p>\n"
	    "<p>New para: for (i=0;i&lt;n;i++) {}</p>", 0);
	/* Blank lines of white space, several in a row, CRLF. */
	plain_is("a\r\n \t\r\n\r\nb\nc\n\n\n", SIZE_MAX,
	    "<p>a</p>\n<p>b<br>\nc</p>", 0);
	/* Leading blank lines start no empty paragraph. */
	plain_is("\n\na\n\nb", SIZE_MAX, "<p>a</p>\n<p>b</p>", 0);
	/* Only ASCII is markup: UTF-8 passes, "\"" needs nothing in text. */
	plain_is("caf\xc3\xa9 \"q\" 1 > 0", SIZE_MAX,
	    "caf\xc3\xa9 \"q\" 1 &gt; 0", 0);
}

/* Held to "max" bytes: on a character, never in an entity, </p> kept. */
static void
test_text_plain_html_max(void **state)
{
	(void)state;
	plain_is("abcdef", 6, "abcdef", 0);
	plain_is("abcdef", 4, "abcd", 1);
	/* "&lt;" does not fit in 3: none of it. */
	plain_is("ab<c", 5, "ab", 1);
	plain_is("ab<c", 6, "ab&lt;", 1);
	/* U+00E9 is two bytes: not split. */
	plain_is("a\xc3\xa9", 2, "a", 1);
	/* Paragraphs close within the limit: 3 + 1 + 4 = 8. */
	plain_is("abc\n\ndef", 8, "<p>a</p>", 1);
	plain_is("abc\n\ndef", 13, "<p>abc</p>", 1);
	plain_is("abc\n\ndef", 21, "<p>abc</p>\n<p>def</p>", 0);
	plain_is("abc\n\ndef", 20, "<p>abc</p>\n<p>de</p>", 1);
	/* A <br> whole or not at all. */
	plain_is("ab\ncd", 5, "ab", 1);
	plain_is("ab\ncd", 8, "ab<br>\nc", 1);
}

/* TABs to the next multiple of 8 display columns from the line start. */
static void
test_text_expand_tabs(void **state)
{
	static const char *const cases[][2] = {
		{ "", "" },
		{ "no tab\n", "no tab\n" },
		{ "\tx", "        x" },
		{ "a\tb", "a       b" },
		{ "1234567\tx", "1234567 x" },
		{ "12345678\tx", "12345678        x" },
		{ "a\t\tb", "a               b" },
		/* Each line counts from its start. */
		{ "abc\n\tx\nab\ty", "abc\n        x\nab      y" },
		/* Columns, not bytes: U+00E9 is one, U+6771 two. */
		{ "caf\xc3\xa9\tx", "caf\xc3\xa9    x" },
		{ "\xe6\x9d\xb1\xe6\x9d\xb1\xe6\x9d\xb1\tx",
		    "\xe6\x9d\xb1\xe6\x9d\xb1\xe6\x9d\xb1  x" },
		{ "end\t", "end     " },
	};
	struct buf	b = { NULL, 0, 0 };
	size_t		i;

	(void)state;
	for (i = 0; i < NITEMS(cases); i++) {
		buf_clear(&b);
		buf_adds(&b, "");
		text_expand_tabs(&b, cases[i][0], strlen(cases[i][0]));
		if (strcmp(b.data, cases[i][1]) != 0)
			fail_msg("text_expand_tabs(\"%s\"): \"%s\", want \"%s\"",
			    cases[i][0], b.data, cases[i][1]);
	}
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_utf8_put_ascii),
		cmocka_unit_test(test_text_utf8_put_multibyte),
		cmocka_unit_test(test_text_utf8_put_invalid),
		cmocka_unit_test(test_text_utf8_put_appends),
		cmocka_unit_test(test_text_utf8_valid_good),
		cmocka_unit_test(test_text_utf8_valid_bad),
		cmocka_unit_test(test_text_utf8_valid_truncated),
		cmocka_unit_test(test_text_utf8_valid_multi_null),
		cmocka_unit_test(test_text_utf8_cut),
		cmocka_unit_test(test_text_trim),
		cmocka_unit_test(test_text_trim_length),
		cmocka_unit_test(test_text_fold),
		cmocka_unit_test(test_text_fold_length),
		cmocka_unit_test(test_text_html_to_text_tags),
		cmocka_unit_test(test_text_html_to_text_entities),
		cmocka_unit_test(test_text_html_to_text_not_tags),
		cmocka_unit_test(test_text_html_to_text_length),
		cmocka_unit_test(test_text_looks_html_yes),
		cmocka_unit_test(test_text_looks_html_no),
		cmocka_unit_test(test_text_looks_html_length),
		cmocka_unit_test(test_text_html_title_keeps_text),
		cmocka_unit_test(test_text_escape_html),
		cmocka_unit_test(test_text_escape_html_length),
		cmocka_unit_test(test_text_plain_html),
		cmocka_unit_test(test_text_plain_html_max),
		cmocka_unit_test(test_text_expand_tabs),
		cmocka_unit_test(test_text_summary),
		cmocka_unit_test(test_text_wrap_punctuation),
		cmocka_unit_test(test_text_wrap_cjk),
		cmocka_unit_test(test_text_wrap_clusters),
		cmocka_unit_test(test_text_wrap_words),
		cmocka_unit_test(test_text_wrap_lines),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
