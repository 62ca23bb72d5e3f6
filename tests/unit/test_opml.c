/*
 * test_opml.c: subscription lists.  Folder paths become one tag and come
 * back as nested folders; untitled feeds stay untitled; newsboat's urls
 * file (tags, "~Title", exec:/filter:/query: reported); the format is
 * told from the content.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "opml.h"
#include "store.h"

static int
has_tag(const struct opml_outline *o, const char *tag)
{
	size_t	i;

	for (i = 0; i < o->ntags; i++)
		if (strcmp(o->tags[i], tag) == 0)
			return (1);
	return (0);
}

static void
test_opml_folder_paths(void **state)
{
	static const char doc[] = "<?xml version=\"1.0\"?>\n"
	    "<opml version=\"2.0\"><body>\n"
	    "<outline text=\"Linux\">\n"
	    " <outline text=\"Tech\">\n"
	    "  <outline xmlUrl=\"https://a.example/feed\" text=\"A\"/>\n"
	    " </outline>\n"
	    " <outline xmlUrl=\"https://b.example/feed\"\n"
	    "  text=\"https://b.example/feed\" category=\"/x/y,z\"/>\n"
	    "</outline>\n"
	    "<outline xmlUrl=\"https://c.example/feed\" text=\"\"/>\n"
	    "</body></opml>\n";
	struct opml_outline	*v;
	char			*cause = NULL;
	size_t			 n;

	assert_int_equal(opml_parse_any(doc, sizeof(doc) - 1, &v, &n,
	    &cause), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].ntags, 1);
	assert_string_equal(v[0].tags[0], "Linux/Tech");
	assert_string_equal(v[0].title, "A");
	assert_true(has_tag(&v[1], "Linux"));
	assert_true(has_tag(&v[1], "x/y"));
	assert_true(has_tag(&v[1], "z"));
	assert_int_equal(v[1].ntags, 3);
	/* The URL as the text, or an empty one: no title. */
	assert_null(v[1].title);
	assert_null(v[2].title);
	assert_int_equal(v[2].ntags, 0);
	opml_outlines_free(v, n);
}

/*
 * A feed in two folders: its first outline gets both folders and every
 * category; the second says where they went.  Attribute names in any
 * case ("xmlurl").
 */
static void
test_opml_twins_and_case(void **state)
{
	static const char doc[] = "<?xml version=\"1.0\"?>\n"
	    "<opml version=\"2.0\"><body>\n"
	    "<outline text=\"News\">\n"
	    " <outline type=\"rss\" xmlUrl=\"https://a.example/feed\"/>\n"
	    "</outline>\n"
	    "<outline text=\"Other\">\n"
	    " <outline type=\"rss\" xmlUrl=\"https://a.example/feed\"\n"
	    "  category=\"x,y\"/>\n"
	    " <outline type=\"rss\" TITLE=\"Only title\"\n"
	    "  xmlurl=\"https://b.example/feed\"/>\n"
	    "</outline>\n"
	    "</body></opml>\n";
	struct opml_outline	*v;
	char			*cause = NULL;
	size_t			 n;

	(void)state;
	assert_int_equal(opml_parse_any(doc, sizeof(doc) - 1, &v, &n,
	    &cause), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].twin_of, 0);
	assert_int_equal(v[0].ntags, 4);
	assert_true(has_tag(&v[0], "News"));
	assert_true(has_tag(&v[0], "Other"));
	assert_true(has_tag(&v[0], "x"));
	assert_true(has_tag(&v[0], "y"));
	assert_int_equal(v[1].twin_of, v[0].line);
	assert_string_equal(v[2].url, "https://b.example/feed");
	assert_string_equal(v[2].title, "Only title");
	assert_int_equal(v[2].twin_of, 0);
	opml_outlines_free(v, n);
}

static struct store_feed *
mkfeed(const char *url, const char *title, const char *t1, const char *t2)
{
	struct store_feed	*f = calloc(1, sizeof(*f));

	f->url = strdup(url);
	f->title = title != NULL ? strdup(title) : NULL;
	f->tags = calloc(3, sizeof(*f->tags));
	if (t1 != NULL)
		f->tags[f->ntags++] = strdup(t1);
	if (t2 != NULL)
		f->tags[f->ntags++] = strdup(t2);
	return (f);
}

static void
test_opml_export_nests_and_reads_back(void **state)
{
	struct store_feed	*v[5];
	struct opml_outline	*o;
	char			*text, *cause = NULL, *p;
	size_t			 n, i;

	v[0] = mkfeed("https://1.example/", "One", "Linux/Tech", "news");
	v[1] = mkfeed("https://2.example/", NULL, NULL, NULL);
	v[2] = mkfeed("https://3.example/", "Three", "Linux-x", NULL);
	v[3] = mkfeed("https://4.example/", "Four & <more>", "Linux", NULL);
	v[4] = mkfeed("https://5.example/", "Fi\x01ve\n\xef\xbf\xbf",
	    "Linux/Tech/Deep", NULL);
	text = opml_write(v, 5);
	/* What XML cannot carry (controls, U+FFFF) is left out. */
	assert_non_null(strstr(text, "text=\"Five\""));
	/* Linux holds Four, then Tech (One, then Deep: Five); "Linux-x"
	 * is a folder of its own, not between them. */
	p = strstr(text, "<outline text=\"Linux\" title=\"Linux\">");
	assert_non_null(p);
	assert_null(strstr(p + 1, "<outline text=\"Linux\" title="));
	assert_non_null(strstr(text, "<outline text=\"Tech\" title=\"Tech\">"));
	assert_non_null(strstr(text, "<outline text=\"Deep\" title=\"Deep\">"));
	assert_non_null(strstr(text, "<outline text=\"Linux-x\""));
	assert_non_null(strstr(text, "text=\"Four &amp; &lt;more&gt;\""));
	/* Untitled: empty text, no title attribute, no URL as title. */
	assert_non_null(strstr(text, "<outline type=\"rss\" text=\"\" "
	    "xmlUrl=\"https://2.example/\"/>"));
	assert_int_equal(opml_parse(text, strlen(text), &o, &n, &cause), 0);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++) {
		if (strcmp(o[i].url, "https://1.example/") == 0) {
			assert_int_equal(o[i].ntags, 2);
			assert_true(has_tag(&o[i], "Linux/Tech"));
			assert_true(has_tag(&o[i], "news"));
		} else if (strcmp(o[i].url, "https://2.example/") == 0) {
			assert_null(o[i].title);
			assert_int_equal(o[i].ntags, 0);
		} else if (strcmp(o[i].url, "https://5.example/") == 0) {
			assert_int_equal(o[i].ntags, 1);
			assert_string_equal(o[i].tags[0], "Linux/Tech/Deep");
		} else if (strcmp(o[i].url, "https://4.example/") == 0)
			assert_string_equal(o[i].title, "Four & <more>");
	}
	opml_outlines_free(o, n);
	free(text);
	for (i = 0; i < 5; i++)
		store_feed_free(v[i]);
}

/*
 * A tag with a comma, or a '%', comes back whole: "category" is a comma
 * list, so commas in a tag go as "%2C" (and '%' as "%25").
 */
static void
test_opml_export_tag_with_comma(void **state)
{
	struct store_feed	*v[1];
	struct opml_outline	*o;
	char			*text, *cause = NULL;
	size_t			 n;

	v[0] = mkfeed("https://1.example/", "One", "a,b", "x/y 100%");
	text = opml_write(v, 1);
	assert_non_null(strstr(text, "category=\"/a%2Cb,/x/y 100%25\""));
	assert_int_equal(opml_parse(text, strlen(text), &o, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(o[0].ntags, 2);
	assert_true(has_tag(&o[0], "a,b"));
	assert_true(has_tag(&o[0], "x/y 100%"));
	opml_outlines_free(o, n);
	free(text);
	store_feed_free(v[0]);
}

static void
test_opml_newsboat_urls(void **state)
{
	static const char urls[] = "\xef\xbb\xbf# my feeds\n"
	    "https://a.example/rss news \"~A Title\" tech\r\n"
	    "  \"https://b.example/rss\" \"two words\" !\n"
	    "\n"
	    "exec:~/bin/x.sh\n"
	    "filter:~/f.sh:https://c.example/\n"
	    "\"query:Unread:unread = \\\"yes\\\"\" tag\n"
	    "ftp://d.example/feed\n"
	    "www.e.example/feed.xml tag\n";
	struct opml_outline	*v;
	char			*cause = NULL;
	size_t			 n;

	assert_int_equal(opml_parse_any(urls, sizeof(urls) - 1, &v, &n,
	    &cause), 0);
	assert_int_equal(n, 7);
	assert_string_equal(v[0].url, "https://a.example/rss");
	assert_string_equal(v[0].title, "A Title");
	assert_int_equal(v[0].ntags, 2);
	assert_true(has_tag(&v[0], "news"));
	assert_true(has_tag(&v[0], "tech"));
	assert_int_equal(v[0].line, 2);
	assert_null(v[0].problem);
	assert_string_equal(v[1].url, "https://b.example/rss");
	assert_int_equal(v[1].ntags, 1);
	assert_string_equal(v[1].tags[0], "two words");
	assert_null(v[1].title);
	assert_non_null(strstr(v[2].problem, "exec"));
	assert_int_equal(v[2].line, 5);
	assert_non_null(strstr(v[3].problem, "filter"));
	assert_string_equal(v[4].url, "query:Unread:unread = \"yes\"");
	assert_non_null(strstr(v[4].problem, "query"));
	/* Not http: for the caller to refuse, as with OPML. */
	assert_null(v[5].problem);
	assert_string_equal(v[5].url, "ftp://d.example/feed");
	/* No scheme after the first URL: a feed meant, so reported. */
	assert_string_equal(v[6].url, "www.e.example/feed.xml");
	assert_int_equal(v[6].line, 9);
	opml_outlines_free(v, n);

	assert_int_equal(opml_parse_any("hello world\n", 12, &v, &n,
	    &cause), -1);
	assert_non_null(strstr(cause, "not OPML, nor a newsboat urls file"));
	free(cause);
	cause = NULL;
	assert_int_equal(opml_parse_any("# only\n\n", 8, &v, &n, &cause), -1);
	free(cause);
	cause = NULL;
	/* "<" first: OPML, with OPML's errors. */
	assert_int_equal(opml_parse_any("  <opml", 7, &v, &n, &cause), -1);
	assert_non_null(strstr(cause, "XML error"));
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opml_folder_paths),
		cmocka_unit_test(test_opml_twins_and_case),
		cmocka_unit_test(test_opml_export_nests_and_reads_back),
		cmocka_unit_test(test_opml_export_tag_with_comma),
		cmocka_unit_test(test_opml_newsboat_urls),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
