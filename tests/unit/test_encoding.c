/*
 * test_encoding.c: character sets and byte order marks, through the
 * parser (parse.h).  Each fixture is a small RSS document whose channel
 * and item titles were written in UTF-8 by hand and then encoded; the
 * expected strings below are those hand-written titles.  RFC 7303 3.3
 * decides who wins: a BOM, then the HTTP charset, then the declaration.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "item.h"
#include "json.h"
#include "parse.h"

#include "parse-helpers.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

struct tstate {
	const char	*name;		/* fixture and charset, for messages */
	char		 label[128];
	char		*data;
	size_t		 len;
	struct feed_doc	*doc;
	char		*cause;
	int		 failed;
};

static struct tstate	*T;

/* One fixture: its two titles as they must come out. */
struct enc_case {
	const char	*fixture;
	const char	*charset;	/* parse_opts.charset, or NULL */
	const char	*feed_title;
	const char	*item_title;
};

static int	 setup(void **);
static int	 teardown(void **);
static void	 reset(void);
static void	 load(const char *);
static struct feed_doc *parse_with(const char *);
static void	 check_fail(int, const char *, ...)
		    __attribute__((__format__(__printf__, 2, 3)));
static void	 check_str(int, const char *, const char *, const char *);
static void	 checks_done(void);
static void	 expect_case(int, const struct enc_case *);
static void	 expect_cases(int, const struct enc_case *, size_t);

#define CHECK_STR(what, got, want)	check_str(__LINE__, (what), (got), \
					    (want))
#define EXPECT(f, c, t, i)	do {					\
	const struct enc_case	 c_ = { (f), (c), (t), (i) };		\
	expect_case(__LINE__, &c_);					\
} while (0)
#define CHECK(c, ...)		do {					\
	if (!(c))							\
		check_fail(__LINE__, __VA_ARGS__);			\
} while (0)

static void	test_encoding_utf8_bom(void **);
static void	test_encoding_utf8_declared_not_utf8(void **);
static void	test_encoding_utf8_bom_beats_declaration(void **);
static void	test_encoding_utf8_bom_beats_http(void **);
static void	test_encoding_utf8_no_declaration(void **);
static void	test_encoding_utf16_bom(void **);
static void	test_encoding_utf16_no_bom(void **);
static void	test_encoding_utf16_bom_beats_http(void **);
static void	test_encoding_iso8859_1_is_cp1252(void **);
static void	test_encoding_windows1252(void **);
static void	test_encoding_iso8859_family(void **);
static void	test_encoding_koi8(void **);
static void	test_encoding_utf32(void **);
static void	test_encoding_ebcdic(void **);
static void	test_encoding_label_aliases(void **);
static void	test_encoding_unknown_not_utf8(void **);
static void	test_encoding_cjk(void **);
static void	test_encoding_leading_whitespace(void **);
static void	test_encoding_lying_latin1_declaration(void **);
static void	test_encoding_mixed_latin1_fields(void **);
static void	test_encoding_lying_http_latin1(void **);
static void	test_encoding_unknown_charset(void **);
static void	test_encoding_unknown_http_charset(void **);
static void	test_encoding_http_beats_declaration(void **);
static void	test_encoding_http_single_byte_on_utf8(void **);
static void	test_encoding_http_utf8_not_utf8(void **);
static void	test_encoding_http_utf8_really_utf8(void **);
static void	test_encoding_labels_case_insensitive(void **);
static void	test_encoding_single_quoted_declaration(void **);
static void	test_encoding_utf16_label_on_8bit(void **);
static void	test_encoding_standalone_yes(void **);
static void	test_encoding_json_bom(void **);
static void	test_encoding_chunked(void **);

static int
setup(void **state)
{
	T = calloc(1, sizeof(*T));
	if (T == NULL)
		return (-1);
	*state = T;
	return (0);
}

static int
teardown(void **state)
{
	reset();
	free(T);
	T = NULL;
	*state = NULL;
	return (0);
}

static void
reset(void)
{
	free(T->data);
	T->data = NULL;
	T->len = 0;
	feed_doc_free(T->doc);
	T->doc = NULL;
	free(T->cause);
	T->cause = NULL;
}

static void
load(const char *name)
{
	reset();
	T->name = name;
	T->data = read_fixture(name, &T->len);
}

/* Parses the loaded bytes with an HTTP charset (or NULL). */
static struct feed_doc *
parse_with(const char *charset)
{
	struct parse_opts	opts = { .charset = charset };

	feed_doc_free(T->doc);
	free(T->cause);
	T->cause = NULL;
	T->doc = parse_buffer(T->data, T->len, &opts, &T->cause);
	return (T->doc);
}

static void
check_fail(int line, const char *fmt, ...)
{
	va_list	ap;
	char	msg[2048];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	print_error("%s:%d: %s: %s\n", __FILE__, line,
	    T->name != NULL ? T->name : "-", msg);
	T->failed++;
}

static void
check_str(int line, const char *what, const char *got, const char *want)
{
	if (got != NULL && strcmp(got, want) == 0)
		return;
	check_fail(line, "%s: want \"%s\", got %s%s%s", what, want,
	    got != NULL ? "\"" : "", got != NULL ? got : "null",
	    got != NULL ? "\"" : "");
}

static void
checks_done(void)
{
	if (T->failed != 0)
		fail_msg("%d check(s) failed", T->failed);
}

/* Parses one case; both titles and the item's key must come out right. */
static void
expect_case(int line, const struct enc_case *c)
{
	struct feed_doc	*doc;

	load(c->fixture);
	snprintf(T->label, sizeof(T->label), "%s (charset %s)", c->fixture,
	    c->charset != NULL ? c->charset : "none");
	T->name = T->label;
	if ((doc = parse_with(c->charset)) == NULL) {
		check_fail(line, "parse failed: %s",
		    T->cause != NULL ? T->cause : "(no cause)");
		return;
	}
	check_str(line, "feed title", doc->title, c->feed_title);
	if (doc->nitems != 1) {
		check_fail(line, "want 1 item, got %zu", doc->nitems);
		return;
	}
	check_str(line, "item title", doc->items[0]->title, c->item_title);
	check_str(line, "item key", doc->items[0]->key, "enc-1");
}

static void
expect_cases(int line, const struct enc_case *c, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		expect_case(line, &c[i]);
}

static void
test_encoding_utf8_bom(void **state)
{
	(void)state;
	EXPECT("utf8-bom.xml", NULL, "BOM Café", "Naïve — résumé");
	checks_done();
}

/* RFC 7303 3.3: the BOM wins over the declaration's ISO-8859-1. */
static void
test_encoding_utf8_bom_beats_declaration(void **state)
{
	(void)state;
	EXPECT("utf8-bom-lying-decl.xml", NULL, "BOM beats the declaration",
	    "Café “ok”");
	checks_done();
}

/* ... and over the HTTP charset. */
static void
test_encoding_utf8_bom_beats_http(void **state)
{
	(void)state;
	EXPECT("utf8-bom.xml", "iso-8859-1", "BOM Café", "Naïve — résumé");
	EXPECT("utf8-bom.xml", "windows-1252", "BOM Café", "Naïve — résumé");
	EXPECT("utf8-bom.xml", "KOI8-R", "BOM Café", "Naïve — résumé");
	EXPECT("utf8-bom-lying-decl.xml", "iso-8859-2",
	    "BOM beats the declaration", "Café “ok”");
	checks_done();
}

static void
test_encoding_utf8_no_declaration(void **state)
{
	(void)state;
	EXPECT("utf8-nodecl.xml", NULL, "No declaration", "Café — 日本");
	checks_done();
}

/* UTF-16 with a BOM, both byte orders; U+1F600 is a surrogate pair. */
static void
test_encoding_utf16_bom(void **state)
{
	(void)state;
	EXPECT("utf16le-bom.xml", NULL, "UTF-16 Café", "Tea ☕ and 😀");
	EXPECT("utf16be-bom.xml", NULL, "UTF-16 Café", "Tea ☕ and 😀");
	checks_done();
}

/* Without a BOM, found from "<?" in UTF-16LE/BE. */
static void
test_encoding_utf16_no_bom(void **state)
{
	(void)state;
	EXPECT("utf16le-nobom.xml", NULL, "UTF-16 Café", "Tea ☕ and 😀");
	EXPECT("utf16be-nobom.xml", NULL, "UTF-16 Café", "Tea ☕ and 😀");
	checks_done();
}

static void
test_encoding_utf16_bom_beats_http(void **state)
{
	(void)state;
	EXPECT("utf16le-bom.xml", "iso-8859-1", "UTF-16 Café",
	    "Tea ☕ and 😀");
	EXPECT("utf16be-bom.xml", "utf-8", "UTF-16 Café", "Tea ☕ and 😀");
	checks_done();
}

/*
 * ISO-8859-1 is read as windows-1252 (WHATWG), so 0x93/0x94 are curly
 * quotes; real Latin-1 letters (ü 0xfc, ß 0xdf, é 0xe9, × 0xd7, ½ 0xbd)
 * stay what they are.
 */
static void
test_encoding_iso8859_1_is_cp1252(void **state)
{
	(void)state;
	EXPECT("iso-8859-1.xml", NULL, "Zürich Straße", "“quoted” café × ½");
	EXPECT("iso-8859-1.xml", "ISO-8859-1", "Zürich Straße",
	    "“quoted” café × ½");
	checks_done();
}

/* 0x93 0x94 “ ”, 0x96 –, 0x80 €, 0x91 0x92 ‘ ’, 0x85 …. */
static void
test_encoding_windows1252(void **state)
{
	(void)state;
	EXPECT("windows-1252.xml", NULL, "Café Crème",
	    "“Smart” – 5 € ‘ok’ …");
	checks_done();
}

static void
test_encoding_iso8859_family(void **state)
{
	static const struct enc_case	cases[] = {
		{ "iso-8859-2.xml", NULL, "Wiadomości", "Łódź i Gdańsk" },
		{ "iso-8859-15.xml", NULL, "Prix", "10 € pour une œuvre" },
		{ "iso-8859-5.xml", NULL, "Привет", "Мир" },
		{ "iso-8859-7.xml", NULL, "Καλημέρα", "Ελλάδα" },
	};

	(void)state;
	expect_cases(__LINE__, cases, NITEMS(cases));
	checks_done();
}

/* KOI8-U has і ї ґ where KOI8-R has box drawing. */
static void
test_encoding_koi8(void **state)
{
	(void)state;
	EXPECT("koi8r.xml", NULL, "Новости дня", "Съешь же ещё");
	EXPECT("koi8u.xml", NULL, "Новини", "Україна і ґанок");
	checks_done();
}

/*
 * Multi-byte charsets.  "ソ" is 0x83 0x5c in Shift_JIS: its trail byte is
 * ASCII's backslash, the classic trap.
 */
static void
test_encoding_cjk(void **state)
{
	static const struct enc_case	cases[] = {
		{ "shift_jis.xml", NULL, "日本語のニュース",
		    "東京でソフトウェア" },
		{ "euc-jp.xml", NULL, "日本語のニュース",
		    "東京でソフトウェア" },
		{ "gbk.xml", NULL, "中文新闻", "今天的天气" },
		{ "big5.xml", NULL, "中文新聞", "今天的天氣" },
	};

	(void)state;
	expect_cases(__LINE__, cases, NITEMS(cases));
	checks_done();
}

/* White space before <?xml is tolerated, after a BOM too. */
static void
test_encoding_leading_whitespace(void **state)
{
	static const char	doc[] = "\xef\xbb\xbf\r\n  <?xml "
	    "version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\">"
	    "<channel><title>Caf\xc3\xa9</title></channel></rss>\n";
	struct feed_doc		*d;

	(void)state;
	EXPECT("leading-whitespace.xml", NULL, "Leading white space", "Café");
	T->name = "(BOM, then white space)";
	d = parse_buffer(doc, sizeof(doc) - 1, NULL, &T->cause);
	CHECK(d != NULL, "parse failed: %s", T->cause);
	if (d != NULL)
		CHECK_STR("feed title", d->title, "Café");
	feed_doc_free(d);
	checks_done();
}

/* A document that says Latin-1 (or ASCII) but is UTF-8: no mojibake. */
static void
test_encoding_lying_latin1_declaration(void **state)
{
	static const struct enc_case	cases[] = {
		{ "latin1-lying-utf8.xml", NULL, "Café Zürich",
		    "“Quotes” — it’s naïve" },
		{ "windows-1252-lying-utf8.xml", NULL, "Café Zürich",
		    "“Quotes” — it’s naïve" },
		{ "us-ascii-lying-utf8.xml", NULL, "Café Zürich",
		    "“Quotes” — it’s naïve" },
	};

	(void)state;
	expect_cases(__LINE__, cases, NITEMS(cases));
	checks_done();
}

/*
 * A Latin-1 document whose template is UTF-8 and whose database is not:
 * each field comes out right on its own.
 */
static void
test_encoding_mixed_latin1_fields(void **state)
{
	(void)state;
	EXPECT("latin1-mixed.xml", NULL, "Café — Menü", "été à la plage");
	checks_done();
}

/*
 * The same lie told by HTTP (a server labelling everything ISO-8859-1):
 * the text is UTF-8 and must come out right.
 */
static void
test_encoding_lying_http_latin1(void **state)
{
	(void)state;
	EXPECT("utf8-nodecl.xml", "ISO-8859-1", "No declaration",
	    "Café — 日本");
	EXPECT("latin1-lying-utf8.xml", "windows-1252", "Café Zürich",
	    "“Quotes” — it’s naïve");
	checks_done();
}

/* An unknown label: a warning, and the bytes read as UTF-8. */
static void
test_encoding_unknown_charset(void **state)
{
	(void)state;
	EXPECT("unknown-charset.xml", NULL, "Unknown charset", "Qapla’ café");
	if (T->doc != NULL)
		CHECK(has_warning(T->doc, "charset"),
		    "no warning about the unknown charset");
	checks_done();
}

static void
test_encoding_unknown_http_charset(void **state)
{
	(void)state;
	EXPECT("utf8-nodecl.xml", "x-no-such-charset", "No declaration",
	    "Café — 日本");
	if (T->doc != NULL)
		CHECK(has_warning(T->doc, "charset"),
		    "no warning about the unknown charset");
	checks_done();
}

/* RFC 7303: the HTTP charset beats the declaration (and its absence). */
static void
test_encoding_http_beats_declaration(void **state)
{
	(void)state;
	/* Says ISO-8859-1, is KOI8-R, and HTTP knows. */
	EXPECT("http-charset-koi8r.xml", "KOI8-R", "Новости", "Правда");
	/* No declaration at all, windows-1252 bytes. */
	EXPECT("cp1252-nodecl.xml", "windows-1252", "No declaration, café",
	    "“hi”");
	/* HTTP names the charset the declaration also names. */
	EXPECT("koi8r.xml", "KOI8-R", "Новости дня", "Съешь же ещё");
	checks_done();
}

/*
 * HTTP names a single-byte code page, the document says UTF-8 (or names
 * no charset, which in XML is the same) and its bytes are UTF-8: it is
 * read as UTF-8.  A document that names the code page itself, or whose
 * bytes are not UTF-8, or a charset forced by the feed's settings, is
 * read as before.
 */
static void
test_encoding_http_single_byte_on_utf8(void **state)
{
	struct parse_opts	 opts = { .charset = "windows-1251",
				    .force_charset = 1 };
	struct feed_doc		*doc;
	char			*cause = NULL;

	(void)state;
	EXPECT("utf8-http-cp1251.xml", "windows-1251", "Grüße café",
	    "Новости — Straße");
	EXPECT("utf8-http-cp1251.xml", "KOI8-R", "Grüße café",
	    "Новости — Straße");
	EXPECT("utf8-http-cp1251.xml", "iso-8859-2", "Grüße café",
	    "Новости — Straße");
	EXPECT("utf8-nodecl.xml", "windows-1251", "No declaration",
	    "Café — 日本");
	/* Its first byte past ASCII after the first KiB. */
	EXPECT("utf8-late-http-cp1251.xml", "windows-1251", "Late UTF-8",
	    "Новости — Straße");
	/* Still the code page: its own bytes, or its own declaration. */
	EXPECT("koi8r.xml", "KOI8-R", "Новости дня", "Съешь же ещё");
	EXPECT("cp1252-nodecl.xml", "windows-1252", "No declaration, café",
	    "“hi”");
	EXPECT("http-charset-koi8r.xml", "KOI8-R", "Новости", "Правда");
	checks_done();
	/* Forced by the feed's settings: read as told. */
	load("utf8-http-cp1251.xml");
	doc = parse_buffer(T->data, T->len, &opts, &cause);
	assert_non_null(doc);
	assert_non_null(doc->title);
	assert_string_not_equal(doc->title, "Grüße café");
	feed_doc_free(doc);
	free(cause);
}

/*
 * HTTP says UTF-8, the first KiB is not UTF-8, the declaration names a
 * charset: the declaration is used.
 */
static void
test_encoding_http_utf8_not_utf8(void **state)
{
	(void)state;
	EXPECT("koi8r.xml", "utf-8", "Новости дня", "Съешь же ещё");
	EXPECT("koi8r.xml", "UTF-8", "Новости дня", "Съешь же ещё");
	EXPECT("windows-1252.xml", "utf-8", "Café Crème",
	    "“Smart” – 5 € ‘ok’ …");
	EXPECT("shift_jis.xml", "utf-8", "日本語のニュース",
	    "東京でソフトウェア");
	/* The first non-UTF-8 byte three bytes before the end of the KiB. */
	EXPECT("cp1252-late-byte.xml", "utf-8", "Café late", "“late”");
	checks_done();
}

/* HTTP says UTF-8 and is right, whatever the declaration claims. */
static void
test_encoding_http_utf8_really_utf8(void **state)
{
	(void)state;
	EXPECT("latin1-lying-utf8.xml", "utf-8", "Café Zürich",
	    "“Quotes” — it’s naïve");
	EXPECT("utf8-nodecl.xml", "utf-8", "No declaration", "Café — 日本");
	checks_done();
}

/* Charset labels are case-insensitive (RFC 2978 2.3). */
static void
test_encoding_labels_case_insensitive(void **state)
{
	(void)state;
	EXPECT("http-charset-koi8r.xml", "koi8-r", "Новости", "Правда");
	EXPECT("cp1252-nodecl.xml", "WINDOWS-1252", "No declaration, café",
	    "“hi”");
	EXPECT("iso-8859-1.xml", "iso-8859-1", "Zürich Straße",
	    "“quoted” café × ½");
	checks_done();
}

/* <?xml version='1.0' encoding='...'?> with single quotes. */
static void
test_encoding_single_quoted_declaration(void **state)
{
	static const char	doc[] = "<?xml version='1.0' encoding='koi8-r'"
	    "?>\n<rss version=\"2.0\"><channel><title>\xee\xcf\xd7\xcf\xd3"
	    "\xd4\xc9</title><item><title>x</title><guid isPermaLink=\"false\">"
	    "enc-1</guid></item></channel></rss>\n";
	struct feed_doc		*d;

	(void)state;
	/* 0xee 0xcf 0xd7 0xcf 0xd3 0xd4 0xc9 is "Новости" in KOI8-R. */
	T->name = "(single quotes)";
	d = parse_buffer(doc, sizeof(doc) - 1, NULL, &T->cause);
	CHECK(d != NULL, "parse failed: %s", T->cause);
	if (d != NULL)
		CHECK_STR("feed title", d->title, "Новости");
	feed_doc_free(d);
	checks_done();
}

/* An 8-bit document cannot be UTF-16, whatever its declaration says. */
static void
test_encoding_utf16_label_on_8bit(void **state)
{
	static const char	doc[] = "<?xml version=\"1.0\" "
	    "encoding=\"UTF-16\"?>\n<rss version=\"2.0\"><channel><title>"
	    "Caf\xc3\xa9</title>"
	    "<item><title>x</title><guid isPermaLink=\"false\">enc-1</guid>"
	    "</item></channel></rss>\n";
	struct feed_doc		*d;

	(void)state;
	T->name = "(UTF-16 label, UTF-8 bytes)";
	d = parse_buffer(doc, sizeof(doc) - 1, NULL, &T->cause);
	CHECK(d != NULL, "parse failed: %s", T->cause);
	if (d != NULL)
		CHECK_STR("feed title", d->title, "Café");
	feed_doc_free(d);
	checks_done();
}

/*
 * standalone="yes" still decodes HTML entities, in a small document and
 * in one past the 1 KiB sniffing window (the whole-buffer path).
 */
static void
test_encoding_standalone_yes(void **state)
{
	struct feed_doc	*d;
	size_t		 chunk;
	char		*cause = NULL;

	(void)state;
	load("standalone-yes.xml");
	if ((d = parse_with(NULL)) == NULL)
		check_fail(__LINE__, "parse failed: %s", T->cause);
	else {
		CHECK_STR("feed title", d->title, "Standalone\xc2\xa0" "feed");
		CHECK(d->nitems == 1, "want 1 item, got %zu", d->nitems);
		if (d->nitems == 1)
			CHECK_STR("item title", d->items[0]->title,
			    "Café — open");
	}
	load("standalone-yes-large.xml");
	if ((d = parse_with(NULL)) == NULL)
		check_fail(__LINE__, "parse failed: %s", T->cause);
	else {
		CHECK_STR("feed title", d->title, "Standalone\xc2\xa0" "large");
		CHECK(d->nitems == 8, "want 8 items, got %zu", d->nitems);
		if (d->nitems == 8)
			CHECK_STR("item title", d->items[7]->title,
			    "Café 8\xc2\xa0— open");
	}
	for (chunk = 1; chunk <= 2048; chunk *= 2) {
		d = parse_chunked(T->data, T->len, chunk, NULL, &cause);
		CHECK(d != NULL, "in chunks of %zu: %s", chunk, cause);
		if (d != NULL && d->nitems == 8)
			CHECK_STR("item title", d->items[0]->title,
			    "Café 1\xc2\xa0— open");
		feed_doc_free(d);
		free(cause);
		cause = NULL;
	}
	checks_done();
}

/* A JSON Feed after a UTF-8 BOM. */
static void
test_encoding_json_bom(void **state)
{
	static const char	doc[] = "\xef\xbb\xbf{\"version\": "
	    "\"https://jsonfeed.org/version/1.1\", \"title\": \"Caf\xc3\xa9\", "
	    "\"items\": [{\"id\": \"enc-1\", \"title\": \"\\u00e9t\\u00e9\"}]}";
	struct feed_doc		*d;

	(void)state;
	T->name = "(JSON with BOM)";
	d = parse_buffer(doc, sizeof(doc) - 1, NULL, &T->cause);
	CHECK(d != NULL, "parse failed: %s", T->cause);
	if (d != NULL) {
		CHECK(d->format == FEED_FORMAT_JSONFEED11, "format %s",
		    feed_format_name(d->format));
		CHECK_STR("feed title", d->title, "Café");
		if (d->nitems == 1)
			CHECK_STR("item title", d->items[0]->title, "été");
		else
			check_fail(__LINE__, "want 1 item, got %zu",
			    d->nitems);
	}
	feed_doc_free(d);
	checks_done();
}

/* With an HTTP charset too, the chunk size never changes the result. */
static void
test_encoding_chunked(void **state)
{
	static const struct {
		const char	*fixture;
		const char	*charset;
	} cases[] = {
		{ "http-charset-koi8r.xml", "KOI8-R" },
		{ "koi8r.xml", "utf-8" },
		{ "cp1252-nodecl.xml", "windows-1252" },
		{ "utf16le-bom.xml", "iso-8859-1" },
		{ "utf16be-nobom.xml", NULL },
		{ "utf32be-bom.xml", NULL },
		{ "utf32le-nobom.xml", NULL },
		{ "ebcdic-ibm1140.xml", NULL },
		{ "unknown-charset-cp1252.xml", NULL },
		{ "utf8-bom-lying-decl.xml", "windows-1252" },
		{ "utf8-nodecl.xml", "ISO-8859-1" },
		{ "utf8-nodecl.xml", "x-no-such-charset" },
		{ "shift_jis.xml", "Shift_JIS" },
		{ "big5.xml", NULL },
		{ "latin1-lying-utf8.xml", "utf-8" },
		{ "standalone-yes-large.xml", "utf-8" },
		{ "cp1252-late-byte.xml", "utf-8" },
		{ "latin1-mixed.xml", NULL },
		{ "utf8-declared-cp1252.xml", NULL },
		{ "cp1252-nodecl.xml", NULL },
		{ "utf8-http-cp1251.xml", "windows-1251" },
		{ "utf8-late-http-cp1251.xml", "windows-1251" },
	};
	static const size_t	 sizes[] = { 1, 2, 3, 7, 64, 1000, 4096 };
	struct parse_opts	 opts = { 0 };
	struct feed_doc		*whole, *doc;
	char			*wdump, *dump, *cause;
	size_t			 i, k;

	(void)state;
	for (i = 0; i < NITEMS(cases); i++) {
		load(cases[i].fixture);
		opts.charset = cases[i].charset;
		whole = parse_buffer(T->data, T->len, &opts, &T->cause);
		CHECK(whole != NULL, "%s whole: %s", cases[i].fixture,
		    T->cause);
		if (whole == NULL)
			continue;
		wdump = dump_doc(whole);
		for (k = 0; k < NITEMS(sizes); k++) {
			cause = NULL;
			doc = parse_chunked(T->data, T->len, sizes[k], &opts,
			    &cause);
			if (doc == NULL) {
				check_fail(__LINE__, "%s (%s) in chunks of "
				    "%zu failed: %s", cases[i].fixture,
				    cases[i].charset ? cases[i].charset : "-",
				    sizes[k], cause);
				free(cause);
				continue;
			}
			dump = dump_doc(doc);
			if (strcmp(dump, wdump) != 0)
				check_fail(__LINE__, "%s (%s) in chunks of %zu "
				    "differs:\n  whole   %.300s\n  chunked "
				    "%.300s", cases[i].fixture,
				    cases[i].charset ? cases[i].charset : "-",
				    sizes[k], wdump, dump);
			free(dump);
			feed_doc_free(doc);
		}
		free(wdump);
		feed_doc_free(whole);
	}
	checks_done();
}

/* UTF-32, with and without a BOM: converted before expat. */
static void
test_encoding_utf32(void **state)
{
	(void)state;
	EXPECT("utf32be-bom.xml", NULL, "UTF-32 big endian",
	    "Café — 日本 😀");
	EXPECT("utf32le-nobom.xml", NULL, "UTF-32 little endian",
	    "Café — 日本 😀");
	checks_done();
}

/* EBCDIC: the declaration names the code page, read in code page 37. */
static void
test_encoding_ebcdic(void **state)
{
	(void)state;
	EXPECT("ebcdic-cp037.xml", NULL, "EBCDIC", "Café ¬ über");
	EXPECT("ebcdic-ibm1140.xml", NULL, "EBCDIC euro", "€ 5 café");
	EXPECT("ebcdic-cp500.xml", NULL, "EBCDIC 500", "Straße [x] ç");
	/* Lines ended by NEL, as EBCDIC systems write them. */
	EXPECT("ebcdic-nel.xml", NULL, "EBCDIC lines", "NEL ends");
	checks_done();
}

/* Names expat and iconv refuse as written, that readers accept. */
static void
test_encoding_label_aliases(void **state)
{
	(void)state;
	EXPECT("cp866-numeric.xml", NULL, "Новости", "Съешь же ещё");
	EXPECT("cp437-numeric.xml", NULL, "Code page 437", "Ça coûte ½ £");
	EXPECT("windows_1252-underscore.xml", NULL, "Underscore",
	    "“Quoted” café");
	EXPECT("macroman.xml", NULL, "Mac Roman", "Café “π” ﬁ");
	EXPECT("maccentraleurope.xml", NULL, "Mac CE", "Łódź Praha ř");
	EXPECT("cp-is.xml", NULL, "Icelandic", "Þórður ð");
	EXPECT("csibm861.xml", NULL, "Icelandic IANA", "Þórður ð");
	checks_done();
}

/* An unknown charset that is not UTF-8 either: windows-1252, warned. */
static void
test_encoding_unknown_not_utf8(void **state)
{
	(void)state;
	EXPECT("unknown-charset-cp1252.xml", NULL, "Unknown, not UTF-8",
	    "“Qapla’” café");
	if (T->doc != NULL)
		CHECK(has_warning(T->doc, "windows-1252"),
		    "no warning about the fallback");
	checks_done();
}

/*
 * A document that says (or lets it be assumed) it is UTF-8 but is not:
 * read again as windows-1252, warned, when the bad byte comes before the
 * first item; after it, the error says the byte is not UTF-8 and how to
 * name the charset.  Markup errors stay markup errors.
 */
static void
test_encoding_utf8_declared_not_utf8(void **state)
{
	struct parse_opts	 opts = { .force_charset = 1,
				    .charset = "utf-8" };
	struct feed_doc		*d;
	char			*cause = NULL;
	static const char	 syntax[] = "<?xml version=\"1.0\"?>\n<rss "
	    "version=\"2.0\"><channel><title>a < b</title></channel></rss>";

	(void)state;
	EXPECT("utf8-declared-cp1252.xml", NULL, "Says UTF-8, café",
	    "Crème brûlée £ 5 “ok”");
	if (T->doc != NULL)
		CHECK(has_warning(T->doc, "not UTF-8 (line 4)"),
		    "no warning about the fallback");
	EXPECT("cp1252-nodecl.xml", NULL, "No declaration, café", "“hi”");
	EXPECT("utf8-declared-cp1252.xml", "utf-8", "Says UTF-8, café",
	    "Crème brûlée £ 5 “ok”");
	/* The feed's own charset setting said UTF-8: no second guess. */
	load("utf8-declared-cp1252.xml");
	d = parse_buffer(T->data, T->len, &opts, &cause);
	CHECK(d == NULL, "a forced UTF-8 was read otherwise");
	CHECK(cause != NULL && strstr(cause, "not UTF-8") != NULL,
	    "the error does not say the byte is not UTF-8: %s", cause);
	feed_doc_free(d);
	free(cause);
	cause = NULL;
	/* After the first item: kept, and the break says why. */
	load("utf8-declared-cp1252-late.xml");
	d = parse_buffer(T->data, T->len, NULL, &cause);
	CHECK(d != NULL && d->nitems == 1, "the item before the byte is lost");
	if (d != NULL)
		CHECK(has_warning(d, "not UTF-8 (the feed's charset"),
		    "the break does not say the byte is not UTF-8");
	feed_doc_free(d);
	free(cause);
	cause = NULL;
	d = parse_buffer(syntax, sizeof(syntax) - 1, NULL, &cause);
	CHECK(d == NULL && cause != NULL && strstr(cause, "invalid token") !=
	    NULL, "a markup error reads otherwise: %s", cause);
	feed_doc_free(d);
	free(cause);
	checks_done();
}

#define TEST(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_encoding_utf8_bom),
		TEST(test_encoding_utf8_bom_beats_declaration),
		TEST(test_encoding_utf8_bom_beats_http),
		TEST(test_encoding_utf8_no_declaration),
		TEST(test_encoding_utf16_bom),
		TEST(test_encoding_utf16_no_bom),
		TEST(test_encoding_utf16_bom_beats_http),
		TEST(test_encoding_iso8859_1_is_cp1252),
		TEST(test_encoding_windows1252),
		TEST(test_encoding_iso8859_family),
		TEST(test_encoding_koi8),
		TEST(test_encoding_cjk),
		TEST(test_encoding_leading_whitespace),
		TEST(test_encoding_lying_latin1_declaration),
		TEST(test_encoding_mixed_latin1_fields),
		TEST(test_encoding_lying_http_latin1),
		TEST(test_encoding_unknown_charset),
		TEST(test_encoding_unknown_http_charset),
		TEST(test_encoding_http_beats_declaration),
		TEST(test_encoding_http_single_byte_on_utf8),
		TEST(test_encoding_http_utf8_not_utf8),
		TEST(test_encoding_http_utf8_really_utf8),
		TEST(test_encoding_labels_case_insensitive),
		TEST(test_encoding_single_quoted_declaration),
		TEST(test_encoding_utf16_label_on_8bit),
		TEST(test_encoding_standalone_yes),
		TEST(test_encoding_json_bom),
		TEST(test_encoding_chunked),
		TEST(test_encoding_utf32),
		TEST(test_encoding_ebcdic),
		TEST(test_encoding_label_aliases),
		TEST(test_encoding_unknown_not_utf8),
		TEST(test_encoding_utf8_declared_not_utf8),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
