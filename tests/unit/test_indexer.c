/*
 * test_indexer.c: the indexer thread brings the full-text index up to
 * date after commits; a wait is answered once the index holds what was
 * committed before it, and freeing answers the waits still open; a
 * pass nobody waits for gives way to commits; a stopped pass leaves
 * nothing half done.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <event2/event.h>

#include "indexer.h"
#include "item.h"
#include "store.h"
#include "xmalloc.h"

struct fixture {
	char			 dir[64];
	char			 path[128];
	struct event_base	*base;
	struct store		*store;
	int64_t			 feed;
	int			 answered;
};

static int
setup(void **state)
{
	struct fixture		*fx = xcalloc(1, sizeof(*fx));
	struct store_feed_conf	 conf;
	char			*cause = NULL;

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/feedd-indexer-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/feedd.db", fx->dir);
	assert_non_null(fx->store = store_open(fx->path, &cause));
	memset(&conf, 0, sizeof(conf));
	conf.url = "https://indexer.example/feed";
	conf.interval = -1;
	conf.enabled = 1;
	assert_int_equal(store_feed_add(fx->store, &conf, &fx->feed, &cause),
	    0);
	fx->base = event_base_new();
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;
	char		 cmd[128];

	store_close(fx->store);
	event_base_free(fx->base);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return (-1);
	free(fx);
	return (0);
}

/* Commits "n" items titled "<word> <i>" from the loop's connection. */
static void
commit_items(struct fixture *fx, const char *word, int first, int n)
{
	struct store_poll		 p;
	struct store_poll_result	 r;
	struct feed_doc			*doc = feed_doc_new();
	struct feed_item		*it;
	char				 buf[64], *cause = NULL;
	int				 i;

	doc->format = FEED_FORMAT_RSS20;
	for (i = first; i < first + n; i++) {
		it = feed_item_new();
		snprintf(buf, sizeof(buf), "%s-%d", word, i);
		it->guid = xstrdup(buf);
		snprintf(buf, sizeof(buf), "%s %d", word, i);
		it->title = xstrdup(buf);
		it->key = feed_item_key(it, NULL);
		feed_doc_add_item(doc, it);
	}
	memset(&p, 0, sizeof(p));
	p.now = 1720486560;
	p.doc = doc;
	p.http_status = 200;
	p.next_poll = p.now + 900;
	p.retry_after = DATE_NONE;
	assert_int_equal(store_apply_poll(fx->store, fx->feed, &p, &r,
	    &cause), 0);
	assert_int_equal(r.nids, (size_t)n);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
}

static size_t
matches(struct fixture *fx, const char *word)
{
	struct store_item	*v;
	size_t			 n;
	char			*cause = NULL;

	assert_int_equal(store_items_search(fx->store, word, 1000, &v, &n,
	    &cause), 0);
	store_items_free(v, n);
	return (n);
}

static void
answered_cb(void *arg)
{
	struct fixture	*fx = arg;

	fx->answered++;
	event_base_loopbreak(fx->base);
}

static void
test_indexer_wait_sees_commits(void **state)
{
	struct fixture	*fx = *state;
	struct indexer	*ix;
	char		*cause = NULL;
	int64_t		 lag;

	/* Items from before the indexer started are indexed at start. */
	commit_items(fx, "aardvark", 0, 300);
	assert_int_equal(matches(fx, "aardvark"), 0);
	assert_non_null(ix = indexer_new(fx->base, fx->path, NULL, &cause));
	indexer_wait(ix, answered_cb, fx);
	event_base_dispatch(fx->base);
	assert_int_equal(fx->answered, 1);
	assert_int_equal(matches(fx, "aardvark"), 300);

	/* Commits, a kick each, then a wait: it sees all of them. */
	commit_items(fx, "bison", 0, 50);
	indexer_kick(ix);
	commit_items(fx, "bison", 50, 50);
	indexer_kick(ix);
	indexer_wait(ix, answered_cb, fx);
	event_base_dispatch(fx->base);
	assert_int_equal(fx->answered, 2);
	assert_int_equal(matches(fx, "bison"), 100);
	assert_int_equal(store_index_lag(fx->store, &lag, &cause), 0);
	assert_int_equal(lag, 0);

	/* A commit without a kick: the wait itself brings it in. */
	commit_items(fx, "camel", 0, 10);
	indexer_wait(ix, answered_cb, fx);
	event_base_dispatch(fx->base);
	assert_int_equal(fx->answered, 3);
	assert_int_equal(matches(fx, "camel"), 10);

	/* Freeing answers a wait still open, and only once. */
	commit_items(fx, "dingo", 0, 10);
	indexer_wait(ix, answered_cb, fx);
	indexer_free(ix);
	assert_int_equal(fx->answered, 4);
}

static void
tick_cb(evutil_socket_t fd, short what, void *arg)
{
	event_base_loopbreak(arg);
}

/*
 * A kick alone is indexed once commits pause, with nobody waiting; not
 * at once, so that passes do not hold snapshots through a busy poll.
 */
static void
test_indexer_kick_after_pause(void **state)
{
	struct fixture	*fx = *state;
	struct indexer	*ix;
	struct event	*tick;
	struct timeval	 tv = { 0, 50000 };
	char		*cause = NULL;
	int64_t		 lag;
	int		 i;

	assert_non_null(ix = indexer_new(fx->base, fx->path, NULL, &cause));
	indexer_wait(ix, answered_cb, fx);
	event_base_dispatch(fx->base);

	/* The pass is a timer on the loop: none runs while it does not. */
	commit_items(fx, "gecko", 0, 20);
	indexer_kick(ix);
	usleep(300000);
	assert_int_equal(store_index_lag(fx->store, &lag, &cause), 0);
	assert_int_equal(lag, 20);

	/* Ticks of 50 ms, 10 s at most (sanitizers, a busy machine). */
	tick = evtimer_new(fx->base, tick_cb, fx->base);
	for (i = 0; i < 200 && lag > 0; i++) {
		evtimer_add(tick, &tv);
		event_base_dispatch(fx->base);
		assert_int_equal(store_index_lag(fx->store, &lag, &cause), 0);
	}
	event_free(tick);
	assert_int_equal(lag, 0);
	assert_int_equal(matches(fx, "gecko"), 20);
	assert_int_equal(fx->answered, 1);	/* no wait but the first */
	indexer_free(ix);
}

static void
kick_cb(evutil_socket_t fd, short what, void *arg)
{
	indexer_kick(arg);
}

/*
 * A pass with nobody waiting gives way to commits: a backlog of 20,000
 * items starts a pass of up to 10,000, and a commit that comes in while
 * it runs ends it after the step under way (1,000 items), so it never
 * holds a snapshot through a burst of polls.  It goes on later, and a
 * search's wait brings in everything.
 */
static void
test_indexer_pass_gives_way(void **state)
{
	struct fixture	*fx = *state;
	struct indexer	*ix;
	struct event	*kick, *stop;
	struct timeval	 every = { 0, 20000 }, window = { 0, 800000 };
	char		*cause = NULL;
	int64_t		 lag;
	int		 i;

	for (i = 0; i < 20; i++)
		commit_items(fx, "heron", i * 1000, 1000);
	assert_non_null(ix = indexer_new(fx->base, fx->path, NULL, &cause));
	indexer_kick(ix);

	/*
	 * Commits every 20 ms for 0.8 s: the pass that gave way is not
	 * followed by another before a second without a pause (1 s).
	 */
	kick = event_new(fx->base, -1, EV_PERSIST, kick_cb, ix);
	evtimer_add(kick, &every);
	stop = evtimer_new(fx->base, tick_cb, fx->base);
	evtimer_add(stop, &window);
	event_base_dispatch(fx->base);
	event_free(kick);
	event_free(stop);
	assert_int_equal(store_index_lag(fx->store, &lag, &cause), 0);
	assert_true(lag >= 18000);
	assert_true(lag < 20000);

	indexer_wait(ix, answered_cb, fx);
	event_base_dispatch(fx->base);
	assert_int_equal(fx->answered, 1);
	assert_int_equal(store_index_lag(fx->store, &lag, &cause), 0);
	assert_int_equal(lag, 0);
	assert_int_equal(matches(fx, "heron"), 1000);	/* the limit */
	indexer_free(ix);
}

struct update_arg {
	struct store	*store;
	int		 rc;
};

static void *
update_thread(void *arg)
{
	struct update_arg	*u = arg;
	char			*cause = NULL;
	int			 more;

	u->rc = store_index_update(u->store, 0, &more, &cause);
	free(cause);
	return (NULL);
}

/*
 * A stopped store indexes nothing more, and a pass stopped half-way is
 * rolled back whole: the next store indexes every item, once.
 */
static void
test_indexer_stop(void **state)
{
	struct fixture		*fx = *state;
	struct update_arg	 u;
	struct store		*s;
	pthread_t		 t;
	char			*cause = NULL;
	int64_t			 lag;
	int			 i, more;

	for (i = 0; i < 20; i++)
		commit_items(fx, "emu", i * 1000, 1000);
	assert_non_null(s = store_open(fx->path, &cause));
	store_index_stop(s);
	assert_int_equal(store_index_update(s, 0, &more, &cause), -1);
	assert_non_null(strstr(cause, "stopped"));
	free(cause);
	cause = NULL;
	assert_int_equal(store_index_lag(fx->store, &lag, &cause), 0);
	assert_int_equal(lag, 20000);

	/* Stopped from another thread, wherever the pass is. */
	store_close(s);
	assert_non_null(u.store = store_open(fx->path, &cause));
	assert_int_equal(pthread_create(&t, NULL, update_thread, &u), 0);
	store_index_stop(u.store);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(store_index_lag(fx->store, &lag, &cause), 0);
	if (u.rc != 0)
		assert_int_equal(lag, 20000);	/* rolled back whole */
	else
		assert_int_equal(lag, 0);
	store_close(u.store);

	assert_int_equal(store_index_update(fx->store, 0, &more, &cause), 0);
	assert_int_equal(matches(fx, "emu"), 1000);	/* the limit */
	assert_int_equal(store_index_lag(fx->store, &lag, &cause), 0);
	assert_int_equal(lag, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_indexer_wait_sees_commits, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_indexer_kick_after_pause, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_indexer_pass_gives_way, setup, teardown),
		cmocka_unit_test_setup_teardown(test_indexer_stop, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
