/*
 * test_dedup.c: which key an item is stored under, when its content
 * counts as changed, when a feed's GUIDs are a storm, and the canonical
 * URL that ties one story's items together across feeds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dedup.h"
#include "item.h"
#include "store.h"
#include "url.h"
#include "xmalloc.h"

static struct feed_item *
item(const char *guid, const char *link, const char *title)
{
	struct feed_item	*it = feed_item_new();

	it->guid = guid != NULL ? xstrdup(guid) : NULL;
	it->link = link != NULL ? xstrdup(link) : NULL;
	it->title = title != NULL ? xstrdup(title) : NULL;
	it->key = feed_item_key(it, NULL);
	return (it);
}

static void
test_dedup_key_by_mode(void **state)
{
	struct feed_item	*it = item("devdiscourse-3005012",
	    "https://www.devdiscourse.com/article/3005012", "T");

	assert_string_equal(dedup_key(it, "https://www.devdiscourse.com/"
	    "article/3005012", STORE_KEYS_GUID), "devdiscourse-3005012");
	assert_string_equal(dedup_key(it, "https://www.devdiscourse.com/"
	    "article/3005012", STORE_KEYS_LINK),
	    "https://www.devdiscourse.com/article/3005012");
	/* No usable link: link mode keeps the parser's key. */
	assert_string_equal(dedup_key(it, NULL, STORE_KEYS_LINK),
	    "devdiscourse-3005012");
	feed_item_free(it);
}

/* Of one key's copies, the one updated last stands, else the first. */
static void
test_dedup_repeats(void **state)
{
	struct feed_item	*v[6];
	const char		*canon[6] = { NULL };
	unsigned char		 skip[6];
	size_t			 i;

	v[0] = item("a", "https://x/1", "A first");
	v[1] = item("b", "https://x/1", "B");
	v[2] = item("a", "https://x/2", "A later");
	v[3] = item("a", "https://x/3", "A undated");
	v[4] = item("c", "https://x/4", "C first");
	v[5] = item("c", "https://x/5", "C again");
	v[0]->updated = 100;
	v[2]->updated = 200;
	assert_int_equal(dedup_repeats(v, 6, canon, STORE_KEYS_GUID, skip),
	    3);
	assert_memory_equal(skip, ((unsigned char[]){ 1, 0, 0, 1, 0, 1 }),
	    6);
	/* By link (a GUID storm's feed): items 0 and 1 share one. */
	for (i = 0; i < 6; i++)
		canon[i] = v[i]->link;
	assert_int_equal(dedup_repeats(v, 6, canon, STORE_KEYS_LINK, skip),
	    1);
	assert_memory_equal(skip, ((unsigned char[]){ 0, 1, 0, 0, 0, 0 }),
	    6);
	assert_int_equal(dedup_repeats(v, 1, canon, STORE_KEYS_GUID, skip),
	    0);
	for (i = 0; i < 6; i++)
		feed_item_free(v[i]);
}

static void
test_dedup_hash_sees_every_field(void **state)
{
	struct feed_item	*a = item("g", "https://x/1", "Title");
	struct feed_item	*b = item("g", "https://x/1", "Title");
	int64_t			 h;

	assert_true(dedup_hash(a) == dedup_hash(b));
	h = dedup_hash(a);
	free(b->title);
	b->title = xstrdup("Title (updated)");
	assert_true(dedup_hash(b) != h);
	free(b->title);
	b->title = xstrdup("Title");
	b->published = 1720486560;
	assert_true(dedup_hash(b) != h);
	b->published = a->published;
	feed_item_add_category(b, "South Korea");
	assert_true(dedup_hash(b) != h);
	feed_item_add_category(a, "South Korea");
	assert_true(dedup_hash(a) == dedup_hash(b));
	/* The content's xml:base: where its links lead. */
	h = dedup_hash(b);
	b->base = xstrdup("http://example.org/2003/");
	assert_true(dedup_hash(b) != h);
	free(b->base);
	b->base = NULL;
	assert_true(dedup_hash(b) == h);
	feed_item_add_enclosure(a, "https://x/a.jpg", "image/jpeg", 48213);
	assert_true(dedup_hash(a) != dedup_hash(b));
	/* ("ab", "c") and ("a", "bc") are different items. */
	free(a->title);
	a->title = xstrdup("ab");
	free(a->summary);
	a->summary = xstrdup("c");
	h = dedup_hash(a);
	free(a->title);
	a->title = xstrdup("a");
	free(a->summary);
	a->summary = xstrdup("bc");
	assert_true(dedup_hash(a) != h);
	feed_item_free(a);
	feed_item_free(b);
}

static void
test_dedup_storm_rule(void **state)
{
	assert_false(dedup_is_storm(3, 3, 3));	/* too few to judge */
	assert_true(dedup_is_storm(4, 4, 3));
	assert_false(dedup_is_storm(4, 4, 2));	/* half is not most */
	assert_true(dedup_is_storm(50, 50, 26));
	assert_false(dedup_is_storm(50, 10, 10));
	assert_false(dedup_is_storm(10, 11, 10));	/* impossible input */
}

static void
test_dedup_canonical_urls(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
	} cases[] = {
		{ "https://www.devdiscourse.com/article/3005012",
		  "https://www.devdiscourse.com/article/3005012" },
		{ "HTTP://WWW.DevDiscourse.COM:80/article/3005012#top",
		  "https://www.devdiscourse.com/article/3005012" },
		{ "https://example.com:443/a?utm_source=rss&utm_medium=x",
		  "https://example.com/a" },
		{ "https://example.com/a?id=7&fbclid=abc&gclid=z&b=2",
		  "https://example.com/a?id=7&b=2" },
		{ "https://example.com:8443/Path/Case",
		  "https://example.com:8443/Path/Case" },
		{ "https://user:pw@example.com/p", "https://example.com/p" },
	};
	size_t	i;
	char	*c;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		c = url_canonical(cases[i].in);
		assert_non_null(c);
		assert_string_equal(c, cases[i].out);
		free(c);
	}
	assert_null(url_canonical(NULL));
	assert_null(url_canonical("not a url"));
	assert_null(url_canonical("ftp://example.com/file"));
	assert_null(url_canonical("/relative/path"));
}

/*
 * Links that name one item of the document stand for it; a link several
 * items share (anchors of one changelog page, a status page) stands for
 * none of them.
 */
static void
test_dedup_link_keys(void **state)
{
	char		*canon[5] = { "https://x/changelog", "https://x/1",
			    NULL, "https://x/changelog", "https://x/2" };
	const char	**lk;

	(void)state;
	lk = dedup_link_keys(canon, 5);
	assert_null(lk[0]);
	assert_ptr_equal(lk[1], canon[1]);
	assert_null(lk[2]);
	assert_null(lk[3]);
	assert_ptr_equal(lk[4], canon[4]);
	free(lk);
	lk = dedup_link_keys(canon, 0);
	free(lk);
}

/*
 * A poll's new items are stored oldest first: by date when every one has
 * one (published, else updated), else in the document's order reversed.
 */
static void
test_dedup_order(void **state)
{
	struct feed_item	*v[4];
	size_t			 idx[4], i;

	(void)state;
	v[0] = item("a", "https://x/1", "Newest");
	v[1] = item("b", "https://x/2", "Middle");
	v[2] = item("c", "https://x/3", "Oldest");
	v[3] = item("d", "https://x/4", "Same date as b");
	v[0]->published = 400;
	v[1]->published = 300;
	v[2]->published = DATE_NONE;
	v[2]->updated = 100;
	v[3]->published = 300;
	for (i = 0; i < 4; i++)
		idx[i] = i;
	dedup_order(v, idx, 4);
	/* b and d share a date: the later in the document is older. */
	assert_memory_equal(idx, ((size_t[]){ 2, 3, 1, 0 }), sizeof(idx));
	/* An item without any date: the document's order, reversed. */
	v[2]->updated = DATE_NONE;
	for (i = 0; i < 4; i++)
		idx[i] = i;
	dedup_order(v, idx, 4);
	assert_memory_equal(idx, ((size_t[]){ 3, 2, 1, 0 }), sizeof(idx));
	/* A subset of the items, both dated: by date. */
	idx[0] = 3;
	idx[1] = 0;
	dedup_order(v, idx, 2);
	assert_memory_equal(idx, ((size_t[]){ 3, 0 }), 2 * sizeof(*idx));
	for (i = 0; i < 4; i++)
		feed_item_free(v[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dedup_key_by_mode),
		cmocka_unit_test(test_dedup_repeats),
		cmocka_unit_test(test_dedup_link_keys),
		cmocka_unit_test(test_dedup_order),
		cmocka_unit_test(test_dedup_hash_sees_every_field),
		cmocka_unit_test(test_dedup_storm_rule),
		cmocka_unit_test(test_dedup_canonical_urls),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
