/*
 * test_writer.c: the writer thread commits a batch on its own connection
 * and reports back on the loop; what it committed is visible to the
 * loop's connection; waiting and freeing with work under way is safe.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <event2/event.h>

#include "item.h"
#include "store.h"
#include "writer.h"
#include "xmalloc.h"

struct fixture {
	char			 dir[64];
	char			 path[128];
	struct event_base	*base;
	struct store		*store;
	int64_t			 feeds[2];
	int			 done;
	void			*done_arg;
};

static int
setup(void **state)
{
	struct fixture		*fx = xcalloc(1, sizeof(*fx));
	struct store_feed_conf	 conf;
	char			 url[64], *cause = NULL;
	int			 i;

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/feedd-writer-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/feedd.db", fx->dir);
	assert_non_null(fx->store = store_open(fx->path, &cause));
	for (i = 0; i < 2; i++) {
		memset(&conf, 0, sizeof(conf));
		snprintf(url, sizeof(url), "https://writer.example/%d", i);
		conf.url = url;
		conf.interval = -1;
		conf.enabled = 1;
		assert_int_equal(store_feed_add(fx->store, &conf,
		    &fx->feeds[i], &cause), 0);
	}
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

static void
done_cb(void *arg, void *fxp)
{
	struct fixture	*fx = fxp;

	fx->done++;
	fx->done_arg = arg;
	event_base_loopbreak(fx->base);
}

static struct feed_doc *
doc_of(int feed, int n)
{
	struct feed_doc		*doc = feed_doc_new();
	struct feed_item	*it;
	char			 buf[64];
	int			 i;

	for (i = 0; i < n; i++) {
		it = feed_item_new();
		snprintf(buf, sizeof(buf), "w%d-%d", feed, i);
		it->guid = xstrdup(buf);
		it->title = xstrdup(buf);
		it->key = feed_item_key(it, NULL);
		feed_doc_add_item(doc, it);
	}
	return (doc);
}

static void
test_writer_commits_a_batch(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll		 polls[2];
	const struct store_poll		*pp[2] = { &polls[0], &polls[1] };
	struct store_poll_result	 res[2];
	struct store_stats		 st;
	struct writer_job		 job;
	struct feed_doc			*docs[2];
	struct writer			*w;
	char				*causes[2], *cause = NULL;
	int64_t				 ids[2];
	int				 i, tag;

	assert_non_null(w = writer_new(fx->base, fx->path, done_cb, fx,
	    &cause));
	for (i = 0; i < 2; i++) {
		docs[i] = doc_of(i, 3 + i);
		memset(&polls[i], 0, sizeof(polls[i]));
		polls[i].now = 1720486560;
		polls[i].doc = docs[i];
		polls[i].http_status = 200;
		polls[i].next_poll = DATE_NONE;
		polls[i].retry_after = DATE_NONE;
		ids[i] = fx->feeds[i];
	}
	/* A feed that does not exist fails alone; the others commit. */
	ids[1] = 999;
	memset(&job, 0, sizeof(job));
	job.n = 2;
	job.feed_ids = ids;
	job.polls = pp;
	job.res = res;
	job.causes = causes;
	job.arg = &tag;
	assert_false(writer_busy(w));
	writer_submit(w, &job);
	event_base_dispatch(fx->base);
	assert_int_equal(fx->done, 1);
	assert_ptr_equal(fx->done_arg, &tag);
	assert_false(writer_busy(w));
	assert_null(causes[0]);
	assert_int_equal(res[0].nids, 3);
	assert_non_null(causes[1]);
	assert_non_null(strstr(causes[1], "no feed"));
	assert_int_equal(res[1].nids, 0);
	/* The loop's own connection sees the commit. */
	assert_int_equal(store_stats(fx->store, &st, &cause), 0);
	assert_int_equal(st.items, 3);
	for (i = 0; i < 2; i++) {
		store_poll_result_clear(&res[i]);
		free(causes[i]);
	}

	/* writer_wait() reports a job under way without the loop. */
	ids[1] = fx->feeds[1];
	writer_submit(w, &job);
	writer_wait(w);
	assert_int_equal(fx->done, 2);
	assert_null(causes[1]);
	assert_int_equal(res[1].nids, 4);
	assert_int_equal(res[0].nids, 0);	/* already stored */
	for (i = 0; i < 2; i++) {
		store_poll_result_clear(&res[i]);
		free(causes[i]);
	}

	/* Freeing with a job under way finishes it first. */
	writer_submit(w, &job);
	writer_free(w);
	assert_int_equal(fx->done, 3);
	for (i = 0; i < 2; i++) {
		store_poll_result_clear(&res[i]);
		free(causes[i]);
		feed_doc_free(docs[i]);
	}
	assert_int_equal(store_stats(fx->store, &st, &cause), 0);
	assert_int_equal(st.items, 7);
}

struct task_log {
	struct fixture	*fx;
	int		 ran[4];	/* order on the writer thread */
	int		 nran;
	int		 done[4];	/* order on the loop */
	int		 ndone;
	int64_t		 feeds;		/* what the writer's store saw */
};

struct task {
	struct task_log	*log;
	int		 n;
};

static void
task_run(struct store *s, void *arg)
{
	struct task		*t = arg;
	struct store_stats	 st;
	char			*cause = NULL;

	t->log->ran[t->log->nran++] = t->n;
	if (store_stats(s, &st, &cause) == 0)
		t->log->feeds = st.feeds;
	free(cause);
}

static void
task_done(void *arg)
{
	struct task	*t = arg;

	t->log->done[t->log->ndone++] = t->n;
	if (t->log->ndone == 3)
		event_base_loopbreak(t->log->fx->base);
}

/* Tasks run on the writer's connection, in order; done on the loop. */
static void
test_writer_tasks(void **state)
{
	struct fixture	*fx = *state;
	struct task_log	 log;
	struct task	 t[3];
	struct writer	*w;
	char		*cause = NULL;
	int		 i;

	memset(&log, 0, sizeof(log));
	log.fx = fx;
	assert_non_null(w = writer_new(fx->base, fx->path, done_cb, fx,
	    &cause));
	for (i = 0; i < 3; i++) {
		t[i].log = &log;
		t[i].n = i;
		writer_task(w, task_run, task_done, &t[i]);
	}
	event_base_dispatch(fx->base);
	assert_int_equal(log.nran, 3);
	assert_int_equal(log.ndone, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(log.ran[i], i);
		assert_int_equal(log.done[i], i);
	}
	assert_int_equal(log.feeds, 2);
	assert_int_equal(fx->done, 0);		/* no batch was involved */

	/* writer_wait() runs what is queued and reports it. */
	t[0].n = 3;
	writer_task(w, task_run, task_done, &t[0]);
	writer_wait(w);
	assert_int_equal(log.ndone, 4);
	assert_int_equal(log.done[3], 3);
	writer_free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_writer_commits_a_batch,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_tasks, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
