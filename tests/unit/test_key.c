/*
 * test_key.c: the dedup key (the key rule of the README, feed_item_key in
 * item.c): the guid or Atom id when there is one, else the link, else
 * "hash:" and 16 lowercase hex digits of an FNV-1a 64 hash of title,
 * date and summary-or-content.  The hash is not worked out by hand here;
 * its properties are: shape, stability, and that it follows its inputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "item.h"
#include "parse.h"

#include "parse-helpers.h"

#define T_0056Z		INT64_C(1720486560)	/* 2024-07-09T00:56:00Z */

struct tstate {
	struct feed_item	*a;
	struct feed_item	*b;
	char			*ka;
	char			*kb;
	struct feed_doc		*d1;
	struct feed_doc		*d2;
};

static int	 setup(void **);
static int	 teardown(void **);
static struct feed_doc *parse_fixture(const char *);
static struct feed_doc *parse_text(const char *);
static struct feed_doc *parse_in_chunks(const char *, size_t, size_t);
static void	 assert_hash_key(const char *);
static void	 set(char **, const char *);
static void	 keys(struct tstate *);
static int	 doc_has_key(const struct feed_doc *, const char *);

static void	test_key_guid(void **);
static void	test_key_guid_empty_uses_link(void **);
static void	test_key_link(void **);
static void	test_key_link_empty_uses_hash(void **);
static void	test_key_is_a_copy(void **);
static void	test_key_hash_shape(void **);
static void	test_key_hash_all_missing(void **);
static void	test_key_hash_stable(void **);
static void	test_key_hash_title_changes(void **);
static void	test_key_hash_title_boundary(void **);
static void	test_key_hash_date_changes(void **);
static void	test_key_hash_summary_changes(void **);
static void	test_key_hash_content_without_summary(void **);
static void	test_key_hash_summary_over_content(void **);
static void	test_key_hash_ignores_other_fields(void **);
static void	test_key_enclosure(void **);
static void	test_key_long_guid(void **);
static void	test_key_parse_rdf_about(void **);
static void	test_key_parse_enclosure(void **);
static void	test_key_parse_json_nul(void **);
static void	test_key_parse_title_naming_tags(void **);
static void	test_key_parse_json_text_old_form(void **);
static void	test_key_parse_plain_text_old_form(void **);
static void	test_key_parse_guid(void **);
static void	test_key_parse_atom_id(void **);
static void	test_key_parse_json_ids(void **);
static void	test_key_parse_link_fallbacks(void **);
static void	test_key_parse_hash_between_parses(void **);
static void	test_key_parse_hash_follows_title(void **);
static void	test_key_parse_reordered(void **);
static void	test_key_parse_matches_item(void **);

static int
setup(void **state)
{
	struct tstate	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return (-1);
	t->a = feed_item_new();
	t->b = feed_item_new();
	*state = t;
	return (0);
}

static int
teardown(void **state)
{
	struct tstate	*t = *state;

	feed_item_free(t->a);
	feed_item_free(t->b);
	free(t->ka);
	free(t->kb);
	feed_doc_free(t->d1);
	feed_doc_free(t->d2);
	free(t);
	return (0);
}

static struct feed_doc *
parse_fixture(const char *name)
{
	struct feed_doc	*doc;
	char		*data, *cause = NULL;
	size_t		 len;

	data = read_fixture(name, &len);
	doc = parse_buffer(data, len, NULL, &cause);
	free(data);
	if (doc == NULL)
		fail_msg("%s: %s", name, cause != NULL ? cause : "(no cause)");
	return (doc);
}

static struct feed_doc *
parse_text(const char *text)
{
	struct feed_doc	*doc;
	char		*cause = NULL;

	doc = parse_buffer(text, strlen(text), NULL, &cause);
	if (doc == NULL)
		fail_msg("inline document: %s", cause);
	return (doc);
}

static struct feed_doc *
parse_in_chunks(const char *data, size_t len, size_t chunk)
{
	struct parser	*p;
	struct feed_doc	*doc;
	char		*cause = NULL;
	size_t		 off, n;

	p = parse_new(NULL);
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		if (parse_feed(p, data + off, n) != 0)
			break;
	}
	doc = parse_finish(p, &cause);
	parse_free(p);
	if (doc == NULL)
		fail_msg("chunked parse: %s", cause);
	return (doc);
}

/* "hash:" followed by 16 lowercase hex digits, 21 bytes in all. */
static void
assert_hash_key(const char *k)
{
	size_t	i;

	assert_non_null(k);
	if (strlen(k) != 21 || strncmp(k, "hash:", 5) != 0)
		fail_msg("key \"%s\" is not \"hash:\" + 16 hex digits", k);
	for (i = 5; i < 21; i++)
		if (strchr("0123456789abcdef", k[i]) == NULL)
			fail_msg("key \"%s\": '%c' is not lowercase hex", k,
			    k[i]);
}

static void
set(char **field, const char *v)
{
	free(*field);
	*field = v != NULL ? strdup(v) : NULL;
}

/* Computes both items' keys afresh. */
static void
keys(struct tstate *t)
{
	free(t->ka);
	free(t->kb);
	t->ka = feed_item_key(t->a, NULL);
	t->kb = feed_item_key(t->b, NULL);
	assert_non_null(t->ka);
	assert_non_null(t->kb);
}

static int
doc_has_key(const struct feed_doc *doc, const char *key)
{
	size_t	i;

	for (i = 0; i < doc->nitems; i++)
		if (doc->items[i]->key != NULL &&
		    strcmp(doc->items[i]->key, key) == 0)
			return (1);
	return (0);
}

static void
test_key_guid(void **state)
{
	struct tstate	*t = *state;

	set(&t->a->guid, "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a");
	set(&t->a->link, "https://example.org/2024/07/09/robots");
	set(&t->a->title, "Robots");
	keys(t);
	assert_string_equal(t->ka,
	    "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a");
}

static void
test_key_guid_empty_uses_link(void **state)
{
	struct tstate	*t = *state;

	set(&t->a->guid, "");
	set(&t->a->link, "https://example.org/a");
	keys(t);
	assert_string_equal(t->ka, "https://example.org/a");
}

static void
test_key_link(void **state)
{
	struct tstate	*t = *state;

	set(&t->a->link, "https://example.org/b");
	set(&t->a->title, "B");
	t->a->published = T_0056Z;
	keys(t);
	assert_string_equal(t->ka, "https://example.org/b");
}

static void
test_key_link_empty_uses_hash(void **state)
{
	struct tstate	*t = *state;

	set(&t->a->guid, "");
	set(&t->a->link, "");
	set(&t->a->title, "Only a title");
	keys(t);
	assert_hash_key(t->ka);
}

/* The key is the caller's to free, not the item's guid. */
static void
test_key_is_a_copy(void **state)
{
	struct tstate	*t = *state;

	set(&t->a->guid, "g-1");
	keys(t);
	assert_ptr_not_equal(t->ka, t->a->guid);
	assert_string_equal(t->ka, "g-1");
	t->ka[0] = 'X';
	assert_string_equal(t->a->guid, "g-1");
}

static void
test_key_hash_shape(void **state)
{
	struct tstate	*t = *state;

	set(&t->a->title, "North Korea and Russia Strengthen Military Ties "
	    "Amid Global Concerns");
	t->a->published = T_0056Z;
	set(&t->a->summary, "A North Korean military delegation ...");
	keys(t);
	assert_hash_key(t->ka);
}

/* An item with nothing at all still gets a well-formed key. */
static void
test_key_hash_all_missing(void **state)
{
	struct tstate	*t = *state;

	keys(t);
	assert_hash_key(t->ka);
	assert_string_equal(t->ka, t->kb);
}

/* Same title, date and text: same key, from two separate items. */
static void
test_key_hash_stable(void **state)
{
	struct tstate	*t = *state;
	char		*again;

	set(&t->a->title, "Caf\xc3\xa9 opens");
	set(&t->b->title, "Caf\xc3\xa9 opens");
	t->a->published = t->b->published = T_0056Z;
	set(&t->a->summary, "<p>Coffee.</p>");
	set(&t->b->summary, "<p>Coffee.</p>");
	keys(t);
	assert_hash_key(t->ka);
	assert_string_equal(t->ka, t->kb);
	again = feed_item_key(t->a, NULL);
	assert_string_equal(t->ka, again);
	free(again);
}

static void
test_key_hash_title_changes(void **state)
{
	struct tstate	*t = *state;

	set(&t->a->title, "Caf\xc3\xa9 opens");
	set(&t->b->title, "Caf\xc3\xa9 closes");
	t->a->published = t->b->published = T_0056Z;
	set(&t->a->summary, "text");
	set(&t->b->summary, "text");
	keys(t);
	assert_string_not_equal(t->ka, t->kb);
	/* One letter's case is a change too. */
	set(&t->b->title, "caf\xc3\xa9 opens");
	keys(t);
	assert_string_not_equal(t->ka, t->kb);
}

/*
 * Titles that differ where they meet the next field: ("x1", 720 s) and
 * ("x", 1720 s) must not collide, nor ("ab", no text) and ("a", "b").
 */
static void
test_key_hash_title_boundary(void **state)
{
	struct tstate	*t = *state;

	set(&t->a->title, "x1");
	t->a->published = 720;
	set(&t->b->title, "x");
	t->b->published = 1720;
	keys(t);
	assert_string_not_equal(t->ka, t->kb);
	t->a->published = t->b->published = DATE_NONE;
	set(&t->a->title, "ab");
	set(&t->b->title, "a");
	set(&t->b->summary, "b");
	keys(t);
	assert_string_not_equal(t->ka, t->kb);
}

static void
test_key_hash_date_changes(void **state)
{
	struct tstate	*t = *state;

	set(&t->a->title, "Same");
	set(&t->b->title, "Same");
	t->a->published = T_0056Z;
	t->b->published = T_0056Z + 1;
	keys(t);
	assert_string_not_equal(t->ka, t->kb);
	/* A date against none. */
	t->b->published = DATE_NONE;
	keys(t);
	assert_string_not_equal(t->ka, t->kb);
}

static void
test_key_hash_summary_changes(void **state)
{
	struct tstate	*t = *state;

	set(&t->a->title, "Same");
	set(&t->b->title, "Same");
	set(&t->a->summary, "first text");
	set(&t->b->summary, "second text");
	keys(t);
	assert_string_not_equal(t->ka, t->kb);
}

/* Without a summary the content is the text that counts. */
static void
test_key_hash_content_without_summary(void **state)
{
	struct tstate	*t = *state;

	set(&t->a->title, "Same");
	set(&t->b->title, "Same");
	set(&t->a->content, "<p>one</p>");
	set(&t->b->content, "<p>two</p>");
	keys(t);
	assert_string_not_equal(t->ka, t->kb);
	set(&t->b->content, "<p>one</p>");
	keys(t);
	assert_string_equal(t->ka, t->kb);
}

/* With a summary, the content does not enter the hash. */
static void
test_key_hash_summary_over_content(void **state)
{
	struct tstate	*t = *state;

	set(&t->a->title, "Same");
	set(&t->b->title, "Same");
	set(&t->a->summary, "summary");
	set(&t->b->summary, "summary");
	set(&t->a->content, "<p>one</p>");
	set(&t->b->content, "<p>two</p>");
	keys(t);
	assert_string_equal(t->ka, t->kb);
}

/* Author and categories are not part of the hash. */
static void
test_key_hash_ignores_other_fields(void **state)
{
	struct tstate	*t = *state;

	set(&t->a->title, "Same");
	set(&t->b->title, "Same");
	t->a->published = t->b->published = T_0056Z;
	set(&t->a->author, "Someone");
	feed_item_add_category(t->a, "News");
	keys(t);
	assert_string_equal(t->ka, t->kb);
}

/*
 * Podcast episodes known only by their audio file: the first enclosure's
 * URL is the key, below guid and link; the old rule (a hash) is kept as
 * the item's old key, so stored episodes are found again.
 */
static void
test_key_enclosure(void **state)
{
	struct tstate	*t = *state;

	set(&t->a->title, "Same");
	set(&t->b->title, "Same");
	feed_item_add_enclosure(t->a, "http://e.example/1.mp3", "audio/mpeg",
	    100);
	feed_item_add_enclosure(t->b, "http://e.example/2.mp3", "audio/mpeg",
	    100);
	keys(t);
	assert_string_equal(t->ka, "http://e.example/1.mp3");
	assert_string_equal(t->kb, "http://e.example/2.mp3");
	feed_item_set_key(t->a, NULL);
	feed_item_set_key(t->b, NULL);
	assert_hash_key(t->a->oldkey);
	/* Before enclosures counted, both had the same key. */
	assert_string_equal(t->a->oldkey, t->b->oldkey);
	set(&t->a->link, "http://e.example/one");
	feed_item_set_key(t->a, NULL);
	assert_string_equal(t->a->key, "http://e.example/one");
	assert_null(t->a->oldkey);
}

/* A guid over 2 KiB is keyed on its SHA-256; one of 2 KiB verbatim. */
static void
test_key_long_guid(void **state)
{
	struct tstate	*t = *state;
	char		*g;

	g = malloc(100 * 1024 + 1);
	assert_non_null(g);
	memset(g, 'x', 100 * 1024);
	g[100 * 1024] = '\0';
	set(&t->a->guid, g);
	g[FEED_KEY_MAX] = '\0';
	set(&t->b->guid, g);
	free(g);
	keys(t);
	assert_int_equal(strlen(t->ka), 7 + 64);
	assert_memory_equal(t->ka, "sha256:", 7);
	assert_int_equal(strspn(t->ka + 7, "0123456789abcdef"), 64);
	assert_string_equal(t->kb, t->b->guid);
	/* sha256 of 102400 'x', from sha256sum(1). */
	assert_string_equal(t->ka + 7, "8b77ec70310a4f694fff9ad0bf5f1e9d"
	    "a39b97ec5ccb3ced6a6261ac4effee4c");
	feed_item_set_key(t->a, NULL);
	assert_string_equal(t->a->oldkey, t->a->guid);
}

/* RSS 1.0: rdf:about identifies an item before its link. */
static void
test_key_parse_rdf_about(void **state)
{
	struct tstate	*t = *state;

	t->d1 = parse_text("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/"
	    "22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\">"
	    "<channel rdf:about=\"http://a.example/\"><title>T</title>"
	    "</channel>"
	    "<item rdf:about=\"urn:x:1\"><title>One</title>"
	    "<link>http://a.example/same</link></item>"
	    "<item rdf:about=\"urn:x:2\"><title>Two</title>"
	    "<link>http://a.example/same</link></item></rdf:RDF>");
	assert_int_equal(t->d1->nitems, 2);
	assert_string_equal(t->d1->items[0]->key, "urn:x:1");
	assert_string_equal(t->d1->items[1]->key, "urn:x:2");
	assert_string_equal(t->d1->items[0]->oldkey, "http://a.example/same");
}

/*
 * Keyed by link, the key is the normal form of the link and the old key
 * the link as an older feedd kept it (resolved, else as written), so an
 * item stored before is found whatever normalising changed.
 */
static void
test_key_parse_link_old_form(void **state)
{
	struct tstate	*t = *state;

	t->d1 = parse_text("<rss version=\"2.0\"><channel><title>T</title>"
	    "<link>http://a.example/</link>"
	    "<item><title>One</title>"
	    "<link>HTTP://A.Example:80/caf\xc3\xa9 au lait</link></item>"
	    "<item><title>Two</title><link>http://a.example/plain</link>"
	    "</item>"
	    "<item><title>Three</title><link>javascript:go()</link>"
	    "</item></channel></rss>");
	assert_int_equal(t->d1->nitems, 3);
	assert_string_equal(t->d1->items[0]->key,
	    "http://a.example/caf%c3%a9%20au%20lait");
	assert_string_equal(t->d1->items[0]->oldkey,
	    "HTTP://A.Example:80/caf\xc3\xa9 au lait");
	assert_string_equal(t->d1->items[1]->key, "http://a.example/plain");
	assert_null(t->d1->items[1]->oldkey);
	/* No link now, so the hash; before, the link as written. */
	assert_null(t->d1->items[2]->link);
	assert_string_equal(t->d1->items[2]->oldkey, "javascript:go()");
	assert_null(t->d1->items[0]->link_v1);
}

/* The hash key of "it" had its title been "title". */
static char *
key_with_title(const struct feed_item *it, const char *title)
{
	struct feed_item	*c;
	char			*key;

	c = feed_item_new();
	c->title = title != NULL ? strdup(title) : NULL;
	c->published = it->published;
	c->updated = it->updated;
	c->summary = it->summary != NULL ? strdup(it->summary) : NULL;
	c->content = it->content != NULL ? strdup(it->content) : NULL;
	key = feed_item_key(c, NULL);
	feed_item_free(c);
	return (key);
}

/*
 * Keyed by the hash of its title, an item whose title today's cleaning
 * changes (escaped HTML read as HTML, controls and BiDi overrides gone)
 * has as old key the hash of the title as an older feedd kept it, as has
 * an item keyed by its enclosure; a media:title the old rule did not
 * read leaves it no title.  A title the cleaning keeps needs no old key.
 */
static void
test_key_parse_title_old_form(void **state)
{
	struct tstate	*t = *state;
	struct feed_doc	*d;
	char		*want;

	d = t->d1 = parse_fixture("rss20-title-oldkeys.xml");
	assert_int_equal(d->nitems, 7);
	assert_string_equal(d->items[0]->title, "Caf\xc3\xa9 bold");
	assert_hash_key(d->items[0]->key);
	want = key_with_title(d->items[0], "Caf&eacute; <b>bold</b>");
	assert_non_null(d->items[0]->oldkey);
	assert_string_equal(d->items[0]->oldkey, want);
	free(want);
	assert_null(d->items[0]->title_v1);

	assert_string_equal(d->items[1]->title, "Eviltxt.exe x");
	want = key_with_title(d->items[1],
	    "Evil\xe2\x80\xaetxt.exe\xc2\x85x");
	assert_string_equal(d->items[1]->oldkey, want);
	free(want);

	assert_string_equal(d->items[2]->title, "Plain");
	assert_null(d->items[2]->oldkey);

	assert_string_equal(d->items[3]->title, "Media title only");
	want = key_with_title(d->items[3], NULL);
	assert_string_equal(d->items[3]->oldkey, want);
	free(want);

	assert_string_equal(d->items[4]->key, "http://titles.example/five.mp3");
	want = key_with_title(d->items[4], "Fish &amp; chips");
	assert_string_equal(d->items[4]->oldkey, want);
	free(want);

	/* The title element wins over dc:title under both rules. */
	assert_string_equal(d->items[5]->title, "Clean title");
	assert_null(d->items[5]->oldkey);

	/* A blank title is none: the media:title was not read before. */
	assert_string_equal(d->items[6]->title, "Blank title, media title");
	want = key_with_title(d->items[6], NULL);
	assert_string_equal(d->items[6]->oldkey, want);
	free(want);
}

/*
 * An RSS title that names tags ("Vector<T>") is text, as the older feedd
 * kept every RSS title: keyed by its hash, the item has that key and no
 * other.  One that is HTML keeps the old key of its escaped form.
 */
static void
test_key_parse_title_naming_tags(void **state)
{
	struct tstate	*t = *state;
	struct feed_doc	*d;
	char		*want;

	d = t->d1 = parse_text("<rss version=\"2.0\"><channel><item><title>"
	    "Vector&lt;T&gt; in C++</title><description>one</description>"
	    "</item><item><title>&lt;b&gt;Bold&lt;/b&gt; news</title>"
	    "<description>two</description></item></channel></rss>");
	assert_int_equal(d->nitems, 2);
	assert_string_equal(d->items[0]->title, "Vector<T> in C++");
	assert_hash_key(d->items[0]->key);
	want = key_with_title(d->items[0], "Vector<T> in C++");
	assert_string_equal(d->items[0]->key, want);
	free(want);
	assert_null(d->items[0]->oldkey);
	assert_string_equal(d->items[1]->title, "Bold news");
	want = key_with_title(d->items[1], "<b>Bold</b> news");
	assert_non_null(d->items[1]->oldkey);
	assert_string_equal(d->items[1]->oldkey, want);
	free(want);
}

/*
 * Atom HTML titles: an older feedd put a space for each tag, where they
 * are now read as a browser reads them ("H<sub>2</sub>O" is one word).
 * An entry keyed by its hash has the old key of that reading: the keys
 * below are the ones the parser of 7d48030 gives for the fixture.  With
 * an id or a link, the title counts in neither key.
 */
static void
test_key_parse_atom_html_title_old_form(void **state)
{
	struct tstate	*t = *state;
	struct feed_doc	*d;
	char		*want;
	size_t		 i;
	static const char *const was[][3] = {
		{ "Foo: bar", "Foo : bar", "hash:bffaf4c277dd108b" },
		{ "H2O water", "H 2 O w ater", "hash:fe5dcb7ca94474db" },
		{ "xy", "x y", "hash:ee4f33aa7a57b301" },
		{ "Codeend", "Code var a=1 end", "hash:442dc6bb63851a67" },
		{ "AT&T news \xc2\xa9 2024", "AT&T news &copy 2024",
		    "hash:301812e0c77a3975" },
		{ "Links \xc3\xa9t\xc3\xa9", "Link s \xc3\xa9t\xc3\xa9",
		    "hash:e0163c71f1d4d6b0" },
	};

	d = t->d1 = parse_fixture("atom-title-oldkeys.xml");
	assert_int_equal(d->nitems, 9);
	for (i = 0; i < sizeof(was) / sizeof(was[0]); i++) {
		assert_string_equal(d->items[i]->title, was[i][0]);
		assert_hash_key(d->items[i]->key);
		assert_non_null(d->items[i]->oldkey);
		want = key_with_title(d->items[i], was[i][1]);
		assert_string_equal(d->items[i]->oldkey, want);
		free(want);
		assert_string_equal(d->items[i]->oldkey, was[i][2]);
		assert_null(d->items[i]->title_v1);
	}
	/* Read alike both ways: no old key. */
	assert_string_equal(d->items[6]->title, "Fish & chips");
	assert_null(d->items[6]->oldkey);
	assert_string_equal(d->items[7]->key, "urn:example:8");
	assert_null(d->items[7]->oldkey);
	assert_string_equal(d->items[8]->key, "http://example.com/9");
	assert_null(d->items[8]->oldkey);
}

/* JSON Feed: a title with controls or a NUL has its old hash key too. */
static void
test_key_parse_json_title_old_form(void **state)
{
	struct tstate	*t = *state;
	char		*want;

	t->d1 = parse_text("{\"version\": \"https://jsonfeed.org/version/1\","
	    "\"items\": [{\"title\": \"Bell\\u0007 and\\u0000 NUL\", "
	    "\"content_text\": \"x\"}, {\"title\": \"Plain\", "
	    "\"content_text\": \"x\"}]}");
	assert_int_equal(t->d1->nitems, 2);
	assert_string_equal(t->d1->items[0]->title,
	    "Bell and\xef\xbf\xbd NUL");
	want = key_with_title(t->d1->items[0], "Bell\x07 and");
	assert_string_equal(t->d1->items[0]->oldkey, want);
	free(want);
	assert_null(t->d1->items[1]->oldkey);
}

/*
 * Plain text made HTML (Atom type="text", JSON Feed content_text and
 * summary) was stored as it was: an item keyed by its hash has the old
 * key of that text, so it is found again; text that reads the same as
 * HTML needs none.
 */
static void
test_key_parse_plain_text_old_form(void **state)
{
	struct tstate		*t = *state;
	struct feed_item	*c, *it;
	char			*want;
	size_t			 i;
	static const char *const was[][2] = {
		{ NULL, "a < b\n\nc" },	/* Atom content */
		{ "x & y", "<p>html</p>" },	/* Atom summary wins */
		{ NULL, "a < b" },		/* JSON content_text */
		{ "1 > 0", NULL },		/* JSON summary */
	};

	t->d1 = parse_text("<feed xmlns=\"http://www.w3.org/2005/Atom\">"
	    "<entry><title>T</title><content type=\"text\">a &lt; b\n\nc"
	    "</content></entry><entry><title>T</title><summary type=\"text\">"
	    "x &amp; y</summary><content type=\"html\">&lt;p>html&lt;/p>"
	    "</content></entry><entry><title>T</title>"
	    "<content type=\"text\">plain</content></entry></feed>");
	t->d2 = parse_text("{\"version\": \"https://jsonfeed.org/version/1\","
	    "\"items\": [{\"title\": \"T\", \"content_text\": \"a < b\"}, "
	    "{\"title\": \"T\", \"summary\": \"1 > 0\"}]}");
	assert_int_equal(t->d1->nitems, 3);
	assert_int_equal(t->d2->nitems, 2);
	assert_string_equal(t->d1->items[0]->content,
	    "<p>a &lt; b</p>\n<p>c</p>");
	assert_string_equal(t->d1->items[1]->summary, "x &amp; y");
	assert_string_equal(t->d2->items[0]->content, "a &lt; b");
	assert_string_equal(t->d2->items[1]->summary, "1 &gt; 0");
	for (i = 0; i < 4; i++) {
		it = i < 2 ? t->d1->items[i] : t->d2->items[i - 2];
		assert_hash_key(it->key);
		c = feed_item_new();
		c->title = strdup("T");
		c->published = it->published;
		c->updated = it->updated;
		c->summary = was[i][0] != NULL ? strdup(was[i][0]) : NULL;
		c->content = was[i][1] != NULL ? strdup(was[i][1]) : NULL;
		want = feed_item_key(c, NULL);
		feed_item_free(c);
		assert_non_null(it->oldkey);
		assert_string_equal(it->oldkey, want);
		assert_string_not_equal(it->key, want);
		free(want);
	}
	assert_string_equal(t->d1->items[2]->content, "plain");
	assert_null(t->d1->items[2]->oldkey);
}

/*
 * JSON Feed: a summary (or, without one, the content) that loses controls
 * today gives an item keyed by its hash the old key of the text as it
 * was, up to a NUL; a clean text needs none.
 */
static void
test_key_parse_json_text_old_form(void **state)
{
	struct tstate		*t = *state;
	struct feed_item	*c;
	char			*want;
	size_t			 i;
	static const char *const was[][2] = {
		{ "a\x07" "b", NULL },
		{ NULL, "<p>x\x01</p>" },
	};

	t->d1 = parse_text("{\"version\": \"https://jsonfeed.org/version/1\","
	    "\"items\": [{\"title\": \"T\", \"summary\": \"a\\u0007b "
	    "\\u0000c\", \"content_text\": \"x\\u0002\"}, "
	    "{\"title\": \"T\", \"content_html\": \"<p>x\\u0001</p>\"}, "
	    "{\"title\": \"T\", \"summary\": \"clean\"}]}");
	assert_int_equal(t->d1->nitems, 3);
	assert_string_equal(t->d1->items[0]->summary,
	    "ab \xef\xbf\xbd" "c");
	for (i = 0; i < 2; i++) {
		assert_hash_key(t->d1->items[i]->key);
		c = feed_item_new();
		c->title = strdup("T");
		c->published = t->d1->items[i]->published;
		c->updated = t->d1->items[i]->updated;
		c->summary = was[i][0] != NULL ? strdup(was[i][0]) : NULL;
		c->content = was[i][1] != NULL ? strdup(was[i][1]) : NULL;
		want = feed_item_key(c, NULL);
		feed_item_free(c);
		assert_non_null(t->d1->items[i]->oldkey);
		assert_string_equal(t->d1->items[i]->oldkey, want);
		assert_string_not_equal(t->d1->items[i]->key, want);
		free(want);
	}
	assert_null(t->d1->items[2]->oldkey);
}

/* JSON Feed ids that differ after a NUL do not merge. */
static void
test_key_parse_json_nul(void **state)
{
	struct tstate	*t = *state;

	t->d1 = parse_text("{\"version\": \"https://jsonfeed.org/version/1.1\","
	    "\"title\": \"N\", \"items\": [{\"id\": \"j\\u0000a\","
	    "\"content_text\": \"x\"}, {\"id\": \"j\\u0000b\","
	    "\"content_text\": \"x\"}]}");
	assert_int_equal(t->d1->nitems, 2);
	assert_string_equal(t->d1->items[0]->key, "j\xef\xbf\xbd" "a");
	assert_string_equal(t->d1->items[1]->key, "j\xef\xbf\xbd" "b");
	assert_true(t->d1->nwarnings > 0);
}

/* Through the parser: episodes with only an enclosure do not merge. */
static void
test_key_parse_enclosure(void **state)
{
	struct tstate	*t = *state;

	t->d1 = parse_fixture("podcast-enclosure-only.xml");
	assert_int_equal(t->d1->nitems, 2);
	assert_string_equal(t->d1->items[0]->key,
	    "http://cdn.example.net/ep1.mp3");
	assert_string_equal(t->d1->items[1]->key,
	    "http://cdn.example.net/ep2.mp3");
	assert_string_equal(t->d1->items[0]->oldkey, t->d1->items[1]->oldkey);
}

/* Through the parser: an RSS guid is the key, trimmed. */
static void
test_key_parse_guid(void **state)
{
	struct tstate	*t = *state;

	t->d1 = parse_fixture("rss20-basic.xml");
	assert_int_equal(t->d1->nitems, 2);
	assert_string_equal(t->d1->items[0]->key,
	    "https://news.example.com/?p=101");
	assert_string_equal(t->d1->items[1]->key,
	    "https://news.example.com/2024/07/second-story");
	feed_doc_free(t->d1);
	t->d1 = parse_fixture("rss20-whitespace.xml");
	assert_string_equal(t->d1->items[0]->key, "ws-1");
}

static void
test_key_parse_atom_id(void **state)
{
	struct tstate	*t = *state;

	t->d1 = parse_fixture("atom10-basic.xml");
	assert_int_equal(t->d1->nitems, 3);
	assert_string_equal(t->d1->items[0]->key,
	    "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a");
	assert_string_equal(t->d1->items[2]->key,
	    "tag:example.org,2024:third");
}

/* JSON Feed ids: a number becomes its decimal string. */
static void
test_key_parse_json_ids(void **state)
{
	struct tstate	*t = *state;

	t->d1 = parse_fixture("jsonfeed11.json");
	assert_int_equal(t->d1->nitems, 2);
	assert_string_equal(t->d1->items[0]->key, "2");
	assert_string_equal(t->d1->items[1]->key, "1");
	assert_string_equal(t->d1->items[1]->guid, "1");
	feed_doc_free(t->d1);
	t->d1 = parse_text("{\"version\": \"https://jsonfeed.org/version/1.1\","
	    " \"items\": [{\"id\": 9007199254740993, \"title\": \"big\"}, "
	    "{\"id\": \"\", \"url\": \"https://j.example/x\"}]}");
	assert_int_equal(t->d1->nitems, 2);
	assert_string_equal(t->d1->items[0]->key, "9007199254740993");
	assert_string_equal(t->d1->items[1]->key, "https://j.example/x");
}

/* No guid: the link; an empty guid: the link; neither: a hash. */
static void
test_key_parse_link_fallbacks(void **state)
{
	struct tstate	*t = *state;

	t->d1 = parse_fixture("rss20-guid.xml");
	assert_true(t->d1->nitems >= 6);
	assert_string_equal(t->d1->items[5]->key, "http://g.example/f");
	feed_doc_free(t->d1);
	t->d1 = parse_fixture("rss10-rdf.xml");
	/* RSS 1.0: rdf:about stands in for a missing <link>. */
	assert_string_equal(t->d1->items[1]->key,
	    "https://slashdot.example.org/story/24/07/09/2");
	feed_doc_free(t->d1);
	t->d1 = parse_fixture("rss092.xml");
	assert_int_equal(t->d1->nitems, 2);
	/* No guid or link: the enclosure, else the hash. */
	assert_string_equal(t->d1->items[0]->key,
	    "http://www.scripting.com/mp3s/weatherReportSuite.mp3");
	assert_hash_key(t->d1->items[1]->key);
	assert_string_not_equal(t->d1->items[0]->key, t->d1->items[1]->key);
}

/* A hashed key is the same in two parses, whole or in chunks. */
static void
test_key_parse_hash_between_parses(void **state)
{
	struct tstate	*t = *state;
	struct feed_doc	*d3;
	char		*data;
	size_t		 len, i;

	t->d1 = parse_fixture("rss092.xml");
	t->d2 = parse_fixture("rss092.xml");
	assert_int_equal(t->d1->nitems, t->d2->nitems);
	for (i = 0; i < t->d1->nitems; i++)
		assert_string_equal(t->d1->items[i]->key,
		    t->d2->items[i]->key);
	data = read_fixture("rss092.xml", &len);
	d3 = parse_in_chunks(data, len, 3);
	free(data);
	assert_int_equal(d3->nitems, t->d1->nitems);
	for (i = 0; i < d3->nitems; i++)
		assert_string_equal(d3->items[i]->key, t->d1->items[i]->key);
	feed_doc_free(d3);
}

/* Two documents that differ only in an item's title: different keys. */
static void
test_key_parse_hash_follows_title(void **state)
{
	struct tstate	*t = *state;
	struct feed_doc	*d3;

	t->d1 = parse_text("<rss version=\"2.0\"><channel><title>h</title>"
	    "<item><title>Old title</title><description>Same text"
	    "</description><pubDate>Tue, 09 Jul 2024 00:56:00 GMT</pubDate>"
	    "</item></channel></rss>");
	t->d2 = parse_text("<rss version=\"2.0\"><channel><title>h</title>"
	    "<item><title>New title</title><description>Same text"
	    "</description><pubDate>Tue, 09 Jul 2024 00:56:00 GMT</pubDate>"
	    "</item></channel></rss>");
	assert_hash_key(t->d1->items[0]->key);
	assert_hash_key(t->d2->items[0]->key);
	assert_string_not_equal(t->d1->items[0]->key, t->d2->items[0]->key);
	/* The same item written with other white space and zone: same key. */
	d3 = parse_text("<rss version=\"2.0\"><channel><title>h</title>\n"
	    "<item>\n  <title>\n    Old   title\n  </title>\n  <pubDate>Tue, "
	    "09 Jul 2024 06:26:00 +0530</pubDate>\n  <description>\n    Same "
	    "text\n  </description>\n</item></channel></rss>");
	assert_string_equal(d3->items[0]->key, t->d1->items[0]->key);
	feed_doc_free(d3);
}

/* Items moved around between two versions keep their keys. */
static void
test_key_parse_reordered(void **state)
{
	struct tstate	*t = *state;
	size_t		 i;

	t->d1 = parse_fixture("reorder-v1.xml");
	t->d2 = parse_fixture("reorder-v2.xml");
	assert_int_equal(t->d1->nitems, 4);
	assert_int_equal(t->d2->nitems, 4);
	for (i = 0; i < t->d1->nitems; i++)
		if (!doc_has_key(t->d2, t->d1->items[i]->key))
			fail_msg("key \"%s\" of v1 is not in v2",
			    t->d1->items[i]->key);
	/* "Charlie" has no guid and no link: its hash survived the move. */
	assert_hash_key(t->d1->items[2]->key);
	assert_string_equal(t->d1->items[2]->key, t->d2->items[0]->key);
	/* "Delta" was retitled; its guid keeps it the same item. */
	assert_string_equal(t->d2->items[1]->key, "delta");
}

/* The key the parser sets is feed_item_key of the finished item. */
static void
test_key_parse_matches_item(void **state)
{
	static const char *const fixtures[] = { "rss20-basic.xml",
	    "rss092.xml", "atom10-basic.xml", "jsonfeed10.json",
	    "reorder-v2.xml", "rss20-guid.xml" };
	struct tstate	*t = *state;
	char		*k;
	size_t		 f, i;

	for (f = 0; f < sizeof(fixtures) / sizeof(*fixtures); f++) {
		feed_doc_free(t->d1);
		t->d1 = parse_fixture(fixtures[f]);
		for (i = 0; i < t->d1->nitems; i++) {
			k = feed_item_key(t->d1->items[i], NULL);
			if (strcmp(k, t->d1->items[i]->key) != 0) {
				print_error("%s item %zu: key \"%s\", "
				    "feed_item_key \"%s\"\n", fixtures[f], i,
				    t->d1->items[i]->key, k);
				free(k);
				fail();
			}
			free(k);
		}
	}
}

#define TEST(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_key_guid),
		TEST(test_key_guid_empty_uses_link),
		TEST(test_key_link),
		TEST(test_key_link_empty_uses_hash),
		TEST(test_key_is_a_copy),
		TEST(test_key_hash_shape),
		TEST(test_key_hash_all_missing),
		TEST(test_key_hash_stable),
		TEST(test_key_hash_title_changes),
		TEST(test_key_hash_title_boundary),
		TEST(test_key_hash_date_changes),
		TEST(test_key_hash_summary_changes),
		TEST(test_key_hash_content_without_summary),
		TEST(test_key_hash_summary_over_content),
		TEST(test_key_hash_ignores_other_fields),
		TEST(test_key_enclosure),
		TEST(test_key_long_guid),
		TEST(test_key_parse_rdf_about),
		TEST(test_key_parse_enclosure),
		TEST(test_key_parse_json_text_old_form),
		TEST(test_key_parse_plain_text_old_form),
		TEST(test_key_parse_json_nul),
		TEST(test_key_parse_link_old_form),
		TEST(test_key_parse_title_old_form),
		TEST(test_key_parse_title_naming_tags),
		TEST(test_key_parse_atom_html_title_old_form),
		TEST(test_key_parse_json_title_old_form),
		TEST(test_key_parse_guid),
		TEST(test_key_parse_atom_id),
		TEST(test_key_parse_json_ids),
		TEST(test_key_parse_link_fallbacks),
		TEST(test_key_parse_hash_between_parses),
		TEST(test_key_parse_hash_follows_title),
		TEST(test_key_parse_reordered),
		TEST(test_key_parse_matches_item),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
