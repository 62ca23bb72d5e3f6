/*
 * test_store.c: the store: schema checks at open, feeds, polls (dedup,
 * updates, stories, GUID storms, feed state), reading by cursor, filter,
 * consumer and search, retention with tombstones, removal.
 *
 * Every test runs on sqlite; with FEEDD_TEST_PG set to a libpq connection
 * string, every test runs a second time on PostgreSQL (each on an empty
 * schema), so the two backends cannot drift.  Tests of what only sqlite
 * has (its files, its index file) are skipped there, saying why.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "item.h"
#include "parse.h"
#include "store-int.h"
#include "store-search.h"
#include "store.h"
#include "xmalloc.h"

#define NOW	1720486560	/* 2024-07-09T00:56:00Z */

/* The PostgreSQL run's connection string; NULL in the sqlite run. */
static const char	*pg_conninfo;

/* Skips the rest of a test on PostgreSQL, for a reason. */
/* store-sqlite.c's latest schema version. */
#define SQLITE_LATEST	13
/* store-pg.c's. */
#define PG_LATEST	14

#define SQLITE_ONLY(why) do {						\
	if (pg_conninfo != NULL) {					\
		print_message("skipped on PostgreSQL: %s\n", why);	\
		skip();							\
	}								\
} while (0)

/* Runs SQL on the PostgreSQL test database; its one value, or -1. */
static int64_t
pg_sql(const char *sql)
{
	PGconn		*conn;
	PGresult	*res;
	int64_t		 v = -1;

	conn = PQconnectdb(pg_conninfo);
	if (PQstatus(conn) != CONNECTION_OK)
		fail_msg("postgresql: %s", PQerrorMessage(conn));
	PQclear(PQexec(conn, "SET client_min_messages = warning"));
	res = PQexec(conn, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK)
		fail_msg("postgresql: %s: %s", sql, PQresultErrorMessage(res));
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0)
		v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	PQfinish(conn);
	return (v);
}

/*
 * A node dies: its store closes, and once its server process has gone its
 * session lock is gone, which is what tells the others (within moments,
 * as after a kill -9).
 */
static void
pg_node_dies(struct store *b)
{
	char	 sql[256];
	int	 i;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM pg_locks WHERE "
	    "locktype = 'advisory' AND classid = 1852793957 AND "
	    "objid = hashtext('%s')::oid", store_node_id(b));
	assert_int_equal(pg_sql(sql), 1);
	store_close(b);
	for (i = 0; i < 500 && pg_sql(sql) != 0; i++)
		usleep(10000);
	assert_int_equal(pg_sql(sql), 0);
}

struct fixture {
	char		 dir[64];
	char		 path[512];
	struct store	*s;
	int64_t		 feed;
};

static int
setup(void **state)
{
	struct fixture		*fx;
	struct store_feed_conf	 conf;
	const char		*tags[] = { "news", "korea" };
	char			*cause = NULL;

	fx = xcalloc(1, sizeof(*fx));
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/feedd-test-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof(fx->path), "%s/feedd.db", fx->dir);
	if (pg_conninfo != NULL) {
		/* Each test starts on an empty database. */
		pg_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
		snprintf(fx->path, sizeof(fx->path), "%s", pg_conninfo);
	}
	fx->s = store_open(fx->path, &cause);
	assert_null(cause);
	assert_non_null(fx->s);
	memset(&conf, 0, sizeof(conf));
	conf.url = "https://www.devdiscourse.com/rss/world";
	conf.tags = tags;
	conf.ntags = 2;
	conf.interval = -1;
	conf.enabled = 1;
	conf.origin = STORE_ORIGIN_CONFIG;
	assert_int_equal(store_feed_add(fx->s, &conf, &fx->feed, &cause), 0);
	assert_true(fx->feed > 0);
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;
	char		 cmd[256];

	store_close(fx->s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		return (-1);
	free(fx);
	return (0);
}

/*
 * What each schema added, taken out of a new file to make an older one:
 * DROP_SINCE_N makes a schema-N file (but for what the test changes
 * itself).
 */
#define DROP_SINCE_12 \
	"ALTER TABLE consumers DROP COLUMN feed_url; "
#define DROP_SINCE_11 \
	"ALTER TABLE feeds DROP COLUMN runtime_title; " \
	DROP_SINCE_12
#define DROP_SINCE_10 \
	"ALTER TABLE feeds DROP COLUMN hints; " \
	DROP_SINCE_11
#define DROP_SINCE_8 \
	"ALTER TABLE items DROP COLUMN base; " \
	DROP_SINCE_10
#define DROP_SINCE_3 \
	"DROP TRIGGER feeds_counts_ai; DROP TRIGGER items_counts_ad; " \
	"DROP TRIGGER items_counts_au; DROP TABLE feed_counts; " \
	"ALTER TABLE consumers DROP COLUMN feed_id; " \
	"ALTER TABLE consumers DROP COLUMN tag; " \
	"ALTER TABLE consumers DROP COLUMN filters_set; " \
	"ALTER TABLE feeds DROP COLUMN options; " \
	"ALTER TABLE feeds DROP COLUMN runtime_tags; " \
	"DROP TABLE feeds_removed; " \
	"ALTER TABLE items DROP COLUMN image; " \
	"ALTER TABLE items DROP COLUMN episode; " \
	"ALTER TABLE items DROP COLUMN season; " \
	DROP_SINCE_8

static struct feed_item *
mkitem(const char *guid, const char *title, const char *link)
{
	struct feed_item	*it;

	it = feed_item_new();
	it->guid = guid != NULL ? xstrdup(guid) : NULL;
	it->title = xstrdup(title);
	it->link = link != NULL ? xstrdup(link) : NULL;
	it->summary = xstrdup("<p>Summary of <a href=\"x\">it</a></p>");
	it->content = xstrdup("<p>Kim Geum Chol departed for Russia.</p>");
	it->published = NOW;
	it->key = feed_item_key(it, NULL);
	return (it);
}

/* An enabled feed added at run time, at "url", with the default interval. */
static void
runtime_conf(struct store_feed_conf *conf, const char *url)
{
	memset(conf, 0, sizeof(*conf));
	conf->url = url;
	conf->interval = -1;
	conf->enabled = 1;
	conf->origin = STORE_ORIGIN_RUNTIME;
}

/* A document of n items "g<base+i>" linking to /a/<base+i>. */
static struct feed_doc *
mkdoc(int base, int n, const char *guid_prefix)
{
	struct feed_doc	*doc;
	char		 guid[64], title[64], link[128];
	int		 i;

	doc = feed_doc_new();
	doc->format = FEED_FORMAT_RSS20;
	doc->title = xstrdup("Devdiscourse - World News");
	for (i = 0; i < n; i++) {
		snprintf(guid, sizeof(guid), "%s%d", guid_prefix, base + i);
		snprintf(title, sizeof(title), "Story %d", base + i);
		snprintf(link, sizeof(link),
		    "https://www.devdiscourse.com/a/%d", base + i);
		feed_doc_add_item(doc, mkitem(guid, title, link));
	}
	return (doc);
}

/* The ids of the "want" deliveries due now for "notifier", in order. */
static void
due_ids(struct fixture *fx, const char *notifier, int64_t *ids, size_t want)
{
	struct store_delivery	*d;
	size_t			 n, i;
	char			*cause = NULL;

	assert_int_equal(store_outbox_due(fx->s, notifier, NOW, 10, NULL, 0,
	    &d, &n, &cause), 0);
	assert_int_equal(n, want);
	for (i = 0; i < n; i++)
		ids[i] = d[i].id;
	store_deliveries_free(d, n);
}

static void
poll_ok(struct fixture *fx, int64_t feed, struct feed_doc *doc,
    struct store_poll_result *r)
{
	struct store_poll	p;
	char			*cause = NULL;

	memset(&p, 0, sizeof(p));
	p.now = NOW;
	p.doc = doc;
	p.http_status = 200;
	p.etag = "\"v1\"";
	p.last_modified = "Tue, 09 Jul 2024 01:00:00 GMT";
	p.next_poll = NOW + 900;
	p.next_poll_reason = "ttl";
	p.retry_after = DATE_NONE;
	if (store_apply_poll(fx->s, feed, &p, r, &cause) != 0)
		fail_msg("apply_poll: %s", cause);
}

/* Brings the index up to date, "max" items a pass; returns the passes. */
static int
index_all(struct fixture *fx, size_t max)
{
	char	*cause = NULL;
	int	 more = 1, passes = 0;

	while (more) {
		if (store_index_update(fx->s, max, &more, &cause) != 0)
			fail_msg("index_update: %s", cause);
		passes++;
	}
	return (passes);
}

/*
 * Makes the test's database an older file: closes the store, runs "sql"
 * on the file (what later schemas added taken out, the version set
 * back), and opens it again, which migrates it.
 */
static void
reopen_older(struct fixture *fx, const char *sql)
{
	sqlite3	*db;
	char	*cause = NULL;

	store_close(fx->s);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	if ((fx->s = store_open(fx->path, &cause)) == NULL)
		fail_msg("opening the older file: %s", cause);
	assert_null(cause);
}

static size_t
search_count(struct fixture *fx, const char *query)
{
	struct store_item	*v;
	size_t			 n;
	char			*cause = NULL;

	if (store_items_search(fx->s, query, 100, &v, &n, &cause) != 0)
		fail_msg("search %s: %s", query, cause);
	store_items_free(v, n);
	return (n);
}

static int64_t
index_lag(struct fixture *fx)
{
	int64_t	 lag;
	char	*cause = NULL;

	if (store_index_lag(fx->s, &lag, &cause) != 0)
		fail_msg("index_lag: %s", cause);
	return (lag);
}

/* What the index file holds, after FTS5's own consistency check. */
static int64_t
index_entries(struct fixture *fx)
{
	sqlite3		*db;
	sqlite3_stmt	*st;
	char		 path[640];
	int64_t		 n;

	if (pg_conninfo != NULL)
		return (pg_sql("SELECT count(*) FROM item_search WHERE "
		    "tsv != ''::tsvector"));
	snprintf(path, sizeof(path), "%s-search", fx->path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(search_tokenizer_add(db), 0);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO items_fts(items_fts) "
	    "VALUES ('integrity-check')", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM "
	    "items_fts_docsize", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return (n);
}

static void
test_store_open_refuses_foreign_files(void **state)
{
	struct fixture		*fx = *state;
	struct store_stats	 stats;
	char			 path[640], *cause = NULL;
	sqlite3			*db;
	sqlite3_stmt		*st;
	FILE			*f;

	SQLITE_ONLY("what sqlite files are ours is sqlite's question");

	/* Not a database at all. */
	snprintf(path, sizeof(path), "%s/notes.txt", fx->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("these are my notes, not a database; please keep them\n", f);
	fclose(f);
	assert_null(store_open(path, &cause));
	assert_non_null(strstr(cause, "not a feedd database"));
	assert_non_null(strstr(cause, path));
	free(cause);
	cause = NULL;
	f = fopen(path, "r");
	assert_non_null(f);
	fclose(f);

	/* A database of ours it cannot open (here its -wal file is a
	 * folder; a read-only file system does the same): the system's
	 * reason, not "not a feedd database". */
	snprintf(path, sizeof(path), "%s/wal.db", fx->dir);
	store_close(store_open(path, &cause));
	assert_null(cause);
	snprintf(path, sizeof(path), "%s/wal.db-wal", fx->dir);
	unlink(path);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/wal.db", fx->dir);
	assert_null(store_open(path, &cause));
	assert_null(strstr(cause, "not a feedd database"));
	assert_non_null(strstr(cause, "cannot read it"));
	free(cause);
	cause = NULL;

	/* Another program's sqlite file. */
	snprintf(path, sizeof(path), "%s/other.db", fx->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_null(store_open(path, &cause));
	assert_non_null(strstr(cause, "not a feedd database"));
	free(cause);
	cause = NULL;

	/* A database from a newer feedd. */
	store_close(fx->s);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 999", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	fx->s = store_open(fx->path, &cause);
	assert_null(fx->s);
	assert_non_null(strstr(cause, "newer feedd"));
	free(cause);
	cause = NULL;
	/*
	 * A schema 1 file (before the outbox queue index, with the
	 * full-text index inside, without the feeds' counts) is migrated,
	 * its items indexed in the index file and counted.
	 */
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP INDEX outbox_queue; "
	    DROP_SINCE_3
	    "INSERT INTO consumers VALUES ('legacy', 0, 1); "
	    "DROP TRIGGER items_log_ad; DROP TRIGGER items_log_au; "
	    "DROP TABLE fts_log; DROP TABLE meta; "
	    "CREATE VIRTUAL TABLE items_fts USING fts5(title, summary, "
	    "content, content='items', content_rowid='id'); "
	    "CREATE TRIGGER items_fts_ad AFTER DELETE ON items BEGIN "
	    "SELECT 1; END; "
	    "CREATE TRIGGER items_fts_au AFTER UPDATE OF title ON items BEGIN "
	    "SELECT 1; END; "
	    "INSERT INTO items (feed_id, key, hash, title, fetched) "
	    "SELECT id, 'old1', 1, 'Walrus sighting', 1 FROM feeds LIMIT 1; "
	    "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	fx->s = store_open(fx->path, &cause);
	assert_non_null(fx->s);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT user_version "
	    "FROM pragma_user_version), (SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'outbox_queue'), (SELECT count(*) FROM sqlite_master "
	    "WHERE name LIKE 'items_fts%'), (SELECT count(*) FROM sqlite_master "
	    "WHERE name = 'fts_log'), (SELECT filters_set FROM consumers "
	    "WHERE name = 'legacy')", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), SQLITE_LATEST);
	assert_int_equal(sqlite3_column_int(st, 1), 1);
	assert_int_equal(sqlite3_column_int(st, 2), 0);
	assert_int_equal(sqlite3_column_int(st, 3), 1);
	/* A consumer of before has no filters yet: its next fetch sets. */
	assert_int_equal(sqlite3_column_type(st, 4), SQLITE_INTEGER);
	assert_int_equal(sqlite3_column_int(st, 4), 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	index_all(fx, 0);
	assert_int_equal(search_count(fx, "walrus"), 1);
	assert_int_equal(store_stats(fx->s, &stats, &cause), 0);
	assert_int_equal(stats.items, 1);
	assert_int_equal(stats.unread, 1);
}

/* A schema 3 file gains feed options, runtime tags, removed URLs. */
static void
test_store_migrates_from_3(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed	*f;
	sqlite3			*db;
	char			*cause = NULL;

	SQLITE_ONLY("a sqlite schema-3 file");

	reopen_older(fx, DROP_SINCE_3
	    "PRAGMA user_version = 3");
	f = store_feed_get(fx->s, fx->feed);
	assert_non_null(f);
	assert_int_equal(f->ntags, 2);
	store_feed_free(f);
	assert_null(store_feed_options(fx->s, fx->feed));
	assert_int_equal(store_feed_remove(fx->s, fx->feed, &cause), 0);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "SELECT options, runtime_tags FROM "
	    "feeds; SELECT url FROM feeds_removed", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
}

/*
 * feeds.edit's store side; a runtime feed the config took over comes
 * back with its own tags when the config lets it go.
 */
static void
test_store_feed_edit_release(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed_conf	 conf;
	struct store_feed	*f;
	const char		*tags[] = { "mine" }, *ctags[] = { "cfg" };
	char			*cause = NULL, *o;
	int64_t			 id, other;

	memset(&conf, 0, sizeof(conf));
	conf.url = "http://example.org/rt.xml";
	conf.tags = tags;
	conf.ntags = 1;
	conf.interval = -1;
	conf.enabled = 1;
	conf.origin = STORE_ORIGIN_RUNTIME;
	conf.options = "{\"user_agent\":\"x\"}";
	assert_int_equal(store_feed_add(fx->s, &conf, &id, &cause), 0);
	o = store_feed_options(fx->s, id);
	assert_string_equal(o, "{\"user_agent\":\"x\"}");
	free(o);

	/* Edit: title, a new URL (validators dropped), paused. */
	conf.title = "T";
	conf.enabled = 0;
	conf.options = NULL;
	assert_int_equal(store_feed_edit(fx->s, id, &conf,
	    "http://example.org/new.xml", 0, &cause), 0);
	f = store_feed_get(fx->s, id);
	assert_string_equal(f->url, "http://example.org/new.xml");
	assert_string_equal(f->title, "T");
	assert_int_equal(f->enabled, 0);
	store_feed_free(f);
	assert_null(store_feed_options(fx->s, id));
	/* Resume. */
	assert_int_equal(store_feed_edit(fx->s, id, &conf, NULL, 1, &cause),
	    0);
	f = store_feed_get(fx->s, id);
	assert_int_equal(f->enabled, 1);
	assert_int_equal(f->errors, 0);
	store_feed_free(f);
	/* Another feed's URL: refused, nothing changed. */
	conf.url = "http://example.org/other.xml";
	assert_int_equal(store_feed_add(fx->s, &conf, &other, &cause), 0);
	assert_int_equal(store_feed_edit(fx->s, id, &conf,
	    "http://example.org/other.xml", 0, &cause), -1);
	assert_non_null(strstr(cause, "already subscribed"));
	free(cause);
	cause = NULL;

	/* A config feed from the start is not released. */
	assert_int_equal(store_feed_release(fx->s, fx->feed, &cause), 0);
	/* The config takes the runtime feed over, then lets it go. */
	conf.url = "http://example.org/new.xml";
	conf.tags = ctags;
	conf.title = "From the config";
	conf.origin = STORE_ORIGIN_CONFIG;
	assert_int_equal(store_feed_update(fx->s, id, &conf, &cause), 0);
	f = store_feed_get(fx->s, id);
	assert_int_equal(f->origin, STORE_ORIGIN_CONFIG);
	assert_string_equal(f->tags[0], "cfg");
	assert_string_equal(f->title, "From the config");
	store_feed_free(f);
	assert_int_equal(store_feed_update(fx->s, id, &conf, &cause), 0);
	assert_int_equal(store_feed_release(fx->s, id, &cause), 1);
	f = store_feed_get(fx->s, id);
	assert_int_equal(f->origin, STORE_ORIGIN_RUNTIME);
	assert_int_equal(f->ntags, 1);
	assert_string_equal(f->tags[0], "mine");
	/* The title it had, not the config's. */
	assert_string_equal(f->title, "T");
	store_feed_free(f);
	assert_int_equal(store_feed_release(fx->s, id, &cause), 0);
}

/*
 * A schema 3 file (before the podcast columns) gets them; its rows read
 * back with no image, episode or enclosure duration, and new polls fill
 * them in.
 */
static void
test_store_podcast_columns_migrate(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_item		*v;
	struct feed_doc			*doc;
	struct feed_item		*it;
	size_t				 n;
	char				*cause = NULL;

	SQLITE_ONLY("a sqlite schema-3 file");

	reopen_older(fx, DROP_SINCE_3
	    "INSERT INTO items (feed_id, key, hash, title, enclosures, "
	    "fetched) "
	    "SELECT id, 'old-ep', 1, 'Old episode', "
	    "'[[\"http://cdn.example/old.mp3\",\"audio/mpeg\",5]]', 1 "
	    "FROM feeds LIMIT 1; "
	    "PRAGMA user_version = 3");
	assert_int_equal(store_items_list(fx->s, &(struct store_query){ 0 },
	    &v, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].item->title, "Old episode");
	assert_null(v[0].item->image);
	assert_int_equal(v[0].item->episode, -1);
	assert_int_equal(v[0].item->nenclosures, 1);
	assert_int_equal(v[0].item->enclosures[0].length, 5);
	assert_int_equal(v[0].item->enclosures[0].duration, -1);
	store_items_free(v, n);

	doc = feed_doc_new();
	doc->format = FEED_FORMAT_RSS20;
	it = feed_item_new();
	it->guid = xstrdup("new-ep");
	it->title = xstrdup("New episode");
	it->image = xstrdup("http://cdn.example/new.jpg");
	it->episode = 7;
	it->season = 2;
	feed_item_add_enclosure(it, "http://cdn.example/new.mp3",
	    "audio/mpeg", 9)->duration = 754;
	feed_item_set_key(it, NULL);
	feed_doc_add_item(doc, it);
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 1);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	assert_int_equal(store_items_list(fx->s, &(struct store_query){ 0 },
	    &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	it = strcmp(v[0].item->key, "new-ep") == 0 ? v[0].item : v[1].item;
	assert_string_equal(it->image, "http://cdn.example/new.jpg");
	assert_int_equal(it->episode, 7);
	assert_int_equal(it->season, 2);
	assert_int_equal(it->enclosures[0].duration, 754);
	store_items_free(v, n);
}

/*
 * A poll's podcast fields (image, episode, season, an enclosure's
 * duration) read back whole, and a changed episode updates them.
 */
static void
test_store_podcast_fields(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_item		*v;
	struct feed_doc			*doc;
	struct feed_item		*it;
	size_t				 n;
	char				*cause = NULL;

	doc = feed_doc_new();
	doc->format = FEED_FORMAT_RSS20;
	it = feed_item_new();
	it->guid = xstrdup("ep-1");
	it->title = xstrdup("Episode one");
	it->image = xstrdup("http://cdn.example/ep1.jpg");
	it->episode = 12;
	it->season = 3;
	feed_item_add_enclosure(it, "http://cdn.example/ep1.mp3",
	    "audio/mpeg", 4096)->duration = 3725;
	feed_item_set_key(it, NULL);
	feed_doc_add_item(doc, it);
	it = feed_item_new();
	it->guid = xstrdup("plain");
	it->title = xstrdup("No podcast fields");
	feed_item_set_key(it, NULL);
	feed_doc_add_item(doc, it);
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 2);
	store_poll_result_clear(&r);

	assert_int_equal(store_items_list(fx->s, &(struct store_query){ 0 },
	    &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	it = strcmp(v[0].item->key, "ep-1") == 0 ? v[0].item : v[1].item;
	assert_string_equal(it->image, "http://cdn.example/ep1.jpg");
	assert_int_equal(it->episode, 12);
	assert_int_equal(it->season, 3);
	assert_int_equal(it->nenclosures, 1);
	assert_string_equal(it->enclosures[0].url,
	    "http://cdn.example/ep1.mp3");
	assert_string_equal(it->enclosures[0].type, "audio/mpeg");
	assert_int_equal(it->enclosures[0].length, 4096);
	assert_int_equal(it->enclosures[0].duration, 3725);
	it = strcmp(v[0].item->key, "ep-1") == 0 ? v[1].item : v[0].item;
	assert_null(it->image);
	assert_int_equal(it->episode, -1);
	assert_int_equal(it->season, -1);
	store_items_free(v, n);

	/* The same episode renumbered, its duration known better. */
	it = doc->items[0];
	it->episode = 13;
	free(it->image);
	it->image = xstrdup("http://cdn.example/ep1b.jpg");
	it->enclosures[0].duration = 3726;
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	assert_int_equal(r.nupdated, 1);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	assert_int_equal(store_items_list(fx->s, &(struct store_query){ 0 },
	    &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	it = strcmp(v[0].item->key, "ep-1") == 0 ? v[0].item : v[1].item;
	assert_string_equal(it->image, "http://cdn.example/ep1b.jpg");
	assert_int_equal(it->episode, 13);
	assert_int_equal(it->season, 3);
	assert_int_equal(it->enclosures[0].duration, 3726);
	store_items_free(v, n);
}

/*
 * An item's xml:base (feed_item "base") reads back; one that changes
 * alone updates the item, since its links now lead elsewhere; an item
 * without one reads back NULL.  A schema-8 file gains the column, its
 * rows read back without a base, and the next poll fills it in.
 */
static void
test_store_item_base(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_item		*v;
	struct feed_doc			*doc;
	struct feed_item		*it;
	size_t				 n;
	char				*cause = NULL;

	doc = feed_doc_new();
	doc->format = FEED_FORMAT_ATOM10;
	it = mkitem("based", "Based", "http://other.example/p");
	it->base = xstrdup("http://example.org/2003/");
	feed_doc_add_item(doc, it);
	feed_doc_add_item(doc, mkitem("plain", "Plain", "http://x.example/"));
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 2);
	store_poll_result_clear(&r);
	assert_int_equal(store_items_list(fx->s, &(struct store_query){ 0 },
	    &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	it = strcmp(v[0].item->key, "based") == 0 ? v[0].item : v[1].item;
	assert_string_equal(it->base, "http://example.org/2003/");
	it = strcmp(v[0].item->key, "based") == 0 ? v[1].item : v[0].item;
	assert_null(it->base);
	store_items_free(v, n);

	it = doc->items[0];
	free(it->base);
	it->base = xstrdup("http://example.org/2004/");
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	assert_int_equal(r.nupdated, 1);
	store_poll_result_clear(&r);
	assert_int_equal(store_items_list(fx->s, &(struct store_query){ 0 },
	    &v, &n, &cause), 0);
	it = strcmp(v[0].item->key, "based") == 0 ? v[0].item : v[1].item;
	assert_string_equal(it->base, "http://example.org/2004/");
	store_items_free(v, n);

	if (pg_conninfo != NULL)
		feed_doc_free(doc);	/* the rest is skipped */
	SQLITE_ONLY("a sqlite schema-8 file");
	/* An older feedd hashed items without a base. */
	reopen_older(fx, DROP_SINCE_8
	    "UPDATE items SET hash = 0; "
	    "PRAGMA user_version = 8");
	assert_int_equal(store_items_list(fx->s, &(struct store_query){ 0 },
	    &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_null(v[0].item->base);
	assert_null(v[1].item->base);
	store_items_free(v, n);
	/* The next poll stores what the document says, base and all. */
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	assert_int_equal(r.nupdated, 2);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	assert_int_equal(store_items_list(fx->s, &(struct store_query){ 0 },
	    &v, &n, &cause), 0);
	it = strcmp(v[0].item->key, "based") == 0 ? v[0].item : v[1].item;
	assert_string_equal(it->base, "http://example.org/2004/");
	it = strcmp(v[0].item->key, "based") == 0 ? v[1].item : v[0].item;
	assert_null(it->base);
	store_items_free(v, n);
}

/*
 * Items stored under the key rule before enclosures counted (a hash for
 * podcast episodes with no guid or link) are found again by their old
 * key, in a database the current schema made, and move to the new key.
 */
static void
test_store_old_keys_are_found(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct feed_doc			*doc;
	struct feed_item		*it;
	sqlite3				*db;
	sqlite3_stmt			*st;
	char				*cause = NULL, url[64];
	int				 i;

	SQLITE_ONLY("no PostgreSQL store predates the current key rule");

	doc = feed_doc_new();
	doc->format = FEED_FORMAT_RSS20;
	for (i = 0; i < 2; i++) {
		it = feed_item_new();
		it->title = xstrdup(i == 0 ? "Episode" : "Other episode");
		snprintf(url, sizeof(url), "http://cdn.example/ep%d.mp3", i);
		feed_item_add_enclosure(it, url, "audio/mpeg", 10);
		/* What the parser keyed it on before. */
		it->key = feed_item_key_v1(it);
		feed_doc_add_item(doc, it);
	}
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 2);
	store_poll_result_clear(&r);
	store_close(fx->s);
	fx->s = store_open(fx->path, &cause);
	assert_non_null(fx->s);

	/* The same items keyed by today's rule: nothing new. */
	for (i = 0; i < 2; i++)
		feed_item_set_key(doc->items[i], NULL);
	assert_string_equal(doc->items[0]->key, "http://cdn.example/ep0.mp3");
	assert_non_null(doc->items[0]->oldkey);
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	assert_int_equal(r.nknown, 2);
	store_poll_result_clear(&r);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM items "
	    "WHERE key LIKE 'http://cdn.example/ep%'", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2);
	sqlite3_finalize(st);
	sqlite3_close(db);
	/* Moved: found by the new key from now on. */
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	assert_int_equal(r.nknown, 2);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
}

/*
 * Stores the items of feed document "text" under their old keys, as an
 * older feedd did, and checks that today's parse of it finds each item
 * by that key and moves it to the new key.
 */
static void
old_keys_are_found(struct fixture *fx, const char *text)
{
	struct store_poll_result	 r;
	struct feed_doc			*doc;
	sqlite3				*db;
	sqlite3_stmt			*st;
	char				*cause = NULL, *newkey[2];
	size_t				 i;

	doc = parse_buffer(text, strlen(text), NULL, &cause);
	assert_non_null(doc);
	assert_int_equal(doc->nitems, 2);
	/* What an older feedd stored: the old key, and no other. */
	for (i = 0; i < 2; i++) {
		assert_non_null(doc->items[i]->oldkey);
		assert_string_not_equal(doc->items[i]->oldkey,
		    doc->items[i]->key);
		newkey[i] = doc->items[i]->key;
		doc->items[i]->key = doc->items[i]->oldkey;
		doc->items[i]->oldkey = NULL;
	}
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 2);
	store_poll_result_clear(&r);
	store_close(fx->s);
	fx->s = store_open(fx->path, &cause);
	assert_non_null(fx->s);

	/* Today's parse of the same document: nothing new, keys moved. */
	for (i = 0; i < 2; i++) {
		doc->items[i]->oldkey = doc->items[i]->key;
		doc->items[i]->key = newkey[i];
	}
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	assert_int_equal(r.nknown, 2);
	store_poll_result_clear(&r);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM items "
	    "WHERE key IN (?, ?)", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, newkey[0], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, newkey[1], -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 2);
	sqlite3_finalize(st);
	sqlite3_close(db);
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	assert_int_equal(r.nknown, 2);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
}

/*
 * Items keyed by their hash whose titles today's parser reads otherwise
 * (escaped HTML, BiDi overrides, C1 controls; an Atom HTML title with
 * markup inside a word) were stored under the hash of the title as the
 * old rule kept it: the parser offers that as the old key, and the store
 * finds each item by it and moves it to the new key.
 */
static void
test_store_old_title_keys_are_found(void **state)
{
	static const char	 rss[] = "<rss version=\"2.0\"><channel>"
	    "<title>T</title><item><title>Caf&amp;eacute; &lt;b&gt;bold"
	    "&lt;/b&gt;</title><description>one</description></item>"
	    "<item><title>Evil&#x202E;txt&#x85;x</title><description>two"
	    "</description></item></channel></rss>";
	static const char	 atom[] = "<feed xmlns=\"http://www.w3.org/"
	    "2005/Atom\"><title>A</title><entry><title type=\"html\">"
	    "H&lt;sub&gt;2&lt;/sub&gt;O</title><summary>three</summary>"
	    "</entry><entry><title type=\"html\">&lt;em&gt;Fish&lt;/em&gt;"
	    ": chips</title><summary>four</summary></entry></feed>";
	struct fixture		*fx = *state;

	SQLITE_ONLY("no PostgreSQL store predates the current key rule");

	old_keys_are_found(fx, rss);
	old_keys_are_found(fx, atom);
}

static void
test_store_reopen_keeps_everything(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct feed_doc			*doc = mkdoc(1, 3, "g");
	struct store_feed		*f;
	char				*cause = NULL;

	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 3);
	store_poll_result_clear(&r);
	store_close(fx->s);
	fx->s = store_open(fx->path, &cause);
	assert_non_null(fx->s);
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	assert_int_equal(r.nknown, 3);
	store_poll_result_clear(&r);
	f = store_feed_get(fx->s, fx->feed);
	assert_non_null(f);
	assert_int_equal(f->items, 3);
	store_feed_free(f);
	feed_doc_free(doc);
}

static void
test_store_feeds_add_find_update_list(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed_conf	 conf;
	struct store_feed	*f, **v;
	const char		*tags[] = { "tech" };
	size_t			 n;
	int64_t			 id;
	char			*cause = NULL;

	memset(&conf, 0, sizeof(conf));
	conf.url = "https://www.devdiscourse.com/rss/world";
	conf.interval = -1;
	conf.enabled = 1;
	assert_int_equal(store_feed_add(fx->s, &conf, &id, &cause), -1);
	assert_non_null(strstr(cause, "already subscribed"));
	free(cause);
	cause = NULL;

	conf.url = "https://example.org/atom";
	conf.title = "Example";
	conf.tags = tags;
	conf.ntags = 1;
	conf.interval = 3600;
	conf.origin = STORE_ORIGIN_RUNTIME;
	assert_int_equal(store_feed_add(fx->s, &conf, &id, &cause), 0);
	f = store_feed_find(fx->s, "https://example.org/atom");
	assert_non_null(f);
	assert_int_equal(f->id, id);
	assert_string_equal(f->title, "Example");
	assert_int_equal(f->interval, 3600);
	assert_int_equal(f->origin, STORE_ORIGIN_RUNTIME);
	assert_int_equal(f->ntags, 1);
	assert_string_equal(f->tags[0], "tech");
	assert_int_equal(f->last_poll, DATE_NONE);
	store_feed_free(f);

	conf.title = NULL;
	conf.interval = -1;
	conf.enabled = 0;
	conf.ntags = 0;
	assert_int_equal(store_feed_update(fx->s, id, &conf, &cause), 0);
	f = store_feed_get(fx->s, id);
	assert_null(f->title);
	assert_int_equal(f->interval, -1);
	assert_int_equal(f->enabled, 0);
	assert_int_equal(f->ntags, 0);
	store_feed_free(f);

	assert_int_equal(store_feeds_list(fx->s, NULL, &v, &n), 0);
	assert_int_equal(n, 2);
	store_feeds_free(v, n);
	assert_int_equal(store_feeds_list(fx->s, "korea", &v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0]->id, fx->feed);
	assert_int_equal(v[0]->ntags, 2);
	assert_string_equal(v[0]->tags[0], "korea");	/* sorted */
	assert_string_equal(v[0]->tags[1], "news");
	store_feeds_free(v, n);
	assert_null(store_feed_get(fx->s, 9999));
	assert_int_equal(store_feed_update(fx->s, 9999, &conf, &cause), -1);
	free(cause);
}

/*
 * The config's feeds go in as one batch: one commit, and an operation
 * that fails inside it undoes only itself.
 */
static void
test_store_batch_keeps_what_succeeds(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed_conf	 conf;
	struct store_feed	*f;
	int64_t			 a, b;
	char			*cause = NULL;

	memset(&conf, 0, sizeof(conf));
	conf.interval = -1;
	conf.enabled = 1;
	assert_int_equal(store_batch_begin(fx->s, &cause), 0);
	conf.url = "https://a.example/feed";
	assert_int_equal(store_feed_add(fx->s, &conf, &a, &cause), 0);
	/* Refused inside the batch: the batch goes on. */
	assert_int_equal(store_feed_add(fx->s, &conf, &b, &cause), -1);
	assert_non_null(strstr(cause, "already subscribed"));
	free(cause);
	cause = NULL;
	conf.url = "https://b.example/feed";
	assert_int_equal(store_feed_add(fx->s, &conf, &b, &cause), 0);
	assert_int_equal(store_batch_end(fx->s, &cause), 0);
	assert_null(cause);

	assert_non_null(f = store_feed_get(fx->s, a));
	assert_string_equal(f->url, "https://a.example/feed");
	store_feed_free(f);
	assert_non_null(f = store_feed_get(fx->s, b));
	assert_string_equal(f->url, "https://b.example/feed");
	store_feed_free(f);
	/* And outside a batch, each operation is its own again. */
	conf.url = "https://c.example/feed";
	assert_int_equal(store_feed_add(fx->s, &conf, &b, &cause), 0);
	assert_non_null(f = store_feed_find(fx->s, "https://c.example/feed"));
	store_feed_free(f);
}

static void
test_store_poll_dedups_and_updates_in_place(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct feed_doc			*doc = mkdoc(1, 5, "g");
	struct store_item		*v;
	struct feed_item		*tmp;
	size_t				 n, i;
	char				*cause = NULL;

	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 5);
	for (i = 1; i < r.nids; i++)
		assert_true(r.ids[i] > r.ids[i - 1]);
	store_poll_result_clear(&r);

	/* Same document again: nothing new. */
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	assert_int_equal(r.nknown, 5);
	store_poll_result_clear(&r);

	/* Reordered, one retitled and re-dated: still nothing new. */
	tmp = doc->items[0];
	doc->items[0] = doc->items[4];
	doc->items[4] = tmp;
	free(doc->items[2]->title);
	doc->items[2]->title = xstrdup("Story 3 (updated)");
	doc->items[2]->published = NOW + 60;
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	assert_int_equal(r.nupdated, 1);
	store_poll_result_clear(&r);

	assert_int_equal(store_items_list(fx->s, &(struct store_query){ 0 },
	    &v, &n, &cause), 0);
	assert_int_equal(n, 5);
	assert_string_equal(v[2].item->title, "Story 3 (updated)");
	assert_int_equal(v[2].item->published, NOW + 60);
	assert_string_equal(v[2].item->key, "g3");
	assert_int_equal(v[2].feed_id, fx->feed);
	assert_int_equal(v[2].fetched, NOW);
	assert_int_equal(v[2].story, v[2].id);
	assert_int_equal(v[2].repeat, 0);
	store_items_free(v, n);

	/* A document that gains two items: only those are new. */
	feed_doc_free(doc);
	doc = mkdoc(1, 7, "g");
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 2);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
}

/* The title stored for the poll's new item "id". */
static void
assert_item_title(struct fixture *fx, int64_t id, const char *title)
{
	struct store_item	*v;
	size_t			 n;
	char			*cause = NULL;

	assert_int_equal(store_items_get(fx->s, &id, 1, &v, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].item->title, title);
	store_items_free(v, n);
}

/*
 * One key twice in a document: one item, the copy updated last (else the
 * first), and the same document polled again changes nothing (each copy
 * in turn used to overwrite the other at every poll).
 */
static void
test_store_poll_same_key_twice_in_one_doc(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct feed_doc			*doc = mkdoc(1, 2, "g");
	struct feed_item		*later;
	int64_t				 first_id;

	feed_doc_add_item(doc, mkitem("g1", "Story 1 again", "https://x/1"));
	later = mkitem("g2", "Story 2, updated", "https://x/2");
	later->updated = NOW;
	feed_doc_add_item(doc, later);
	feed_doc_add_item(doc, mkitem("g2", "Story 2 undated", "https://x/2"));
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 2);
	/* Oldest first: one date, so the document's order reversed. */
	first_id = r.ids[1];
	assert_item_title(fx, r.ids[1], "Story 1");
	assert_item_title(fx, r.ids[0], "Story 2, updated");
	store_poll_result_clear(&r);

	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	assert_int_equal(r.nupdated, 0);
	store_poll_result_clear(&r);
	assert_item_title(fx, first_id, "Story 1");
	feed_doc_free(doc);
}

static void
test_store_poll_feed_state(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_poll		 p;
	struct store_feed		*f;
	struct feed_doc			*doc = mkdoc(1, 2, "g");
	char				*cause = NULL;

	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	f = store_feed_get(fx->s, fx->feed);
	assert_string_equal(f->etag, "\"v1\"");
	assert_string_equal(f->last_modified, "Tue, 09 Jul 2024 01:00:00 GMT");
	assert_int_equal(f->last_status, 200);
	assert_int_equal(f->last_success, NOW);
	assert_int_equal(f->errors, 0);
	assert_string_equal(f->title, "Devdiscourse - World News");
	assert_int_equal(f->next_poll, NOW + 900);
	assert_string_equal(f->next_poll_reason, "ttl");
	store_feed_free(f);

	/* 304: validators stay, no items, success. */
	memset(&p, 0, sizeof(p));
	p.now = NOW + 900;
	p.http_status = 304;
	p.next_poll = NOW + 1800;
	p.retry_after = DATE_NONE;
	assert_int_equal(store_apply_poll(fx->s, fx->feed, &p, &r, &cause), 0);
	f = store_feed_get(fx->s, fx->feed);
	assert_string_equal(f->etag, "\"v1\"");
	assert_int_equal(f->last_status, 304);
	assert_int_equal(f->last_success, NOW + 900);
	store_feed_free(f);

	/* Two errors: counted, validators kept, last success unchanged. */
	p.now = NOW + 1800;
	p.http_status = 500;
	p.error = "HTTP 500";
	p.retry_after = NOW + 3600;
	assert_int_equal(store_apply_poll(fx->s, fx->feed, &p, &r, &cause), 0);
	p.now = NOW + 2700;
	assert_int_equal(store_apply_poll(fx->s, fx->feed, &p, &r, &cause), 0);
	f = store_feed_get(fx->s, fx->feed);
	assert_int_equal(f->errors, 2);
	assert_string_equal(f->last_error, "HTTP 500");
	assert_int_equal(f->last_success, NOW + 900);
	assert_int_equal(f->retry_after, NOW + 3600);
	assert_string_equal(f->etag, "\"v1\"");
	store_feed_free(f);

	/* A broken body: items stored, error recorded, validators kept. */
	feed_doc_free(doc);
	doc = mkdoc(10, 2, "g");
	p.now = NOW + 3600;
	p.http_status = 200;
	p.doc = doc;
	p.etag = "\"v2\"";
	p.keep_validators = 1;
	p.error = "transfer closed with 100 bytes remaining";
	p.retry_after = DATE_NONE;
	assert_int_equal(store_apply_poll(fx->s, fx->feed, &p, &r, &cause), 0);
	assert_int_equal(r.nids, 2);
	store_poll_result_clear(&r);
	f = store_feed_get(fx->s, fx->feed);
	assert_string_equal(f->etag, "\"v1\"");
	assert_int_equal(f->errors, 3);
	assert_int_equal(f->items, 4);
	store_feed_free(f);

	/* Recovery: errors reset, new validators. */
	p.keep_validators = 0;
	p.error = NULL;
	p.now = NOW + 4500;
	assert_int_equal(store_apply_poll(fx->s, fx->feed, &p, &r, &cause), 0);
	store_poll_result_clear(&r);
	f = store_feed_get(fx->s, fx->feed);
	assert_string_equal(f->etag, "\"v2\"");
	assert_int_equal(f->errors, 0);
	assert_null(f->last_error);
	store_feed_free(f);

	/* 410: disabled, visibly. */
	p.doc = NULL;
	p.http_status = 410;
	p.error = "HTTP 410 Gone: feed disabled";
	p.disable = 1;
	assert_int_equal(store_apply_poll(fx->s, fx->feed, &p, &r, &cause), 0);
	f = store_feed_get(fx->s, fx->feed);
	assert_int_equal(f->enabled, 0);
	assert_int_equal(f->last_status, 410);
	store_feed_free(f);

	assert_int_equal(store_apply_poll(fx->s, 4242, &p, &r, &cause), -1);
	assert_non_null(strstr(cause, "no feed"));
	free(cause);
	feed_doc_free(doc);
}

/* The feed's stored schedule hints are these. */
static void
hints_are(const struct store_feed *f, int64_t ttl, int64_t period,
    uint32_t hours, uint8_t days)
{
	assert_non_null(f);
	assert_int_equal(f->hints.ttl, ttl);
	assert_int_equal(f->hints.update_period, period);
	assert_int_equal(f->hints.skip_hours, hours);
	assert_int_equal(f->hints.skip_days, days);
}

/*
 * A feed's schedule hints (ttl, sy:updatePeriod, skipHours, skipDays):
 * stored with a poll of a whole document, read back by each getter the
 * poller uses (the list at start, the state before a commit, the claim)
 * and after a reopen, kept through 304s, errors and a body cut short,
 * and replaced by the next whole document, even one that says nothing.
 */
static void
test_store_feed_hints(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_poll		 p;
	struct store_feed		*f, **v;
	struct feed_doc			*doc = mkdoc(1, 2, "g");
	struct feed_hints		 h;
	uint32_t			 hours = (1U << 0) | (1U << 23);
	uint8_t				 days = (1U << 0) | (1U << 6);
	size_t				 n;
	int64_t				 retry;
	uint32_t			 host;
	int				 manual = 1, claimed;
	char				*cause = NULL, *col;

	/* The column: what it does not understand is left out. */
	store_col_read_hints(&h, "ttl=60 junk period=x skip_days=3 "
	    "later=9 skip_hours=-4");
	assert_int_equal(h.ttl, 60);
	assert_int_equal(h.update_period, -1);
	assert_int_equal(h.skip_hours, 0);
	assert_int_equal(h.skip_days, 3);
	store_col_read_hints(&h, NULL);
	assert_int_equal(h.ttl, -1);
	col = store_col_hints(&h);
	assert_string_equal(col, "");
	free(col);

	/* Nothing known before the first document. */
	f = store_feed_get(fx->s, fx->feed);
	hints_are(f, -1, -1, 0, 0);
	store_feed_free(f);

	doc->hints.ttl = 3600;
	doc->hints.update_period = 86400;
	doc->hints.skip_hours = hours;
	doc->hints.skip_days = days;
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	f = store_feed_get(fx->s, fx->feed);
	hints_are(f, 3600, 86400, hours, days);
	store_feed_free(f);
	f = store_feed_state(fx->s, fx->feed);
	hints_are(f, 3600, 86400, hours, days);
	store_feed_free(f);

	/* A reopen (feedd restarted) forgets nothing. */
	store_close(fx->s);
	fx->s = store_open(fx->path, &cause);
	assert_null(cause);
	assert_non_null(fx->s);
	assert_int_equal(store_feeds_states(fx->s, &v, &n), 0);
	assert_int_equal(n, 1);
	hints_are(v[0], 3600, 86400, hours, days);
	store_feeds_free(v, n);

	/* A 304 and an error carry no document: the hints stay. */
	memset(&p, 0, sizeof(p));
	p.now = NOW + 3600;
	p.http_status = 304;
	p.next_poll = NOW + 7200;
	p.retry_after = DATE_NONE;
	assert_int_equal(store_apply_poll(fx->s, fx->feed, &p, &r, &cause), 0);
	p.now = NOW + 7200;
	p.http_status = 500;
	p.error = "HTTP 500";
	assert_int_equal(store_apply_poll(fx->s, fx->feed, &p, &r, &cause), 0);
	f = store_feed_state(fx->s, fx->feed);
	hints_are(f, 3600, 86400, hours, days);
	assert_int_equal(f->last_status, 500);
	store_feed_free(f);

	/* A body cut short may have lost what came after the cut. */
	feed_doc_free(doc);
	doc = mkdoc(10, 1, "g");
	p.now = NOW + 8000;
	p.http_status = 200;
	p.doc = doc;
	p.keep_validators = 1;
	p.error = "transfer closed with 100 bytes remaining";
	assert_int_equal(store_apply_poll(fx->s, fx->feed, &p, &r, &cause), 0);
	assert_int_equal(r.nids, 1);
	store_poll_result_clear(&r);

	/* What a claim reads (on PostgreSQL, the poller's next read). */
	assert_int_equal(store_feeds_claim(fx->s, 1, &fx->feed, &manual,
	    NOW + 8100, NULL, &claimed, &retry, &host, &cause), 0);
	assert_int_equal(claimed, 1);
	f = store_feed_state(fx->s, fx->feed);
	hints_are(f, 3600, 86400, hours, days);
	store_feed_free(f);

	/* A whole document replaces them, even one that says nothing. */
	p.now = NOW + 9000;
	p.keep_validators = 0;
	p.error = NULL;
	assert_int_equal(store_apply_poll(fx->s, fx->feed, &p, &r, &cause), 0);
	store_poll_result_clear(&r);
	f = store_feed_get(fx->s, fx->feed);
	hints_are(f, -1, -1, 0, 0);
	store_feed_free(f);
	feed_doc_free(doc);
}

/*
 * A schema-10 file gains the hints column: its feeds keep their state,
 * know no hints until their next document, and store that one's.
 */
static void
test_store_hints_migrate(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_feed		*f;
	struct feed_doc			*doc;
	sqlite3				*db;
	sqlite3_stmt			*st;

	SQLITE_ONLY("a sqlite schema-10 file");
	doc = mkdoc(1, 2, "g");
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	reopen_older(fx, DROP_SINCE_10
	    "PRAGMA user_version = 10");
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT user_version FROM "
	    "pragma_user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), SQLITE_LATEST);
	sqlite3_finalize(st);
	sqlite3_close(db);
	f = store_feed_get(fx->s, fx->feed);
	hints_are(f, -1, -1, 0, 0);
	assert_string_equal(f->etag, "\"v1\"");
	assert_int_equal(f->next_poll, NOW + 900);
	assert_int_equal(f->items, 2);
	assert_int_equal(f->ntags, 2);
	store_feed_free(f);

	doc->hints.ttl = 900;
	doc->hints.skip_days = 1U << 3;
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nknown, 2);
	store_poll_result_clear(&r);
	f = store_feed_get(fx->s, fx->feed);
	hints_are(f, 900, -1, 0, 1U << 3);
	store_feed_free(f);
	feed_doc_free(doc);
}

static void
test_store_poll_permanent_redirect(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_poll		 p;
	struct store_feed		*f;
	char				*cause = NULL;

	memset(&p, 0, sizeof(p));
	p.now = NOW;
	p.http_status = 304;
	p.retry_after = DATE_NONE;
	p.next_poll = DATE_NONE;
	p.moved_to = "https://www.devdiscourse.com/rss/world-news";
	assert_int_equal(store_apply_poll(fx->s, fx->feed, &p, &r, &cause), 0);
	f = store_feed_get(fx->s, fx->feed);
	assert_string_equal(f->url, "https://www.devdiscourse.com/rss/world-news");
	store_feed_free(f);
	/* Its old URL still finds it (the config may still say that). */
	f = store_feed_find(fx->s, "https://www.devdiscourse.com/rss/world");
	assert_non_null(f);
	assert_int_equal(f->id, fx->feed);
	store_feed_free(f);
}

static void
test_store_story_across_feeds(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_feed_conf		 conf;
	struct feed_doc			*a, *b;
	struct store_item		*v;
	size_t				 n;
	int64_t				 other, first;
	char				*cause = NULL;

	memset(&conf, 0, sizeof(conf));
	conf.url = "https://agency.example/feed";
	conf.interval = -1;
	conf.enabled = 1;
	assert_int_equal(store_feed_add(fx->s, &conf, &other, &cause), 0);

	a = feed_doc_new();
	feed_doc_add_item(a, mkitem("devdiscourse-3005012", "North Korea",
	    "https://www.devdiscourse.com/article/3005012"));
	poll_ok(fx, fx->feed, a, &r);
	first = r.ids[0];
	store_poll_result_clear(&r);

	/* The same article, other case, tracking junk and a fragment. */
	b = feed_doc_new();
	feed_doc_add_item(b, mkitem("agency-77", "N. Korea delegation",
	    "http://WWW.DevDiscourse.com:80/article/3005012?utm_source=rss"
	    "&fbclid=abc#top"));
	feed_doc_add_item(b, mkitem("agency-78", "Other story",
	    "https://agency.example/78"));
	poll_ok(fx, other, b, &r);
	assert_int_equal(r.nids, 2);
	store_poll_result_clear(&r);

	assert_int_equal(store_items_list(fx->s, &(struct store_query){
	    .feed_id = other }, &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	/* Stored oldest first: the document's order reversed. */
	assert_string_equal(v[1].item->key, "agency-77");
	assert_int_equal(v[1].story, first);
	assert_int_equal(v[1].repeat, 1);
	assert_int_equal(v[0].story, v[0].id);
	assert_int_equal(v[0].repeat, 0);
	store_items_free(v, n);

	/* A third feed's copy joins the oldest item's story too. */
	conf.url = "https://third.example/feed";
	assert_int_equal(store_feed_add(fx->s, &conf, &other, &cause), 0);
	feed_doc_free(b);
	b = feed_doc_new();
	feed_doc_add_item(b, mkitem("third-1", "Korea talks",
	    "https://www.devdiscourse.com/article/3005012"));
	poll_ok(fx, other, b, &r);
	store_poll_result_clear(&r);
	assert_int_equal(store_items_list(fx->s, &(struct store_query){
	    .feed_id = other }, &v, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].story, first);
	assert_int_equal(v[0].repeat, 1);
	store_items_free(v, n);
	feed_doc_free(a);
	feed_doc_free(b);
}

static void
test_store_guid_storm_falls_back_to_links(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct feed_doc			*doc;
	struct store_feed		*f;

	doc = mkdoc(1, 8, "first-");
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 8);
	store_poll_result_clear(&r);
	feed_doc_free(doc);

	/* Every GUID regenerated, links the same: nothing is new. */
	doc = mkdoc(1, 8, "second-");
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	assert_int_equal(r.storm, 1);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	f = store_feed_get(fx->s, fx->feed);
	assert_int_equal(f->key_mode, STORE_KEYS_LINK);
	store_feed_free(f);

	/* And again, plus one genuinely new item. */
	doc = mkdoc(1, 9, "third-");
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 1);
	assert_int_equal(r.storm, 0);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
}

/* Runs a retention pass keeping "max_items" a feed. */
static void
retain(struct fixture *fx, int64_t max_items, int64_t now)
{
	struct store_retention	 ret;
	char			*cause = NULL;

	memset(&ret, 0, sizeof(ret));
	ret.max_items = max_items;
	ret.now = now;
	while (!ret.done)
		if (store_retention_step(fx->s, &ret, 100, &cause) != 0)
			fail_msg("retention: %s", cause);
}

/* Whether feed "feed" holds an item titled "title". */
static int
has_title(struct fixture *fx, int64_t feed, const char *title)
{
	struct store_item	*v;
	size_t			 n, i;
	char			*cause = NULL;
	int			 found = 0;

	assert_int_equal(store_items_list(fx->s, &(struct store_query){
	    .feed_id = feed }, &v, &n, &cause), 0);
	for (i = 0; i < n; i++)
		if (strcmp(v[i].item->title, title) == 0)
			found = 1;
	store_items_free(v, n);
	return (found);
}

/*
 * A poll's new items are stored oldest first (a feed lists the newest
 * first), so ids, the notifiers and retention by count see the newest as
 * the newest: retention keeping 3 keeps the 3 newest.
 */
static void
test_store_new_items_oldest_first(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct feed_doc			*doc = mkdoc(1, 6, "g");
	size_t				 i;

	/* Story 1 the newest, as feeds list them. */
	for (i = 0; i < doc->nitems; i++)
		doc->items[i]->published = NOW - 3600 * (int64_t)i;
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 6);
	assert_item_title(fx, r.ids[0], "Story 6");
	assert_item_title(fx, r.ids[5], "Story 1");
	store_poll_result_clear(&r);
	retain(fx, 3, NOW + 10);
	assert_true(has_title(fx, fx->feed, "Story 1"));
	assert_true(has_title(fx, fx->feed, "Story 3"));
	assert_false(has_title(fx, fx->feed, "Story 4"));
	assert_false(has_title(fx, fx->feed, "Story 6"));
	/* Polled again: the removed ones do not come back. */
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
}

/* n items "PREFIXk" (k from base), each linking to "link" + "#vk". */
static struct feed_doc *
anchored_doc(int base, int n, const char *prefix, const char *link)
{
	struct feed_doc	*doc = feed_doc_new();
	char		 guid[64], title[64], url[192];
	int		 i;

	for (i = base + n - 1; i >= base; i--) {
		snprintf(guid, sizeof(guid), "%s%d", prefix, i);
		snprintf(title, sizeof(title), "%s %d", prefix, i);
		snprintf(url, sizeof(url), "%s#v%d", link, i);
		feed_doc_add_item(doc, mkitem(guid, title, url));
	}
	return (doc);
}

/*
 * New items whose links only differ from stored ones by a fragment, or
 * are one page all of them (a changelog's releases linking to anchors of
 * one page, a status page's incidents): not a GUID storm.  Every new
 * release is stored, then and at later polls.
 */
static void
test_store_storm_not_from_shared_links(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct feed_doc			*doc;
	struct store_feed		*f;

	doc = anchored_doc(1, 4, "release-", "https://x.example/changelog");
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 4);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	doc = anchored_doc(5, 4, "release-", "https://x.example/changelog");
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.storm, 0);
	assert_int_equal(r.nids, 4);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	doc = anchored_doc(6, 4, "release-", "https://x.example/changelog");
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 1);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	f = store_feed_get(fx->s, fx->feed);
	assert_int_equal(f->key_mode, STORE_KEYS_GUID);
	store_feed_free(f);
	assert_true(has_title(fx, fx->feed, "release- 9"));
}

/*
 * On a feed matched by link after a real GUID storm: items that share a
 * link stay apart by GUID (a live blog's updates), the items stored
 * under their old GUIDs take edits, and what retention removed does not
 * come back as new.
 */
static void
test_store_link_mode_keeps_items_apart(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct feed_doc			*doc;
	struct store_feed		*f;

	doc = mkdoc(1, 6, "first-");
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	doc = mkdoc(1, 6, "second-");
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.storm, 1);
	assert_int_equal(r.nids, 0);
	store_poll_result_clear(&r);
	f = store_feed_get(fx->s, fx->feed);
	assert_int_equal(f->key_mode, STORE_KEYS_LINK);
	store_feed_free(f);

	/* Two updates of a live blog, one link: both stored, once. */
	feed_doc_add_item(doc, mkitem("live-1", "Live update 1",
	    "https://live.example/blog"));
	feed_doc_add_item(doc, mkitem("live-2", "Live update 2",
	    "https://live.example/blog"));
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 2);
	store_poll_result_clear(&r);
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	assert_int_equal(r.nupdated, 0);
	store_poll_result_clear(&r);
	assert_true(has_title(fx, fx->feed, "Live update 1"));
	assert_true(has_title(fx, fx->feed, "Live update 2"));

	/* An item stored under its first GUID takes an edit. */
	free(doc->items[0]->title);
	doc->items[0]->title = xstrdup("Story 1, edited");
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	assert_int_equal(r.nupdated, 1);
	store_poll_result_clear(&r);
	assert_true(has_title(fx, fx->feed, "Story 1, edited"));

	/* Retention, then the same document: nothing comes back. */
	retain(fx, 2, NOW + 10);
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
}

/*
 * A feed added under the URL a permanent redirect led to is found by the
 * URL given as well.
 */
static void
test_store_feed_add_moved_from(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed_conf	 conf;
	struct store_feed	*f;
	int64_t			 id;
	char			*cause = NULL;

	runtime_conf(&conf, "https://new.example/feed");
	conf.moved_from = "https://old.example/feed";
	assert_int_equal(store_feed_add(fx->s, &conf, &id, &cause), 0);
	f = store_feed_find(fx->s, "https://old.example/feed");
	assert_non_null(f);
	assert_int_equal(f->id, id);
	assert_string_equal(f->url, "https://new.example/feed");
	store_feed_free(f);
	assert_null(store_feed_find(fx->s, "https://other.example/feed"));
}

/* A document of the "n" items "Linked k" linking to PREFIX k SUFFIX. */
static struct feed_doc *
linked_doc(int n, const char *prefix, const char *suffix, int guid_is_link)
{
	struct feed_doc	*doc = feed_doc_new();
	char		 title[64], url[192];
	int		 k;

	for (k = n; k >= 1; k--) {
		snprintf(title, sizeof(title), "Linked %d", k);
		snprintf(url, sizeof(url), "%s%d%s", prefix, k, suffix);
		feed_doc_add_item(doc, mkitem(guid_is_link ? url : NULL,
		    title, url));
	}
	return (doc);
}

/*
 * A feed too small for a GUID storm whose items are keyed by their links
 * changes those links' tracking parameters or scheme: the items are the
 * ones stored, updated, not new.  But an item with a new title behind
 * the same page (a feed whose one item always links to its home page)
 * is new, and so is one whose old link is still in the document.
 */
static void
test_store_small_feed_link_changes(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct feed_doc			*doc;

	doc = linked_doc(3, "http://s.example/", "?utm_campaign=day1", 0);
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 3);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	doc = linked_doc(3, "http://s.example/", "?utm_campaign=day2", 0);
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	assert_int_equal(r.nupdated, 3);
	store_poll_result_clear(&r);
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	assert_int_equal(r.nupdated, 0);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	/* Permalink GUIDs, http to https. */
	doc = linked_doc(3, "https://s.example/", "", 1);
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	store_poll_result_clear(&r);
	/* The old link still there: the new one is another item. */
	feed_doc_add_item(doc, mkitem(NULL, "Linked 1",
	    "https://s.example/1?utm_source=x"));
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 1);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	/* Today's deal, always the home page: each day's is new. */
	doc = feed_doc_new();
	feed_doc_add_item(doc, mkitem(NULL, "Deal: a kettle",
	    "https://shop.example/?utm_campaign=d1"));
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 1);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	doc = feed_doc_new();
	feed_doc_add_item(doc, mkitem(NULL, "Deal: a lamp",
	    "https://shop.example/?utm_campaign=d2"));
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 1);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
}

/*
 * A feed's own interval set lower plans its next poll from its last poll
 * on the new interval; a higher one keeps its plan.
 */
static void
test_store_feed_edit_interval_sooner(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_poll		 p;
	struct store_feed_conf		 conf;
	struct store_feed		*f;
	int64_t				 now = (int64_t)time(NULL);
	char				*cause = NULL;

	memset(&p, 0, sizeof(p));
	p.now = now - 100;
	p.doc = mkdoc(1, 1, "g");
	p.http_status = 200;
	p.next_poll = now + 3500;
	p.next_poll_reason = "default_interval";
	p.retry_after = DATE_NONE;
	assert_int_equal(store_apply_poll(fx->s, fx->feed, &p, &r, &cause), 0);
	store_poll_result_clear(&r);
	feed_doc_free((struct feed_doc *)p.doc);
	f = store_feed_get(fx->s, fx->feed);
	runtime_conf(&conf, f->url);
	store_feed_free(f);
	conf.interval = 7200;
	assert_int_equal(store_feed_edit(fx->s, fx->feed, &conf, NULL, 0,
	    &cause), 0);
	f = store_feed_get(fx->s, fx->feed);
	assert_int_equal(f->next_poll, now + 3500);	/* higher: kept */
	store_feed_free(f);
	conf.interval = 600;
	assert_int_equal(store_feed_edit(fx->s, fx->feed, &conf, NULL, 0,
	    &cause), 0);
	f = store_feed_get(fx->s, fx->feed);
	assert_int_equal(f->next_poll, now - 100 + 600);
	assert_string_equal(f->next_poll_reason, "the feed's interval");
	store_feed_free(f);
	/* Lower than the time since the last poll: now. */
	conf.interval = 60;
	assert_int_equal(store_feed_edit(fx->s, fx->feed, &conf, NULL, 0,
	    &cause), 0);
	f = store_feed_get(fx->s, fx->feed);
	assert_true(f->next_poll >= now && f->next_poll <= now + 5);
	store_feed_free(f);
}

static void
test_store_items_list_filters(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_feed_conf		 conf;
	struct feed_doc			*doc;
	struct store_item		*v;
	size_t				 n, changed;
	int64_t				 other, ids[2];
	char				*cause = NULL;

	memset(&conf, 0, sizeof(conf));
	conf.url = "https://example.org/other";
	conf.interval = -1;
	conf.enabled = 1;
	assert_int_equal(store_feed_add(fx->s, &conf, &other, &cause), 0);
	doc = mkdoc(1, 4, "g");
	poll_ok(fx, fx->feed, doc, &r);
	ids[0] = r.ids[0];
	ids[1] = r.ids[1];
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	doc = mkdoc(100, 3, "o");
	poll_ok(fx, other, doc, &r);
	store_poll_result_clear(&r);
	feed_doc_free(doc);

	assert_int_equal(store_items_list(fx->s, &(struct store_query){
	    .limit = 3 }, &v, &n, &cause), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].id, ids[0]);
	store_items_free(v, n);
	assert_int_equal(store_items_list(fx->s, &(struct store_query){
	    .since = ids[1] }, &v, &n, &cause), 0);
	assert_int_equal(n, 5);
	assert_true(v[0].id > ids[1]);
	store_items_free(v, n);
	assert_int_equal(store_items_list(fx->s, &(struct store_query){
	    .feed_id = other }, &v, &n, &cause), 0);
	assert_int_equal(n, 3);
	store_items_free(v, n);
	assert_int_equal(store_items_list(fx->s, &(struct store_query){
	    .tag = "korea" }, &v, &n, &cause), 0);
	assert_int_equal(n, 4);
	store_items_free(v, n);
	assert_int_equal(store_items_list(fx->s, &(struct store_query){
	    .tag = "nosuchtag" }, &v, &n, &cause), 0);
	assert_int_equal(n, 0);
	store_items_free(v, n);

	assert_int_equal(store_items_mark(fx->s, ids, 2, 1, -1, &changed,
	    &cause), 0);
	assert_int_equal(changed, 2);
	assert_int_equal(store_items_mark(fx->s, ids, 2, 1, -1, &changed,
	    &cause), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(store_items_mark(fx->s, ids, 1, -1, 1, &changed,
	    &cause), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(store_items_list(fx->s, &(struct store_query){
	    .unread = 1, .feed_id = fx->feed }, &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	store_items_free(v, n);
	assert_int_equal(store_items_get(fx->s, ids, 1, &v, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].read, 1);
	assert_int_equal(v[0].starred, 1);
	store_items_free(v, n);
}

/*
 * One feed, however its URL is spelled: added in the normal form, found
 * by any spelling; a schema 7 database (URLs as given) is normalised by
 * the migration, but for a URL whose normal form another feed has.
 */
static void
test_store_feed_urls_normalised(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed_conf	 conf;
	struct store_feed	*f;
	sqlite3			*db;
	sqlite3_stmt		*st;
	int64_t			 id;
	char			*cause = NULL;

	memset(&conf, 0, sizeof(conf));
	conf.url = "HTTP://X.EXAMPLE:80/a";
	conf.interval = -1;
	conf.enabled = 1;
	assert_int_equal(store_feed_add(fx->s, &conf, &id, &cause), 0);
	assert_non_null(f = store_feed_get(fx->s, id));
	assert_string_equal(f->url, "http://x.example/a");
	store_feed_free(f);
	assert_non_null(f = store_feed_find(fx->s, "http://x.EXAMPLE:80/a"));
	assert_int_equal(f->id, id);
	store_feed_free(f);
	conf.url = "http://x.example/a";
	assert_int_equal(store_feed_add(fx->s, &conf, &id, &cause), -1);
	free(cause);
	cause = NULL;

	SQLITE_ONLY("a sqlite file with URLs stored before normalising");
	/* Schema 7 kept URLs as given. */
	reopen_older(fx, DROP_SINCE_8
	    "INSERT INTO feeds (url, origin, "
	    "created) VALUES ('HTTPS://Y.EXAMPLE:443/b', 0, 1), "
	    "('http://X.example/a', 0, 1); "
	    "PRAGMA user_version = 7");
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM "
	    "feeds WHERE url = 'https://y.example/b'), (SELECT count(*) FROM "
	    "feeds WHERE url = 'http://X.example/a'), (SELECT user_version "
	    "FROM pragma_user_version)", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	assert_int_equal(sqlite3_column_int(st, 1), 1);	/* a twin: kept */
	assert_int_equal(sqlite3_column_int(st, 2), SQLITE_LATEST);
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_non_null(f = store_feed_find(fx->s, "https://Y.example/b"));
	assert_string_equal(f->url, "https://y.example/b");
	store_feed_free(f);
	/* The twin is found as given; the normal form finds the first. */
	assert_non_null(f = store_feed_find(fx->s, "http://X.example/a"));
	assert_string_equal(f->url, "http://x.example/a");
	store_feed_free(f);
}

static off_t
file_size(const char *path, const char *suffix)
{
	struct stat	sb;
	char		p[600];

	snprintf(p, sizeof(p), "%s%s", path, suffix);
	return (stat(p, &sb) == 0 ? sb.st_size : -1);
}

/*
 * The log is bounded: when the writer is idle it goes back to nothing,
 * unless a reader holds an older snapshot (then the next pause does it).
 * Left alone it kept the size of its largest burst.
 */
static void
test_store_wal_truncated_when_idle(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct feed_doc			*doc;
	struct store_item		*v;
	size_t				 n;
	char				*cause = NULL;

	SQLITE_ONLY("PostgreSQL has no write-ahead log file of ours");
	doc = mkdoc(1, 3000, "w");

	assert_int_equal(store_defer_checkpoints(fx->s, &cause), 0);
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	assert_true(file_size(fx->path, "-wal") > 100 * 1024);
	/* Not idle: under sqlite's threshold nothing happens. */
	assert_int_equal(store_checkpoint(fx->s, 0, &cause), 0);
	assert_int_equal(store_checkpoint(fx->s, 1, &cause), 0);
	assert_int_equal(file_size(fx->path, "-wal"), 0);
	assert_int_equal(store_items_list(fx->s, &(struct store_query){
	    .limit = 5000 }, &v, &n, &cause), 0);
	assert_int_equal(n, 3000);
	store_items_free(v, n);
}

/*
 * A log that a checkpoint started over is written again where it lies,
 * up to past the size at which checkpoints run: cut back to a few MiB,
 * it grew again a commit at a time, and the file system's allocations
 * cost the writer more than the frames (bench/store).
 */
static void
test_store_wal_kept_in_place(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct feed_doc			*doc;
	char				*cause = NULL, *big;
	off_t				 grown;
	size_t				 i;

	SQLITE_ONLY("PostgreSQL has no write-ahead log file of ours");
	assert_int_equal(store_defer_checkpoints(fx->s, &cause), 0);
	/* 1,200 items of 12 KB: some 18 MB of log, past 1,000 pages. */
	doc = mkdoc(1, 1200, "big");
	big = xmalloc(12001);
	for (i = 0; i < 12000; i++)
		big[i] = (char)('a' + i * 7 % 26);
	big[12000] = '\0';
	for (i = 0; i < doc->nitems; i++) {
		big[i % 12000] = (char)('A' + i % 26);
		free(doc->items[i]->content);
		doc->items[i]->content = xstrdup(big);
	}
	free(big);
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	grown = file_size(fx->path, "-wal");
	assert_true(grown > 16 * 1024 * 1024);
	/* Grown past the threshold: a passive checkpoint copies it back. */
	assert_int_equal(store_checkpoint(fx->s, STORE_CHECKPOINT_GROWN,
	    &cause), 0);
	/* The next commit starts the log over: the file stays as it was. */
	doc = mkdoc(5000, 1, "small");
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	assert_int_equal(file_size(fx->path, "-wal"), grown);
	/* Idle, it goes back to nothing as before. */
	assert_int_equal(store_checkpoint(fx->s, STORE_CHECKPOINT_IDLE,
	    &cause), 0);
	assert_int_equal(file_size(fx->path, "-wal"), 0);
}

/* Growth of result arrays, counted by the wrapper below. */
static size_t	 reallocs;
void		*__real_xreallocarray(void *, size_t, size_t);
void		*__wrap_xreallocarray(void *, size_t, size_t);

void *
__wrap_xreallocarray(void *p, size_t n, size_t size)
{
	reallocs++;
	return (__real_xreallocarray(p, n, size));
}

/*
 * Items by id (an announce): in the order asked, a missing id skipped,
 * and the array sized once: grown row by row it was copied each time,
 * quadratic (100,000 items kept the loop busy for minutes under ASan).
 */
static void
test_store_items_get_many(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct feed_doc			*doc;
	struct store_item		*v;
	int64_t				*ids;
	size_t				 n, i;
	char				*cause = NULL;

	SQLITE_ONLY("counts sqlite_items_get's allocations");
	doc = mkdoc(1, 2000, "g");

	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 2000);
	ids = xcalloc(r.nids + 1, sizeof(*ids));
	for (i = 0; i < r.nids; i++)
		ids[r.nids - i] = r.ids[i];
	ids[0] = r.ids[r.nids - 1] + 1000;	/* no such item */
	reallocs = 0;
	assert_int_equal(store_items_get(fx->s, ids, r.nids + 1, &v, &n,
	    &cause), 0);
	assert_int_equal(reallocs, 0);
	assert_int_equal(n, 2000);
	for (i = 0; i < n; i++)
		assert_int_equal(v[i].id, ids[i + 1]);
	store_items_free(v, n);
	free(ids);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
}

/* A consumer that takes every item from the first (as before filters). */
static int
consume(struct fixture *fx, const char *name, size_t limit,
    struct store_item **v, size_t *n)
{
	struct store_consumer	c;
	char			*cause = NULL;
	int			 rc;

	memset(&c, 0, sizeof(c));
	c.name = name;
	c.limit = limit;
	c.from_start = 1;
	rc = store_consumer_fetch(fx->s, &c, v, n, &cause);
	if (cause != NULL)
		print_message("%s\n", cause);
	free(cause);
	return (rc);
}

static void
test_store_consumer_cursor(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct feed_doc			*doc = mkdoc(1, 5, "g");
	struct store_item		*v;
	size_t				 n;
	int64_t				 cursor;
	char				*cause = NULL;

	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	assert_int_equal(consume(fx, "cron", 2, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_consumer_ack(fx->s, "cron", v[1].id, &cursor,
	    &cause), 0);
	assert_int_equal(cursor, v[1].id);
	store_items_free(v, n);
	assert_int_equal(consume(fx, "cron", 0, &v, &n), 0);
	assert_int_equal(n, 3);
	/* Never backwards. */
	assert_int_equal(store_consumer_ack(fx->s, "cron", 1, &cursor,
	    &cause), 0);
	assert_true(cursor > 1);
	/* Never past what is stored. */
	assert_int_equal(store_consumer_ack(fx->s, "cron", v[2].id + 100,
	    &cursor, &cause), -1);
	assert_non_null(strstr(cause, "not stored"));
	free(cause);
	cause = NULL;
	assert_int_equal(store_consumer_ack(fx->s, "cron", v[2].id, &cursor,
	    &cause), 0);
	store_items_free(v, n);
	assert_int_equal(consume(fx, "cron", 0, &v, &n), 0);
	assert_int_equal(n, 0);
	store_items_free(v, n);
	/* Another consumer has its own cursor; it survives a reopen. */
	store_close(fx->s);
	fx->s = store_open(fx->path, &cause);
	assert_int_equal(consume(fx, "mail", 0, &v, &n), 0);
	assert_int_equal(n, 5);
	store_items_free(v, n);
	assert_int_equal(consume(fx, "cron", 0, &v, &n), 0);
	assert_int_equal(n, 0);
	store_items_free(v, n);
	feed_doc_free(doc);
}

static void
test_store_search(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct feed_doc			*doc = mkdoc(1, 3, "g");
	struct store_item		*v;
	size_t				 n;
	char				*cause = NULL;

	free(doc->items[1]->content);
	doc->items[1]->content = xstrdup("<p>Putin and <b>Kim Jong Un</b> "
	    "signed a treaty</p>");
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	/* Committed is not yet indexed: the index follows after.  On
	 * PostgreSQL, committed is searchable. */
	if (pg_conninfo == NULL) {
		assert_int_equal(index_lag(fx), 3);
		assert_int_equal(search_count(fx, "treaty"), 0);
	}
	assert_int_equal(index_all(fx, 0), 1);
	assert_int_equal(index_lag(fx), 0);
	assert_int_equal(store_items_search(fx->s, "treaty", 10, &v, &n,
	    &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].item->key, "g2");
	store_items_free(v, n);
	assert_int_equal(store_items_search(fx->s, "\"Kim Jong\" AND putin",
	    10, &v, &n, &cause), 0);
	assert_int_equal(n, 1);
	store_items_free(v, n);
	/* Markup is not text: "href" must not match the summaries. */
	assert_int_equal(store_items_search(fx->s, "href", 10, &v, &n,
	    &cause), 0);
	assert_int_equal(n, 0);
	store_items_free(v, n);
	assert_int_equal(store_items_search(fx->s, "title:story", 10, &v, &n,
	    &cause), 0);
	assert_int_equal(n, 3);
	store_items_free(v, n);
	assert_int_equal(store_items_search(fx->s, "AND OR (", 10, &v, &n,
	    &cause), -1);
	assert_non_null(strstr(cause, "bad search query"));
	free(cause);
	feed_doc_free(doc);
}

/*
 * Words without operators are searched as they are typed: "covid-19"
 * and "north's" are not a column and a broken string.
 */
static void
test_store_search_plain_words(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct feed_doc			*doc = mkdoc(1, 3, "g");

	free(doc->items[1]->content);
	doc->items[1]->content = xstrdup("<p>COVID-19 cases in the "
	    "north's cities</p>");
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	index_all(fx, 0);
	assert_int_equal(search_count(fx, "covid-19"), 1);
	assert_int_equal(search_count(fx, "north's cities"), 1);
	assert_int_equal(search_count(fx, "  covid-19   north's  "), 1);
	assert_int_equal(search_count(fx, "covid-20"), 0);
	/* With an operator, the syntax as written. */
	assert_int_equal(search_count(fx, "covid OR nothing"), 1);
	assert_int_equal(search_count(fx, "\"cases in\" NOT nothing"), 1);
	/* A lone quote is no syntax: the words as typed. */
	assert_int_equal(search_count(fx, "covid-19\" cities"), 1);
	assert_int_equal(search_count(fx, "cities(\""), 1);
	feed_doc_free(doc);
}

static void
set_content(struct feed_doc *doc, size_t i, const char *text)
{
	free(doc->items[i]->content);
	doc->items[i]->content = xstrdup(text);
}

/*
 * Markup with no text in it (an image-only post, a script, an empty
 * description) is indexed as no text, and the other fields still are.
 */
static void
test_store_search_empty_text(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct feed_doc			*doc = mkdoc(1, 4, "e");
	size_t				 i;

	set_content(doc, 0, "");
	set_content(doc, 1, "<img src=\"http://x.example/a.png\">");
	set_content(doc, 2, "<script>alert(1)</script>");
	set_content(doc, 3, " ");
	for (i = 0; i < 4; i++) {
		free(doc->items[i]->summary);
		doc->items[i]->summary = xstrdup(i % 2 ? "" : "<br>");
	}
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	index_all(fx, 0);
	assert_int_equal(index_lag(fx), 0);
	assert_int_equal(search_count(fx, "title:story"), 4);
	assert_int_equal(search_count(fx, "alert"), 0);
	assert_int_equal(index_entries(fx), 4);
	feed_doc_free(doc);
}

/*
 * Chinese, Japanese and Korean are written without spaces between
 * words: any run of their characters is found inside a longer one, as
 * the phrase of its characters, on both backends alike.
 */
static void
test_store_search_cjk(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct feed_doc			*doc = mkdoc(1, 5, "c");

	free(doc->items[0]->title);
	doc->items[0]->title = xstrdup("東京都で新しい会議");
	set_content(doc, 1, "<p>大阪の天気は晴れ、京都は雨。</p>");
	set_content(doc, 2, "<p>新しいiPhone発売のニュース</p>");
	set_content(doc, 3, "<p>서울에서 회의가 열렸다</p>");
	set_content(doc, 4, "<p>“Quoted” words — and a dash</p>");
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	index_all(fx, 0);
	assert_int_equal(search_count(fx, "東京"), 1);
	assert_int_equal(search_count(fx, "title:東京"), 1);
	assert_int_equal(search_count(fx, "content:東京"), 0);
	assert_int_equal(search_count(fx, "会議"), 1);
	assert_int_equal(search_count(fx, "京東"), 0);
	/* One character, a prefix, and runs across punctuation. */
	assert_int_equal(search_count(fx, "阪"), 1);
	assert_int_equal(search_count(fx, "大*"), 1);
	assert_int_equal(search_count(fx, "京都"), 2);	/* 東京都 too */
	assert_int_equal(search_count(fx, "晴れ"), 1);
	assert_int_equal(search_count(fx, "\"天気は晴れ\""), 1);
	assert_int_equal(search_count(fx, "天気 AND 雨"), 1);
	assert_int_equal(search_count(fx, "天気 NOT 雨"), 0);
	assert_int_equal(search_count(fx, "雨 OR 会議"), 2);
	/* Kana, and Latin letters beside Han. */
	assert_int_equal(search_count(fx, "ニュース"), 1);
	assert_int_equal(search_count(fx, "iphone"), 1);
	assert_int_equal(search_count(fx, "iPhone発売"), 1);
	assert_int_equal(search_count(fx, "発売"), 1);
	/* Korean words carry their particles. */
	assert_int_equal(search_count(fx, "서울"), 1);
	assert_int_equal(search_count(fx, "회의"), 1);
	/* Quotation marks and dashes past ASCII are not part of words. */
	assert_int_equal(search_count(fx, "quoted"), 1);
	assert_int_equal(search_count(fx, "“quoted”"), 1);
	assert_int_equal(search_count(fx, "dash"), 1);
	feed_doc_free(doc);
	if (pg_conninfo != NULL) {
		char	*cause = NULL;

		/* Vectors an older feedd made (schema 12, a run of Han one
		 * word) are made again; the old ones serve until then. */
		store_close(fx->s);
		pg_sql("UPDATE item_search SET tsv = setweight(to_tsvector("
		    "'simple', i.title), 'A') FROM items i WHERE "
		    "i.id = item_id AND i.title LIKE '東京%'; "
		    "ALTER TABLE consumers DROP COLUMN feed_url; "
		    "UPDATE feedd_meta SET value = 12 WHERE name = 'schema'");
		fx->s = store_open(pg_conninfo, &cause);
		assert_non_null(fx->s);
		assert_int_equal(pg_sql("SELECT value FROM feedd_meta WHERE "
		    "name = 'schema'"), PG_LATEST);
		/* Every item with text past ASCII: all five. */
		assert_int_equal(index_lag(fx), 5);
		assert_int_equal(search_count(fx, "東京"), 0);
		assert_int_equal(search_count(fx, "dash"), 1);
		index_all(fx, 0);
		assert_int_equal(search_count(fx, "東京"), 1);
		assert_int_equal(index_entries(fx), 5);
		return;
	}

	/* An index an older feedd made, with FTS5's own tokenizer, is made
	 * again with feedd's. */
	{
		sqlite3	*db;
		char	 path[640], *cause = NULL;

		store_close(fx->s);
		snprintf(path, sizeof(path), "%s-search", fx->path);
		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		assert_int_equal(search_tokenizer_add(db), 0);
		assert_int_equal(sqlite3_exec(db, "DROP TABLE items_fts; "
		    "CREATE VIRTUAL TABLE items_fts USING fts5(title, summary, "
		    "content, content=''); UPDATE state SET version = 1",
		    NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
		fx->s = store_open(fx->path, &cause);
		assert_non_null(fx->s);
		index_all(fx, 0);
		assert_int_equal(search_count(fx, "東京"), 1);
		assert_int_equal(index_entries(fx), 5);
	}
}

/* The mistakes people make in the syntax, said for them (both backends
 * alike, before either sees the query). */
static void
test_store_search_mistakes(void **state)
{
	static const struct {
		const char	*query, *why;
	} bad[] = {
		{ "foo OR", "need a word after them" },
		{ "OR foo", "need a word on each side" },
		{ "NOT foo", "NOT needs a word before it" },
		{ "(", "( without its )" },
		{ "foo )", ") without its (" },
		{ "foo (bar)", "needs AND, OR or NOT before it" },
		{ "*", "goes at the end of a word" },
		{ "author:carol", "the columns are title:, summary: and "
		    "content:" },
		{ "title: (x)", "a column needs a word" },
	};
	struct fixture		*fx = *state;
	struct store_item	*v;
	size_t			 n, i;
	char			*cause;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cause = NULL;
		assert_int_equal(store_items_search(fx->s, bad[i].query, 10,
		    &v, &n, &cause), -1);
		if (strstr(cause, bad[i].why) == NULL ||
		    strncmp(cause, "bad search query: ", 18) != 0)
			fail_msg("%s: %s", bad[i].query, cause);
		free(cause);
	}
	/* Still searches: columns, phrases, prefixes, groups. */
	assert_int_equal(search_count(fx, "title:story OR \"a b\""), 0);
	assert_int_equal(search_count(fx, "(x OR y) AND content:z*"), 0);
	assert_int_equal(search_count(fx, "title:\"a b\" NOT q"), 0);
}

/*
 * The index takes an entry out with the text it went in with: changes
 * and removals, even several between two updates, leave exactly what
 * the items say now.
 */
static void
test_store_search_follows_changes(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct feed_doc			*doc = mkdoc(1, 3, "g");
	struct feed_doc			*more = mkdoc(4, 1, "g");
	sqlite3				*db;
	sqlite3_stmt			*st;
	size_t				 removed;
	char				*cause = NULL;

	set_content(doc, 1, "<p>A <b>walrus</b> was seen</p>");
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	index_all(fx, 0);
	assert_int_equal(search_count(fx, "walrus"), 1);
	assert_int_equal(index_entries(fx), 3);

	/* Two changes of an indexed item before the next update. */
	set_content(doc, 1, "<p>A narwhal was seen</p>");
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nupdated, 1);
	store_poll_result_clear(&r);
	set_content(doc, 1, "<p>A beluga was seen</p>");
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	/* A new item changed before it was ever indexed. */
	set_content(more, 0, "<p>An orca</p>");
	poll_ok(fx, fx->feed, more, &r);
	assert_int_equal(r.nids, 1);
	store_poll_result_clear(&r);
	set_content(more, 0, "<p>A dolphin</p>");
	poll_ok(fx, fx->feed, more, &r);
	store_poll_result_clear(&r);
	/* An item and three changes on sqlite; on PostgreSQL the two items
	 * whose vectors are to be made, and neither found yet. */
	assert_int_equal(index_lag(fx), pg_conninfo != NULL ? 2 : 1 + 3);
	if (pg_conninfo != NULL)
		assert_int_equal(search_count(fx, "dolphin"), 0);
	index_all(fx, 0);
	assert_int_equal(index_lag(fx), 0);
	assert_int_equal(search_count(fx, "walrus"), 0);
	assert_int_equal(search_count(fx, "narwhal"), 0);
	assert_int_equal(search_count(fx, "beluga"), 1);
	assert_int_equal(search_count(fx, "orca"), 0);
	assert_int_equal(search_count(fx, "dolphin"), 1);
	assert_int_equal(search_count(fx, "kim"), 2);
	assert_int_equal(index_entries(fx), 4);

	/* Retention keeps the newest item only. */
	assert_int_equal(store_retention(fx->s, 0, 1, NOW + 10, &removed,
	    &cause), 0);
	assert_int_equal(removed, 3);
	index_all(fx, 0);
	assert_int_equal(search_count(fx, "beluga"), 0);
	assert_int_equal(search_count(fx, "dolphin"), 1);
	assert_int_equal(index_entries(fx), 1);

	/* Removing the feed takes the rest; the applied log is pruned. */
	assert_int_equal(store_feed_remove(fx->s, fx->feed, &cause), 0);
	index_all(fx, 0);
	assert_int_equal(search_count(fx, "dolphin"), 0);
	assert_int_equal(index_entries(fx), 0);
	/* sqlite's change log, which feeds its index file. */
	if (pg_conninfo == NULL) {
		assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM "
		    "fts_log", -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 0);
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	feed_doc_free(doc);
	feed_doc_free(more);
}

static void
copy_file(const char *from, const char *to)
{
	char	cmd[1400];

	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", from, to);
	assert_int_equal(system(cmd), 0);
}

static void
remove_index(struct fixture *fx)
{
	char	path[640];

	snprintf(path, sizeof(path), "%s-search-wal", fx->path);
	unlink(path);
	snprintf(path, sizeof(path), "%s-search-shm", fx->path);
	unlink(path);
	snprintf(path, sizeof(path), "%s-search", fx->path);
	unlink(path);
}

/*
 * The index file is derived data: in passes of a given size; missing,
 * damaged, or made for another database, it is built again.
 */
static void
test_store_search_rebuilds(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_feed_conf		 conf;
	struct feed_doc			*doc, *doc2, *zebra;
	struct store			*other;
	char				 path[640], index[640], *cause = NULL;
	int64_t				 feed;
	FILE				*f;

	SQLITE_ONLY("PostgreSQL has no index file: its vectors are in a "
	    "table");
	doc = mkdoc(1, 3, "g");
	doc2 = mkdoc(4, 5, "g");
	zebra = mkdoc(1, 1, "z");

	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	assert_int_equal(index_all(fx, 0), 1);
	poll_ok(fx, fx->feed, doc2, &r);
	store_poll_result_clear(&r);
	assert_int_equal(index_lag(fx), 5);
	assert_int_equal(index_all(fx, 2), 3);	/* 2 + 2 + 1 */
	assert_int_equal(search_count(fx, "title:story"), 8);

	/* Missing. */
	store_close(fx->s);
	remove_index(fx);
	fx->s = store_open(fx->path, &cause);
	assert_non_null(fx->s);
	assert_int_equal(index_lag(fx), 8);
	assert_int_equal(search_count(fx, "title:story"), 0);
	index_all(fx, 0);
	assert_int_equal(search_count(fx, "title:story"), 8);

	/* Not a database. */
	store_close(fx->s);
	remove_index(fx);
	snprintf(index, sizeof(index), "%s-search", fx->path);
	assert_non_null(f = fopen(index, "w"));
	fputs("garbage, not an index, not even sqlite\n", f);
	fclose(f);
	fx->s = store_open(fx->path, &cause);
	if (cause != NULL)
		fail_msg("%s", cause);
	assert_non_null(fx->s);
	index_all(fx, 0);
	assert_int_equal(search_count(fx, "title:story"), 8);
	assert_int_equal(index_entries(fx), 8);

	/*
	 * Another database's index: trusted, it would claim our first item
	 * is indexed and lend it the word "zebra".
	 */
	snprintf(path, sizeof(path), "%s/other.db", fx->dir);
	other = store_open(path, &cause);
	assert_non_null(other);
	memset(&conf, 0, sizeof(conf));
	conf.url = "https://zebra.example/feed";
	conf.interval = -1;
	conf.enabled = 1;
	assert_int_equal(store_feed_add(other, &conf, &feed, &cause), 0);
	free(zebra->items[0]->title);
	zebra->items[0]->title = xstrdup("Zebra crossing");
	{
		struct store_poll	p;

		memset(&p, 0, sizeof(p));
		p.now = NOW;
		p.doc = zebra;
		p.http_status = 200;
		p.next_poll = NOW + 900;
		p.retry_after = DATE_NONE;
		assert_int_equal(store_apply_poll(other, feed, &p, &r,
		    &cause), 0);
		store_poll_result_clear(&r);
	}
	{
		int	more;

		assert_int_equal(store_index_update(other, 0, &more, &cause),
		    0);
	}
	store_close(other);
	store_close(fx->s);
	remove_index(fx);
	snprintf(path, sizeof(path), "%s/other.db-search", fx->dir);
	copy_file(path, index);
	fx->s = store_open(fx->path, &cause);
	assert_non_null(fx->s);
	index_all(fx, 0);
	assert_int_equal(search_count(fx, "zebra"), 0);
	assert_int_equal(search_count(fx, "title:story"), 8);
	assert_int_equal(index_entries(fx), 8);
	feed_doc_free(doc);
	feed_doc_free(doc2);
	feed_doc_free(zebra);
}

static int
route_all(const struct store_route *rt, store_route_add add, void *ctx,
    void *arg)
{
	int	*calls = arg;

	(*calls)++;
	assert_non_null(store_route_feed(rt));
	assert_string_equal(store_route_feed(rt)->url,
	    "https://www.devdiscourse.com/rss/world");
	/* "chat" skips repeats; "mail" only wants Story 2. */
	if (!rt->repeat && add(ctx, "chat") != 0)
		return (-1);
	if (strcmp(rt->item->title, "Story 2") == 0 && add(ctx, "mail") != 0)
		return (-1);
	return (0);
}

static void
test_store_outbox_rows_and_retention(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_stats		 st;
	struct feed_doc			*doc;
	struct store_item		*v;
	size_t				 n, removed, changed;
	int64_t				 starred;
	int				 calls = 0;
	char				*cause = NULL;

	doc = mkdoc(1, 6, "g");
	poll_ok(fx, fx->feed, doc, &r);		/* no notifiers yet */
	starred = r.ids[1];
	store_poll_result_clear(&r);
	assert_int_equal(store_items_mark(fx->s, &starred, 1, -1, 1,
	    &changed, &cause), 0);

	/* Keep the newest 2 of 6: Story 2 is starred and stays too. */
	assert_int_equal(store_retention(fx->s, 0, 2, NOW + 10, &removed,
	    &cause), 0);
	assert_int_equal(removed, 3);
	assert_int_equal(store_stats(fx->s, &st, &cause), 0);
	assert_int_equal(st.items, 3);
	assert_int_equal(st.max_id, 6);

	/* The feed still carries them: they never come back as new. */
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	assert_int_equal(r.nknown, 6);
	store_poll_result_clear(&r);
	feed_doc_free(doc);

	store_set_router(fx->s, route_all, &calls);
	doc = mkdoc(20, 2, "g");
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 2);
	assert_int_equal(calls, 2);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	assert_int_equal(store_stats(fx->s, &st, &cause), 0);
	assert_int_equal(st.outbox_pending, 2);		/* chat x 2 */

	/* Items waiting for delivery survive retention. */
	assert_int_equal(store_retention(fx->s, 1, 0, NOW + 100000,
	    &removed, &cause), 0);
	assert_int_equal(store_items_list(fx->s, &(struct store_query){ 0 },
	    &v, &n, &cause), 0);
	assert_int_equal(n, 3);		/* starred + two in the outbox */
	store_items_free(v, n);
}

struct first_seen {
	int	calls;
	int	first;		/* the last call's STORE_FIRST_* */
};

static int
route_first(const struct store_route *rt, store_route_add add, void *ctx,
    void *arg)
{
	struct first_seen	*fs = arg;

	fs->calls++;
	fs->first = rt->first;
	return (add(ctx, "chat"));
}

/* The rules: Story 2 stored read, Story 3 not stored. */
static int
filter_story(const struct store_route *rt, void *arg)
{
	if (strcmp(rt->item->title, "Story 2") == 0)
		return (STORE_FILTER_READ);
	if (strcmp(rt->item->title, "Story 3") == 0)
		return (STORE_FILTER_DROP);
	return (STORE_FILTER_STORE);
}

/* The rules of a later poll: Story 3 was dropped before. */
static int
filter_dropped(const struct store_route *rt, void *arg)
{
	return (strcmp(rt->item->title, "Story 3") == 0 ?
	    STORE_FILTER_DROPPED : STORE_FILTER_STORE);
}

/*
 * An item the rules dropped at an earlier poll (STORE_FILTER_DROPPED) is
 * not stored, and counts as known rather than as dropped again.
 */
static void
test_store_dropped_again(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_item		*v;
	struct feed_doc			*doc;
	size_t				 n, i;
	char				*cause = NULL;

	store_set_filter(fx->s, filter_dropped, NULL);
	doc = mkdoc(1, 4, "g");
	poll_ok(fx, fx->feed, doc, &r);
	feed_doc_free(doc);
	assert_int_equal(r.nids, 3);
	assert_int_equal(r.ndropped, 0);
	assert_int_equal(r.nknown, 1);
	store_poll_result_clear(&r);
	assert_int_equal(store_items_list(fx->s, &(struct store_query){ 0 },
	    &v, &n, &cause), 0);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++)
		assert_string_not_equal(v[i].item->title, "Story 3");
	store_items_free(v, n);
}

/*
 * The router learns a feed's first poll (quiet, or notify_first_poll
 * from its options, or subscribed again after a removal), and the rules'
 * verdicts hold: an item marked read is stored read and never queued, a
 * dropped one is not stored.
 */
static void
test_store_first_poll_and_rules(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_feed_conf		 conf;
	struct store_stats		 st;
	struct store_item		*v;
	struct feed_doc			*doc;
	struct first_seen		 fs = { 0, -1 };
	size_t				 n, i;
	int64_t				 id;
	char				*cause = NULL;

	store_set_router(fx->s, route_first, &fs);
	store_set_filter(fx->s, filter_story, NULL);
	doc = mkdoc(1, 4, "g");
	poll_ok(fx, fx->feed, doc, &r);
	feed_doc_free(doc);
	assert_int_equal(r.nids, 3);
	assert_int_equal(r.ndropped, 1);
	store_poll_result_clear(&r);
	assert_int_equal(fs.calls, 2);		/* Stories 1 and 4 */
	assert_int_equal(fs.first, STORE_FIRST_QUIET);
	assert_int_equal(store_stats(fx->s, &st, &cause), 0);
	assert_int_equal(st.outbox_pending, 2);
	assert_int_equal(st.unread, 2);
	assert_int_equal(store_items_list(fx->s, &(struct store_query){ 0 },
	    &v, &n, &cause), 0);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		assert_string_not_equal(v[i].item->title, "Story 3");
		assert_int_equal(v[i].read,
		    strcmp(v[i].item->title, "Story 2") == 0);
	}
	store_items_free(v, n);

	/* The next poll is news. */
	doc = mkdoc(5, 1, "g");
	poll_ok(fx, fx->feed, doc, &r);
	feed_doc_free(doc);
	store_poll_result_clear(&r);
	assert_int_equal(fs.calls, 3);
	assert_int_equal(fs.first, STORE_FIRST_NO);

	/* A feed that asks for its first poll to be notified. */
	memset(&conf, 0, sizeof(conf));
	conf.url = "http://example.org/loud.xml";
	conf.interval = -1;
	conf.enabled = 1;
	conf.origin = STORE_ORIGIN_RUNTIME;
	conf.options = "{\"notify_first_poll\":\"yes\"}";
	assert_int_equal(store_feed_add(fx->s, &conf, &id, &cause), 0);
	doc = mkdoc(10, 1, "loud");
	poll_ok(fx, id, doc, &r);
	store_poll_result_clear(&r);
	assert_int_equal(fs.calls, 4);
	assert_int_equal(fs.first, STORE_FIRST_NOTIFY);

	/* Removed and subscribed again: its archive went out already. */
	assert_int_equal(store_feed_remove(fx->s, id, &cause), 0);
	assert_int_equal(store_feed_add(fx->s, &conf, &id, &cause), 0);
	poll_ok(fx, id, doc, &r);
	feed_doc_free(doc);
	assert_int_equal(r.nids, 1);
	store_poll_result_clear(&r);
	assert_int_equal(fs.calls, 5);
	assert_int_equal(fs.first, STORE_FIRST_AGAIN);
}

/* Each feed's kept counts are what its items are, as listed. */
static void
counts_agree(struct fixture *fx)
{
	struct store_feed	**v;
	struct store_item	 *items;
	struct store_stats	  st;
	size_t			  nv, n, i, k, unread;
	int64_t			  all = 0, allunread = 0;
	char			 *cause = NULL;

	assert_int_equal(store_feeds_list(fx->s, NULL, &v, &nv), 0);
	for (i = 0; i < nv; i++) {
		assert_int_equal(store_items_list(fx->s, &(struct store_query){
		    .feed_id = v[i]->id, .limit = STORE_MAX_LIMIT }, &items,
		    &n, &cause), 0);
		for (k = 0, unread = 0; k < n; k++)
			unread += items[k].read == 0;
		store_items_free(items, n);
		assert_int_equal(v[i]->items, n);
		assert_int_equal(v[i]->unread, unread);
		all += (int64_t)n;
		allunread += (int64_t)unread;
		store_feed_free(v[i]);
	}
	free(v);
	assert_int_equal(store_stats(fx->s, &st, &cause), 0);
	assert_int_equal(st.items, all);
	assert_int_equal(st.unread, allunread);
}

/*
 * The feed list's and status's counts follow polls (a rule's read items
 * too), marks by id and by query, retention and a feed's removal.
 */
static void
test_store_feed_counts(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_feed_conf		 conf;
	struct feed_doc			*doc;
	size_t				 changed, removed;
	int64_t				 other, ids[2];
	char				*cause = NULL;

	store_set_filter(fx->s, filter_story, NULL);
	doc = mkdoc(1, 6, "g");
	poll_ok(fx, fx->feed, doc, &r);		/* Story 2 read, 3 dropped */
	feed_doc_free(doc);
	ids[0] = r.ids[0];
	ids[1] = r.ids[2];
	store_poll_result_clear(&r);
	memset(&conf, 0, sizeof(conf));
	conf.url = "http://example.org/other.xml";
	conf.interval = -1;
	conf.enabled = 1;
	assert_int_equal(store_feed_add(fx->s, &conf, &other, &cause), 0);
	counts_agree(fx);
	doc = mkdoc(10, 4, "o");
	poll_ok(fx, other, doc, &r);
	feed_doc_free(doc);
	store_poll_result_clear(&r);
	counts_agree(fx);

	assert_int_equal(store_items_mark(fx->s, ids, 2, 1, -1, &changed,
	    &cause), 0);
	assert_int_equal(changed, 2);
	counts_agree(fx);
	assert_int_equal(store_items_mark(fx->s, ids, 1, 0, -1, &changed,
	    &cause), 0);
	counts_agree(fx);
	assert_int_equal(store_items_mark_where(fx->s, &(struct store_query){
	    .feed_id = other }, 1, -1, &changed, &cause), 0);
	assert_int_equal(changed, 4);
	counts_agree(fx);
	assert_int_equal(store_retention(fx->s, 0, 2, NOW + 10, &removed,
	    &cause), 0);
	assert_true(removed > 0);
	counts_agree(fx);
	assert_int_equal(store_feed_remove(fx->s, other, &cause), 0);
	counts_agree(fx);
}

/* A feed answering 304 for months still carries what retention took. */
/* A store_plan_cb that notes the rate it was given and plans from it. */
static void
plan_note(double rate, int64_t *next, const char **reason, void *arg)
{
	double	*seen = arg;

	*seen = rate;
	*next = NOW + 12345;
	*reason = "planned by the callback";
}

/* A poll at "now" that found "doc" (NULL: a 304), planned by plan_note. */
static double
poll_rate(struct fixture *fx, int64_t now, struct feed_doc *doc,
    int64_t gap, size_t nnew)
{
	struct store_poll_result	 r;
	struct store_poll		 p;
	struct store_feed		*f;
	double				 seen = -2, rate;
	char				*cause = NULL;

	memset(&p, 0, sizeof(p));
	p.now = now;
	p.doc = doc;
	p.http_status = doc != NULL ? 200 : 304;
	p.next_poll = NOW + 999;
	p.next_poll_reason = "given";
	p.retry_after = DATE_NONE;
	p.rate_gap = gap;
	p.plan = plan_note;
	p.plan_arg = &seen;
	if (store_apply_poll(fx->s, fx->feed, &p, &r, &cause) != 0)
		fail_msg("apply_poll: %s", cause);
	assert_int_equal(r.nids, nnew);
	store_poll_result_clear(&r);
	f = store_feed_get(fx->s, fx->feed);
	rate = f->item_rate;
	/* A document's poll is planned from the rate it stores. */
	if (doc != NULL) {
		assert_true(seen > rate - 1e-9 && seen < rate + 1e-9);
		assert_int_equal(f->next_poll, NOW + 12345);
		assert_string_equal(f->next_poll_reason,
		    "planned by the callback");
	}
	store_feed_free(f);
	return (rate);
}

#define assert_rate(r, want)	assert_true((r) > (want) - 1e-6 && \
	(r) < (want) + 1e-6)

/*
 * The item rate both backends keep (store_item_rate()).  A poll 5 s
 * after the last that finds 3 new items once made 51,840 items a day;
 * its sample spans the interval planned before it (an hour), starting
 * from the rate that interval stands for (12 a day), and one poll at
 * most doubles it.  A 304 decays it, and leaves none as none
 * (PostgreSQL's batched path reckons both in SQL).
 */
static void
test_store_item_rate(void **state)
{
	struct fixture		*fx = *state;
	struct store_poll_result r;
	struct feed_doc		*doc = mkdoc(1, 3, "g"), *more;
	double			 rate;

	poll_ok(fx, fx->feed, doc, &r);		/* the archive: no rate */
	store_poll_result_clear(&r);
	rate = poll_rate(fx, NOW + 5, NULL, 3600, 0);
	assert_true(rate < 0);			/* nothing new: still none */
	more = mkdoc(10, 3, "g");
	rate = poll_rate(fx, NOW + 10, more, 3600, 3);
	/* From the hour's 12 a day, 0.7 * 12 + 0.3 * 72: past twice 12. */
	assert_rate(rate, 24);
	feed_doc_free(more);
	rate = poll_rate(fx, NOW + 3610, NULL, 3600, 0);
	assert_rate(rate, 0.7 * 24);

	/* A sample longer than the gap planned is taken as it is. */
	more = mkdoc(20, 4, "g");
	rate = poll_rate(fx, NOW + 3610 + 2 * 86400, more, 3600, 4);
	assert_rate(rate, 0.7 * 0.7 * 24 + 0.3 * 2);
	feed_doc_free(more);

	/*
	 * New to feedd but dated days before the last poll (GUIDs given
	 * anew, an archive page): stored, and no evidence of the rate, so
	 * it decays as after a poll with nothing new.  One dated after the
	 * last poll counts; one without a date counts.
	 */
	more = mkdoc(30, 3, "g");
	more->items[0]->published = NOW;
	more->items[1]->published = DATE_NONE;	/* then updated counts */
	more->items[1]->updated = NOW - 86400;
	more->items[2]->published = NOW + 3610;
	rate = poll_rate(fx, NOW + 3610 + 2 * 86400 + 3600, more, 3600, 3);
	assert_rate(rate, 0.7 * (0.7 * 0.7 * 24 + 0.3 * 2));
	feed_doc_free(more);
	more = mkdoc(40, 2, "g");
	more->items[0]->published = NOW + 3610 + 3 * 86400;
	more->items[1]->published = DATE_NONE;
	rate = poll_rate(fx, NOW + 3610 + 3 * 86400 + 3600, more, 3600, 2);
	/* Two new over the day since: 0.3 of two a day. */
	assert_rate(rate, 0.7 * 0.7 * (0.7 * 0.7 * 24 + 0.3 * 2) + 0.3 * 2);
	feed_doc_free(more);
	feed_doc_free(doc);
}

static void
test_store_tombstones_survive_304s(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_poll		 p;
	struct feed_doc			*doc = mkdoc(1, 3, "g");
	size_t				 removed;
	int64_t				 day;
	char				*cause = NULL;

	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	assert_int_equal(store_retention(fx->s, 7 * 86400, 0, NOW + 8 * 86400,
	    &removed, &cause), 0);
	assert_int_equal(removed, 3);
	memset(&p, 0, sizeof(p));
	p.http_status = 304;
	p.next_poll = DATE_NONE;
	p.retry_after = DATE_NONE;
	for (day = 9; day < 40; day++) {
		p.now = NOW + day * 86400;
		assert_int_equal(store_apply_poll(fx->s, fx->feed, &p, &r,
		    &cause), 0);
		assert_int_equal(store_retention(fx->s, 7 * 86400, 0, p.now,
		    &removed, &cause), 0);
	}
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	assert_int_equal(r.nknown, 3);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
}

/*
 * Several polls in one call: each all or nothing, the others stored.  A
 * story started by one poll is joined by the same link later in its own
 * document and in the next poll of the batch.  On PostgreSQL an item
 * the server refuses (a byte that is not UTF-8) fails its poll's
 * writes, which were sent with the next poll's reads; a poll without a
 * document it refuses fails the statement that stores those polls
 * together, and they are stored one by one instead.
 */
static void
test_store_batch_of_polls(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r[7];
	struct store_poll		 p, p304, pa, pbad, pb, perr;
	const struct store_poll		*pv[7];
	struct store_feed_conf		 conf;
	struct feed_doc			*a, *bad, *b;
	struct feed_item		*it;
	struct store_item		*v;
	struct store_feed		*f;
	char				*causes[7] = { NULL };
	char				*cause = NULL;
	int64_t				 other, third, fourth, ids[7];
	size_t				 n, i;

	memset(&conf, 0, sizeof(conf));
	conf.url = "https://agency.example/feed";
	conf.interval = -1;
	conf.enabled = 1;
	assert_int_equal(store_feed_add(fx->s, &conf, &other, &cause), 0);
	conf.url = "https://third.example/feed";
	assert_int_equal(store_feed_add(fx->s, &conf, &third, &cause), 0);
	conf.url = "https://fourth.example/feed";
	assert_int_equal(store_feed_add(fx->s, &conf, &fourth, &cause), 0);

	a = feed_doc_new();
	feed_doc_add_item(a, mkitem("x1", "First", "https://news.example/s"));
	feed_doc_add_item(a, mkitem("x2", "Again", "https://news.example/s"));
	bad = feed_doc_new();
	it = mkitem("bad", "Bad \xff byte", "https://news.example/bad");
	feed_doc_add_item(bad, it);
	b = feed_doc_new();
	feed_doc_add_item(b, mkitem("y1", "Copy", "https://news.example/s"));

	memset(&p, 0, sizeof(p));
	p.now = NOW;
	p.http_status = 200;
	p.next_poll = NOW + 900;
	p.next_poll_reason = "ttl";
	p.retry_after = DATE_NONE;
	p304 = p;
	p304.http_status = 304;
	pa = pbad = pb = p;
	pa.doc = a;
	pbad.doc = bad;
	pb.doc = b;
	pv[0] = &pa;
	ids[0] = fx->feed;
	pv[1] = &p;		/* no such feed */
	ids[1] = 999999;
	pv[2] = &pbad;
	ids[2] = other;
	pv[3] = &pb;
	ids[3] = other;
	pv[4] = &p304;
	ids[4] = fx->feed;
	perr = p;
	perr.http_status = 0;
	perr.error = "timed out \xff";
	pv[5] = &perr;
	ids[5] = third;
	pv[6] = &p304;
	ids[6] = fourth;
	memset(r, 0, sizeof(r));
	store_apply_polls(fx->s, 7, ids, pv, r, causes);

	assert_null(causes[0]);
	assert_int_equal(r[0].nids, 2);
	assert_non_null(causes[1]);
	assert_int_equal(r[1].nids, 0);
	if (pg_conninfo != NULL) {
		assert_non_null(causes[2]);
		assert_int_equal(r[2].nids, 0);
	}
	assert_null(causes[3]);
	assert_int_equal(r[3].nids, 1);
	assert_null(causes[4]);
	assert_int_equal(r[4].nids, 0);
	if (pg_conninfo != NULL)
		assert_non_null(causes[5]);
	assert_null(causes[6]);

	assert_int_equal(store_items_list(fx->s, &(struct store_query){
	    .feed_id = fx->feed }, &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	/* One link twice in one feed: two stories, neither a repeat. */
	assert_int_equal(v[0].id, r[0].ids[0]);
	assert_int_equal(v[0].story, v[0].id);
	assert_int_equal(v[0].repeat, 0);
	assert_int_equal(v[1].story, v[1].id);
	assert_int_equal(v[1].repeat, 0);
	store_items_free(v, n);
	assert_int_equal(store_items_get(fx->s, r[3].ids, 1, &v, &n, &cause),
	    0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].story, r[0].ids[0]);
	assert_int_equal(v[0].repeat, 1);
	store_items_free(v, n);

	/* The counts and the feed's state went with the stored polls. */
	f = store_feed_get(fx->s, fx->feed);
	assert_non_null(f);
	assert_int_equal(f->items, 2);
	assert_int_equal(f->last_status, 304);
	store_feed_free(f);
	f = store_feed_get(fx->s, other);
	assert_int_equal(f->items, pg_conninfo != NULL ? 1 : 2);
	assert_int_equal(f->last_status, 200);
	store_feed_free(f);
	f = store_feed_get(fx->s, fourth);
	assert_int_equal(f->last_status, 304);
	assert_int_equal(f->last_poll, NOW);
	store_feed_free(f);

	for (i = 0; i < 7; i++) {
		free(causes[i]);
		store_poll_result_clear(&r[i]);
	}
	feed_doc_free(a);
	feed_doc_free(bad);
	feed_doc_free(b);
}

/*
 * Claims of several feeds in one call, as the poller makes them for the
 * feeds due in one turn of its loop: the same answers as one at a time,
 * and the claimed feeds' state and options read back as stored.
 */
static void
test_store_feeds_claim_many(void **state)
{
	struct fixture			*fx = *state;
	struct store_feed_conf		 conf;
	struct store_poll_result	 r;
	struct store			*b;
	struct store_feed		*f;
	struct feed_doc			*doc;
	int64_t				 ids[3], retry[3];
	uint32_t			 host[3];
	int				 manual[3] = { 0, 0, 0 }, claimed[3];
	char				*cause = NULL, *opts;

	memset(&conf, 0, sizeof(conf));
	conf.url = "https://second.example/feed";
	conf.interval = -1;
	conf.enabled = 1;
	conf.options = "{\"user_agent\":\"two/1\"}";
	assert_int_equal(store_feed_add(fx->s, &conf, &ids[1], &cause), 0);
	ids[0] = fx->feed;
	ids[2] = 999999;	/* no such feed */
	/* fx->feed polled: due only at NOW + 900. */
	doc = mkdoc(1, 2, "g");
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	feed_doc_free(doc);

	assert_int_equal(store_feeds_claim(fx->s, 3, ids, manual, NOW + 10,
	    NULL, claimed, retry, host, &cause), 0);
	if (pg_conninfo == NULL) {
		/* One node: everything it fires is its own, and no host is
		 * bounded by the database. */
		assert_int_equal(claimed[0] + claimed[1] + claimed[2], 3);
		assert_int_equal(host[0] | host[1] | host[2], 0);
		return;
	}
	assert_int_equal(claimed[0], 0);
	assert_int_equal(retry[0], NOW + 900);
	assert_int_equal(claimed[1], 1);
	/* No such feed: the poller's to read as gone, as with one node. */
	assert_int_equal(claimed[2], 1);
	assert_null(store_feed_state(fx->s, ids[2]));
	assert_null(store_read_error(fx->s));
	/* What the poller reads next comes from the claim. */
	f = store_feed_state(fx->s, ids[1]);
	assert_non_null(f);
	assert_string_equal(f->url, "https://second.example/feed");
	store_feed_free(f);
	opts = store_feed_options(fx->s, ids[1]);
	assert_non_null(opts);
	assert_non_null(strstr(opts, "two/1"));
	free(opts);
	/* Asked again, they are read from the database. */
	f = store_feed_state(fx->s, ids[1]);
	assert_non_null(f);
	assert_int_equal(f->id, ids[1]);
	store_feed_free(f);

	/* Another node: the held feed soon, the other when due; by hand
	 * it takes the one nobody holds. */
	assert_non_null(b = store_open(pg_conninfo, &cause));
	manual[0] = 1;
	assert_int_equal(store_feeds_claim(b, 2, ids, manual, NOW + 20,
	    NULL, claimed, retry, host, &cause), 0);
	assert_int_equal(claimed[0], 1);
	assert_int_equal(claimed[1], 0);
	assert_int_equal(retry[1], NOW + 25);
	store_close(b);
}

/*
 * max_per_host across the nodes: no more of a host's feeds are leased at
 * once than the bound, whichever node claims; a feed left out is looked
 * at again soon, and a stored poll frees its host's slot.
 */
static void
test_store_feeds_claim_per_host(void **state)
{
	struct fixture			*fx = *state;
	struct store_feed_conf		 conf;
	struct store_poll_result	 r;
	struct store			*b;
	struct feed_doc			*doc;
	char				 url[64];
	int64_t				 ids[5], retry[5];
	uint32_t			 host[5];
	int				 manual[5] = { 0 }, claimed[5];
	struct store_host_bound		 two = { 2, NULL, 0 };
	size_t				 i;
	int				 n;
	char				*cause = NULL;

	if (pg_conninfo == NULL)
		skip();
	memset(&conf, 0, sizeof(conf));
	conf.interval = -1;
	conf.enabled = 1;
	for (i = 0; i < 4; i++) {
		snprintf(url, sizeof(url), "https://Busy.example:8443/%zu", i);
		conf.url = url;
		assert_int_equal(store_feed_add(fx->s, &conf, &ids[i], &cause),
		    0);
	}
	conf.url = "http://[::1]:8080/other";
	assert_int_equal(store_feed_add(fx->s, &conf, &ids[4], &cause), 0);
	assert_int_equal(pg_sql("SELECT count(*) FROM feeds WHERE "
	    "host = 'busy.example'"), 4);
	assert_int_equal(pg_sql("SELECT count(*) FROM feeds WHERE "
	    "host = '[::1]'"), 1);

	/* Node A: two of the host's four, the lowest ids; the other host's. */
	assert_int_equal(store_feeds_claim(fx->s, 5, ids, manual, NOW,
	    &two, claimed, retry, host, &cause), 0);
	assert_int_equal(claimed[0], 1);
	assert_int_equal(claimed[1], 1);
	assert_int_equal(claimed[2], STORE_CLAIM_WAIT);
	assert_int_equal(claimed[3], STORE_CLAIM_WAIT);
	assert_int_equal(claimed[4], 1);
	assert_true(retry[2] > NOW && retry[2] <= NOW + 5);
	assert_true(retry[3] > NOW && retry[3] <= NOW + 5);
	/* One key for the host's feeds, whatever the case of its name or
	 * the port; another for the other host. */
	assert_int_not_equal(host[0], 0);
	for (i = 1; i < 4; i++)
		assert_int_equal(host[i], host[0]);
	assert_int_not_equal(host[4], 0);
	assert_int_not_equal(host[4], host[0]);

	/* Node B: the host is full, whoever asks. */
	assert_non_null(b = store_open(pg_conninfo, &cause));
	assert_int_equal(store_feeds_claim(b, 4, ids, manual, NOW + 1,
	    &two, claimed, retry, host, &cause), 0);
	for (i = 0, n = 0; i < 4; i++)
		n += claimed[i] == 1;
	assert_int_equal(n, 0);
	/* A's: held; the others: not now, but still to be polled. */
	assert_int_equal(claimed[0], 0);
	assert_int_equal(claimed[2], STORE_CLAIM_WAIT);
	assert_true(retry[2] <= NOW + 1 + 5);

	/* A stores one poll: its lease goes, and B takes one more. */
	doc = mkdoc(1, 1, "h");
	poll_ok(fx, ids[0], doc, &r);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	assert_int_equal(store_feeds_claim(b, 2, &ids[2], manual, NOW + 2,
	    &two, claimed, retry, host, &cause), 0);
	assert_int_equal((claimed[0] == 1) + (claimed[1] == 1), 1);
	assert_int_equal((claimed[0] == STORE_CLAIM_WAIT) +
	    (claimed[1] == STORE_CLAIM_WAIT), 1);
	/* Without a bound B takes the last one too. */
	assert_int_equal(store_feeds_claim(b, 2, &ids[2], manual, NOW + 3,
	    NULL, claimed, retry, host, &cause), 0);
	assert_int_equal(claimed[0] + claimed[1], 2);
	assert_int_equal(pg_sql("SELECT count(*) FROM feeds WHERE "
	    "host = 'busy.example' AND lease_owner IS NOT NULL"), 3);

	/* B dies holding two: they neither stay B's nor fill the host. */
	pg_node_dies(b);
	assert_int_equal(store_feeds_claim(fx->s, 2, &ids[2], manual, NOW + 4,
	    &two, claimed, retry, host, &cause), 0);
	assert_int_equal((claimed[0] == 1) + (claimed[1] == 1), 1);
	assert_int_equal((claimed[0] == STORE_CLAIM_WAIT) +
	    (claimed[1] == STORE_CLAIM_WAIT), 1);
}

/*
 * A feed whose fetch is over no longer loads its host: the node that
 * fetched it may claim another of the host's feeds while the poll waits
 * to be stored, though the feed stays leased to it till then.  Only the
 * node's own fetched feeds count so: another node naming them changes
 * nothing.
 */
static void
test_store_feeds_claim_fetched(void **state)
{
	struct fixture			*fx = *state;
	struct store_feed_conf		 conf;
	struct store			*b;
	char				 url[64];
	int64_t				 ids[3], retry[3];
	uint32_t			 host[3];
	int				 manual[3] = { 0 }, claimed[3];
	struct store_host_bound		 two = { 2, NULL, 0 };
	struct store_host_bound		 fetched = { 2, NULL, 1 };
	size_t				 i;
	char				*cause = NULL;

	if (pg_conninfo == NULL)
		skip();
	memset(&conf, 0, sizeof(conf));
	conf.interval = -1;
	conf.enabled = 1;
	for (i = 0; i < 3; i++) {
		snprintf(url, sizeof(url), "https://busy.example/%zu", i);
		conf.url = url;
		assert_int_equal(store_feed_add(fx->s, &conf, &ids[i], &cause),
		    0);
	}
	fetched.fetched = &ids[0];

	/* Node A: the host's two slots. */
	assert_int_equal(store_feeds_claim(fx->s, 3, ids, manual, NOW,
	    &two, claimed, retry, host, &cause), 0);
	assert_int_equal(claimed[0], 1);
	assert_int_equal(claimed[1], 1);
	assert_int_equal(claimed[2], STORE_CLAIM_WAIT);

	/* Node B cannot free A's slot by naming A's feed. */
	assert_non_null(b = store_open(pg_conninfo, &cause));
	assert_int_equal(store_feeds_claim(b, 1, &ids[2], manual, NOW + 1,
	    &fetched, claimed, retry, host, &cause), 0);
	assert_int_equal(claimed[0], STORE_CLAIM_WAIT);

	/* A's fetch of the first is over: A takes the third. */
	assert_int_equal(store_feeds_claim(fx->s, 1, &ids[2], manual, NOW + 2,
	    &fetched, claimed, retry, host, &cause), 0);
	assert_int_equal(claimed[0], 1);
	/* The first is still A's until its poll is stored. */
	assert_int_equal(store_feeds_claim(b, 1, &ids[0], manual, NOW + 3,
	    NULL, claimed, retry, host, &cause), 0);
	assert_int_equal(claimed[0], 0);
	assert_int_equal(pg_sql("SELECT count(*) FROM feeds WHERE "
	    "host = 'busy.example' AND lease_owner IS NOT NULL"), 3);
	store_close(b);
}

/*
 * A paused feed is never leased: a node whose timer still fires for it
 * (the pause was made on another node) gets it back as its own, reads
 * it paused, and holds nothing that would keep another node from
 * polling it once it is resumed.
 */
static void
test_store_feeds_claim_paused(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed_conf	 conf;
	struct store_feed	*f;
	struct store		*b;
	struct store_host_bound	 two = { 2, NULL, 0 };
	int64_t			 id, retry;
	uint32_t		 host;
	int			 manual = 0, claimed;
	char			*cause = NULL;

	if (pg_conninfo == NULL)
		skip();
	memset(&conf, 0, sizeof(conf));
	conf.url = "https://paused.example/feed";
	conf.interval = -1;
	conf.enabled = 1;
	assert_int_equal(store_feed_add(fx->s, &conf, &id, &cause), 0);
	conf.enabled = 0;
	assert_int_equal(store_feed_update(fx->s, id, &conf, &cause), 0);

	/* Node B, with and without a host bound: its own, read paused. */
	assert_non_null(b = store_open(pg_conninfo, &cause));
	assert_int_equal(store_feeds_claim(b, 1, &id, &manual, NOW, &two,
	    &claimed, &retry, &host, &cause), 0);
	assert_int_equal(claimed, 1);
	assert_non_null(f = store_feed_state(b, id));
	assert_int_equal(f->enabled, 0);
	store_feed_free(f);
	assert_int_equal(store_feeds_claim(b, 1, &id, &manual, NOW + 1, NULL,
	    &claimed, &retry, &host, &cause), 0);
	assert_int_equal(claimed, 1);
	assert_int_equal(pg_sql("SELECT count(*) FROM feeds WHERE "
	    "lease_owner IS NOT NULL"), 0);

	/* Resumed: node A polls it, B holding nothing. */
	conf.enabled = 1;
	assert_int_equal(store_feed_update(fx->s, id, &conf, &cause), 0);
	assert_int_equal(store_feeds_claim(fx->s, 1, &id, &manual, NOW + 2,
	    &two, &claimed, &retry, &host, &cause), 0);
	assert_int_equal(claimed, 1);
	assert_int_equal(pg_sql("SELECT count(*) FROM feeds WHERE "
	    "lease_owner IS NOT NULL"), 1);

	/* Removed on A: B's timer's claim reads it gone, not elsewhere. */
	assert_int_equal(store_feed_remove(fx->s, id, &cause), 0);
	assert_int_equal(store_feeds_claim(b, 1, &id, &manual, NOW + 3, &two,
	    &claimed, &retry, &host, &cause), 0);
	assert_int_equal(claimed, 1);
	assert_null(store_feed_state(b, id));
	assert_null(store_read_error(b));
	store_close(b);
}

/*
 * A second connection of a node (feedd's claimer) claims in the node's
 * name: the lease is the node's, alive while the node is, and the
 * node's first connection takes it as its own.
 */
static void
test_store_node_second_connection(void **state)
{
	struct fixture	*fx = *state;
	struct store	*b, *c;
	int64_t		 ids[1], retry[1];
	uint32_t	 host[1];
	int		 manual[1] = { 1 }, claimed[1];
	char		 sql[256], *cause = NULL;

	if (pg_conninfo == NULL) {
		/* One node: nothing to name. */
		assert_null(store_node_id(fx->s));
		store_set_node_id(fx->s, "x");
		assert_null(store_node_id(fx->s));
		return;
	}
	assert_non_null(b = store_open(pg_conninfo, &cause));
	assert_string_not_equal(store_node_id(b), store_node_id(fx->s));
	store_set_node_id(b, store_node_id(fx->s));
	assert_string_equal(store_node_id(b), store_node_id(fx->s));
	ids[0] = fx->feed;
	assert_int_equal(store_feeds_claim(b, 1, ids, manual, NOW,
	    NULL, claimed, retry, host, &cause), 0);
	assert_int_equal(claimed[0], 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM feeds WHERE "
	    "lease_owner = '%s'", store_node_id(fx->s));
	assert_int_equal(pg_sql(sql), 1);
	/* Another node cannot take it: its node is alive. */
	assert_non_null(c = store_open(pg_conninfo, &cause));
	assert_int_equal(store_feeds_claim(c, 1, ids, manual, NOW + 1,
	    NULL, claimed, retry, host, &cause), 0);
	assert_int_equal(claimed[0], 0);
	/* The node's first connection holds it already. */
	assert_int_equal(store_feeds_claim(fx->s, 1, ids, manual, NOW + 2,
	    NULL, claimed, retry, host, &cause), 0);
	assert_int_equal(claimed[0], 1);
	store_close(c);
	store_close(b);
}

/*
 * PostgreSQL: the loop's connection made read-only refuses every write
 * at once (a claim included: those are the claimer's), and still reads.
 */
static void
test_store_pg_readonly(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed_conf	 conf;
	struct store_feed	*f;
	int64_t			 id, ids[1], retry[1];
	uint32_t		 host[1];
	int			 manual[1] = { 1 }, claimed[1];
	size_t			 changed;
	char			*cause = NULL;

	if (pg_conninfo == NULL)
		skip();
	assert_int_equal(store_set_readonly(fx->s, &cause), 0);
	runtime_conf(&conf, "https://example.org/atom");
	assert_int_equal(store_feed_add(fx->s, &conf, &id, &cause), -1);
	assert_non_null(strstr(cause, "read-only"));
	free(cause);
	cause = NULL;
	ids[0] = fx->feed;
	assert_int_not_equal(store_items_mark(fx->s, ids, 1, 1, -1, &changed,
	    &cause), 0);
	free(cause);
	cause = NULL;
	assert_int_not_equal(store_feeds_claim(fx->s, 1, ids, manual, NOW,
	    NULL, claimed, retry, host, &cause), 0);
	assert_non_null(strstr(cause, "read-only"));
	free(cause);
	cause = NULL;
	assert_non_null(f = store_feed_get(fx->s, fx->feed));
	store_feed_free(f);
	assert_int_equal(pg_sql("SELECT count(*) FROM feeds WHERE "
	    "url = 'https://example.org/atom'"), 0);
}

/* A failed poll behind a 301 does not move the feed. */
static void
test_store_failed_poll_does_not_move(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_poll		 p;
	struct store_feed		*f;
	char				*cause = NULL;

	memset(&p, 0, sizeof(p));
	p.now = NOW;
	p.http_status = 404;
	p.error = "HTTP 404";
	p.next_poll = DATE_NONE;
	p.retry_after = DATE_NONE;
	p.moved_to = "https://elsewhere.example/feed";
	assert_int_equal(store_apply_poll(fx->s, fx->feed, &p, &r, &cause), 0);
	f = store_feed_get(fx->s, fx->feed);
	assert_string_equal(f->url, "https://www.devdiscourse.com/rss/world");
	store_feed_free(f);
}

static void
test_store_remove_feed_takes_everything(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_stats		 st;
	struct feed_doc			*doc = mkdoc(1, 3, "g");
	struct store_item		*v;
	size_t				 n, removed;
	int				 calls = 0;
	char				*cause = NULL;

	store_set_router(fx->s, route_all, &calls);
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	assert_int_equal(store_retention(fx->s, 0, 1, NOW, &removed, &cause),
	    0);
	assert_int_equal(store_feed_remove(fx->s, fx->feed, &cause), 0);
	assert_int_equal(store_stats(fx->s, &st, &cause), 0);
	assert_int_equal(st.feeds, 0);
	assert_int_equal(st.items, 0);
	assert_int_equal(st.outbox_pending, 0);
	assert_int_equal(store_items_search(fx->s, "Russia", 10, &v, &n,
	    &cause), 0);
	assert_int_equal(n, 0);
	store_items_free(v, n);
	assert_int_equal(store_feed_remove(fx->s, fx->feed, &cause), -1);
	free(cause);
	feed_doc_free(doc);
}

/*
 * A schema 9 outbox (unique on notifier and item, indexes on item and on
 * failed and due time) is rebuilt with one unique index on item and
 * notifier: its rows keep their ids, attempts, errors and parking, the
 * queue reads them as before, and a duplicate row is still refused.
 */
static void
test_store_outbox_migrates_to_10(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_outbox_stats	 os;
	struct store_delivery		*d;
	struct feed_doc			*doc;
	sqlite3				*db;
	sqlite3_stmt			*st;
	int64_t				 ids[3];
	size_t				 n;
	int				 calls = 0;
	char				*cause = NULL;

	SQLITE_ONLY("a sqlite file of schema 9");
	doc = mkdoc(1, 3, "g");
	store_set_router(fx->s, route_all, &calls);
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	due_ids(fx, "chat", ids, 3);
	assert_int_equal(store_outbox_retry(fx->s, &ids[1], 1, NOW + 30, 1,
	    "HTTP 500", &cause), 0);
	store_close(fx->s);

	/* Back to schema 9's layout, rows and all. */
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE o8 ("
	    "id INTEGER PRIMARY KEY, notifier TEXT NOT NULL, "
	    "item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE, "
	    "attempts INTEGER NOT NULL DEFAULT 0, "
	    "next_attempt INTEGER NOT NULL, last_error TEXT, "
	    "failed INTEGER NOT NULL DEFAULT 0, UNIQUE (notifier, item_id)); "
	    "INSERT INTO o8 SELECT * FROM outbox; DROP TABLE outbox; "
	    "ALTER TABLE o8 RENAME TO outbox; "
	    "CREATE INDEX outbox_due ON outbox(failed, next_attempt); "
	    "CREATE INDEX outbox_item ON outbox(item_id); "
	    "CREATE INDEX outbox_queue ON outbox(notifier, failed, "
	    "next_attempt, id); " DROP_SINCE_10
	    "PRAGMA user_version = 9", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	fx->s = store_open(fx->path, &cause);
	assert_non_null(fx->s);
	store_set_router(fx->s, route_all, &calls);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT user_version "
	    "FROM pragma_user_version), (SELECT count(*) FROM sqlite_master "
	    "WHERE tbl_name = 'outbox' AND type = 'index'), (SELECT "
	    "group_concat(name) FROM (SELECT ii.name FROM "
	    "pragma_index_list('outbox') il, pragma_index_info(il.name) ii "
	    "WHERE il.\"unique\" = 1 ORDER BY ii.seqno)), (SELECT count(*) "
	    "FROM outbox WHERE id = ?1 AND attempts = 1 AND failed = 1 AND "
	    "last_error = 'HTTP 500')", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, ids[1]);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), SQLITE_LATEST);
	/* The unique index and the queue, nothing else. */
	assert_int_equal(sqlite3_column_int(st, 1), 2);
	assert_string_equal((const char *)sqlite3_column_text(st, 2),
	    "item_id,notifier");
	assert_int_equal(sqlite3_column_int(st, 3), 1);
	sqlite3_finalize(st);
	/* A second row for the same item and notifier is ignored. */
	assert_int_equal(sqlite3_exec(db, "INSERT OR IGNORE INTO outbox "
	    "(notifier, item_id, next_attempt) SELECT notifier, item_id, 0 "
	    "FROM outbox", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_changes(db), 0);
	sqlite3_close(db);

	assert_int_equal(store_outbox_due(fx->s, "chat", NOW, 10, NULL, 0, &d,
	    &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(d[0].id, ids[0]);
	assert_int_equal(d[1].id, ids[2]);
	store_deliveries_free(d, n);
	assert_int_equal(store_outbox_stats(fx->s, "chat", &os, &cause), 0);
	assert_int_equal(os.pending, 2);
	assert_int_equal(os.failed, 1);
	assert_string_equal(os.last_error, "HTTP 500");
	free(os.last_error);
	/* The same document again: no row twice. */
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 0);
	store_poll_result_clear(&r);
	assert_int_equal(store_outbox_stats(fx->s, "chat", &os, &cause), 0);
	assert_int_equal(os.pending, 2);
	free(os.last_error);
	feed_doc_free(doc);
}

/* Each row goes due, fails, backs off, parks, revives, and is done. */
static void
test_store_outbox_delivery_cycle(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_outbox_stats	 os;
	struct store_delivery		*d;
	struct feed_doc			*doc = mkdoc(1, 3, "g");
	const char			*keep[] = { "chat" };
	int64_t				 ids[3];
	size_t				 n, i, revived, waiting, dropped;
	int				 calls = 0;
	char				*cause = NULL;

	store_set_router(fx->s, route_all, &calls);
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	feed_doc_free(doc);

	/* Not due before its commit time; due, in order, with its feed. */
	assert_int_equal(store_outbox_due(fx->s, "chat", NOW - 1, 10, NULL, 0,
	    &d, &n, &cause), 0);
	assert_int_equal(n, 0);
	store_deliveries_free(d, n);
	assert_int_equal(store_outbox_due(fx->s, "chat", NOW, 10, NULL, 0, &d,
	    &n, &cause), 0);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		ids[i] = d[i].id;
		assert_int_equal(d[i].attempts, 0);
		assert_string_equal(d[i].feed_url,
		    "https://www.devdiscourse.com/rss/world");
		assert_string_equal(d[i].feed_title,
		    "Devdiscourse - World News");
	}
	/* Oldest first: one date, so the document's order reversed. */
	assert_string_equal(d[0].item.item->title, "Story 3");
	assert_string_equal(d[2].item.item->title, "Story 1");
	assert_true(d[0].id < d[1].id);
	store_deliveries_free(d, n);
	/* Rows the caller holds are skipped, and the limit still filled. */
	assert_int_equal(store_outbox_due(fx->s, "chat", NOW, 2, &ids[0], 1,
	    &d, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(d[0].id, ids[1]);
	assert_int_equal(d[1].id, ids[2]);
	store_deliveries_free(d, n);
	assert_int_equal(store_outbox_due(fx->s, "chat", NOW, 10, ids, 3, &d,
	    &n, &cause), 0);
	assert_int_equal(n, 0);

	/* The first is delivered; the second fails twice and parks. */
	assert_int_equal(store_outbox_done(fx->s, &ids[0], 1, &cause), 0);
	assert_int_equal(store_outbox_retry(fx->s, &ids[1], 1, NOW + 30, 2,
	    "HTTP 500", &cause), 0);
	assert_int_equal(store_outbox_due(fx->s, "chat", NOW + 1, 10, NULL, 0,
	    &d, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(d[0].id, ids[2]);
	store_deliveries_free(d, n);
	assert_int_equal(store_outbox_stats(fx->s, "chat", &os, &cause), 0);
	assert_int_equal(os.pending, 2);
	assert_int_equal(os.failed, 0);
	assert_int_equal(os.next_attempt, NOW);
	assert_string_equal(os.last_error, "HTTP 500");
	free(os.last_error);
	assert_int_equal(store_outbox_retry(fx->s, &ids[1], 1, NOW + 90, 2,
	    "HTTP 502", &cause), 0);
	assert_int_equal(store_outbox_stats(fx->s, "chat", &os, &cause), 0);
	assert_int_equal(os.pending, 1);
	assert_int_equal(os.failed, 1);
	assert_string_equal(os.last_error, "HTTP 502");
	free(os.last_error);
	assert_int_equal(store_outbox_due(fx->s, "chat", NOW + 1000, 10, NULL,
	    0, &d, &n, &cause), 0);
	assert_int_equal(n, 1);		/* parked rows are not due */
	store_deliveries_free(d, n);

	/* Revived: due now with fresh attempts. */
	assert_int_equal(store_outbox_revive(fx->s, "chat", NOW + 5, &revived,
	    &waiting, &cause), 0);
	assert_int_equal(revived, 1);
	assert_int_equal(waiting, 0);
	assert_int_equal(store_outbox_due(fx->s, "chat", NOW + 5, 10, NULL, 0,
	    &d, &n, &cause), 0);
	/* In due order: the untouched row first, the revived one after. */
	assert_int_equal(n, 2);
	assert_int_equal(d[0].id, ids[2]);
	assert_int_equal(d[1].id, ids[1]);
	assert_int_equal(d[1].attempts, 0);
	store_deliveries_free(d, n);

	/* A notifier gone from the config takes its rows with it. */
	assert_int_equal(store_outbox_prune(fx->s, keep, 1, &dropped, &cause),
	    0);
	assert_int_equal(dropped, 1);		/* "mail" had Story 2 */
	assert_int_equal(store_outbox_prune(fx->s, NULL, 0, &dropped, &cause),
	    0);
	assert_int_equal(dropped, 2);
	assert_int_equal(store_outbox_stats(fx->s, "chat", &os, &cause), 0);
	assert_int_equal(os.pending, 0);
	assert_int_equal(os.next_attempt, DATE_NONE);
	free(os.last_error);
}

/*
 * notify retry: the parked row comes back with fresh attempts and the
 * waiting ones (a backoff, a Retry-After) are due now with theirs; a
 * row already due and another notifier's are not touched or counted.
 */
static void
test_store_outbox_revive_hurries_waiting(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_outbox_stats	 os;
	struct store_delivery		*d;
	struct feed_doc			*doc = mkdoc(1, 4, "g");
	int64_t				 ids[4], mail;
	size_t				 n, i, parked, waiting;
	int				 calls = 0;
	char				*cause = NULL;

	store_set_router(fx->s, route_all, &calls);
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	due_ids(fx, "chat", ids, 4);
	assert_int_equal(store_outbox_due(fx->s, "mail", NOW, 10, NULL, 0, &d,
	    &n, &cause), 0);
	assert_int_equal(n, 1);
	mail = d[0].id;
	store_deliveries_free(d, n);

	/* 0 parked; 1 and 2 wait (a backoff, a Retry-After of 600 s); 3 is
	 * due; mail's row waits too. */
	assert_int_equal(store_outbox_retry(fx->s, &ids[0], 1, NOW + 30, 1,
	    "HTTP 404", &cause), 0);
	assert_int_equal(store_outbox_retry(fx->s, &ids[1], 1, NOW + 30, 5,
	    "HTTP 500", &cause), 0);
	assert_int_equal(store_outbox_retry(fx->s, &ids[2], 1, NOW + 601, 5,
	    "HTTP 429", &cause), 0);
	assert_int_equal(store_outbox_retry(fx->s, &mail, 1, NOW + 601, 5,
	    "HTTP 429", &cause), 0);
	assert_int_equal(store_outbox_due(fx->s, "chat", NOW + 10, 10, NULL, 0,
	    &d, &n, &cause), 0);
	assert_int_equal(n, 1);
	store_deliveries_free(d, n);

	assert_int_equal(store_outbox_revive(fx->s, "chat", NOW + 10, &parked,
	    &waiting, &cause), 0);
	assert_null(cause);
	assert_int_equal(parked, 1);
	assert_int_equal(waiting, 2);
	assert_int_equal(store_outbox_due(fx->s, "chat", NOW + 10, 10, NULL, 0,
	    &d, &n, &cause), 0);
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++) {
		if (d[i].id == ids[0])
			assert_int_equal(d[i].attempts, 0);
		else if (d[i].id == ids[1] || d[i].id == ids[2])
			assert_int_equal(d[i].attempts, 1);
		else
			assert_int_equal(d[i].id, ids[3]);
	}
	store_deliveries_free(d, n);
	assert_int_equal(store_outbox_stats(fx->s, "chat", &os, &cause), 0);
	assert_int_equal(os.pending, 4);
	assert_int_equal(os.failed, 0);
	assert_true(os.next_attempt <= NOW + 10);
	free(os.last_error);
	/* Another notifier's queue is its own. */
	assert_int_equal(store_outbox_due(fx->s, "mail", NOW + 10, 10, NULL, 0,
	    &d, &n, &cause), 0);
	assert_int_equal(n, 0);
	/* Nothing left to hurry. */
	assert_int_equal(store_outbox_revive(fx->s, "chat", NOW + 11, &parked,
	    &waiting, &cause), 0);
	assert_int_equal(parked, 0);
	assert_int_equal(waiting, 0);
}

/*
 * notify list and status: a queue's rows oldest first with their items,
 * attempts, times and errors; only the parked ones when asked; up to a
 * limit.  The next attempt passes over the rows the caller has under
 * way and the parked ones.
 */
static void
test_store_outbox_list_and_next(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_outbox_row		*v;
	struct feed_doc			*doc = mkdoc(1, 3, "g");
	int64_t				 ids[3], next, items[3];
	size_t				 n, i;
	int				 calls = 0;
	char				*cause = NULL;

	store_set_router(fx->s, route_all, &calls);
	/* Nothing queued yet. */
	assert_int_equal(store_outbox_list(fx->s, "chat", 0, 0, NOW, &v, &n,
	    &cause), 0);
	assert_int_equal(n, 0);
	store_outbox_rows_free(v, n);
	assert_int_equal(store_outbox_next(fx->s, "chat", NOW, NULL, 0, &next,
	    &cause), 0);
	assert_int_equal(next, DATE_NONE);

	poll_ok(fx, fx->feed, doc, &r);
	for (i = 0; i < 3; i++)
		items[i] = r.ids[i];
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	due_ids(fx, "chat", ids, 3);
	/*
	 * Stored oldest first (one date: the document's order reversed).
	 * Story 3 parks, Story 2 waits for a Retry-After, Story 1 is due.
	 */
	assert_int_equal(store_outbox_retry(fx->s, &ids[0], 1, NOW + 30, 1,
	    "HTTP 404", &cause), 0);
	assert_int_equal(store_outbox_retry(fx->s, &ids[1], 1, NOW + 601, 5,
	    "HTTP 429: slow down", &cause), 0);

	assert_int_equal(store_outbox_list(fx->s, "chat", 0, 0, NOW, &v, &n,
	    &cause), 0);
	assert_null(cause);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		assert_int_equal(v[i].id, ids[i]);
		assert_int_equal(v[i].feed_id, fx->feed);
		/* One node: none is under way elsewhere. */
		assert_int_equal(v[i].elsewhere, 0);
	}
	assert_int_equal(v[0].item_id, items[0]);
	assert_string_equal(v[0].title, "Story 3");
	assert_int_equal(v[0].attempts, 1);
	assert_true(v[0].parked);
	assert_string_equal(v[0].last_error, "HTTP 404");
	assert_int_equal(v[1].item_id, items[1]);
	assert_string_equal(v[1].title, "Story 2");
	assert_int_equal(v[1].attempts, 1);
	assert_false(v[1].parked);
	assert_int_equal(v[1].next_attempt, NOW + 601);
	assert_string_equal(v[1].last_error, "HTTP 429: slow down");
	assert_int_equal(v[2].item_id, items[2]);
	assert_int_equal(v[2].attempts, 0);
	assert_false(v[2].parked);
	assert_int_equal(v[2].next_attempt, NOW);
	assert_null(v[2].last_error);
	store_outbox_rows_free(v, n);

	/* The parked ones only; a limit; a notifier with nothing queued. */
	assert_int_equal(store_outbox_list(fx->s, "chat", 1, 0, NOW, &v, &n,
	    &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, ids[0]);
	store_outbox_rows_free(v, n);
	assert_int_equal(store_outbox_list(fx->s, "chat", 0, 2, NOW, &v, &n,
	    &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[1].id, ids[1]);
	store_outbox_rows_free(v, n);
	assert_int_equal(store_outbox_list(fx->s, "nosuch", 0, 0, NOW, &v, &n,
	    &cause), 0);
	assert_int_equal(n, 0);
	store_outbox_rows_free(v, n);

	/* Story 3 is due; under way, the next is Story 2's Retry-After. */
	assert_int_equal(store_outbox_next(fx->s, "chat", NOW + 1, NULL, 0,
	    &next, &cause), 0);
	assert_int_equal(next, NOW);
	assert_int_equal(store_outbox_next(fx->s, "chat", NOW + 1, &ids[2], 1,
	    &next, &cause), 0);
	assert_int_equal(next, NOW + 601);
	assert_int_equal(store_outbox_next(fx->s, "chat", NOW + 1, &ids[1], 2,
	    &next, &cause), 0);
	assert_int_equal(next, DATE_NONE);	/* the parked row is not next */
}

/*
 * A pass in steps of 7: 70 feeds (more than one step looks at) of 10
 * items, the newest 4 of each kept, one starred item kept beyond: no step
 * removes more than 7, and the pass ends with what one pass at once
 * leaves.
 */
static void
test_store_retention_in_steps(void **state)
{
	struct fixture			*fx = *state;
	struct store_feed_conf		 conf;
	struct store_poll_result	 r;
	struct store_retention		 ret;
	struct store_stats		 st;
	struct feed_doc			*doc;
	size_t				 before, changed, steps = 0;
	int64_t				 feed, starred = 0;
	char				 url[64], *cause = NULL;
	int				 f;

	for (f = 0; f < 70; f++) {
		memset(&conf, 0, sizeof(conf));
		snprintf(url, sizeof(url), "https://f%d.example/feed", f);
		conf.url = url;
		conf.interval = -1;
		conf.enabled = 1;
		conf.origin = STORE_ORIGIN_RUNTIME;
		assert_int_equal(store_feed_add(fx->s, &conf, &feed, &cause), 0);
		doc = mkdoc(1, 10, "g");
		poll_ok(fx, feed, doc, &r);
		if (f == 33)
			starred = r.ids[0];
		store_poll_result_clear(&r);
		feed_doc_free(doc);
	}
	assert_int_equal(store_items_mark(fx->s, &starred, 1, -1, 1,
	    &changed, &cause), 0);
	memset(&ret, 0, sizeof(ret));
	ret.max_items = 4;
	ret.now = NOW + 10;
	while (!ret.done) {
		before = ret.removed;
		assert_int_equal(store_retention_step(fx->s, &ret, 7, &cause),
		    0);
		assert_true(ret.removed - before <= 7);
		assert_true(++steps < 1000);
	}
	assert_int_equal(ret.removed, 70 * 6 - 1);
	assert_true(steps >= (70 * 6 - 1) / 7);
	assert_int_equal(store_stats(fx->s, &st, &cause), 0);
	assert_int_equal(st.items, 70 * 4 + 1);

	/* Nothing left: a second pass removes nothing. */
	memset(&ret, 0, sizeof(ret));
	ret.max_items = 4;
	ret.now = NOW + 20;
	while (!ret.done)
		assert_int_equal(store_retention_step(fx->s, &ret, 7, &cause),
		    0);
	assert_int_equal(ret.removed, 0);
}

/* A new consumer starts after the newest item; its filters stick. */
static void
test_store_consumer_filters(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_feed_conf		 conf;
	struct store_consumer		 c;
	struct feed_doc			*doc = mkdoc(1, 3, "g");
	struct feed_doc			*doc2 = mkdoc(10, 2, "o");
	struct store_item		*v;
	const char			*tags[] = { "other" };
	char				*cause = NULL;
	int64_t				 other, cursor;
	size_t				 n, i;
	sqlite3				*db;

	memset(&conf, 0, sizeof(conf));
	conf.url = "https://other.example/feed";
	conf.tags = tags;
	conf.ntags = 1;
	conf.interval = -1;
	conf.enabled = 1;
	conf.origin = STORE_ORIGIN_RUNTIME;
	assert_int_equal(store_feed_add(fx->s, &conf, &other, &cause), 0);
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);

	/* New: nothing of the archive. */
	memset(&c, 0, sizeof(c));
	c.name = "cron";
	c.tag = "news";
	assert_int_equal(store_consumer_fetch(fx->s, &c, &v, &n, &cause), 0);
	assert_int_equal(n, 0);
	store_items_free(v, n);
	/* --from-start: all of it, of its feeds only. */
	c.name = "all";
	c.from_start = 1;
	c.tag = NULL;
	c.feed_id = other;
	assert_int_equal(store_consumer_fetch(fx->s, &c, &v, &n, &cause), 0);
	assert_int_equal(n, 0);
	store_items_free(v, n);

	poll_ok(fx, other, doc2, &r);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	doc = mkdoc(1, 4, "g");
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 1);
	store_poll_result_clear(&r);

	/* Remembered: no filter given, the tag still applies. */
	memset(&c, 0, sizeof(c));
	c.name = "cron";
	assert_int_equal(store_consumer_fetch(fx->s, &c, &v, &n, &cause), 0);
	assert_int_equal(n, 1);
	for (i = 0; i < n; i++)
		assert_int_equal(v[i].feed_id, fx->feed);
	store_items_free(v, n);
	c.name = "all";
	assert_int_equal(store_consumer_fetch(fx->s, &c, &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].feed_id, other);
	store_items_free(v, n);
	/* Another filter: refused, and says what it has. */
	c.name = "cron";
	c.tag = "other";
	assert_int_equal(store_consumer_fetch(fx->s, &c, &v, &n, &cause),
	    -1);
	assert_non_null(strstr(cause, "tag \"news\""));
	free(cause);
	cause = NULL;
	c.tag = NULL;
	c.feed_id = other;
	assert_int_equal(store_consumer_fetch(fx->s, &c, &v, &n, &cause),
	    -1);
	free(cause);
	cause = NULL;

	/* An acknowledgement makes no consumer: its first fetch does. */
	assert_int_equal(store_consumer_ack(fx->s, "old", 1, &cursor,
	    &cause), -1);
	assert_non_null(strstr(cause, "no consumer old"));
	free(cause);
	cause = NULL;
	/* One made before filters existed takes the first ones given. */
	if (pg_conninfo != NULL)
		pg_sql("INSERT INTO consumers (name, cursor, updated) "
		    "VALUES ('old', 1, 0)");
	else {
		assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, "INSERT INTO consumers "
		    "(name, cursor, updated) VALUES ('old', 1, 0)", NULL,
		    NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
	}
	memset(&c, 0, sizeof(c));
	c.name = "old";
	c.feed_id = other;
	assert_int_equal(store_consumer_fetch(fx->s, &c, &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	store_items_free(v, n);
	c.feed_id = fx->feed;
	assert_int_equal(store_consumer_fetch(fx->s, &c, &v, &n, &cause),
	    -1);
	free(cause);
	feed_doc_free(doc);
	feed_doc_free(doc2);
}

/*
 * A consumer keeps its feed by URL and follows it subscribed again; says
 * so when the feed is gone; refuses a tag no feed has; retention keeps
 * what a consumer has not acknowledged until it is removed.
 */
static void
test_store_consumer_feed_url_retention(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_feed_conf		 conf;
	struct store_consumer		 c;
	struct store_consumer_info	*ci;
	struct store_feed		*f;
	struct feed_doc			*doc = mkdoc(1, 3, "g");
	struct store_item		*v;
	char				*cause = NULL, *url;
	int64_t				 again, cursor, newest;
	size_t				 n, nci, removed;

	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	assert_non_null(f = store_feed_get(fx->s, fx->feed));
	url = xstrdup(f->url);
	store_feed_free(f);
	memset(&c, 0, sizeof(c));
	c.name = "job";
	c.feed_id = fx->feed;
	c.feed_url = url;
	c.from_start = 1;
	assert_int_equal(store_consumer_fetch(fx->s, &c, &v, &n, &cause), 0);
	assert_int_equal(n, 3);
	assert_int_equal(store_consumer_ack(fx->s, "job", v[2].id, &cursor,
	    &cause), 0);
	store_items_free(v, n);

	/* Removed and subscribed again: a new id, the same consumer. */
	assert_int_equal(store_feed_remove(fx->s, fx->feed, &cause), 0);
	memset(&conf, 0, sizeof(conf));
	conf.url = url;
	conf.interval = -1;
	conf.enabled = 1;
	conf.origin = STORE_ORIGIN_RUNTIME;
	assert_int_equal(store_feed_add(fx->s, &conf, &again, &cause), 0);
	assert_true(again != fx->feed);
	feed_doc_free(doc);
	doc = mkdoc(1, 5, "g");
	poll_ok(fx, again, doc, &r);
	store_poll_result_clear(&r);
	memset(&c, 0, sizeof(c));
	c.name = "job";
	assert_int_equal(store_consumer_fetch(fx->s, &c, &v, &n, &cause), 0);
	assert_int_equal(n, 5);
	assert_int_equal(v[0].feed_id, again);
	store_items_free(v, n);
	/* Named again by its new id: the same filter. */
	c.feed_id = again;
	c.feed_url = url;
	assert_int_equal(store_consumer_fetch(fx->s, &c, &v, &n, &cause), 0);
	store_items_free(v, n);

	/* What it has not acknowledged stays through retention. */
	assert_int_equal(store_consumers_list(fx->s, &ci, &nci, &cause), 0);
	assert_int_equal(nci, 1);
	assert_string_equal(ci[0].name, "job");
	assert_string_equal(ci[0].feed, url);
	assert_int_equal(ci[0].feed_id, again);
	assert_null(ci[0].tag);
	assert_int_equal(ci[0].cursor, cursor);
	assert_int_equal(ci[0].unacked, 5);
	store_consumers_free(ci, nci);
	assert_int_equal(store_retention(fx->s, 0, 1, NOW + 10, &removed,
	    &cause), 0);
	assert_int_equal(removed, 0);
	assert_int_equal(store_consumer_fetch(fx->s, &c, &v, &n, &cause), 0);
	assert_int_equal(n, 5);
	newest = v[2].id;
	store_items_free(v, n);
	/* Acknowledged up to the third: the two before it can go. */
	assert_int_equal(store_consumer_ack(fx->s, "job", newest, &cursor,
	    &cause), 0);
	assert_int_equal(store_retention(fx->s, 0, 1, NOW + 10, &removed,
	    &cause), 0);
	assert_int_equal(removed, 3);
	/* Removed, it keeps nothing. */
	assert_int_equal(store_consumer_remove(fx->s, "job", &cause), 0);
	assert_int_equal(store_retention(fx->s, 0, 1, NOW + 10, &removed,
	    &cause), 0);
	assert_int_equal(removed, 1);
	assert_int_equal(store_consumer_remove(fx->s, "job", &cause), -1);
	assert_non_null(strstr(cause, "no consumer job"));
	free(cause);
	cause = NULL;

	/* Its feed gone for good: an error that says so, not nothing. */
	c.name = "gone";
	c.feed_id = again;
	c.feed_url = url;
	c.from_start = 0;
	assert_int_equal(store_consumer_fetch(fx->s, &c, &v, &n, &cause), 0);
	store_items_free(v, n);
	assert_int_equal(store_feed_remove(fx->s, again, &cause), 0);
	memset(&c, 0, sizeof(c));
	c.name = "gone";
	assert_int_equal(store_consumer_fetch(fx->s, &c, &v, &n, &cause),
	    -1);
	assert_non_null(strstr(cause, "not subscribed now"));
	assert_non_null(strstr(cause, url));
	free(cause);
	cause = NULL;

	/* A tag no feed has: refused, and no consumer is made. */
	c.name = "typo";
	c.tag = "nwes";
	assert_int_equal(store_consumer_fetch(fx->s, &c, &v, &n, &cause),
	    -1);
	assert_non_null(strstr(cause, "no feed has tag \"nwes\""));
	free(cause);
	cause = NULL;
	assert_int_equal(store_consumers_list(fx->s, &ci, &nci, &cause), 0);
	assert_int_equal(nci, 1);
	assert_string_equal(ci[0].name, "gone");
	assert_int_equal(ci[0].feed_id, 0);
	store_consumers_free(ci, nci);
	free(url);
	feed_doc_free(doc);
}

/* A consumer of a schema-12 file gets its feed's URL. */
static void
test_store_consumer_url_migrates(void **state)
{
	struct fixture			*fx = *state;
	struct store_consumer		 c;
	struct store_consumer_info	*ci;
	struct store_item		*v;
	char				*cause = NULL;
	size_t				 n;

	if (pg_conninfo != NULL)
		skip();
	memset(&c, 0, sizeof(c));
	c.name = "job";
	c.feed_id = fx->feed;
	assert_int_equal(store_consumer_fetch(fx->s, &c, &v, &n, &cause), 0);
	store_items_free(v, n);
	reopen_older(fx, DROP_SINCE_12 "PRAGMA user_version = 12");
	assert_int_equal(store_consumers_list(fx->s, &ci, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ci[0].feed, "https://www.devdiscourse.com/rss/"
	    "world");
	assert_int_equal(ci[0].feed_id, fx->feed);
	store_consumers_free(ci, n);
}

/* Newest N in id order; starred; marking by selection. */
static void
test_store_items_newest_starred_mark_where(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_item		*v;
	struct feed_doc			*doc = mkdoc(1, 6, "g");
	char				*cause = NULL;
	size_t				 n, changed;
	int64_t				 ids[6], star;
	size_t				 i;

	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 6);
	for (i = 0; i < 6; i++)
		ids[i] = r.ids[i];
	store_poll_result_clear(&r);
	assert_int_equal(store_items_list(fx->s, &(struct store_query){
	    .newest = 1, .limit = 2 }, &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].id, ids[4]);
	assert_int_equal(v[1].id, ids[5]);
	store_items_free(v, n);
	/* With a cursor, the first after it. */
	assert_int_equal(store_items_list(fx->s, &(struct store_query){
	    .since = ids[0], .limit = 2 }, &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].id, ids[1]);
	store_items_free(v, n);

	star = ids[2];
	assert_int_equal(store_items_mark(fx->s, &star, 1, -1, 1, &changed,
	    &cause), 0);
	assert_int_equal(store_items_list(fx->s, &(struct store_query){
	    .starred = 1 }, &v, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, star);
	store_items_free(v, n);

	/* Read up to ids[3] of the tag: four; then all: two more. */
	assert_int_equal(store_items_mark_where(fx->s, &(struct store_query){
	    .tag = "news", .before = ids[3] }, 1, -1, &changed, &cause), 0);
	assert_int_equal(changed, 4);
	assert_int_equal(store_items_mark_where(fx->s, &(struct store_query){
	    .tag = "nosuch" }, 1, -1, &changed, &cause), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(store_items_mark_where(fx->s, &(struct store_query){
	    .feed_id = fx->feed }, 1, -1, &changed, &cause), 0);
	assert_int_equal(changed, 2);
	assert_int_equal(store_items_mark_where(fx->s, &(struct store_query){
	    .before = 0 }, 0, -1, &changed, &cause), 0);
	assert_int_equal(changed, 6);
	feed_doc_free(doc);
}

/*
 * Two stores on one PostgreSQL database (two feedd nodes): a row one
 * reads due is claimed, and the other passes over it until the lease
 * runs out or the row is given up by a failed attempt; each row goes to
 * one of them at a time, and none is lost.
 */
/* The next notification on "conn"'s channels within "ms", or NULL. */
static char *
pg_next_notify(PGconn *conn, int ms)
{
	PGnotify	*n;
	char		*payload;
	struct pollfd	 pfd;
	int		 i;

	for (i = 0; i < ms / 100; i++) {
		if (!PQconsumeInput(conn))
			fail_msg("postgresql: %s", PQerrorMessage(conn));
		if ((n = PQnotifies(conn)) != NULL) {
			payload = strdup(n->extra);
			PQfreemem(n);
			return (payload);
		}
		pfd.fd = PQsocket(conn);
		pfd.events = POLLIN;
		(void)poll(&pfd, 1, 100);
	}
	return (NULL);
}

/*
 * With another node on the database, a commit of polls announces the
 * host slots it frees ("H<key>:<slots> <node>"; test_store_listen has
 * the listener's side); alone, it does not.
 */
static void
test_store_pg_hosts_freed(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store			*b, *own;
	struct feed_doc			*doc;
	PGconn				*conn;
	int64_t				 key;
	char				*payload, *cause = NULL, want[64];

	if (pg_conninfo == NULL)
		skip();
	conn = PQconnectdb(pg_conninfo);
	assert_int_equal(PQstatus(conn), CONNECTION_OK);
	PQclear(PQexec(conn, "LISTEN feedd_items"));
	/* Alone, with a second connection of its own (a claimer, an
	 * indexer): no word of hosts. */
	assert_non_null(own = store_open(pg_conninfo, &cause));
	store_set_node_id(own, store_node_id(fx->s));
	doc = mkdoc(1, 1, "h");
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	while ((payload = pg_next_notify(conn, 1000)) != NULL) {
		assert_true(payload[0] != 'H');
		free(payload);
	}
	store_close(own);
	/* Another node: the feed's host and its one slot. */
	assert_non_null(b = store_open(pg_conninfo, &cause));
	sleep(3);	/* PG_PEERS_EVERY: the count is taken again */
	doc = mkdoc(2, 2, "h");
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	key = pg_sql("SELECT hashtext(host) FROM feeds ORDER BY id LIMIT 1");
	snprintf(want, sizeof(want), "H%lld:1 ", (long long)key);
	for (;;) {
		assert_non_null(payload = pg_next_notify(conn, 10000));
		if (payload[0] == 'H')
			break;
		free(payload);
	}
	assert_int_equal(strncmp(payload, want, strlen(want)), 0);
	free(payload);
	PQfinish(conn);

	store_close(b);
}

static void
test_store_pg_outbox_leases(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store_delivery		*d;
	struct store_outbox_row		*rows;
	struct store			*b;
	struct feed_doc			*doc;
	int64_t				 a_ids[2], b_id, next;
	size_t				 n, i;
	int				 calls = 0;
	char				*cause = NULL;

	if (pg_conninfo == NULL)
		skip();
	doc = mkdoc(1, 3, "g");
	store_set_router(fx->s, route_all, &calls);
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	assert_non_null(b = store_open(pg_conninfo, &cause));

	/* A claims two; B gets only the third, then nothing. */
	assert_int_equal(store_outbox_due(fx->s, "chat", NOW, 2, NULL, 0, &d,
	    &n, &cause), 0);
	assert_int_equal(n, 2);
	a_ids[0] = d[0].id;
	a_ids[1] = d[1].id;
	store_deliveries_free(d, n);
	assert_int_equal(store_outbox_due(b, "chat", NOW, 10, NULL, 0, &d, &n,
	    &cause), 0);
	assert_int_equal(n, 1);
	b_id = d[0].id;
	assert_true(b_id != a_ids[0] && b_id != a_ids[1]);
	store_deliveries_free(d, n);
	assert_int_equal(store_outbox_due(b, "chat", NOW + 10, 10, &b_id, 1,
	    &d, &n, &cause), 0);
	assert_int_equal(n, 0);
	/* A still sees its own (the caller's skip list aside). */
	assert_int_equal(store_outbox_due(fx->s, "chat", NOW, 10, NULL, 0, &d,
	    &n, &cause), 0);
	assert_int_equal(n, 2);
	store_deliveries_free(d, n);
	/* Status's next attempt: B's row is under way on B, A's are A's. */
	assert_int_equal(store_outbox_next(fx->s, "chat", NOW + 1, a_ids, 2,
	    &next, &cause), 0);
	assert_int_equal(next, DATE_NONE);
	assert_int_equal(store_outbox_next(fx->s, "chat", NOW + 1, NULL, 0,
	    &next, &cause), 0);
	assert_int_equal(next, NOW);
	/* In flight elsewhere: B's one for A, A's two for B; in a list,
	 * the row says so. */
	assert_int_equal(store_outbox_elsewhere(fx->s, "chat", NOW + 1,
	    &next, &cause), 0);
	assert_int_equal(next, 1);
	assert_int_equal(store_outbox_elsewhere(b, "chat", NOW + 1, &next,
	    &cause), 0);
	assert_int_equal(next, 2);
	assert_int_equal(store_outbox_list(fx->s, "chat", 0, 0, NOW + 1, &rows,
	    &n, &cause), 0);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++)
		assert_int_equal(rows[i].elsewhere, rows[i].id == b_id);
	store_outbox_rows_free(rows, n);
	/* A lease over is nobody's. */
	assert_int_equal(store_outbox_elsewhere(fx->s, "chat", NOW + 3600,
	    &next, &cause), 0);
	assert_int_equal(next, 0);

	/* A delivers one and fails the other: that one is anybody's. */
	assert_int_equal(store_outbox_done(fx->s, &a_ids[0], 1, &cause), 0);
	assert_int_equal(store_outbox_retry(fx->s, &a_ids[1], 1, NOW + 60, 5,
	    "HTTP 500", &cause), 0);
	assert_int_equal(store_outbox_due(b, "chat", NOW + 60, 10, &b_id, 1,
	    &d, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(d[0].id, a_ids[1]);
	assert_int_equal(d[0].attempts, 1);
	store_deliveries_free(d, n);

	/* B dies holding both: A takes them at once, not when the lease
	 * runs out (NOW + 360). */
	pg_node_dies(b);
	assert_int_equal(store_outbox_due(fx->s, "chat", NOW + 61, 10, NULL,
	    0, &d, &n, &cause), 0);
	assert_int_equal(n, 2);
	store_deliveries_free(d, n);
}

/*
 * Polling with several nodes on one database: the node that claims a
 * due feed polls it; the others are told when to look again, and do not
 * poll it again before it is due by the database's reckoning; a node
 * that dies loses the claim when the lease runs out.  On sqlite (one
 * node) every feed is always this node's.
 */
static void
test_store_feed_claims(void **state)
{
	struct fixture			*fx = *state;
	struct store_poll_result	 r;
	struct store			*b;
	struct feed_doc			*doc;
	int64_t				 retry;
	char				*cause = NULL;

	if (pg_conninfo == NULL) {
		assert_int_equal(store_feed_claim(fx->s, fx->feed, NOW, 0,
		    &retry, &cause), 1);
		assert_int_equal(store_feed_claim(fx->s, fx->feed, NOW, 0,
		    &retry, &cause), 1);
		return;
	}
	assert_non_null(b = store_open(pg_conninfo, &cause));
	/* A new feed is due: A claims it, B is told to look again soon. */
	assert_int_equal(store_feed_claim(fx->s, fx->feed, NOW, 0, &retry,
	    &cause), 1);
	assert_int_equal(store_feed_claim(b, fx->feed, NOW, 0, &retry,
	    &cause), 0);
	assert_int_equal(retry, NOW + 5);
	/* A stores its poll (next at NOW + 900): the lease goes with it. */
	doc = mkdoc(1, 2, "g");
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	assert_int_equal(store_feed_claim(b, fx->feed, NOW + 10, 0, &retry,
	    &cause), 0);
	assert_int_equal(retry, NOW + 900);
	/* Asked for by hand, B polls it anyway; then A must wait. */
	assert_int_equal(store_feed_claim(b, fx->feed, NOW + 10, 1, &retry,
	    &cause), 1);
	assert_int_equal(store_feed_claim(fx->s, fx->feed, NOW + 20, 1,
	    &retry, &cause), 0);
	assert_int_equal(retry, NOW + 25);
	/* B dies before storing it: A takes it at once, not when the
	 * lease runs out (NOW + 310). */
	pg_node_dies(b);
	assert_int_equal(store_feed_claim(fx->s, fx->feed, NOW + 21, 1,
	    &retry, &cause), 1);
}

/*
 * PostgreSQL's schema: versioned, migrated under an advisory lock by
 * whoever comes first, a database from a newer feedd refused, and
 * tables named like feedd's that are not feedd's never touched.
 */
static void
test_store_pg_schema(void **state)
{
	struct fixture			*fx = *state;
	struct store			*s2;
	struct store_feed		*f;
	struct store_poll_result	 r;
	struct feed_doc			*doc;
	char				*cause = NULL, *big;
	size_t				 i;

	if (pg_conninfo == NULL)
		skip();
	assert_int_equal(pg_sql("SELECT value FROM feedd_meta WHERE "
	    "name = 'schema'"), PG_LATEST);
	/* A second node opening the same database finds it current. */
	s2 = store_open(pg_conninfo, &cause);
	assert_null(cause);
	assert_non_null(s2);
	assert_non_null(f = store_feed_get(s2, fx->feed));
	store_feed_free(f);
	store_close(s2);

	/*
	 * A schema-1 database (no leases, options, removed URLs or podcast
	 * fields, the search vectors in the items' rows) is migrated, and
	 * what it held reads back and is found.
	 */
	doc = mkdoc(1, 2, "m");
	set_content(doc, 0, "<p>A narwhal was seen</p>");
	poll_ok(fx, fx->feed, doc, &r);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	index_all(fx, 0);
	store_close(fx->s);
	pg_sql("ALTER TABLE outbox DROP COLUMN lease_owner, DROP COLUMN "
	    "lease_until; ALTER TABLE feeds DROP COLUMN lease_owner, "
	    "DROP COLUMN lease_until, DROP COLUMN options, "
	    "DROP COLUMN runtime_tags, DROP COLUMN host, DROP COLUMN hints, "
	    "DROP COLUMN runtime_title; "
	    "DROP TABLE feeds_removed; "
	    "ALTER TABLE items DROP COLUMN image, DROP COLUMN episode, "
	    "DROP COLUMN season, DROP COLUMN base; DROP TABLE feed_counts; "
	    "DROP TRIGGER feeds_counts_ai ON feeds; "
	    "DROP TRIGGER items_counts_ad ON items; "
	    "DROP TRIGGER items_counts_au ON items; "
	    "DROP FUNCTION feedd_counts_feed, feedd_counts_delete, "
	    "feedd_counts_update; DROP TABLE nodes; "
	    "ALTER TABLE items ADD COLUMN tsv TSVECTOR; "
	    "UPDATE items i SET tsv = s.tsv FROM item_search s "
	    "WHERE s.item_id = i.id; "
	    "DROP TABLE item_search, search_todo; "
	    "CREATE INDEX items_tsv ON items USING GIN (tsv); "
	    "ALTER TABLE consumers DROP COLUMN feed_url; "
	    "UPDATE feedd_meta SET value = 1 WHERE name = 'schema'");
	fx->s = store_open(pg_conninfo, &cause);
	assert_null(cause);
	assert_non_null(fx->s);
	assert_int_equal(pg_sql("SELECT value FROM feedd_meta WHERE "
	    "name = 'schema'"), PG_LATEST);
	assert_int_equal(pg_sql("SELECT count(lease_owner) FROM outbox"), 0);
	assert_null(store_feed_options(fx->s, fx->feed));
	assert_int_equal(pg_sql("SELECT count(*) FROM feeds_removed"), 0);
	assert_int_equal(pg_sql("SELECT count(episode) FROM items"), 0);
	assert_int_equal(pg_sql("SELECT count(base) FROM items"), 0);
	assert_int_equal(pg_sql("SELECT count(*) FROM nodes"), 0);
	assert_int_equal(pg_sql("SELECT count(hints) FROM feeds"), 0);
	assert_int_equal(index_lag(fx), 0);
	assert_int_equal(search_count(fx, "narwhal"), 1);
	assert_int_equal(pg_sql("SELECT count(*) FROM item_search"), 2);
	/* Large values are compressed with lz4 where the server has it. */
	if (pg_sql("SELECT count(*) FROM pg_settings WHERE name = "
	    "'default_toast_compression' AND 'lz4' = ANY (enumvals)") == 1) {
		doc = mkdoc(3, 1, "z");
		big = xcalloc(1, 20001);
		for (i = 0; i < 20000; i++)
			big[i] = "narwhal tusk "[i % 13];
		set_content(doc, 0, big);
		poll_ok(fx, fx->feed, doc, &r);
		store_poll_result_clear(&r);
		feed_doc_free(doc);
		index_all(fx, 0);
		assert_int_equal(pg_sql("SELECT count(*) FROM items WHERE "
		    "pg_column_compression(content) = 'lz4' AND "
		    "length(content) = 20000"), 1);
		assert_int_equal(pg_sql("SELECT count(*) FROM pg_attribute "
		    "WHERE attrelid = 'item_search'::regclass AND "
		    "attname = 'tsv' AND attcompression = 'l'"), 1);
		free(big);
	}

	pg_sql("UPDATE feedd_meta SET value = 99 WHERE name = 'schema'");
	assert_null(store_open(pg_conninfo, &cause));
	assert_non_null(strstr(cause, "made by a newer feedd (schema 99"));
	free(cause);
	cause = NULL;

	store_close(fx->s);
	fx->s = NULL;
	pg_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public; "
	    "CREATE TABLE feeds (x int)");
	assert_null(store_open(pg_conninfo, &cause));
	assert_non_null(strstr(cause, "not feedd's"));
	free(cause);
	fx->s = NULL;
	pg_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
	fx->s = store_open(pg_conninfo, &cause);
	assert_non_null(fx->s);

	/* Unreachable: the message says so, without the password. */
	assert_null(store_open("postgresql://feedd:s3cret@127.0.0.1:1/feedd"
	    "?connect_timeout=2", &cause));
	assert_non_null(strstr(cause, "cannot connect"));
	assert_null(strstr(cause, "s3cret"));
	free(cause);
}

/*
 * The nodes table: a beat makes or refreshes a node's row, the list
 * counts the leases each holds now, a beat prunes rows dead for
 * STORE_NODE_PRUNE, and a node that leaves is gone.  sqlite has no
 * nodes: no id, nothing listed.
 */
static void
test_store_nodes(void **state)
{
	struct fixture		*fx = *state;
	struct store		*b;
	struct store_node	*v;
	struct store_feed_conf	 conf;
	struct store		*c;
	const char		*a_id, *b_id;
	char			*cause = NULL, *c_id;
	size_t			 n;
	int64_t			 retry, c_feed;

	if (pg_conninfo == NULL) {
		assert_null(store_node_id(fx->s));
		assert_int_equal(store_node_beat(fx->s, "x", "1", NOW, NOW,
		    &cause), 0);
		assert_int_equal(store_nodes_list(fx->s, NOW, &v, &n, &cause),
		    0);
		assert_int_equal(n, 0);
		store_nodes_free(v, n);
		return;
	}
	assert_non_null(b = store_open(pg_conninfo, &cause));
	assert_non_null(a_id = store_node_id(fx->s));
	assert_non_null(b_id = store_node_id(b));
	assert_string_not_equal(a_id, b_id);
	/* The beat runs on another connection than the one leasing. */
	assert_int_equal(store_node_beat(b, a_id, "1.0", NOW - 100, NOW,
	    &cause), 0);
	assert_int_equal(store_node_beat(b, b_id, "1.1", NOW - 50, NOW + 1,
	    &cause), 0);
	assert_int_equal(store_feed_claim(fx->s, fx->feed, NOW, 1, &retry,
	    &cause), 1);
	assert_int_equal(store_nodes_list(b, NOW + 2, &v, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].owner, a_id);
	assert_string_equal(v[0].version, "1.0");
	assert_int_equal(v[0].pid, getpid());
	assert_non_null(v[0].host);
	assert_non_null(strstr(a_id, v[0].host));
	assert_int_equal(v[0].started, NOW - 100);
	assert_int_equal(v[0].heartbeat, NOW);
	assert_int_equal(v[0].feeds, 1);
	assert_int_equal(v[0].outbox, 0);
	assert_string_equal(v[1].owner, b_id);
	assert_int_equal(v[1].feeds, 0);
	assert_true(v[0].connected);
	assert_true(v[1].connected);
	store_nodes_free(v, n);
	/* C claims a feed and dies: listed, not connected, holding none. */
	memset(&conf, 0, sizeof(conf));
	conf.url = "https://c.example/feed";
	conf.interval = -1;
	conf.enabled = 1;
	assert_int_equal(store_feed_add(fx->s, &conf, &c_feed, &cause), 0);
	assert_non_null(c = store_open(pg_conninfo, &cause));
	c_id = xstrdup(store_node_id(c));
	assert_int_equal(store_node_beat(c, c_id, "1.2", NOW, NOW, &cause),
	    0);
	assert_int_equal(store_feed_claim(c, c_feed, NOW, 1, &retry, &cause),
	    1);
	assert_int_equal(store_nodes_list(b, NOW + 2, &v, &n, &cause), 0);
	assert_int_equal(n, 3);
	assert_string_equal(v[2].owner, c_id);
	assert_true(v[2].connected);
	assert_int_equal(v[2].feeds, 1);
	store_nodes_free(v, n);
	pg_node_dies(c);
	assert_int_equal(store_nodes_list(b, NOW + 2, &v, &n, &cause), 0);
	assert_int_equal(n, 3);
	assert_string_equal(v[2].owner, c_id);
	assert_false(v[2].connected);
	assert_int_equal(v[2].feeds, 0);
	assert_true(v[0].connected);
	store_nodes_free(v, n);
	assert_int_equal(store_node_leave(b, c_id, &cause), 0);
	free(c_id);
	/* A beat refreshes; a lease run out is not counted. */
	assert_int_equal(store_node_beat(fx->s, a_id, "1.0", NOW - 100,
	    NOW + 10, &cause), 0);
	assert_int_equal(store_nodes_list(fx->s, NOW + 3600, &v, &n, &cause),
	    0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].heartbeat, NOW + 10);
	assert_int_equal(v[0].started, NOW - 100);
	assert_int_equal(v[0].feeds, 0);
	store_nodes_free(v, n);
	/* B beats a day later: A's row, dead that long, goes; B's stays. */
	assert_int_equal(store_node_beat(b, b_id, "1.1", NOW - 50,
	    NOW + 11 + STORE_NODE_PRUNE, &cause), 0);
	assert_int_equal(pg_sql("SELECT count(*) FROM nodes"), 1);
	assert_int_equal(store_node_beat(b, b_id, "1.1", NOW - 50,
	    NOW + 12 + STORE_NODE_PRUNE, &cause), 0);
	assert_int_equal(pg_sql("SELECT count(*) FROM nodes"), 1);
	/* B leaves: none. */
	assert_int_equal(store_node_leave(b, b_id, &cause), 0);
	assert_int_equal(store_nodes_list(fx->s, NOW, &v, &n, &cause), 0);
	assert_int_equal(n, 0);
	store_nodes_free(v, n);
	assert_null(cause);
	store_close(b);
}

/*
 * Drives a listener as the daemon's loop does, for at most "ms"
 * milliseconds or until it wakes; its wake, the newest id in "*max".
 */
static int
listen_run(struct store_listen *l, int ms, int64_t *max)
{
	struct pollfd	 pfd;
	struct timespec	 t0, t1, last;
	int64_t		 secs;
	int		 want, rc, wake = 0, el;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	last = t0;
	*max = 0;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if ((t1.tv_sec - t0.tv_sec) * 1000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000000 >= ms)
			return (0);
		want = store_listen_want(l, &secs);
		pfd.fd = store_listen_fd(l);
		pfd.events = ((want & STORE_LISTEN_READ) ? POLLIN : 0) |
		    ((want & STORE_LISTEN_WRITE) ? POLLOUT : 0);
		pfd.revents = 0;
		rc = poll(&pfd, pfd.fd != -1 && pfd.events != 0 ? 1 : 0, 50);
		assert_true(rc >= 0);
		if (rc == 0) {
			/* The wait it asked for ran out: tell it so. */
			clock_gettime(CLOCK_MONOTONIC, &t1);
			el = (int)((t1.tv_sec - last.tv_sec) * 1000 +
			    (t1.tv_nsec - last.tv_nsec) / 1000000);
			if (secs < 0 || el < secs * 1000)
				continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &last);
		wake = store_listen_step(l, rc == 0, max);
		if (wake)
			return (wake);
	}
}

/*
 * Other nodes' items: a poll's commit notifies "feedd_items" with the
 * newest id and the sending process; a listener wakes for another
 * process's notification (not for its own process's), and listens again
 * after its connection is cut, waking then with no id (any cursor may
 * be behind).  sqlite has nothing to listen to.
 */
static void
test_store_listen(void **state)
{
	struct fixture			*fx = *state;
	struct store_listen		*l;
	struct store_poll_result	 r;
	struct feed_doc			*doc;
	PGconn				*raw;
	PGnotify			*n;
	uint32_t			*hosts;
	int64_t				 max;
	char				 want[64];
	int				 i, all;

	if (pg_conninfo == NULL) {
		assert_null(store_listen_new(fx->path));
		return;
	}
	assert_non_null(l = store_listen_new(pg_conninfo));
	/* Connecting and LISTEN: no wake the first time. */
	assert_int_equal(listen_run(l, 1500, &max), 0);
	assert_int_equal(store_listen_want(l, &max), STORE_LISTEN_READ);
	assert_int_equal(max, -1);

	/* Another process's commit: the listener wakes with its id. */
	pg_sql("SELECT pg_notify('feedd_items', '42 elsewhere:1:00000001')");
	assert_int_equal(listen_run(l, 5000, &max), 1);
	assert_int_equal(max, 42);
	/* Two at once: one wake, the newest id. */
	pg_sql("SELECT pg_notify('feedd_items', '50 elsewhere:1:00000001'), "
	    "pg_notify('feedd_items', '47 other:2:00000002')");
	assert_int_equal(listen_run(l, 5000, &max), 1);
	assert_int_equal(max, 50);
	assert_int_equal(listen_run(l, 300, &max), 0);

	/* This process's poll: notified at commit with the newest id, and
	 * passed over by this process's listener. */
	raw = PQconnectdb(pg_conninfo);
	assert_int_equal(PQstatus(raw), CONNECTION_OK);
	PQclear(PQexec(raw, "LISTEN feedd_items"));
	doc = mkdoc(0, 3, "g");
	poll_ok(fx, fx->feed, doc, &r);
	assert_int_equal(r.nids, 3);
	for (i = 0; i < 50; i++) {
		PQconsumeInput(raw);
		if ((n = PQnotifies(raw)) != NULL)
			break;
		usleep(20000);
	}
	assert_non_null(n);
	snprintf(want, sizeof(want), "%lld ", (long long)r.ids[2]);
	assert_memory_equal(n->extra, want, strlen(want));
	snprintf(want, sizeof(want), ":%ld:", (long)getpid());
	assert_non_null(strstr(n->extra, want));
	PQfreemem(n);
	PQfinish(raw);
	store_poll_result_clear(&r);
	feed_doc_free(doc);
	assert_int_equal(listen_run(l, 500, &max), 0);

	/* Cut off: it connects again, LISTENs again, and wakes. */
	pg_sql("SELECT count(pg_terminate_backend(pid)) FROM "
	    "pg_stat_activity WHERE query = 'LISTEN feedd_items'");
	assert_int_equal(listen_run(l, 8000, &max), 1);
	assert_int_equal(max, 0);
	pg_sql("SELECT pg_notify('feedd_items', '99 elsewhere:1:00000001')");
	assert_int_equal(listen_run(l, 5000, &max), 1);
	assert_int_equal(max, 99);

	/* Host slots another node freed: kept, a key a slot, no wake. */
	pg_sql("SELECT pg_notify('feedd_items', 'H7:2,-5:1 elsewhere:1:1')");
	assert_int_equal(listen_run(l, 1000, &max), 0);
	assert_int_equal(store_listen_hosts(l, &hosts, &all), 3);
	assert_int_equal(all, 0);
	assert_int_equal(hosts[0], 7);
	assert_int_equal(hosts[1], 7);
	assert_int_equal(hosts[2], (uint32_t)-5);
	free(hosts);
	/* Taken: none left. */
	assert_int_equal(store_listen_hosts(l, &hosts, &all), 0);
	free(hosts);
	/* Too many to list: any host. */
	pg_sql("SELECT pg_notify('feedd_items', 'H* elsewhere:1:1')");
	assert_int_equal(listen_run(l, 1000, &max), 0);
	(void)store_listen_hosts(l, &hosts, &all);
	free(hosts);
	assert_int_equal(all, 1);
	store_listen_free(l);
}

static void
check_mask(const char *in, const char *want)
{
	char	*got = store_display_name(in);

	assert_string_equal(got, want);
	free(got);
}

static void
check_tsquery(const char *in, const char *want)
{
	char	*got, *cause = NULL;

	got = store_pg_tsquery(in, &cause);
	if (want == NULL) {
		assert_null(got);
		assert_non_null(strstr(cause, "bad search query"));
		free(cause);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* Pure functions: run in either pass. */
static void
test_store_pg_mask_and_tsquery(void **state)
{
	check_mask("/var/lib/feedd/feedd.db", "/var/lib/feedd/feedd.db");
	check_mask("postgresql://feedd:pw@db.example/feedd",
	    "postgresql://feedd:***@db.example/feedd");
	check_mask("postgres://feedd@db/feedd?password=pw&sslmode=require",
	    "postgres://feedd@db/feedd?password=***&sslmode=require");
	check_mask("postgresql://a:b@h/d?password=c",
	    "postgresql://a:***@h/d?password=***");
	check_mask("host=db dbname=feedd password=pw user=feedd",
	    "host=db dbname=feedd password=*** user=feedd");
	check_mask("host=db password = 'p w\\'x' user=u",
	    "host=db password = *** user=u");
	check_mask("postgresql:///feedd?host=/tmp/x",
	    "postgresql:///feedd?host=/tmp/x");

	check_tsquery("treaty", "'treaty'");
	check_tsquery("\"Kim Jong\" AND putin",
	    "('Kim' <-> 'Jong') & 'putin'");
	check_tsquery("title:story kim*", "'story':A & 'kim':*");
	check_tsquery("a OR (b NOT c)", "'a' | ('b' & !'c')");
	check_tsquery("it's", "'it''s'");
	check_tsquery("AND OR (", NULL);
	check_tsquery("", NULL);
	check_tsquery("(a", NULL);
	check_tsquery("a)", NULL);
	check_tsquery("\"open", NULL);
	/* sqlite's NEAR: refused, not searched for as a word. */
	check_tsquery("a NEAR b", NULL);
	check_tsquery("NEAR(a b)", NULL);
	check_tsquery("\"NEAR\" near", "('NEAR') & 'near'");
}

/*
 * The loop's connection is read-only: a write on it fails at once, even
 * while another connection holds the write lock (it never waits for
 * it), and reads go on.
 */
static void
test_store_readonly_refuses_writes(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed_conf	 conf;
	struct store_feed	*f;
	struct timespec		 t0, t1;
	sqlite3			*db;
	int64_t			 id, cursor, ids[1] = { 1 };
	size_t			 changed;
	double			 secs;
	char			*cause = NULL;

	SQLITE_ONLY("sqlite's write lock, held by a second connection");

	assert_int_equal(store_set_readonly(fx->s, &cause), 0);
	assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL,
	    NULL), SQLITE_OK);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	runtime_conf(&conf, "https://example.org/atom");
	assert_int_equal(store_feed_add(fx->s, &conf, &id, &cause), -1);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_not_equal(store_feed_remove(fx->s, fx->feed, &cause), 0);
	free(cause);
	cause = NULL;
	assert_int_not_equal(store_items_mark(fx->s, ids, 0, 1, -1, &changed,
	    &cause), 0);
	free(cause);
	cause = NULL;
	assert_int_not_equal(store_consumer_ack(fx->s, "c", 1, &cursor,
	    &cause), 0);
	free(cause);
	cause = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* The busy timeout is seconds: failing at once is far below it. */
	assert_true(secs < 1.0);

	/* Reads still work, beside the other connection's lock. */
	f = store_feed_get(fx->s, fx->feed);
	assert_non_null(f);
	store_feed_free(f);
	assert_null(store_feed_find(fx->s, "https://example.org/atom"));

	assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	/* Without the lock too. */
	assert_int_equal(store_feed_add(fx->s, &conf, &id, &cause), -1);
	free(cause);
}

/*
 * A database removed (or replaced) while open would take every commit
 * and lose it at the next start: the store refuses to write, and says
 * why, as on a full disk.
 */
static void
test_store_file_removed(void **state)
{
	struct fixture		*fx = *state;
	struct store_poll	 p;
	struct store_poll_result r;
	struct feed_doc		*doc;
	char			 path[640], *cause = NULL;
	size_t			 i;
	static const char *const suffix[] = { "", "-wal", "-shm" };

	SQLITE_ONLY("a file removed while open");
	for (i = 0; i < sizeof(suffix) / sizeof(*suffix); i++) {
		snprintf(path, sizeof(path), "%s%s", fx->path, suffix[i]);
		unlink(path);
	}
	doc = mkdoc(1, 2, "r");
	memset(&p, 0, sizeof(p));
	p.now = NOW;
	p.doc = doc;
	p.http_status = 200;
	p.next_poll = NOW + 900;
	p.retry_after = DATE_NONE;
	assert_int_equal(store_apply_poll(fx->s, fx->feed, &p, &r, &cause),
	    -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "was removed or replaced"));
	free(cause);
	cause = NULL;
	/* A new file at the path is not the one open either. */
	snprintf(path, sizeof(path), "%s", fx->path);
	close(open(path, O_WRONLY | O_CREAT, 0600));
	assert_int_equal(store_apply_poll(fx->s, fx->feed, &p, &r, &cause),
	    -1);
	assert_non_null(strstr(cause, "was removed or replaced"));
	free(cause);
	feed_doc_free(doc);
}

/*
 * A getter tells a feed that is not there from a read that failed: a
 * broken schema (on PostgreSQL as on sqlite: a database gone away looks
 * the same to the poller) is an error, not an absent feed, and passes.
 */
static void
test_store_read_error_is_not_absent(void **state)
{
	struct fixture		*fx = *state;
	struct store_feed	*f, *v[3];
	sqlite3			*db;
	int64_t			 ids[3];

	assert_null(store_feed_get(fx->s, fx->feed + 100));
	assert_null(store_read_error(fx->s));
	/* Several at once: each at its place, an absent one NULL. */
	ids[0] = fx->feed + 100;
	ids[1] = fx->feed;
	ids[2] = fx->feed;
	assert_int_equal(store_feeds_state_of(fx->s, 3, ids, v), 0);
	assert_null(store_read_error(fx->s));
	assert_null(v[0]);
	assert_non_null(v[1]);
	assert_non_null(v[2]);
	assert_ptr_not_equal(v[1], v[2]);
	assert_int_equal(v[1]->id, fx->feed);
	assert_string_equal(v[2]->url, "https://www.devdiscourse.com/rss/"
	    "world");
	/* A state: no item counts. */
	assert_int_equal(v[1]->items, -1);
	store_feed_free(v[1]);
	store_feed_free(v[2]);
	assert_null(store_feed_find(fx->s, "https://example.org/none"));
	assert_null(store_read_error(fx->s));

	if (pg_conninfo != NULL)
		pg_sql("ALTER TABLE feeds RENAME TO feeds_away");
	else {
		assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, "ALTER TABLE feeds RENAME "
		    "TO feeds_away", NULL, NULL, NULL), SQLITE_OK);
	}
	assert_null(store_feed_get(fx->s, fx->feed));
	assert_non_null(store_read_error(fx->s));
	assert_null(store_feed_state(fx->s, fx->feed));
	assert_non_null(store_read_error(fx->s));
	v[0] = v[1] = v[2] = (struct store_feed *)state;
	assert_int_equal(store_feeds_state_of(fx->s, 3, ids, v), -1);
	assert_non_null(store_read_error(fx->s));
	assert_null(v[0]);
	assert_null(v[1]);
	assert_null(v[2]);
	assert_null(store_feed_find(fx->s, "https://www.devdiscourse.com/rss/"
	    "world"));
	assert_non_null(store_read_error(fx->s));

	if (pg_conninfo != NULL)
		pg_sql("ALTER TABLE feeds_away RENAME TO feeds");
	else {
		assert_int_equal(sqlite3_exec(db, "ALTER TABLE feeds_away "
		    "RENAME TO feeds", NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(db);
	}
	f = store_feed_state(fx->s, fx->feed);
	assert_non_null(f);
	assert_null(store_read_error(fx->s));
	store_feed_free(f);
}

/*
 * A server that drops the connection while it stays up (a restart that
 * is over, an administrator's pg_terminate_backend): the next read
 * connects again and is answered, and store_unreachable() says nothing;
 * a database in a file is never out of reach.  A server that stays down
 * is postgresql.sh's.
 */
static void
test_store_unreachable(void **state)
{
	struct fixture		*fx = *state;
	struct store_stats	 st;
	char			*cause = NULL, *why = NULL;
	int64_t			 since;

	assert_int_equal(store_stats(fx->s, &st, &cause), 0);
	assert_int_equal(store_unreachable(fx->s, &since, &why), 0);
	assert_null(why);
	assert_int_equal(since, DATE_NONE);
	if (pg_conninfo == NULL)
		return;

	/*
	 * Every other session of the database ends: the store's too.  The
	 * read that finds its connection closed makes it again (a read is
	 * safe to send twice), and the server, still there, answers.
	 */
	pg_sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
	    "WHERE datname = current_database() AND pid <> pg_backend_pid()");
	usleep(200000);
	assert_int_equal(store_stats(fx->s, &st, &cause), 0);
	assert_null(cause);
	assert_int_equal(store_unreachable(fx->s, &since, &why), 0);
	assert_null(why);
	assert_int_equal(since, DATE_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_store_open_refuses_foreign_files),
		T(test_store_old_keys_are_found),
		T(test_store_old_title_keys_are_found),
		T(test_store_podcast_columns_migrate),
		T(test_store_podcast_fields),
		T(test_store_item_base),
		T(test_store_reopen_keeps_everything),
		T(test_store_migrates_from_3),
		T(test_store_outbox_migrates_to_10),
		T(test_store_feed_edit_release),
		T(test_store_feeds_add_find_update_list),
		T(test_store_batch_keeps_what_succeeds),
		T(test_store_poll_dedups_and_updates_in_place),
		T(test_store_poll_same_key_twice_in_one_doc),
		T(test_store_poll_feed_state),
		T(test_store_feed_hints),
		T(test_store_hints_migrate),
		T(test_store_poll_permanent_redirect),
		T(test_store_story_across_feeds),
		T(test_store_guid_storm_falls_back_to_links),
		T(test_store_new_items_oldest_first),
		T(test_store_feed_add_moved_from),
		T(test_store_small_feed_link_changes),
		T(test_store_feed_edit_interval_sooner),
		T(test_store_storm_not_from_shared_links),
		T(test_store_link_mode_keeps_items_apart),
		T(test_store_items_list_filters),
		T(test_store_items_get_many),
		T(test_store_feed_urls_normalised),
		T(test_store_wal_truncated_when_idle),
		T(test_store_wal_kept_in_place),
		T(test_store_consumer_cursor),
		T(test_store_consumer_filters),
		T(test_store_consumer_feed_url_retention),
		T(test_store_consumer_url_migrates),
		T(test_store_items_newest_starred_mark_where),
		T(test_store_search),
		T(test_store_search_plain_words),
		T(test_store_search_cjk),
		T(test_store_search_empty_text),
		T(test_store_search_mistakes),
		T(test_store_search_follows_changes),
		T(test_store_search_rebuilds),
		T(test_store_outbox_rows_and_retention),
		T(test_store_remove_feed_takes_everything),
		T(test_store_first_poll_and_rules),
		T(test_store_dropped_again),
		T(test_store_feed_counts),
		T(test_store_outbox_delivery_cycle),
		T(test_store_outbox_revive_hurries_waiting),
		T(test_store_outbox_list_and_next),
		T(test_store_tombstones_survive_304s),
		T(test_store_item_rate),
		T(test_store_failed_poll_does_not_move),
		T(test_store_batch_of_polls),
		T(test_store_feeds_claim_many),
		T(test_store_feeds_claim_per_host),
		T(test_store_feeds_claim_fetched),
		T(test_store_feeds_claim_paused),
		T(test_store_node_second_connection),
		T(test_store_pg_readonly),
		T(test_store_retention_in_steps),
		T(test_store_pg_schema),
		T(test_store_pg_outbox_leases),
		T(test_store_pg_hosts_freed),
		T(test_store_nodes),
		T(test_store_listen),
		T(test_store_feed_claims),
		T(test_store_pg_mask_and_tsquery),
		T(test_store_readonly_refuses_writes),
		T(test_store_read_error_is_not_absent),
		T(test_store_file_removed),
		T(test_store_unreachable),
#undef T
	};
	int	failed;

	failed = cmocka_run_group_tests_name("store: sqlite", tests, NULL,
	    NULL);
	pg_conninfo = getenv("FEEDD_TEST_PG");
	if (pg_conninfo != NULL && *pg_conninfo != '\0')
		failed += cmocka_run_group_tests_name("store: postgresql",
		    tests, NULL, NULL);
	return (failed);
}
