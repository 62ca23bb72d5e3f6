/*
 * test_store_crash.c: the store survives a crash at any instant.  A child
 * applies polls in a loop, with a notifier's deliveries after each round,
 * a retention pass and a configuration reload (feeds updated, one added
 * and removed, as feedd's sync does) every few rounds, and is killed with
 * SIGKILL at random moments; after each kill the database must pass
 * integrity_check and every poll must be there whole or not at all (its
 * items or the tombstones retention left of them, its feed state and its
 * outbox rows together), with no key twice, no outbox row twice, and ids
 * in poll order.
 *
 * Then a full disk (RLIMIT_FSIZE): the poll fails with an error, what was
 * stored stays, and the next poll succeeds once there is room again.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "item.h"
#include "store.h"
#include "xmalloc.h"

#define CRASH_FEEDS	3
#define CRASH_ITEMS	5	/* per poll */
#define CRASH_KILLS	120

struct fixture {
	char	dir[64];
	char	path[128];
};

static int
setup(void **state)
{
	struct fixture	*fx;

	fx = xcalloc(1, sizeof(*fx));
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/feedd-crash-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/feedd.db", fx->dir);
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;
	char		 cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return (-1);
	free(fx);
	return (0);
}

static int
want_all(const struct store_route *rt, store_route_add add, void *ctx,
    void *arg)
{
	return (add(ctx, "hook"));
}

/* Poll "n" of feed "f": items f<f>-p<n>-i<j>, validator "<n>". */
static struct feed_doc *
crash_doc(int f, long n)
{
	struct feed_doc		*doc;
	struct feed_item	*it;
	char			 buf[128];
	int			 j;

	doc = feed_doc_new();
	doc->format = FEED_FORMAT_RSS20;
	/* Newest first, as feeds list them: stored i0 first. */
	for (j = CRASH_ITEMS - 1; j >= 0; j--) {
		it = feed_item_new();
		snprintf(buf, sizeof(buf), "f%d-p%ld-i%d", f, n, j);
		it->guid = xstrdup(buf);
		it->title = xstrdup(buf);
		snprintf(buf, sizeof(buf), "https://crash.example/%d/%ld/%d",
		    f, n, j);
		it->link = xstrdup(buf);
		it->content = xstrdup("<p>Some text that makes each row a "
		    "realistic size, with FTS work to do on every insert.</p>");
		it->key = feed_item_key(it, NULL);
		feed_doc_add_item(doc, it);
	}
	return (doc);
}

/* The child: polls for ever, resuming from what the store says. */
static void __attribute__((__noreturn__))
crash_child(const char *path, int ready)
{
	struct store_feed_conf		 conf;
	struct store_poll_result	 r;
	struct store_poll		 p;
	struct store_feed		*feed;
	struct feed_doc			*doc;
	struct store			*s;
	struct store_delivery		*d;
	char				 url[64], etag[32], *cause = NULL;
	const char			*tags[1];
	int64_t				 ids[CRASH_FEEDS], done[3], extra = 0;
	size_t				 nd, k, removed;
	long				 n = 0, round;
	int				 f;

	if ((s = store_open(path, &cause)) == NULL)
		_exit(10);
	store_set_router(s, want_all, NULL);
	for (f = 0; f < CRASH_FEEDS; f++) {
		snprintf(url, sizeof(url), "https://crash.example/feed%d", f);
		if ((feed = store_feed_find(s, url)) != NULL) {
			ids[f] = feed->id;
			store_feed_free(feed);
			continue;
		}
		memset(&conf, 0, sizeof(conf));
		conf.url = url;
		conf.interval = -1;
		conf.enabled = 1;
		if (store_feed_add(s, &conf, &ids[f], &cause) != 0)
			_exit(11);
	}
	for (round = 1;; round++) {
		for (f = 0; f < CRASH_FEEDS; f++) {
			feed = store_feed_get(s, ids[f]);
			if (feed == NULL)
				_exit(12);
			n = feed->etag != NULL ? atol(feed->etag) + 1 : 1;
			store_feed_free(feed);
			doc = crash_doc(f, n);
			snprintf(etag, sizeof(etag), "%ld", n);
			memset(&p, 0, sizeof(p));
			p.now = 1720486560 + n;
			p.doc = doc;
			p.http_status = 200;
			p.etag = etag;
			p.next_poll = p.now + 60;
			p.retry_after = DATE_NONE;
			if (store_apply_poll(s, ids[f], &p, &r, &cause) != 0)
				_exit(13);
			if (r.nids != CRASH_ITEMS)
				_exit(14);
			/* "A poll is committed", for the parent's aim. */
			if (ready != -1 && write(ready, "c", 1) == -1)
				_exit(15);
			store_poll_result_clear(&r);
			feed_doc_free(doc);
		}
		/* The notifier delivers a few of what is queued. */
		if (store_outbox_due(s, "hook", 1720486560 + n + 60, 3, NULL, 0,
		    &d, &nd, &cause) != 0)
			_exit(16);
		for (k = 0; k < nd; k++)
			done[k] = d[k].id;
		store_deliveries_free(d, nd);
		if (nd > 0 && store_outbox_done(s, done, nd, &cause) != 0)
			_exit(17);
		/* Retention: the newest 2 polls' worth a feed, or queued. */
		if (round % 4 == 0 && store_retention(s, 0, 2 * CRASH_ITEMS,
		    1720486560 + n, &removed, &cause) != 0)
			_exit(18);
		/* A reload: every feed's tags change, a feed comes or goes. */
		if (round % 3 == 0) {
			tags[0] = round % 2 ? "odd" : "even";
			for (f = 0; f < CRASH_FEEDS; f++) {
				snprintf(url, sizeof(url),
				    "https://crash.example/feed%d", f);
				memset(&conf, 0, sizeof(conf));
				conf.url = url;
				conf.tags = tags;
				conf.ntags = 1;
				conf.interval = -1;
				conf.enabled = 1;
				if (store_feed_update(s, ids[f], &conf,
				    &cause) != 0)
					_exit(19);
			}
			if (extra != 0) {
				if (store_feed_remove(s, extra, &cause) != 0)
					_exit(20);
				extra = 0;
			} else {
				memset(&conf, 0, sizeof(conf));
				conf.url = "https://crash.example/extra";
				conf.interval = -1;
				conf.enabled = 1;
				if ((feed = store_feed_find(s, conf.url)) !=
				    NULL) {
					extra = feed->id;	/* a past run's */
					store_feed_free(feed);
				} else if (store_feed_add(s, &conf, &extra,
				    &cause) != 0)
					_exit(21);
			}
		}
	}
}

static int64_t
query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*st;
	int64_t		 v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return (v);
}

/* Every check of the file header's promise; returns polls seen. */
static long
crash_verify(const char *path)
{
	struct store	*s;
	sqlite3		*db;
	sqlite3_stmt	*st;
	const char	*text;
	char		*cause = NULL;
	long		 polls[CRASH_FEEDS], last_poll[CRASH_FEEDS], total = 0;
	int		 last_item[CRASH_FEEDS], f, pf, j;
	long		 pn;
	int64_t		 prev_id = 0;

	/* Opening runs recovery, as feedd would after the crash. */
	s = store_open(path, &cause);
	if (s == NULL)
		fail_msg("reopen after kill: %s", cause);
	store_close(s);

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);

	/*
	 * No key twice, nor both an item and a tombstone; an outbox row at
	 * most once per item, none orphaned (deliveries take rows away).
	 */
	assert_int_equal(query_int(db, "SELECT count(*) - count(DISTINCT "
	    "feed_id || ' ' || key) FROM items"), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM items i JOIN "
	    "tombstones t ON t.feed_id = i.feed_id AND t.key = i.key"), 0);
	assert_int_equal(query_int(db, "SELECT count(*) - count(DISTINCT "
	    "item_id) FROM outbox"), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM outbox o WHERE "
	    "NOT EXISTS (SELECT 1 FROM items i WHERE i.id = o.item_id)"), 0);

	/* Each feed's validator names its last poll: all of 1..N, no more. */
	for (f = 0; f < CRASH_FEEDS; f++) {
		polls[f] = 0;
		last_poll[f] = 0;
		last_item[f] = CRASH_ITEMS - 1;
	}
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT f.url, f.etag, "
	    "(SELECT count(*) FROM items WHERE feed_id = f.id) + "
	    "(SELECT count(*) FROM tombstones WHERE feed_id = f.id) "
	    "FROM feeds f", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		text = (const char *)sqlite3_column_text(st, 0);
		if (strcmp(text, "https://crash.example/extra") == 0)
			continue;	/* the reload's, never polled */
		assert_int_equal(sscanf(text, "https://crash.example/feed%d",
		    &f), 1);
		text = (const char *)sqlite3_column_text(st, 1);
		polls[f] = text != NULL ? atol(text) : 0;
		assert_int_equal(sqlite3_column_int64(st, 2),
		    polls[f] * CRASH_ITEMS);
		total += polls[f];
	}
	sqlite3_finalize(st);

	/*
	 * In id order, each feed's items run poll by poll, item by item;
	 * retention takes the oldest, so only the start of a feed's run
	 * may be missing (its tombstones stand for it).
	 */
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT id, feed_id, key "
	    "FROM items ORDER BY id", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		assert_true(sqlite3_column_int64(st, 0) > prev_id);
		prev_id = sqlite3_column_int64(st, 0);
		text = (const char *)sqlite3_column_text(st, 2);
		assert_int_equal(sscanf(text, "f%d-p%ld-i%d", &pf, &pn, &j), 3);
		assert_true(pn <= polls[pf]);
		if (last_poll[pf] == 0) {
			last_poll[pf] = pn;	/* what retention left */
			last_item[pf] = j;
			continue;
		}
		if (j == 0) {
			assert_int_equal(last_item[pf], CRASH_ITEMS - 1);
			assert_int_equal(pn, last_poll[pf] + 1);
			last_poll[pf] = pn;
		} else {
			assert_int_equal(j, last_item[pf] + 1);
			assert_int_equal(pn, last_poll[pf]);
		}
		last_item[pf] = j;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return (total);
}

static void
test_store_crash_sigkill_at_random_moments(void **state)
{
	struct fixture	*fx = *state;
	struct timespec	 ts;
	pid_t		 pid;
	long		 polls = 0, prev = 0;
	int		 i, status, progressed = 0, aimed, ready[2];
	char		 c;

	srand((unsigned int)getpid());
	for (i = 0; i < CRASH_KILLS; i++) {
		/*
		 * Every other run waits for a first commit before its
		 * random delay, so progress does not depend on how fast
		 * a loaded machine (or a sanitizer) opens the database.
		 */
		aimed = i % 2;
		if (pipe(ready) == -1)
			fail_msg("pipe");
		if ((pid = fork()) == -1)
			fail_msg("fork");
		if (pid == 0) {
			close(ready[0]);
			crash_child(fx->path, ready[1]);
		}
		close(ready[1]);
		if (aimed && read(ready[0], &c, 1) != 1)
			fail_msg("child died before its first commit");
		/* 1-40 ms: inside open, inside a commit, anywhere. */
		ts.tv_sec = 0;
		ts.tv_nsec = (1 + rand() % 40) * 1000000L;
		nanosleep(&ts, NULL);
		assert_int_equal(kill(pid, SIGKILL), 0);
		close(ready[0]);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (WIFEXITED(status))
			fail_msg("child exited %d before the kill",
			    WEXITSTATUS(status));
		assert_true(WIFSIGNALED(status));
		polls = crash_verify(fx->path);
		assert_true(polls >= prev);	/* nothing committed is lost */
		if (polls > prev)
			progressed++;
		else if (aimed)
			fail_msg("run %d committed a poll and lost it", i);
		prev = polls;
	}
	/* The kills must have landed while work was being done. */
	print_message("%d kills, %ld polls committed, %d runs made progress\n",
	    CRASH_KILLS, polls, progressed);
	assert_true(progressed >= CRASH_KILLS / 2);
}

static void
full_poll(struct store *s, int64_t feed, int base, int n, int expect_ok,
    char **cause)
{
	struct store_poll_result	 r;
	struct store_poll		 p;
	struct feed_doc			*doc;
	struct feed_item		*it;
	char				 buf[64], *big;
	int				 j;

	doc = feed_doc_new();
	big = xmalloc(4096);
	memset(big, 'x', 4095);
	big[4095] = '\0';
	for (j = 0; j < n; j++) {
		it = feed_item_new();
		snprintf(buf, sizeof(buf), "item-%d", base + j);
		it->guid = xstrdup(buf);
		it->title = xstrdup(buf);
		it->content = xstrdup(big);
		it->key = feed_item_key(it, NULL);
		feed_doc_add_item(doc, it);
	}
	free(big);
	memset(&p, 0, sizeof(p));
	p.now = 1720486560;
	p.doc = doc;
	p.http_status = 200;
	p.etag = "\"full\"";
	p.next_poll = DATE_NONE;
	p.retry_after = DATE_NONE;
	if (expect_ok) {
		if (store_apply_poll(s, feed, &p, &r, cause) != 0)
			fail_msg("apply: %s", *cause);
		assert_int_equal(r.nids, (size_t)n);
		store_poll_result_clear(&r);
	} else {
		assert_int_equal(store_apply_poll(s, feed, &p, &r, cause), -1);
		assert_int_equal(r.nids, 0);
	}
	feed_doc_free(doc);
}

static off_t
file_size(const char *path)
{
	struct stat	sb;

	return (stat(path, &sb) == 0 ? sb.st_size : 0);
}

static int
crash_verify_integrity_only(const char *path)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	int		 ok;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1,
	    &st, NULL), SQLITE_OK);
	ok = sqlite3_step(st) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return (ok);
}

static void
test_store_full_disk_fails_the_poll_and_keeps_data(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed_conf	 conf;
	struct store_stats	 st;
	struct rlimit		 rl, saved;
	struct store		*s;
	char			 wal[160], *cause = NULL;
	off_t			 limit;
	int64_t			 feed;

	s = store_open(fx->path, &cause);
	assert_non_null(s);
	memset(&conf, 0, sizeof(conf));
	conf.url = "https://full.example/feed";
	conf.interval = -1;
	conf.enabled = 1;
	assert_int_equal(store_feed_add(s, &conf, &feed, &cause), 0);
	full_poll(s, feed, 0, 10, 1, &cause);

	/* Room for a few pages more, not for 200 items of 4 KiB. */
	snprintf(wal, sizeof(wal), "%s-wal", fx->path);
	limit = file_size(fx->path) > file_size(wal) ?
	    file_size(fx->path) : file_size(wal);
	limit += 16384;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	signal(SIGXFSZ, SIG_IGN);
	rl = saved;
	rl.rlim_cur = (rlim_t)limit;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &rl), 0);
	full_poll(s, feed, 1000, 200, 0, &cause);
	assert_non_null(cause);
	print_message("full disk: %s\n", cause);
	free(cause);
	cause = NULL;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);

	/* What was stored is intact; with room, the same poll goes in. */
	assert_int_equal(store_stats(s, &st, &cause), 0);
	assert_int_equal(st.items, 10);
	full_poll(s, feed, 1000, 200, 1, &cause);
	assert_int_equal(store_stats(s, &st, &cause), 0);
	assert_int_equal(st.items, 210);
	store_close(s);
	assert_true(crash_verify_integrity_only(fx->path));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_store_crash_sigkill_at_random_moments, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_store_full_disk_fails_the_poll_and_keeps_data, setup,
		    teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
