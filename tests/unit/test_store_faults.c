/*
 * test_store_faults.c: I/O and memory faults the way sqlite's own tests
 * make them.  A VFS wrapped around the default "unix" one fails the Nth
 * write, sync or truncate (and every one after it, as a full disk does),
 * and an allocator wrapped around sqlite's fails the Nth allocation; for
 * N from 1 upwards through a poll, the search index's pass, a notifier's
 * deliveries, a retention pass and the close, until a run meets no fault.
 *
 * After each fault every call has returned (an error or not), and once
 * the fault is gone the database passes integrity_check and, after the
 * same steps again, holds exactly what a run without faults holds:
 * nothing lost, nothing twice.
 *
 * "make check" runs every N for I/O and every FAULTS_STRIDE-th for
 * allocations; "make torture" (FEEDD_TORTURE=1) every N of both.
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
#include <sqlite3.h>

#include "buf.h"
#include "item.h"
#include "store.h"
#include "xmalloc.h"

#define NOW		1720486560
#define FAULTS_STRIDE	23	/* allocations: one N in this many */
#define FAULTS_MAX	200000	/* a run must meet no fault before this */

/* --- the faults --- */

static long	io_countdown;	/* 0: off; else the Nth operation fails */
static long	mem_countdown;
static int	faults_hit;	/* a fault was injected in this run */

static int
fault_io(void)
{
	if (io_countdown == 0)
		return (0);
	if (io_countdown > 1) {
		io_countdown--;
		return (0);
	}
	faults_hit = 1;		/* stays failing, like a full disk */
	return (1);
}

struct fault_file {
	sqlite3_file	 base;		/* our methods */
	sqlite3_file	*real;		/* follows this struct */
};

static sqlite3_vfs	*real_vfs;

#define REAL(f)		(((struct fault_file *)(f))->real)

static int
fault_close(sqlite3_file *f)
{
	return (REAL(f)->pMethods->xClose(REAL(f)));
}

static int
fault_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
	return (REAL(f)->pMethods->xRead(REAL(f), p, n, off));
}

static int
fault_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
	if (fault_io())
		return (SQLITE_IOERR_WRITE);
	return (REAL(f)->pMethods->xWrite(REAL(f), p, n, off));
}

static int
fault_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	if (fault_io())
		return (SQLITE_IOERR_TRUNCATE);
	return (REAL(f)->pMethods->xTruncate(REAL(f), size));
}

static int
fault_sync(sqlite3_file *f, int flags)
{
	if (fault_io())
		return (SQLITE_IOERR_FSYNC);
	return (REAL(f)->pMethods->xSync(REAL(f), flags));
}

static int
fault_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return (REAL(f)->pMethods->xFileSize(REAL(f), size));
}

static int
fault_lock(sqlite3_file *f, int l)
{
	return (REAL(f)->pMethods->xLock(REAL(f), l));
}

static int
fault_unlock(sqlite3_file *f, int l)
{
	return (REAL(f)->pMethods->xUnlock(REAL(f), l));
}

static int
fault_check_lock(sqlite3_file *f, int *out)
{
	return (REAL(f)->pMethods->xCheckReservedLock(REAL(f), out));
}

static int
fault_control(sqlite3_file *f, int op, void *arg)
{
	return (REAL(f)->pMethods->xFileControl(REAL(f), op, arg));
}

static int
fault_sector(sqlite3_file *f)
{
	return (REAL(f)->pMethods->xSectorSize(REAL(f)));
}

static int
fault_device(sqlite3_file *f)
{
	return (REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)));
}

static int
fault_shm_map(sqlite3_file *f, int pg, int sz, int extend,
    void volatile **pp)
{
	return (REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, pp));
}

static int
fault_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return (REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags));
}

static void
fault_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int
fault_shm_unmap(sqlite3_file *f, int del)
{
	return (REAL(f)->pMethods->xShmUnmap(REAL(f), del));
}

/* No memory mapping: every write goes through xWrite. */
static const sqlite3_io_methods fault_methods = {
	2, fault_close, fault_read, fault_write, fault_truncate, fault_sync,
	fault_size, fault_lock, fault_unlock, fault_check_lock, fault_control,
	fault_sector, fault_device, fault_shm_map, fault_shm_lock,
	fault_shm_barrier, fault_shm_unmap, NULL, NULL
};

static int
fault_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
    int *out)
{
	struct fault_file	*ff = (struct fault_file *)f;
	int			 rc;

	ff->real = (sqlite3_file *)(ff + 1);
	rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out);
	ff->base.pMethods = ff->real->pMethods != NULL ? &fault_methods :
	    NULL;
	return (rc);
}

static int
fault_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
	if (fault_io())
		return (SQLITE_IOERR_DELETE);
	return (real_vfs->xDelete(real_vfs, name, sync));
}

static int
fault_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	return (real_vfs->xAccess(real_vfs, name, flags, out));
}

static int
fault_full(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	return (real_vfs->xFullPathname(real_vfs, name, n, out));
}

static int
fault_random(sqlite3_vfs *vfs, int n, char *out)
{
	return (real_vfs->xRandomness(real_vfs, n, out));
}

static int
fault_sleep(sqlite3_vfs *vfs, int us)
{
	return (real_vfs->xSleep(real_vfs, us));
}

static int
fault_time(sqlite3_vfs *vfs, double *out)
{
	return (real_vfs->xCurrentTime(real_vfs, out));
}

static int
fault_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	return (real_vfs->xGetLastError(real_vfs, n, out));
}

static int
fault_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	return (real_vfs->xCurrentTimeInt64(real_vfs, out));
}

static sqlite3_vfs fault_vfs = {
	2, 0, 0, NULL, "fault", NULL, fault_open, fault_delete, fault_access,
	fault_full, NULL, NULL, NULL, NULL, fault_random, fault_sleep,
	fault_time, fault_last_error, fault_time64, NULL, NULL, NULL
};

/* sqlite's allocator, failing the Nth call (and every one after). */
static sqlite3_mem_methods	real_mem;

static int
fault_mem(void)
{
	if (mem_countdown == 0)
		return (0);
	if (mem_countdown > 1) {
		mem_countdown--;
		return (0);
	}
	faults_hit = 1;
	return (1);
}

static void *
fault_malloc(int n)
{
	return (fault_mem() ? NULL : real_mem.xMalloc(n));
}

static void *
fault_realloc(void *p, int n)
{
	return (fault_mem() ? NULL : real_mem.xRealloc(p, n));
}

static void
faults_install(void)
{
	sqlite3_mem_methods	m;

	assert_int_equal(sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_mem),
	    SQLITE_OK);
	m = real_mem;
	m.xMalloc = fault_malloc;
	m.xRealloc = fault_realloc;
	assert_int_equal(sqlite3_config(SQLITE_CONFIG_MALLOC, &m), SQLITE_OK);
	assert_int_equal(sqlite3_initialize(), SQLITE_OK);
	real_vfs = sqlite3_vfs_find("unix");
	assert_non_null(real_vfs);
	fault_vfs.szOsFile = (int)sizeof(struct fault_file) +
	    real_vfs->szOsFile;
	fault_vfs.mxPathname = real_vfs->mxPathname;
	/* The default from now on: the store opens files through it. */
	assert_int_equal(sqlite3_vfs_register(&fault_vfs, 1), SQLITE_OK);
}

/* --- the work --- */

static int
route_all(const struct store_route *rt, store_route_add add, void *ctx,
    void *arg)
{
	return (add(ctx, "hook"));
}

/* Items "<prefix><base..base+n-1>", as a parser would make them. */
static struct feed_doc *
mkdoc(int base, int n)
{
	struct feed_doc		*doc = feed_doc_new();
	struct feed_item	*it;
	char			 s[64];
	int			 i;

	doc->format = FEED_FORMAT_RSS20;
	doc->title = xstrdup("Faults");
	for (i = base; i < base + n; i++) {
		it = feed_item_new();
		snprintf(s, sizeof(s), "g%d", i);
		it->guid = xstrdup(s);
		snprintf(s, sizeof(s), "Story %d", i);
		it->title = xstrdup(s);
		snprintf(s, sizeof(s), "https://faults.example/%d", i);
		it->link = xstrdup(s);
		it->summary = xstrdup("<p>Some text, and more of it.</p>");
		it->published = NOW - 3600 * (base + n - i);
		it->key = feed_item_key(it, NULL);
		feed_doc_add_item(doc, it);
	}
	return (doc);
}

static int
poll(struct store *s, int64_t feed, int base, int n)
{
	struct store_poll		 p;
	struct store_poll_result	 r;
	struct feed_doc			*doc = mkdoc(base, n);
	char				*cause = NULL;
	int				 rc;

	memset(&p, 0, sizeof(p));
	p.now = NOW;
	p.doc = doc;
	p.http_status = 200;
	p.next_poll = NOW + 900;
	p.next_poll_reason = "test";
	p.retry_after = DATE_NONE;
	rc = store_apply_poll(s, feed, &p, &r, &cause);
	assert_true(rc == 0 || cause != NULL);	/* an error says why */
	free(cause);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	return (rc);
}

/* The notifier delivers what is due. */
static void
deliver(struct store *s)
{
	struct store_delivery	*d;
	int64_t			 ids[64];
	size_t			 n, i;
	char			*cause = NULL;

	if (store_outbox_due(s, "hook", NOW + 10, 64, NULL, 0, &d, &n,
	    &cause) != 0) {
		assert_non_null(cause);
		free(cause);
		return;
	}
	for (i = 0; i < n; i++)
		ids[i] = d[i].id;
	store_deliveries_free(d, n);
	if (n > 0 && store_outbox_done(s, ids, n, &cause) != 0) {
		assert_non_null(cause);
		free(cause);
	}
}

/* What happens to the store after the first poll: the faulted steps. */
static void
work(struct store *s, int64_t feed)
{
	size_t	removed;
	char	*cause = NULL;
	int	more;

	(void)poll(s, feed, 4, 8);	/* 4-7 known, 8-11 new */
	if (store_index_update(s, 0, &more, &cause) != 0) {
		assert_non_null(cause);
		free(cause);
		cause = NULL;
	}
	deliver(s);
	if (store_retention(s, 0, 6, NOW + 10, &removed, &cause) != 0) {
		assert_non_null(cause);
		free(cause);
	}
}

/* The database as plain rows, through the real VFS. */
static char *
state(const char *path)
{
	static const char *const q[] = {
		"PRAGMA integrity_check",
		"SELECT count(*) || ' items, ' || count(DISTINCT feed_id || "
		"key) || ' keys' FROM items",
		"SELECT group_concat(title, ',') FROM (SELECT title FROM items "
		"ORDER BY title)",
		"SELECT 'outbox ' || count(*) FROM outbox",
		"SELECT 'tombstones ' || count(*) FROM tombstones",
		"SELECT 'feed errors ' || errors FROM feeds",
	};
	struct buf	 b = { NULL, 0, 0 };
	sqlite3		*db;
	sqlite3_stmt	*st;
	size_t		 i;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE,
	    "unix"), SQLITE_OK);
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		assert_int_equal(sqlite3_prepare_v2(db, q[i], -1, &st, NULL),
		    SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			buf_adds(&b, (const char *)sqlite3_column_text(st, 0));
			buf_addc(&b, '\n');
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	buf_addc(&b, '\0');
	return (b.data);
}

/*
 * One run: a store with a feed and its first poll, then the work with
 * the fault armed (0: none), then, the fault gone, the work again.
 * Returns the final state; *hit says whether the fault was met.
 */
static char *
run(const char *dir, long io_n, long mem_n, int *hit)
{
	struct store_feed_conf	 conf;
	struct store		*s;
	static const char *const files[] = { "", "-wal", "-shm", "-search",
	    "-search-wal", "-search-shm" };
	char			 path[256], *cause = NULL, *st;
	int64_t			 feed;
	size_t			 i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/feedd.db%s", dir, files[i]);
		(void)unlink(path);
	}
	snprintf(path, sizeof(path), "%s/feedd.db", dir);
	assert_non_null(s = store_open(path, &cause));
	store_set_router(s, route_all, NULL);
	memset(&conf, 0, sizeof(conf));
	conf.url = "https://faults.example/feed";
	conf.interval = -1;
	conf.enabled = 1;
	conf.origin = STORE_ORIGIN_CONFIG;
	assert_int_equal(store_feed_add(s, &conf, &feed, &cause), 0);
	assert_int_equal(poll(s, feed, 1, 6), 0);

	faults_hit = 0;
	io_countdown = io_n;
	mem_countdown = mem_n;
	work(s, feed);
	store_close(s);
	io_countdown = mem_countdown = 0;
	*hit = faults_hit;

	/* The fault is gone: the store opens, and the same work again. */
	s = store_open(path, &cause);
	if (s == NULL)
		fail_msg("after fault %ld/%ld: %s", io_n, mem_n, cause);
	store_set_router(s, route_all, NULL);
	work(s, feed);
	store_close(s);
	st = state(path);
	if (strncmp(st, "ok\n", 3) != 0)
		fail_msg("after fault %ld/%ld: integrity_check: %s", io_n,
		    mem_n, st);
	return (st);
}

static void
faults_sweep(int io, long stride)
{
	char	 dir[64], cmd[96], *want, *got;
	long	 n;
	int	 hit = 1;

	/* In memory when there is a tmpfs: hundreds of runs, each syncing. */
	snprintf(dir, sizeof(dir), "%s/feedd-faults-XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	assert_non_null(mkdtemp(dir));
	want = run(dir, 0, 0, &hit);
	assert_false(hit);
	for (n = 1; n < FAULTS_MAX; n += stride) {
		got = io ? run(dir, n, 0, &hit) : run(dir, 0, n, &hit);
		if (strcmp(got, want) != 0)
			fail_msg("%s fault %ld: want\n%sgot\n%s", io ? "I/O" :
			    "allocation", n, want, got);
		free(got);
		if (!hit)
			break;
	}
	assert_true(n < FAULTS_MAX);
	print_message("%s faults: %ld points, every one recovered\n",
	    io ? "I/O" : "allocation", n);
	free(want);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static int	torture;

static void
test_store_faults_io(void **state)
{
	faults_sweep(1, 1);
}

static void
test_store_faults_alloc(void **state)
{
	faults_sweep(0, torture ? 1 : FAULTS_STRIDE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_faults_io),
		cmocka_unit_test(test_store_faults_alloc),
	};

	torture = getenv("FEEDD_TORTURE") != NULL;
	faults_install();
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
