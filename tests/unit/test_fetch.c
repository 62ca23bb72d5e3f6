/*
 * test_fetch.c: feeds that finish together are parsed one a turn of the
 * loop, at the default priority, so an urgent event (a notifier's
 * webhook answer, a writer's commit) waits for one parse, never for the
 * whole crowd; at shutdown, those curl is done with are finished, not
 * aborted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <event2/event.h>

#include "fetch.h"
#include "http.h"
#include "item.h"
#include "loop.h"
#include "xmalloc.h"

/*
 * file:// feeds: curl reads each whole in one step, so all of them are
 * done after the same call into curl.  Each stays under the fetcher's
 * FETCH_WHOLE_MAX (256 KiB), so it is parsed when it finishes.
 */
#define NFEEDS		30
#define NITEMS		150	/* about 200 KiB a feed */

struct fixture {
	char			 dir[64];
	struct event_base	*base;
	struct http		*http;
	struct fetcher		*fetcher;
	struct event		*probe;
	int			 probes;	/* urgent events that ran */
	int			 done;
	int			 items;
	int			 errors;
	int			 run;		/* feeds since the last probe */
	int			 longest;
	int			 prio_ok;
	int			 aborted;
	int			 stop_after;	/* leave the loop after N */
	int			 outside;	/* called outside the loop */
};

static void
write_feed(const char *path, int n)
{
	FILE	*f;
	int	 i, k;

	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>"
	    "<title>Feed %d</title>\n", n);
	for (i = 0; i < NITEMS; i++) {
		fprintf(f, "<item><title>Item %d of feed %d</title><link>"
		    "https://fetch.example/%d/%d</link><guid>f%d-%d</guid>"
		    "<description>", i, n, n, i, n, i);
		for (k = 0; k < 24; k++)
			fprintf(f, "words of the story number %d ", k);
		fprintf(f, "</description></item>\n");
	}
	fprintf(f, "</channel></rss>\n");
	fclose(f);
}

static void
probe_cb(evutil_socket_t fd, short what, void *arg)
{
	struct fixture	*fx = arg;

	fx->probes++;
	fx->run = 0;
}

static void
done_cb(struct fetch_result *r, void *arg)
{
	struct fixture		*fx = arg;
	struct event		*ev;

	if (r->doc != NULL)
		fx->items += (int)r->doc->nitems;
	if (r->aborted)
		fx->aborted++;
	else if (r->error != NULL)
		fx->errors++;
	fetch_result_free(r);
	/* (libevent 2.1 crashes when asked outside its loop) */
	if (!fx->outside && (ev = event_base_get_running_event(fx->base)) !=
	    NULL && event_get_priority(ev) == LOOP_PRIO_DEFAULT)
		fx->prio_ok++;
	if (++fx->run > fx->longest)
		fx->longest = fx->run;
	/* An urgent event, as a webhook's answer would be. */
	event_active(fx->probe, 0, 0);
	if (++fx->done == NFEEDS || fx->done == fx->stop_after)
		event_base_loopbreak(fx->base);
}

static int
setup(void **state)
{
	struct fixture		*fx = xcalloc(1, sizeof(*fx));
	struct fetch_opts	 fo;
	char			 path[128];
	int			 i;

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/feedd-fetch-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	for (i = 0; i < NFEEDS; i++) {
		snprintf(path, sizeof(path), "%s/%02d.xml", fx->dir, i);
		write_feed(path, i);
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	fx->base = loop_new();
	memset(&fo, 0, sizeof(fo));
	fo.user_agent = "feedd-test";
	fo.max_parallel = NFEEDS;
	fo.max_per_host = NFEEDS;
	fo.timeout = 30;
	fo.max_size = 1024 * 1024;
	fx->http = http_new(fx->base);
	fx->fetcher = fetch_new(fx->base, fx->http, &fo, done_cb, fx);
	fx->probe = event_new(fx->base, -1, 0, probe_cb, fx);
	event_priority_set(fx->probe, LOOP_PRIO_URGENT);
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;
	char		 cmd[128];

	fetch_free(fx->fetcher);
	http_free(fx->http);
	event_free(fx->probe);
	event_base_free(fx->base);
	curl_global_cleanup();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return (-1);
	free(fx);
	return (0);
}

static void
start_all(struct fixture *fx)
{
	struct fetch_req	 req;
	char			 url[160];
	int			 i;

	for (i = 0; i < NFEEDS; i++) {
		snprintf(url, sizeof(url), "file://%s/%02d.xml", fx->dir, i);
		memset(&req, 0, sizeof(req));
		req.feed_id = i + 1;
		req.url = url;
		req.trusted = 1;	/* file:// is for the config's feeds */
		assert_int_equal(fetch_start(fx->fetcher, &req), 0);
	}
}

static void
test_fetch_feeds_finish_one_a_turn(void **state)
{
	struct fixture		*fx = *state;

	start_all(fx);
	event_base_dispatch(fx->base);
	assert_int_equal(fx->done, NFEEDS);
	assert_int_equal(fx->errors, 0);
	assert_int_equal(fx->items, NFEEDS * NITEMS);
	/* Each in a default-priority callback of the loop's own. */
	assert_int_equal(fx->prio_ok, NFEEDS);
	/*
	 * The urgent probe, made active as each feed was reported, ran
	 * before the next one: libevent goes back to a higher priority
	 * between callbacks.  All of them in one callback (30 in a row)
	 * was the old way.
	 */
	assert_int_equal(fx->probes, NFEEDS - 1);
	assert_int_equal(fx->longest, 1);
}

/* Shutdown: what curl finished is parsed and reported, not aborted. */
static void
test_fetch_settle_finishes_what_curl_finished(void **state)
{
	struct fixture		*fx = *state;

	start_all(fx);
	fx->stop_after = 1;
	event_base_dispatch(fx->base);
	assert_int_equal(fx->done, 1);
	/* curl read every file in one go: the rest wait for their turn. */
	fx->outside = 1;
	fetch_settle(fx->fetcher);
	assert_int_equal(fx->done, NFEEDS);
	fetch_cancel_all(fx->fetcher);
	assert_int_equal(fx->done, NFEEDS);
	assert_int_equal(fx->aborted, 0);
	assert_int_equal(fx->errors, 0);
	assert_int_equal(fx->items, NFEEDS * NITEMS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_fetch_feeds_finish_one_a_turn, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_fetch_settle_finishes_what_curl_finished, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
