/*
 * test_rules.c: the rules (rules.h): which feeds a rule is for, drop,
 * keep and mark_read on each field, the order they decide in, a runaway
 * pattern, explain and the counters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "conf.h"
#include "item.h"
#include "rules.h"
#include "store.h"

static struct store_feed	 feed_a, feed_b;
static char			*tags_b[] = { "py" };
static int			 loads;

static const struct store_feed *
load_cb(void *arg)
{
	loads++;
	return (arg);
}

static int
decide(struct rules *rs, struct store_feed *f, const char *title,
    const char *author, const char *category)
{
	struct feed_item	 it;
	struct store_route	 rt;
	char			*cats[1];

	memset(&it, 0, sizeof(it));
	it.title = (char *)title;
	it.author = (char *)author;
	it.summary = (char *)"a summary";
	if (category != NULL) {
		cats[0] = (char *)category;
		it.categories = cats;
		it.ncategories = 1;
	}
	memset(&rt, 0, sizeof(rt));
	rt.item = &it;
	rt.load = load_cb;
	rt.load_arg = f;
	return (rules_filter(&rt, rs));
}

/* An item with a key, as the store routes one. */
static int
decide_key(struct rules *rs, struct store_feed *f, const char *title,
    const char *key)
{
	struct feed_item	 it;
	struct store_route	 rt;

	memset(&it, 0, sizeof(it));
	it.title = (char *)title;
	it.key = (char *)key;
	memset(&rt, 0, sizeof(rt));
	rt.item = &it;
	rt.load = load_cb;
	rt.load_arg = f;
	return (rules_filter(&rt, rs));
}

static struct rules *
rules_from(const char *text)
{
	struct conf	*c;
	struct rules	*rs;
	char		*cause = NULL;

	c = conf_load_string(text, "test.conf", &cause);
	if (c == NULL)
		fail_msg("%s", cause);
	rs = rules_new();
	rules_set_conf(rs, c);
	conf_free(c);
	return (rs);
}

static void
setup_feeds(void)
{
	memset(&feed_a, 0, sizeof(feed_a));
	feed_a.id = 1;
	feed_a.url = (char *)"https://a.example/feed";
	memset(&feed_b, 0, sizeof(feed_b));
	feed_b.id = 2;
	feed_b.url = (char *)"https://b.example/feed";
	feed_b.tags = tags_b;
	feed_b.ntags = 1;
}

static void
test_rules_none(void **state)
{
	struct rules	*rs = rules_new();

	setup_feeds();
	loads = 0;
	assert_int_equal(decide(rs, &feed_a, "x", NULL, NULL),
	    STORE_FILTER_STORE);
	/* No rule: the feed is not even read. */
	assert_int_equal(loads, 0);
	rules_free(rs);
}

static void
test_rules_decide(void **state)
{
	struct rules		*rs;
	struct rules_stats	 st;
	json_t			*j;
	char			*s;

	setup_feeds();
	rs = rules_from(
	    "[rule \"no-sports\"]\naction = drop\nmatch = sports\n"
	    "feeds = https://a.example/feed\n"
	    "[rule \"py-only\"]\naction = keep\nmatch = ^python$\n"
	    "fields = categories\ntags = py\n"
	    "[rule \"mute\"]\naction = mark_read\nmatch = politics\n"
	    "[rule \"spam\"]\naction = drop\nmatch = ^spammer$\n"
	    "fields = author\n");
	/* Per feed, case-insensitive. */
	assert_int_equal(decide(rs, &feed_a, "Big SPORTS day", NULL, NULL),
	    STORE_FILTER_DROP);
	assert_int_equal(decide(rs, &feed_b, "Big sports day", NULL,
	    "python"), STORE_FILTER_STORE);
	/* keep, per tag, on categories, anchored. */
	assert_int_equal(decide(rs, &feed_b, "x", NULL, "rust"),
	    STORE_FILTER_DROP);
	assert_int_equal(decide(rs, &feed_b, "x", NULL, "python-ish"),
	    STORE_FILTER_DROP);
	assert_int_equal(decide(rs, &feed_a, "x", NULL, "rust"),
	    STORE_FILTER_STORE);
	/* mark_read everywhere, unless something drops it. */
	assert_int_equal(decide(rs, &feed_a, "politics today", NULL, NULL),
	    STORE_FILTER_READ);
	assert_int_equal(decide(rs, &feed_a, "politics and sports", NULL,
	    NULL), STORE_FILTER_DROP);
	/* author; the title alone is not looked at by that rule. */
	assert_int_equal(decide(rs, &feed_a, "hello", "spammer", NULL),
	    STORE_FILTER_DROP);
	assert_int_equal(decide(rs, &feed_a, "spammer", "ann", NULL),
	    STORE_FILTER_STORE);

	rules_get_stats(rs, &st);
	assert_int_equal(st.dropped, 5);
	assert_int_equal(st.marked_read, 1);
	j = rules_explain(rs, &feed_a);
	s = json_dumps(j, JSON_COMPACT);
	assert_non_null(strstr(s, "\"rule\":\"no-sports\""));
	assert_null(strstr(s, "py-only"));
	assert_non_null(strstr(s, "\"title\":\"Big SPORTS day\""));
	assert_non_null(strstr(s, "\"action\":\"marked read\""));
	/* feed b's decisions are not feed a's. */
	assert_null(strstr(s, "\"title\":\"x\""));
	free(s);
	json_decref(j);
	rules_free(rs);
}

static void
test_rules_runaway(void **state)
{
	struct rules		*rs;
	struct rules_stats	 st;
	char			 title[64];

	setup_feeds();
	rs = rules_from("[rule \"r\"]\naction = drop\nmatch = (a+)+$\n"
	    "fields = title\n");
	memset(title, 'a', sizeof(title) - 2);
	title[sizeof(title) - 2] = 'b';
	title[sizeof(title) - 1] = '\0';
	/* Gives up, counts as no match: the item is stored. */
	assert_int_equal(decide(rs, &feed_a, title, NULL, NULL),
	    STORE_FILTER_STORE);
	rules_get_stats(rs, &st);
	assert_true(st.limit_hits >= 1);
	assert_int_equal(decide(rs, &feed_a, "aaa", NULL, NULL),
	    STORE_FILTER_DROP);
	rules_free(rs);
}

/* A reload replaces the rules. */
static void
test_rules_reload(void **state)
{
	struct rules	*rs;
	struct conf	*c;
	char		*cause = NULL;

	setup_feeds();
	rs = rules_from("[rule \"r\"]\naction = drop\nmatch = x\n");
	assert_int_equal(decide(rs, &feed_a, "x", NULL, NULL),
	    STORE_FILTER_DROP);
	c = conf_load_string("", "test.conf", &cause);
	assert_non_null(c);
	rules_set_conf(rs, c);
	conf_free(c);
	assert_int_equal(decide(rs, &feed_a, "x", NULL, NULL),
	    STORE_FILTER_STORE);
	rules_free(rs);
}

/*
 * An item dropped at one poll comes back with the next while its feed
 * still lists it: dropped again, but counted, noted and reported once
 * (STORE_FILTER_DROPPED); the same key in another feed is another item;
 * a reload, whose rules may decide otherwise, counts anew.
 */
static void
test_rules_dropped_once(void **state)
{
	static const char	 conf[] =
	    "[rule \"no-sports\"]\naction = drop\nmatch = sports\n";
	struct rules		*rs;
	struct rules_stats	 st;
	struct conf		*c;
	char			*cause = NULL, key[32];
	int			 i;

	setup_feeds();
	rs = rules_from(conf);
	assert_int_equal(decide_key(rs, &feed_a, "sports", "k1"),
	    STORE_FILTER_DROP);
	assert_int_equal(decide_key(rs, &feed_a, "sports", "k1"),
	    STORE_FILTER_DROPPED);
	assert_int_equal(decide_key(rs, &feed_a, "sports", "k1"),
	    STORE_FILTER_DROPPED);
	assert_int_equal(decide_key(rs, &feed_b, "sports", "k1"),
	    STORE_FILTER_DROP);
	assert_int_equal(decide_key(rs, &feed_a, "sports", "k2"),
	    STORE_FILTER_DROP);
	assert_int_equal(decide_key(rs, &feed_a, "news", "k3"),
	    STORE_FILTER_STORE);
	rules_get_stats(rs, &st);
	assert_int_equal(st.dropped, 3);
	/* Many more: the set grows, and still knows the first. */
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "many-%d", i);
		assert_int_equal(decide_key(rs, &feed_a, "sports", key),
		    STORE_FILTER_DROP);
	}
	assert_int_equal(decide_key(rs, &feed_a, "sports", "k1"),
	    STORE_FILTER_DROPPED);
	assert_int_equal(decide_key(rs, &feed_a, "sports", "many-4999"),
	    STORE_FILTER_DROPPED);
	c = conf_load_string(conf, "test.conf", &cause);
	assert_non_null(c);
	rules_set_conf(rs, c);
	conf_free(c);
	assert_int_equal(decide_key(rs, &feed_a, "sports", "k1"),
	    STORE_FILTER_DROP);
	rules_get_stats(rs, &st);
	assert_int_equal(st.dropped, 5004);
	rules_free(rs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_none),
		cmocka_unit_test(test_rules_decide),
		cmocka_unit_test(test_rules_runaway),
		cmocka_unit_test(test_rules_reload),
		cmocka_unit_test(test_rules_dropped_once),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
