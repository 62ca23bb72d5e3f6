/*
 * store-sqlite.c: the embedded store backend.  WAL journal, one
 * transaction per poll (items, feed state and outbox rows commit together,
 * so a crash at any instant neither loses nor duplicates), statements
 * prepared once.  The full-text index lives in a file of its own
 * (store-search.c), fed from a change log that triggers here write.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "dedup.h"
#include "feedopt.h"
#include "item.h"
#include "log.h"
#include "store-int.h"
#include "store-search.h"
#include "store.h"
#include "text.h"
#include "url.h"
#include "xmalloc.h"

/* PRAGMA application_id: "feed" in ASCII, so we know our own files. */
#define SQLITE_APP_ID		0x66656564
#define SQLITE_BUSY_MS		5000
/*
 * Bytes of log a checkpoint that started it over leaves in place: above
 * the 1,000 pages of 16 KiB (16.4 MB with frame headers) at which
 * checkpoints run, so the log is rewritten where it lies.  Cut back
 * below that, every cycle grew the file again a commit at a time, and
 * the file system's block allocation and truncation cost the writer
 * more than writing the frames themselves (bench/store).
 */
#define SQLITE_WAL_LIMIT	"25165824"
/* Tombstones of keys no longer in the feed go after this long. */
#define SQLITE_TOMB_GRACE	(30 * 86400)
#define SQLITE_RETENTION_FEEDS	64	/* feeds a retention step looks at */

/* Forward migrations; schema version N is the first N entries. */
static const char *const sqlite_migrations[] = {
	/* 1 */
	/* AUTOINCREMENT: a removed feed's late poll finds no successor. */
	"CREATE TABLE feeds ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  url TEXT NOT NULL UNIQUE,"
	"  title TEXT,"			/* configured */
	"  doc_title TEXT,"		/* the feed's own */
	"  link TEXT,"
	"  interval INTEGER,"
	"  enabled INTEGER NOT NULL DEFAULT 1,"
	"  origin INTEGER NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  etag TEXT,"
	"  last_modified TEXT,"
	"  last_poll INTEGER,"
	"  last_success INTEGER,"
	"  last_status INTEGER,"
	"  last_error TEXT,"
	"  errors INTEGER NOT NULL DEFAULT 0,"
	"  next_poll INTEGER,"
	"  next_poll_reason TEXT,"
	"  retry_after INTEGER,"
	"  item_rate REAL,"
	"  key_mode INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE feed_tags ("
	"  tag TEXT NOT NULL,"
	"  feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (tag, feed_id)"
	") WITHOUT ROWID;"
	"CREATE INDEX feed_tags_feed ON feed_tags(feed_id);"
	"CREATE TABLE feed_urls ("
	"  feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
	"  url TEXT NOT NULL,"
	"  replaced INTEGER NOT NULL"
	");"
	"CREATE INDEX feed_urls_feed ON feed_urls(feed_id);"
	"CREATE INDEX feed_urls_url ON feed_urls(url);"
	/* AUTOINCREMENT: an id is never reused, even after retention. */
	"CREATE TABLE items ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
	"  key TEXT NOT NULL,"
	"  hash INTEGER NOT NULL,"
	"  canon TEXT,"
	"  story INTEGER,"		/* NULL: its own story */
	"  repeat INTEGER NOT NULL DEFAULT 0,"
	"  guid TEXT, title TEXT, link TEXT, author TEXT,"
	"  published INTEGER, updated INTEGER,"
	"  summary TEXT, content TEXT,"
	"  categories TEXT, enclosures TEXT,"	/* JSON arrays */
	"  fetched INTEGER NOT NULL,"
	"  read INTEGER NOT NULL DEFAULT 0,"
	"  starred INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (feed_id, key)"
	");"
	"CREATE INDEX items_feed ON items(feed_id, id);"
	"CREATE INDEX items_canon ON items(canon, feed_id) "
	"  WHERE canon IS NOT NULL;"
	"CREATE INDEX items_unread ON items(id) WHERE read = 0;"
	/* Schemas 1-2 indexed inside each poll's transaction; see 3. */
	"CREATE VIRTUAL TABLE items_fts USING fts5(title, summary, content,"
	"  content='items', content_rowid='id');"
	"CREATE TRIGGER items_fts_ad AFTER DELETE ON items BEGIN"
	"  INSERT INTO items_fts(items_fts, rowid, title, summary, content)"
	"  VALUES ('delete', old.id, old.title, feedd_text(old.summary),"
	"  feedd_text(old.content));"
	"END;"
	"CREATE TRIGGER items_fts_au AFTER UPDATE OF title, summary, content"
	"  ON items BEGIN"
	"  INSERT INTO items_fts(items_fts, rowid, title, summary, content)"
	"  VALUES ('delete', old.id, old.title, feedd_text(old.summary),"
	"  feedd_text(old.content));"
	"  INSERT INTO items_fts(rowid, title, summary, content) VALUES"
	"  (new.id, new.title, feedd_text(new.summary),"
	"  feedd_text(new.content));"
	"END;"
	"CREATE TABLE consumers ("
	"  name TEXT PRIMARY KEY,"
	"  cursor INTEGER NOT NULL,"
	"  updated INTEGER NOT NULL"
	");"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  notifier TEXT NOT NULL,"
	"  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt INTEGER NOT NULL,"
	"  last_error TEXT,"
	"  failed INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (notifier, item_id)"
	");"
	"CREATE INDEX outbox_due ON outbox(failed, next_attempt);"
	"CREATE INDEX outbox_item ON outbox(item_id);"
	"CREATE TABLE tombstones ("
	"  feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
	"  key TEXT NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  PRIMARY KEY (feed_id, key)"
	") WITHOUT ROWID;",
	/* 2 */
	/*
	 * A notifier's queue in delivery order: the due rows are read
	 * without sorting the whole backlog (bench/notify), and the next
	 * due time is the first entry.
	 */
	"CREATE INDEX outbox_queue ON outbox(notifier, failed, next_attempt,"
	"  id);",
	/* 3 */
	/*
	 * The full-text index moves to its own file (store-search.c),
	 * indexed after the commit instead of inside it.  Contentless FTS5
	 * takes an entry out with the text it went in with: the triggers
	 * keep the old text of what changes or goes until the index has
	 * applied it.  The token ties an index file to this database.
	 */
	"DROP TRIGGER items_fts_ad;"
	"DROP TRIGGER items_fts_au;"
	"DROP TABLE items_fts;"
	"CREATE TABLE meta ("
	"  name TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	") WITHOUT ROWID;"
	"INSERT INTO meta VALUES ('search_token', lower(hex(randomblob(16))));"
	"CREATE TABLE fts_log ("
	"  seq INTEGER PRIMARY KEY AUTOINCREMENT,"	/* never reused */
	"  item INTEGER NOT NULL,"
	"  title TEXT, summary TEXT, content TEXT"
	");"
	"CREATE INDEX fts_log_item ON fts_log(item, seq);"
	"CREATE TRIGGER items_log_ad AFTER DELETE ON items BEGIN"
	"  INSERT INTO fts_log (item, title, summary, content)"
	"  VALUES (old.id, old.title, old.summary, old.content);"
	"END;"
	"CREATE TRIGGER items_log_au AFTER UPDATE OF title, summary, content"
	"  ON items WHEN old.title IS NOT new.title OR"
	"  old.summary IS NOT new.summary OR old.content IS NOT new.content"
	"  BEGIN"
	"  INSERT INTO fts_log (item, title, summary, content)"
	"  VALUES (old.id, old.title, old.summary, old.content);"
	"END;",
	/* 4 */
	/*
	 * Each feed's item and unread counts, so "status" and the feed list
	 * cost what the feeds are, not what the items are.  Triggers keep
	 * them through deletes and marks; a poll adds its new items in one
	 * statement (sqlite_apply_items), since a trigger on every insert
	 * would be on the hottest path there is.
	 */
	"CREATE TABLE feed_counts ("
	"  feed_id INTEGER PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,"
	"  items INTEGER NOT NULL DEFAULT 0,"
	"  unread INTEGER NOT NULL DEFAULT 0"
	");"
	"INSERT INTO feed_counts SELECT f.id,"
	"  (SELECT count(*) FROM items WHERE feed_id = f.id),"
	"  (SELECT count(*) FROM items WHERE feed_id = f.id AND read = 0)"
	"  FROM feeds f;"
	"CREATE TRIGGER feeds_counts_ai AFTER INSERT ON feeds BEGIN"
	"  INSERT INTO feed_counts (feed_id) VALUES (new.id);"
	"END;"
	"CREATE TRIGGER items_counts_ad AFTER DELETE ON items BEGIN"
	"  UPDATE feed_counts SET items = items - 1,"
	"  unread = unread - (old.read = 0) WHERE feed_id = old.feed_id;"
	"END;"
	"CREATE TRIGGER items_counts_au AFTER UPDATE OF read ON items"
	"  WHEN old.read IS NOT new.read BEGIN"
	"  UPDATE feed_counts SET unread = unread + (new.read = 0) -"
	"  (old.read = 0) WHERE feed_id = new.feed_id;"
	"END;",
	/* 5 */
	/*
	 * A consumer remembers its filters.  Consumers made before had
	 * none to remember: filters_set 0 lets their next fetch with
	 * filters set them, where a newer one refuses a change.
	 */
	"ALTER TABLE consumers ADD COLUMN feed_id INTEGER;"
	"ALTER TABLE consumers ADD COLUMN tag TEXT;"
	"ALTER TABLE consumers ADD COLUMN filters_set INTEGER NOT NULL "
	"  DEFAULT 0;",
	/* 6 */
	/*
	 * options: a feed's own HTTP settings and notify_first_poll, a
	 * JSON object (feedopt.h), NULL for none.  runtime_tags: a feed
	 * added at run time that the config took over keeps the tags it
	 * had, to go back to when the config lets it go (NULL: it came
	 * from the config).  feeds_removed: URLs unsubscribed, so that
	 * subscribing again does not notify the archive again.
	 */
	"ALTER TABLE feeds ADD COLUMN options TEXT;"
	"ALTER TABLE feeds ADD COLUMN runtime_tags TEXT;"
	"CREATE TABLE feeds_removed ("
	"  url TEXT PRIMARY KEY,"
	"  removed INTEGER NOT NULL"
	") WITHOUT ROWID;",
	/* 7 */
	/* Podcast fields: the item's picture, episode and season. */
	"ALTER TABLE items ADD COLUMN image TEXT;"
	"ALTER TABLE items ADD COLUMN episode INTEGER;"
	"ALTER TABLE items ADD COLUMN season INTEGER;",
	/* 8 */
	/*
	 * Feed URLs in their normal form (url_normalize()), which feeds
	 * are now added and found in; one that would become another's
	 * twin stays as it was, and store_feed_find() tries it as given.
	 */
	"UPDATE OR IGNORE feeds SET url = feedd_url_normal(url)"
	"  WHERE feedd_url_normal(url) IS NOT NULL"
	"  AND feedd_url_normal(url) <> url;",
	/* 9 */
	/* The xml:base an item's content resolves against (item.h). */
	"ALTER TABLE items ADD COLUMN base TEXT;",
	/* 10 */
	/*
	 * Every new item of a routed feed writes an outbox row, so each of
	 * its indexes is a page more in every poll's commit.  One unique
	 * index on (item_id, notifier) serves both the duplicate check and
	 * the lookups by item (retention, the cascade from items), and the
	 * index on (failed, next_attempt) goes: status's counts read the
	 * queue index instead, as fast.  The unique constraint changes, so
	 * the table is rebuilt; no other table refers to it.
	 */
	"CREATE TABLE outbox_new ("
	"  id INTEGER PRIMARY KEY,"
	"  notifier TEXT NOT NULL,"
	"  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt INTEGER NOT NULL,"
	"  last_error TEXT,"
	"  failed INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (item_id, notifier)"
	");"
	"INSERT INTO outbox_new (id, notifier, item_id, attempts,"
	"  next_attempt, last_error, failed) SELECT id, notifier, item_id,"
	"  attempts, next_attempt, last_error, failed FROM outbox;"
	"DROP TABLE outbox;"
	"ALTER TABLE outbox_new RENAME TO outbox;"
	"CREATE INDEX outbox_queue ON outbox(notifier, failed, next_attempt,"
	"  id);",
	/* 11 */
	/*
	 * What the feed's last whole document said of its schedule
	 * (store_col_hints()): the next-poll rule needs it after a 304,
	 * which carries no document, and after a restart.  NULL until a
	 * document is stored.
	 */
	"ALTER TABLE feeds ADD COLUMN hints TEXT;",
	/* 12 */
	/*
	 * The title a runtime feed had when the config took it over, as
	 * runtime_tags its tags: both come back when the config lets it
	 * go.
	 */
	"ALTER TABLE feeds ADD COLUMN runtime_title TEXT;",
	/* 13 */
	/*
	 * A consumer takes its feed by URL: the feed's id changes when it
	 * is removed and subscribed again, or when its [feed] section's
	 * URL is mended, and the consumer follows the URL.  feed_id stays
	 * for a consumer whose feed was removed before its URL was kept.
	 */
	"ALTER TABLE consumers ADD COLUMN feed_url TEXT;"
	"UPDATE consumers SET feed_url = (SELECT url FROM feeds"
	"  WHERE feeds.id = consumers.feed_id) WHERE feed_id IS NOT NULL;",
};
#define SQLITE_VERSION_LATEST \
	((int)(sizeof(sqlite_migrations) / sizeof(*sqlite_migrations)))

/* The columns every item query returns, in sqlite_row_item()'s order. */
#define ITEM_COLS \
	"i.id, i.feed_id, COALESCE(i.story, i.id), i.fetched, i.read, " \
	"i.starred, i.repeat, i.key, i.guid, i.title, i.link, i.author, " \
	"i.published, i.updated, i.summary, i.content, i.categories, " \
	"i.enclosures, i.image, i.episode, i.season, i.base"

/* The URLs a feed moved from, one a line: sqlite_row_feed()'s last. */
#define FEED_OLD_URLS \
	"(SELECT group_concat(url, char(10)) FROM feed_urls " \
	"WHERE feed_id = f.id)"

#define FEED_COLS \
	"f.id, f.url, COALESCE(f.title, f.doc_title), f.link, f.interval, " \
	"f.enabled, f.origin, f.etag, f.last_modified, f.last_poll, " \
	"f.last_success, f.last_status, f.last_error, f.errors, " \
	"f.next_poll, f.next_poll_reason, f.retry_after, f.item_rate, " \
	"f.key_mode, " \
	"(SELECT items FROM feed_counts WHERE feed_id = f.id), " \
	"(SELECT unread FROM feed_counts WHERE feed_id = f.id), " \
	"(SELECT group_concat(tag, char(10)) FROM " \
	"  (SELECT tag FROM feed_tags WHERE feed_id = f.id ORDER BY tag)), " \
	"f.title IS NOT NULL, f.hints, " FEED_OLD_URLS

/* The same, without the counts: what polling needs, cheaply. */
#define FEED_COLS_LIGHT \
	"f.id, f.url, COALESCE(f.title, f.doc_title), f.link, f.interval, " \
	"f.enabled, f.origin, f.etag, f.last_modified, f.last_poll, " \
	"f.last_success, f.last_status, f.last_error, f.errors, " \
	"f.next_poll, f.next_poll_reason, f.retry_after, f.item_rate, " \
	"f.key_mode, -1, -1, NULL, f.title IS NOT NULL, f.hints"

/* Without the counts, with the tags: what the notifier router needs. */
#define FEED_COLS_ROUTE \
	"f.id, f.url, COALESCE(f.title, f.doc_title), f.link, f.interval, " \
	"f.enabled, f.origin, f.etag, f.last_modified, f.last_poll, " \
	"f.last_success, f.last_status, f.last_error, f.errors, " \
	"f.next_poll, f.next_poll_reason, f.retry_after, f.item_rate, " \
	"f.key_mode, -1, -1, " \
	"(SELECT group_concat(tag, char(10)) FROM " \
	"  (SELECT tag FROM feed_tags WHERE feed_id = f.id ORDER BY tag)), " \
	"f.title IS NOT NULL, f.hints"

enum stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_OP_BEGIN,
	ST_OP_COMMIT,
	ST_OP_ROLLBACK,
	ST_FEED_STATE_GET,
	ST_ITEM_BY_KEY,
	ST_TOMB_TOUCH,
	ST_TOMBS_TOUCH,
	ST_LINK_KNOWN,
	ST_LINK_ROW,
	ST_ITEM_REKEY,
	ST_FEED_INTERVAL_SOONER,
	ST_LINK_GUID_ROW,
	ST_STORY,
	ST_FEED_HAS_ROWS,
	ST_ITEM_INSERT,
	ST_COUNTS_ADD,
	ST_ITEM_UPDATE,
	ST_OUTBOX_INSERT,
	ST_FEED_STATE_SET,
	ST_FEED_MOVE,
	ST_FEED_URL_HISTORY,
	ST_FEED_INSERT,
	ST_FEED_UPDATE,
	ST_FEED_DELETE,
	ST_FEED_TAGS_CLEAR,
	ST_FEED_TAG_ADD,
	ST_FEED_BY_ID,
	ST_FEED_LIGHT,
	ST_FEED_ROUTE,
	ST_FEED_BY_URL,
	ST_FEEDS_ALL,
	ST_FEEDS_LIGHT,
	ST_FEEDS_TAG,
	ST_ITEM_BY_ID,
	ST_MARK_READ,
	ST_MARK_STARRED,
	ST_CONSUMER_GET,
	ST_CONSUMER_NEW,
	ST_CONSUMER_FILTERS,
	ST_CONSUMER_ACK,
	ST_CONSUMER_TAG,
	ST_MAX_ID,
	ST_STATS,
	ST_OUTBOX_DUE,
	ST_OUTBOX_ROW,
	ST_OUTBOX_DONE,
	ST_OUTBOX_RETRY,
	ST_OUTBOX_REVIVE,
	ST_OUTBOX_HURRY,
	ST_OUTBOX_STATS,
	ST_OUTBOX_NEXT,
	ST_OUTBOX_LIST,
	ST_FEED_OPTIONS_SET,
	ST_FEED_OPTIONS_GET,
	ST_FEED_KEEP_RUNTIME,
	ST_FEED_RELEASE,
	ST_FEED_REMOVED_ADD,
	ST_FEED_REMOVED_GET,
	ST_FEED_URL_SET,
	ST_FEED_RESUME,
	ST_ITEM_READ,
	ST_COUNT
};

static const char *const sqlite_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	/* One operation inside a batch (store_batch_begin). */
	[ST_OP_BEGIN] = "SAVEPOINT op",
	[ST_OP_COMMIT] = "RELEASE op",
	[ST_OP_ROLLBACK] = "ROLLBACK TO op",
	[ST_FEED_STATE_GET] = "SELECT key_mode, last_success, item_rate, url "
	    "FROM feeds WHERE id = ?1",
	[ST_ITEM_BY_KEY] = "SELECT id, hash FROM items "
	    "WHERE feed_id = ?1 AND key = ?2",
	[ST_TOMB_TOUCH] = "UPDATE tombstones SET last_seen = ?3 "
	    "WHERE feed_id = ?1 AND key = ?2",
	[ST_TOMBS_TOUCH] = "UPDATE tombstones SET last_seen = ?2 "
	    "WHERE feed_id = ?1",
	[ST_LINK_KNOWN] = "SELECT 1 FROM items "
	    "WHERE canon = ?1 AND feed_id = ?2 LIMIT 1",
	[ST_ITEM_REKEY] = "UPDATE items SET key = ?1 WHERE id = ?2",
	[ST_FEED_INTERVAL_SOONER] = "UPDATE feeds SET next_poll = "
	    "MAX(last_poll + interval, ?2), next_poll_reason = '"
	    STORE_INTERVAL_REASON_SQL "' WHERE id = ?1 AND interval > 0 AND "
	    "enabled = 1 AND errors = 0 AND last_poll IS NOT NULL AND "
	    "next_poll IS NOT NULL AND next_poll > MAX(last_poll + interval + "
	    "interval / 10, ?2) AND (retry_after IS NULL OR retry_after <= ?2)",
	[ST_LINK_ROW] = "SELECT id, hash, key, title FROM items "
	    "WHERE canon = ?1 AND feed_id = ?2 ORDER BY id LIMIT 1",
	[ST_LINK_GUID_ROW] = "SELECT id, hash FROM items "
	    "WHERE feed_id = ?1 AND key = ?2 AND guid IS ?3",
	/*
	 * The oldest item with the link: min() takes the other column from
	 * its row, without the sorter ORDER BY id LIMIT 1 ran every call.
	 * No such item: one row of NULLs.
	 */
	[ST_STORY] = "SELECT COALESCE(story, id), min(id) FROM items "
	    "WHERE canon = ?1 AND feed_id <> ?2",
	[ST_FEED_HAS_ROWS] = "SELECT EXISTS (SELECT 1 FROM items "
	    "WHERE feed_id = ?1), EXISTS (SELECT 1 FROM tombstones "
	    "WHERE feed_id = ?1)",
	/* A poll's new items, all unread as inserted. */
	[ST_COUNTS_ADD] = "UPDATE feed_counts SET items = items + ?2, "
	    "unread = unread + ?2 WHERE feed_id = ?1",
	[ST_ITEM_INSERT] = "INSERT OR IGNORE INTO items (feed_id, key, hash, "
	    "canon, story, repeat, guid, title, link, author, published, "
	    "updated, summary, content, categories, enclosures, fetched, "
	    "image, episode, season, base) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
	[ST_ITEM_UPDATE] = "UPDATE items SET hash = ?2, guid = ?3, "
	    "title = ?4, link = ?5, author = ?6, published = ?7, "
	    "updated = ?8, summary = ?9, content = ?10, categories = ?11, "
	    "enclosures = ?12, image = ?13, episode = ?14, season = ?15, "
	    "base = ?16 WHERE id = ?1",
	[ST_OUTBOX_INSERT] = "INSERT OR IGNORE INTO outbox "
	    "(notifier, item_id, next_attempt) VALUES (?1, ?2, ?3)",
	[ST_FEED_STATE_SET] = "UPDATE feeds SET last_poll = ?2, "
	    "last_status = ?3, "
	    "errors = CASE WHEN ?4 IS NULL THEN 0 ELSE errors + 1 END, "
	    "last_error = ?4, "
	    "last_success = CASE WHEN ?4 IS NULL THEN ?2 "
	    "  ELSE last_success END, "
	    "etag = CASE WHEN ?5 THEN ?6 ELSE etag END, "
	    "last_modified = CASE WHEN ?5 THEN ?7 ELSE last_modified END, "
	    "next_poll = ?8, next_poll_reason = ?9, retry_after = ?10, "
	    "enabled = CASE WHEN ?11 THEN 0 ELSE enabled END, "
	    "doc_title = COALESCE(?12, doc_title), "
	    "link = COALESCE(?13, link), item_rate = ?14, key_mode = ?15, "
	    "hints = COALESCE(?16, hints) "
	    "WHERE id = ?1",
	[ST_FEED_MOVE] = "UPDATE OR IGNORE feeds SET url = ?2 WHERE id = ?1",
	[ST_FEED_URL_HISTORY] = "INSERT INTO feed_urls (feed_id, url, "
	    "replaced) VALUES (?1, ?2, ?3)",
	[ST_FEED_INSERT] = "INSERT INTO feeds (url, title, interval, "
	    "enabled, origin, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_FEED_UPDATE] = "UPDATE feeds SET title = ?2, interval = ?3, "
	    "enabled = ?4, origin = ?5 WHERE id = ?1",
	[ST_FEED_DELETE] = "DELETE FROM feeds WHERE id = ?1",
	[ST_FEED_TAGS_CLEAR] = "DELETE FROM feed_tags WHERE feed_id = ?1",
	[ST_FEED_TAG_ADD] = "INSERT OR IGNORE INTO feed_tags (tag, feed_id) "
	    "VALUES (?2, ?1)",
	[ST_FEED_BY_ID] = "SELECT " FEED_COLS " FROM feeds f WHERE f.id = ?1",
	[ST_FEED_LIGHT] = "SELECT " FEED_COLS_LIGHT " FROM feeds f "
	    "WHERE f.id = ?1",
	/* With its old URLs: a notifier or rule may name it by one. */
	[ST_FEED_ROUTE] = "SELECT " FEED_COLS_ROUTE ", " FEED_OLD_URLS " "
	    "FROM feeds f "
	    "WHERE f.id = ?1",
	/* A feed that moved (301/308) is still found by its old URL. */
	[ST_FEED_BY_URL] = "SELECT " FEED_COLS " FROM feeds f "
	    "WHERE f.url = ?1 OR f.id = (SELECT feed_id FROM feed_urls "
	    "WHERE url = ?1 ORDER BY replaced DESC LIMIT 1) "
	    "ORDER BY f.url = ?1 DESC LIMIT 1",
	[ST_FEEDS_ALL] = "SELECT " FEED_COLS " FROM feeds f ORDER BY f.id",
	[ST_FEEDS_LIGHT] = "SELECT " FEED_COLS_LIGHT " FROM feeds f "
	    "ORDER BY f.id",
	[ST_FEEDS_TAG] = "SELECT " FEED_COLS " FROM feeds f "
	    "WHERE f.id IN (SELECT feed_id FROM feed_tags WHERE tag = ?1) "
	    "ORDER BY f.id",
	[ST_ITEM_BY_ID] = "SELECT " ITEM_COLS " FROM items i WHERE i.id = ?1",
	[ST_MARK_READ] = "UPDATE items SET read = ?2 "
	    "WHERE id = ?1 AND read != ?2",
	[ST_MARK_STARRED] = "UPDATE items SET starred = ?2 "
	    "WHERE id = ?1 AND starred != ?2",
	[ST_CONSUMER_GET] = "SELECT c.cursor, " STORE_SQL_CONSUMER_FEED
	    ", c.tag, c.filters_set, COALESCE(c.feed_url, c.feed_id) "
	    "FROM consumers c WHERE c.name = ?1",
	[ST_CONSUMER_NEW] = "INSERT INTO consumers (name, cursor, updated, "
	    "feed_id, tag, filters_set, feed_url) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "1, ?6)",
	[ST_CONSUMER_FILTERS] = "UPDATE consumers SET feed_id = ?2, "
	    "tag = ?3, feed_url = ?4, filters_set = 1 WHERE name = ?1",
	[ST_CONSUMER_ACK] = "UPDATE consumers SET cursor = max(cursor, ?2), "
	    "updated = ?3 WHERE name = ?1 RETURNING cursor",
	[ST_CONSUMER_TAG] = "SELECT 1 FROM feed_tags WHERE tag = ?1 LIMIT 1",
	[ST_MAX_ID] = "SELECT COALESCE((SELECT seq FROM sqlite_sequence "
	    "WHERE name = 'items'), 0)",
	[ST_STATS] = "SELECT (SELECT count(*) FROM feeds), "
	    "(SELECT COALESCE(sum(items), 0) FROM feed_counts), "
	    "(SELECT COALESCE(sum(unread), 0) FROM feed_counts), "
	    "(SELECT count(*) FROM outbox WHERE failed = 0), "
	    "(SELECT count(*) FROM outbox WHERE failed != 0)",
	/* From the outbox_queue index alone: rows, not yet their items. */
	[ST_OUTBOX_DUE] = "SELECT id FROM outbox "
	    "WHERE notifier = ?1 AND failed = 0 AND next_attempt <= ?2 "
	    "ORDER BY next_attempt, id LIMIT ?3",
	[ST_OUTBOX_ROW] = "SELECT o.id, o.attempts, f.url, "
	    "COALESCE(f.title, f.doc_title), " ITEM_COLS " FROM outbox o "
	    "JOIN items i ON i.id = o.item_id JOIN feeds f ON f.id = i.feed_id "
	    "WHERE o.id = ?1",
	[ST_OUTBOX_DONE] = "DELETE FROM outbox WHERE id = ?1",
	[ST_OUTBOX_RETRY] = "UPDATE outbox SET attempts = attempts + 1, "
	    "next_attempt = ?2, last_error = ?3, "
	    "failed = (attempts + 1 >= ?4) WHERE id = ?1",
	[ST_OUTBOX_REVIVE] = "UPDATE outbox SET failed = 0, attempts = 0, "
	    "next_attempt = ?2 WHERE notifier = ?1 AND failed != 0",
	/* Waiting rows keep their attempts: max_attempts still counts. */
	[ST_OUTBOX_HURRY] = "UPDATE outbox SET next_attempt = ?2 "
	    "WHERE notifier = ?1 AND failed = 0 AND next_attempt > ?2",
	[ST_OUTBOX_STATS] = "SELECT "
	    "(SELECT count(*) FROM outbox WHERE notifier = ?1 AND failed = 0), "
	    "(SELECT count(*) FROM outbox WHERE notifier = ?1 AND failed != 0), "
	    "(SELECT min(next_attempt) FROM outbox "
	    "WHERE notifier = ?1 AND failed = 0), "
	    "(SELECT last_error FROM outbox WHERE notifier = ?1 AND "
	    "last_error IS NOT NULL ORDER BY attempts DESC, id DESC LIMIT 1)",
	/* The queue index in due order: the caller passes over its own. */
	[ST_OUTBOX_NEXT] = "SELECT id, next_attempt FROM outbox "
	    "WHERE notifier = ?1 AND failed = 0 ORDER BY next_attempt, id",
	/* ?2: only the parked ones. */
	[ST_OUTBOX_LIST] = "SELECT o.id, o.item_id, i.feed_id, i.title, "
	    "o.attempts, o.next_attempt, o.failed, o.last_error FROM outbox o "
	    "JOIN items i ON i.id = o.item_id "
	    "WHERE o.notifier = ?1 AND (?2 = 0 OR o.failed != 0) "
	    "ORDER BY o.id LIMIT ?3",
	/* Other settings (auth, charset ...): the next answer is whole. */
	[ST_FEED_OPTIONS_SET] = "UPDATE feeds SET options = ?2, "
	    "etag = CASE WHEN options IS ?2 THEN etag END, "
	    "last_modified = CASE WHEN options IS ?2 THEN last_modified END "
	    "WHERE id = ?1",
	[ST_FEED_OPTIONS_GET] = "SELECT options FROM feeds WHERE id = ?1",
	/* Before the config takes a runtime feed over: its tags. */
	[ST_FEED_KEEP_RUNTIME] = "UPDATE feeds SET runtime_tags = "
	    "COALESCE((SELECT group_concat(tag, char(10)) FROM feed_tags "
	    "WHERE feed_id = ?1), ''), runtime_title = title "
	    "WHERE id = ?1 AND origin = 1",
	/* runtime_tags stays: the config taking it again refreshes it. */
	[ST_FEED_RELEASE] = "UPDATE feeds SET origin = 1, "
	    "title = runtime_title "
	    "WHERE id = ?1 AND origin = 0 AND runtime_tags IS NOT NULL "
	    "RETURNING runtime_tags",
	[ST_FEED_REMOVED_ADD] = "INSERT OR REPLACE INTO feeds_removed "
	    "(url, removed) SELECT url, ?2 FROM feeds WHERE id = ?1",
	[ST_FEED_REMOVED_GET] = "SELECT 1 FROM feeds_removed WHERE url = ?1",
	/* Another URL: the old one's validators mean nothing there. */
	[ST_FEED_URL_SET] = "UPDATE feeds SET url = ?2, etag = NULL, "
	    "last_modified = NULL WHERE id = ?1 AND url != ?2",
	[ST_FEED_RESUME] = "UPDATE feeds SET enabled = 1, errors = 0, "
	    "retry_after = NULL, next_poll = NULL WHERE id = ?1",
	[ST_ITEM_READ] = "UPDATE items SET read = 1 WHERE id = ?1",
};

/* items.list has filters; each combination gets its own statement. */
#define LIST_FEED	0x01
#define LIST_TAG	0x02
#define LIST_UNREAD	0x04
#define LIST_STARRED	0x08
#define LIST_NEWEST	0x10	/* the last "limit" rows, in id order */
#define LIST_VARIANTS	32

struct sqlite_store {
	struct store	 store;		/* first: the generic part */
	sqlite3		*db;
	int		 wal_pages;	/* in the WAL, when checkpoints wait */
	int		 batch;		/* store_batch_begin() is open */
	int		 op_savepoint;	/* the operation under way is one */
	char		*path;
	int		 file_known;	/* dev and ino are the file opened */
	dev_t		 dev;
	ino_t		 ino;
	sqlite3_stmt	*stmt[ST_COUNT];
	sqlite3_stmt	*list[LIST_VARIANTS];
	struct search_db *search;	/* the full-text index's connection */
};

static const struct store_ops sqlite_ops;

static int	sqlite_fail(struct sqlite_store *, char **, const char *, ...)
		    __attribute__((__format__(__printf__, 3, 4)));

static void
sqlite_log_cb(void *arg, int code, const char *msg)
{
	/* Busy retries and schema changes are routine; the rest is news. */
	if ((code & 0xff) == SQLITE_NOTICE || code == SQLITE_SCHEMA)
		log_debug("sqlite: %s", msg);
	else
		log_info("sqlite: (%d) %s", code, msg);
}

/* Sets "*cause" to "what: sqlite's message" and returns -1. */
static int
sqlite_fail(struct sqlite_store *s, char **cause, const char *fmt, ...)
{
	va_list	 ap;
	char	*what;

	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		what = NULL;
	va_end(ap);
	if (cause != NULL)
		xasprintf(cause, "%s: %s", what != NULL ? what : "store",
		    sqlite3_errmsg(s->db));
	free(what);
	return (-1);
}

static sqlite3_stmt *
sqlite_stmt(struct sqlite_store *s, enum stmt which)
{
	if (s->stmt[which] == NULL &&
	    sqlite3_prepare_v3(s->db, sqlite_sql[which], -1,
	    SQLITE_PREPARE_PERSISTENT, &s->stmt[which], NULL) != SQLITE_OK) {
		log_warnx("store: cannot prepare statement %d: %s", which,
		    sqlite3_errmsg(s->db));
		return (NULL);
	}
	sqlite3_reset(s->stmt[which]);
	sqlite3_clear_bindings(s->stmt[which]);
	return (s->stmt[which]);
}

static void
sqlite_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

static void
sqlite_bind_date(sqlite3_stmt *st, int i, int64_t t)
{
	if (t == DATE_NONE)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, t);
}

static char *
sqlite_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char	*v = sqlite3_column_text(st, i);

	return (v != NULL ? xstrdup((const char *)v) : NULL);
}

static int64_t
sqlite_col_date(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return (DATE_NONE);
	return (sqlite3_column_int64(st, i));
}

/* Runs a statement that returns no rows. */
static int
sqlite_exec_stmt(struct sqlite_store *s, enum stmt which)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = sqlite_stmt(s, which)) == NULL)
		return (-1);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/*
 * An operation is a transaction of its own, or a savepoint inside the
 * batch that is open, so a failed one undoes only itself.
 */
/*
 * Whether the file opened is still the one at its path.  A database
 * removed (or replaced) while open takes every commit without an error,
 * and all of it is gone at the next start; feedd says so instead, and
 * writes nothing more, as on a full disk.
 */
static int
sqlite_file_check(struct sqlite_store *s, char **cause)
{
	struct stat	st;

	if (!s->file_known)
		return (0);
	if (stat(s->path, &st) == 0 && st.st_dev == s->dev &&
	    st.st_ino == s->ino)
		return (0);
	if (cause != NULL)
		xasprintf(cause, "store: %s was removed or replaced while feedd "
		    "had it open; nothing more is written to it: put it back, "
		    "or restart feedd to start a new one", s->path);
	return (-1);
}

/* The file just opened, for sqlite_file_check(). */
static void
sqlite_file_remember(struct sqlite_store *s)
{
	struct stat	st;

	if (*s->path == '\0' || strcmp(s->path, ":memory:") == 0 ||
	    strncmp(s->path, "file:", 5) == 0 || stat(s->path, &st) != 0)
		return;
	s->file_known = 1;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
}

static int
sqlite_begin(struct sqlite_store *s, char **cause)
{
	if (!(s->batch && !sqlite3_get_autocommit(s->db)) &&
	    sqlite_file_check(s, cause) != 0)
		return (-1);
	s->op_savepoint = s->batch && !sqlite3_get_autocommit(s->db);
	if (sqlite_exec_stmt(s, s->op_savepoint ? ST_OP_BEGIN : ST_BEGIN) !=
	    0)
		return (sqlite_fail(s, cause, "store: begin"));
	return (0);
}

static int
sqlite_commit(struct sqlite_store *s, char **cause)
{
	if (s->op_savepoint) {
		s->op_savepoint = 0;
		if (sqlite_exec_stmt(s, ST_OP_COMMIT) != 0) {
			sqlite_fail(s, cause, "store: commit");
			if (!sqlite3_get_autocommit(s->db)) {
				sqlite_exec_stmt(s, ST_OP_ROLLBACK);
				sqlite_exec_stmt(s, ST_OP_COMMIT);
			}
			return (-1);
		}
		return (0);
	}
	if (sqlite_exec_stmt(s, ST_COMMIT) != 0) {
		sqlite_fail(s, cause, "store: commit");
		/* A full disk's commit has rolled back already. */
		if (!sqlite3_get_autocommit(s->db))
			sqlite_exec_stmt(s, ST_ROLLBACK);
		return (-1);
	}
	return (0);
}

static void
sqlite_rollback(struct sqlite_store *s)
{
	/* After some errors sqlite has already rolled back; that is fine. */
	if (sqlite3_get_autocommit(s->db)) {
		s->op_savepoint = 0;
		return;
	}
	if (s->op_savepoint) {
		s->op_savepoint = 0;
		sqlite_exec_stmt(s, ST_OP_ROLLBACK);
		sqlite_exec_stmt(s, ST_OP_COMMIT);
	} else
		sqlite_exec_stmt(s, ST_ROLLBACK);
}

/* feedd_url_normal(url): url_normalize(), or NULL (a file: URL). */
static void
sqlite_url_normal_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char	*url = sqlite3_value_text(argv[0]);
	char			*n;

	if (url == NULL || (n = url_normalize(NULL, (const char *)url,
	    0)) == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_text(ctx, n, -1, free);
}

/*
 * Makes sure "path" is an empty file or a feedd database of this version
 * or older, and brings it up to date.  Nothing is written to a file that
 * is not ours.
 */
static int
sqlite_check_schema(struct sqlite_store *s, char **cause)
{
	sqlite3_stmt	*st;
	int64_t		 tables = -1, app_id = -1, version = -1;
	char		 sql[128];
	int		 v, rc;

	rc = sqlite3_prepare_v2(s->db, "SELECT (SELECT count(*) FROM "
	    "sqlite_master), (SELECT application_id FROM "
	    "pragma_application_id), (SELECT user_version FROM "
	    "pragma_user_version)", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		tables = sqlite3_column_int64(st, 0);
		app_id = sqlite3_column_int64(st, 1);
		version = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (tables < 0) {
		/* Only a file that is not a database is "not ours": a read-
		 * only folder or a missing -shm is the system's word. */
		if ((sqlite3_errcode(s->db) & 0xff) == SQLITE_NOTADB)
			xasprintf(cause, "%s: not a feedd database (%s)",
			    s->path, sqlite3_errmsg(s->db));
		else if (sqlite3_system_errno(s->db) != 0)
			xasprintf(cause, "%s: cannot read it: %s (%s)", s->path,
			    sqlite3_errmsg(s->db),
			    strerror(sqlite3_system_errno(s->db)));
		else
			xasprintf(cause, "%s: cannot read it: %s", s->path,
			    sqlite3_errmsg(s->db));
		return (-1);
	}
	if (tables != 0 && app_id != SQLITE_APP_ID) {
		xasprintf(cause, "%s: not a feedd database (another "
		    "program's sqlite file); refusing to touch it", s->path);
		return (-1);
	}
	if (version > SQLITE_VERSION_LATEST) {
		xasprintf(cause, "%s: made by a newer feedd (schema %" PRId64
		    "; this feedd knows up to %d)", s->path, version,
		    SQLITE_VERSION_LATEST);
		return (-1);
	}
	if (version == SQLITE_VERSION_LATEST)
		return (0);

	/*
	 * A new file gets 16 KiB pages: items average over 2 KB, so 4 KiB
	 * pages held about one row each and a 100-item cursor page read 100
	 * of them (bench/store: 28% smaller file, cursor pages twice as
	 * fast).  It can only be set before the first table.
	 */
	if (tables == 0 && sqlite3_exec(s->db, "PRAGMA page_size = 16384",
	    NULL, NULL, NULL) != SQLITE_OK)
		return (sqlite_fail(s, cause, "%s: page size", s->path));
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return (sqlite_fail(s, cause, "%s: migrate", s->path));
	for (v = (int)version; v < SQLITE_VERSION_LATEST; v++) {
		if (sqlite3_exec(s->db, sqlite_migrations[v], NULL, NULL,
		    NULL) != SQLITE_OK) {
			sqlite_fail(s, cause, "%s: migrating to schema %d",
			    s->path, v + 1);
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return (-1);
		}
	}
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d; "
	    "PRAGMA user_version = %d", SQLITE_APP_ID, SQLITE_VERSION_LATEST);
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	if (version > 0)
		log_info("store: %s: migrated from schema %" PRId64 " to %d",
		    s->path, version, SQLITE_VERSION_LATEST);
	return (0);
fail:
	sqlite_fail(s, cause, "%s: migrate", s->path);
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return (-1);
}

/*
 * A new database is made 0600 whatever the umask: it may hold feeds'
 * passwords.  sqlite gives its -wal and -shm files the database's mode.
 */
static void
sqlite_create_private(const char *path, const char *suffix)
{
	char	*p;
	int	 fd;

	if (*path == '\0' || strcmp(path, ":memory:") == 0 ||
	    strncmp(path, "file:", 5) == 0)
		return;
	xasprintf(&p, "%s%s", path, suffix);
	if ((fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) !=
	    -1)
		close(fd);
	free(p);
}

struct store *
store_sqlite_open(const char *path, char **cause)
{
	static int		 configured;
	struct sqlite_store	*s;

	if (!configured) {
		sqlite3_config(SQLITE_CONFIG_LOG, sqlite_log_cb, NULL);
		/*
		 * Memory statistics take one process-wide mutex on every
		 * allocation, and three threads use sqlite at once (loop,
		 * writer, indexer); nothing here reads them.
		 */
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
		configured = 1;
	}
	s = xcalloc(1, sizeof(*s));
	s->store.ops = &sqlite_ops;
	s->path = xstrdup(path);
	sqlite_create_private(path, "");
	sqlite_create_private(path, "-search");
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		xasprintf(cause, "%s: %s", path, s->db != NULL ?
		    sqlite3_errmsg(s->db) : "cannot open");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, SQLITE_BUSY_MS);
	sqlite_file_remember(s);
	if (sqlite3_create_function(s->db, "feedd_url_normal", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, NULL, sqlite_url_normal_fn, NULL, NULL) !=
	    SQLITE_OK) {
		sqlite_fail(s, cause, "%s", path);
		goto fail;
	}
	if (sqlite_check_schema(s, cause) != 0)
		goto fail;
	/*
	 * journal_size_limit: a log that a checkpoint started over is cut
	 * back to SQLITE_WAL_LIMIT, else it keeps the size of its largest
	 * burst.
	 */
	if (sqlite3_exec(s->db, "PRAGMA journal_mode = WAL; "
	    "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
	    "PRAGMA temp_store = MEMORY; "
	    "PRAGMA journal_size_limit = " SQLITE_WAL_LIMIT, NULL, NULL,
	    NULL) != SQLITE_OK) {
		sqlite_fail(s, cause, "%s", path);
		goto fail;
	}
	if ((s->search = search_open(path, cause)) == NULL)
		goto fail;
	return (&s->store);
fail:
	sqlite3_close(s->db);
	free(s->path);
	free(s);
	return (NULL);
}

static void
sqlite_close(struct store *store)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	size_t			 i;

	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->stmt[i]);
	for (i = 0; i < LIST_VARIANTS; i++)
		sqlite3_finalize(s->list[i]);
	search_close(s->search);
	if (sqlite3_close(s->db) != SQLITE_OK)
		log_warnx("store: %s: close: %s", s->path,
		    sqlite3_errmsg(s->db));
	free(s->path);
	free(s);
}

/* --- feeds --- */

static int
sqlite_set_tags(struct sqlite_store *s, int64_t id,
    const struct store_feed_conf *conf)
{
	sqlite3_stmt	*st;
	size_t		 i;

	if ((st = sqlite_stmt(s, ST_FEED_TAGS_CLEAR)) == NULL)
		return (-1);
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		return (-1);
	for (i = 0; i < conf->ntags; i++) {
		if ((st = sqlite_stmt(s, ST_FEED_TAG_ADD)) == NULL)
			return (-1);
		sqlite3_bind_int64(st, 1, id);
		sqlite_bind_text(st, 2, conf->tags[i]);
		if (sqlite3_step(st) != SQLITE_DONE)
			return (-1);
	}
	return (0);
}

/* Runs one of the statements that take only a feed id. */
static int
sqlite_feed_step_id(struct sqlite_store *s, enum stmt which, int64_t id)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = sqlite_stmt(s, which)) == NULL)
		return (-1);
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? 0 : -1);
}

static int
sqlite_set_options(struct sqlite_store *s, int64_t id, const char *options)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = sqlite_stmt(s, ST_FEED_OPTIONS_SET)) == NULL)
		return (-1);
	sqlite3_bind_int64(st, 1, id);
	sqlite_bind_text(st, 2, options);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? 0 : -1);
}

static void
sqlite_bind_conf(sqlite3_stmt *st, const struct store_feed_conf *conf)
{
	sqlite_bind_text(st, 2, conf->title);
	if (conf->interval < 0)
		sqlite3_bind_null(st, 3);
	else
		sqlite3_bind_int64(st, 3, conf->interval);
	sqlite3_bind_int(st, 4, conf->enabled != 0);
	sqlite3_bind_int(st, 5, conf->origin);
}

static int
sqlite_feed_add(struct store *store, const struct store_feed_conf *conf,
    int64_t *id, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	sqlite3_stmt		*st;
	int			 rc;

	if (sqlite_begin(s, cause) != 0)
		return (-1);
	if ((st = sqlite_stmt(s, ST_FEED_INSERT)) == NULL)
		goto fail;
	sqlite_bind_text(st, 1, conf->url);
	sqlite_bind_conf(st, conf);
	sqlite3_bind_int64(st, 6, (int64_t)time(NULL));
	rc = sqlite3_step(st);
	if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		sqlite_rollback(s);
		xasprintf(cause, "%s: already subscribed", conf->url);
		return (-1);
	}
	if (rc != SQLITE_DONE)
		goto fail;
	*id = sqlite3_last_insert_rowid(s->db);
	if (sqlite_set_tags(s, *id, conf) != 0 ||
	    sqlite_set_options(s, *id, conf->options) != 0)
		goto fail;
	if (conf->moved_from != NULL) {
		if ((st = sqlite_stmt(s, ST_FEED_URL_HISTORY)) == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, *id);
		sqlite_bind_text(st, 2, conf->moved_from);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			goto fail;
	}
	return (sqlite_commit(s, cause));
fail:
	sqlite_fail(s, cause, "store: adding %s", conf->url);
	sqlite_rollback(s);
	return (-1);
}

static int	sqlite_feed_edit(struct store *, int64_t,
		    const struct store_feed_conf *, const char *, int, char **);

static int
sqlite_feed_update(struct store *store, int64_t id,
    const struct store_feed_conf *conf, char **cause)
{
	return (sqlite_feed_edit(store, id, conf, NULL, 0, cause));
}

/* Items, their FTS rows and outbox rows, tags, tombstones: one statement. */
static int
sqlite_feed_remove(struct store *store, int64_t id, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	sqlite3_stmt		*st;

	if (sqlite_begin(s, cause) != 0)
		return (-1);
	if ((st = sqlite_stmt(s, ST_FEED_REMOVED_ADD)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (int64_t)time(NULL));
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	if ((st = sqlite_stmt(s, ST_FEED_DELETE)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	if (sqlite3_changes(s->db) == 0) {
		sqlite_rollback(s);
		xasprintf(cause, "no feed %" PRId64, id);
		return (-1);
	}
	return (sqlite_commit(s, cause));
fail:
	sqlite_fail(s, cause, "store: removing feed %" PRId64, id);
	sqlite_rollback(s);
	return (-1);
}

/*
 * A feed's settings (title, tags, interval, enabled, origin, options),
 * and for feeds.edit a new URL and a fresh start after errors or a 410,
 * in one transaction.  A runtime feed the config takes over keeps its
 * tags aside (sqlite_feed_release()).
 */
static int
sqlite_feed_edit(struct store *store, int64_t id,
    const struct store_feed_conf *conf, const char *url, int resume,
    char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	sqlite3_stmt		*st;
	int			 rc;

	if (sqlite_begin(s, cause) != 0)
		return (-1);
	if (conf->origin == STORE_ORIGIN_CONFIG &&
	    sqlite_feed_step_id(s, ST_FEED_KEEP_RUNTIME, id) != 0)
		goto fail;
	if ((st = sqlite_stmt(s, ST_FEED_UPDATE)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	sqlite_bind_conf(st, conf);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	if (sqlite3_changes(s->db) == 0) {
		sqlite_rollback(s);
		xasprintf(cause, "no feed %" PRId64, id);
		return (-1);
	}
	if (sqlite_set_tags(s, id, conf) != 0 ||
	    sqlite_set_options(s, id, conf->options) != 0)
		goto fail;
	if (url != NULL) {
		if ((st = sqlite_stmt(s, ST_FEED_URL_SET)) == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, id);
		sqlite_bind_text(st, 2, url);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc == SQLITE_CONSTRAINT_UNIQUE) {
			sqlite_rollback(s);
			xasprintf(cause, "%s: already subscribed", url);
			return (-1);
		}
		if (rc != SQLITE_DONE)
			goto fail;
	}
	if (resume && sqlite_feed_step_id(s, ST_FEED_RESUME, id) != 0)
		goto fail;
	/* A lowered interval applies now (store-int.h). */
	if ((st = sqlite_stmt(s, ST_FEED_INTERVAL_SOONER)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	return (sqlite_commit(s, cause));
fail:
	sqlite_fail(s, cause, "store: updating feed %" PRId64, id);
	sqlite_rollback(s);
	return (-1);
}

/*
 * The config no longer names feed "id": 1 when it had been added at run
 * time, and is a runtime feed again with the tags it had then; 0 when it
 * came from the config (the caller removes it).
 */
static int
sqlite_feed_release(struct store *store, int64_t id, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	struct store_feed_conf	 conf;
	sqlite3_stmt		*st;
	char			*tags = NULL, **v = NULL, *p, *nl;
	size_t			 n = 0;
	int			 rc;

	if (sqlite_begin(s, cause) != 0)
		return (-1);
	if ((st = sqlite_stmt(s, ST_FEED_RELEASE)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		tags = sqlite_col_text(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) {
		sqlite_rollback(s);
		return (0);
	}
	if (rc != SQLITE_ROW)
		goto fail;
	for (p = tags; p != NULL && *p != '\0'; p = nl != NULL ? nl + 1 :
	    NULL) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl = '\0';
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = p;
	}
	memset(&conf, 0, sizeof(conf));
	conf.tags = (const char *const *)v;
	conf.ntags = n;
	rc = sqlite_set_tags(s, id, &conf);
	free(v);
	free(tags);
	if (rc != 0)
		goto fail2;
	return (sqlite_commit(s, cause) == 0 ? 1 : -1);
fail:
	free(tags);
fail2:
	sqlite_fail(s, cause, "store: releasing feed %" PRId64, id);
	sqlite_rollback(s);
	return (-1);
}

/* A feed's options (JSON), or NULL. */
static char *
sqlite_feed_options(struct store *store, int64_t id)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	sqlite3_stmt		*st;
	char			*v = NULL;

	if ((st = sqlite_stmt(s, ST_FEED_OPTIONS_GET)) == NULL)
		return (NULL);
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite_col_text(st, 0);
	sqlite3_reset(st);
	return (v);
}

static struct store_feed *
sqlite_row_feed(sqlite3_stmt *st)
{
	struct store_feed	*f;
	const char		*tags, *nl;

	f = xcalloc(1, sizeof(*f));
	f->id = sqlite3_column_int64(st, 0);
	f->url = sqlite_col_text(st, 1);
	f->title = sqlite_col_text(st, 2);
	f->link = sqlite_col_text(st, 3);
	f->interval = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 :
	    sqlite3_column_int64(st, 4);
	f->enabled = sqlite3_column_int(st, 5);
	f->origin = sqlite3_column_int(st, 6);
	f->etag = sqlite_col_text(st, 7);
	f->last_modified = sqlite_col_text(st, 8);
	f->last_poll = sqlite_col_date(st, 9);
	f->last_success = sqlite_col_date(st, 10);
	f->last_status = sqlite3_column_int(st, 11);
	f->last_error = sqlite_col_text(st, 12);
	f->errors = sqlite3_column_int(st, 13);
	f->next_poll = sqlite_col_date(st, 14);
	f->next_poll_reason = sqlite_col_text(st, 15);
	f->retry_after = sqlite_col_date(st, 16);
	f->item_rate = sqlite3_column_type(st, 17) == SQLITE_NULL ? -1 :
	    sqlite3_column_double(st, 17);
	f->key_mode = sqlite3_column_int(st, 18);
	f->items = sqlite3_column_int64(st, 19);
	f->unread = sqlite3_column_int64(st, 20);
	tags = (const char *)sqlite3_column_text(st, 21);
	while (tags != NULL && *tags != '\0') {
		nl = strchr(tags, '\n');
		f->tags = xreallocarray(f->tags, f->ntags + 1,
		    sizeof(*f->tags));
		f->tags[f->ntags++] = nl != NULL ?
		    xstrndup(tags, (size_t)(nl - tags)) : xstrdup(tags);
		tags = nl != NULL ? nl + 1 : NULL;
	}
	f->title_set = sqlite3_column_int(st, 22);
	store_col_read_hints(&f->hints,
	    (const char *)sqlite3_column_text(st, 23));
	/* The full and the routing columns end with the old URLs. */
	if (sqlite3_column_count(st) > 24)
		store_col_read_urls(f, (const char *)
		    sqlite3_column_text(st, 24));
	return (f);
}

static struct store_feed *
sqlite_feed_get(struct store *store, int64_t id, const char *url, int light)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	struct store_feed	*f = NULL;
	sqlite3_stmt		*st;
	int			 rc;

	if ((st = sqlite_stmt(s, url != NULL ? ST_FEED_BY_URL : light ?
	    ST_FEED_LIGHT : ST_FEED_BY_ID)) == NULL) {
		store_read_failed(store, sqlite3_errmsg(s->db));
		return (NULL);
	}
	if (url != NULL)
		sqlite_bind_text(st, 1, url);
	else
		sqlite3_bind_int64(st, 1, id);
	/* No row is no such feed; an error is not. */
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		f = sqlite_row_feed(st);
	else if (rc != SQLITE_DONE)
		store_read_failed(store, sqlite3_errmsg(s->db));
	sqlite3_reset(st);
	return (f);
}

static int
sqlite_feeds_list(struct store *store, const char *tag, int light,
    struct store_feed ***v, size_t *n)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	sqlite3_stmt		*st;
	size_t			 cap = 0;
	int			 rc;

	*v = NULL;
	*n = 0;
	if ((st = sqlite_stmt(s, tag != NULL ? ST_FEEDS_TAG : light ?
	    ST_FEEDS_LIGHT : ST_FEEDS_ALL)) == NULL)
		return (-1);
	if (tag != NULL)
		sqlite_bind_text(st, 1, tag);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* Doubling: a list of 100,000 feeds is not copied each row. */
		if (*n == cap) {
			cap = cap != 0 ? cap * 2 : 64;
			*v = xreallocarray(*v, cap, sizeof(**v));
		}
		(*v)[(*n)++] = sqlite_row_feed(st);
	}
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/* --- items --- */

/* The ITEM_COLS starting at column "c". */
static void
sqlite_row_item_at(sqlite3_stmt *st, int c, struct store_item *si)
{
	struct feed_item	*it;

	si->id = sqlite3_column_int64(st, c + 0);
	si->feed_id = sqlite3_column_int64(st, c + 1);
	si->story = sqlite3_column_int64(st, c + 2);
	si->fetched = sqlite3_column_int64(st, c + 3);
	si->read = sqlite3_column_int(st, c + 4);
	si->starred = sqlite3_column_int(st, c + 5);
	si->repeat = sqlite3_column_int(st, c + 6);
	si->item = it = feed_item_new();
	it->key = sqlite_col_text(st, c + 7);
	it->guid = sqlite_col_text(st, c + 8);
	it->title = sqlite_col_text(st, c + 9);
	it->link = sqlite_col_text(st, c + 10);
	it->author = sqlite_col_text(st, c + 11);
	it->published = sqlite_col_date(st, c + 12);
	it->updated = sqlite_col_date(st, c + 13);
	it->summary = sqlite_col_text(st, c + 14);
	it->content = sqlite_col_text(st, c + 15);
	store_col_read_lists(it, (const char *)sqlite3_column_text(st, c + 16),
	    (const char *)sqlite3_column_text(st, c + 17));
	it->image = sqlite_col_text(st, c + 18);
	if (sqlite3_column_type(st, c + 19) != SQLITE_NULL)
		it->episode = sqlite3_column_int64(st, c + 19);
	if (sqlite3_column_type(st, c + 20) != SQLITE_NULL)
		it->season = sqlite3_column_int64(st, c + 20);
	it->base = sqlite_col_text(st, c + 21);
}

static void
sqlite_row_item(sqlite3_stmt *st, struct store_item *si)
{
	sqlite_row_item_at(st, 0, si);
}

/* Steps "st" to the end, appending each row to *v. */
static int
sqlite_collect(struct sqlite_store *s, sqlite3_stmt *st,
    struct store_item **v, size_t *n, char **cause)
{
	size_t	cap = *n;
	int	rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*v = xreallocarray(*v, cap, sizeof(**v));
		}
		sqlite_row_item(st, &(*v)[(*n)++]);
	}
	if (rc != SQLITE_DONE) {
		sqlite_fail(s, cause, "store: reading items");
		sqlite3_reset(st);
		return (-1);
	}
	sqlite3_reset(st);
	return (0);
}

static sqlite3_stmt *
sqlite_list_stmt(struct sqlite_store *s, int variant)
{
	char	sql[1024];

	if (s->list[variant] != NULL) {
		sqlite3_reset(s->list[variant]);
		sqlite3_clear_bindings(s->list[variant]);
		return (s->list[variant]);
	}
	snprintf(sql, sizeof(sql), "%sSELECT " ITEM_COLS " FROM items i "
	    "WHERE i.id > ?1%s%s%s%s ORDER BY i.id%s LIMIT ?4%s",
	    variant & LIST_NEWEST ? "SELECT * FROM (" : "",
	    variant & LIST_FEED ? " AND i.feed_id = ?2" : "",
	    variant & LIST_TAG ? " AND i.feed_id IN (SELECT feed_id FROM "
	    "feed_tags WHERE tag = ?3)" : "",
	    variant & LIST_UNREAD ? " AND i.read = 0" : "",
	    variant & LIST_STARRED ? " AND i.starred != 0" : "",
	    variant & LIST_NEWEST ? " DESC" : "",
	    variant & LIST_NEWEST ? ") ORDER BY 1" : "");
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &s->list[variant], NULL) != SQLITE_OK)
		return (NULL);
	return (s->list[variant]);
}

static size_t
sqlite_limit(size_t limit)
{
	if (limit == 0)
		return (STORE_DEFAULT_LIMIT);
	return (limit > STORE_MAX_LIMIT ? STORE_MAX_LIMIT : limit);
}

static int
sqlite_items_list(struct store *store, const struct store_query *q,
    struct store_item **v, size_t *n, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	sqlite3_stmt		*st;
	int			 variant = 0;

	*v = NULL;
	*n = 0;
	if (q->feed_id > 0)
		variant |= LIST_FEED;
	if (q->tag != NULL)
		variant |= LIST_TAG;
	if (q->unread)
		variant |= LIST_UNREAD;
	if (q->starred)
		variant |= LIST_STARRED;
	if (q->newest)
		variant |= LIST_NEWEST;
	if ((st = sqlite_list_stmt(s, variant)) == NULL)
		return (sqlite_fail(s, cause, "store: listing items"));
	sqlite3_bind_int64(st, 1, q->since > 0 ? q->since : 0);
	if (variant & LIST_FEED)
		sqlite3_bind_int64(st, 2, q->feed_id);
	if (variant & LIST_TAG)
		sqlite_bind_text(st, 3, q->tag);
	sqlite3_bind_int64(st, 4, (int64_t)sqlite_limit(q->limit));
	return (sqlite_collect(s, st, v, n, cause));
}

static int
sqlite_items_get(struct store *store, const int64_t *ids, size_t nids,
    struct store_item **v, size_t *n, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	sqlite3_stmt		*st;
	size_t			 i;
	int			 rc;

	/*
	 * At most one row per id: the array is sized once (growing it row
	 * by row copied it each time, quadratic in an announce of 100,000).
	 */
	*v = nids > 0 ? xcalloc(nids, sizeof(**v)) : NULL;
	*n = 0;
	for (i = 0; i < nids; i++) {
		if ((st = sqlite_stmt(s, ST_ITEM_BY_ID)) == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, ids[i]);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW)
			sqlite_row_item(st, &(*v)[(*n)++]);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			goto fail;
	}
	return (0);
fail:
	if (*cause == NULL)
		sqlite_fail(s, cause, "store: reading items");
	store_items_free(*v, *n);
	*v = NULL;
	*n = 0;
	return (-1);
}

/*
 * The index gives ids, best first; the items come from the database, so
 * one removed since it was indexed is simply not there.
 */
static int
sqlite_items_search(struct store *store, const char *query, size_t limit,
    struct store_item **v, size_t *n, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	int64_t			*ids;
	size_t			 nids;
	int			 rc;

	*v = NULL;
	*n = 0;
	if (search_query(s->search, query, sqlite_limit(limit), &ids, &nids,
	    cause) != 0)
		return (-1);
	rc = sqlite_items_get(store, ids, nids, v, n, cause);
	free(ids);
	return (rc);
}

static int
sqlite_index_update(struct store *store, size_t max_items, int *more,
    char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;

	return (search_update(s->search, max_items, more, cause));
}

static void
sqlite_index_stop(struct store *store)
{
	search_stop(((struct sqlite_store *)store)->search);
}

static int
sqlite_index_lag(struct store *store, int64_t *lag, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;

	return (search_lag(s->search, lag, cause));
}

static int
sqlite_items_mark(struct store *store, const int64_t *ids, size_t n,
    int read, int starred, size_t *changed, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	sqlite3_stmt		*st;
	size_t			 i;

	*changed = 0;
	if (sqlite_begin(s, cause) != 0)
		return (-1);
	for (i = 0; i < n; i++) {
		if (read >= 0) {
			if ((st = sqlite_stmt(s, ST_MARK_READ)) == NULL)
				goto fail;
			sqlite3_bind_int64(st, 1, ids[i]);
			sqlite3_bind_int(st, 2, read != 0);
			if (sqlite3_step(st) != SQLITE_DONE)
				goto fail;
			*changed += (size_t)sqlite3_changes(s->db);
		}
		if (starred >= 0) {
			if ((st = sqlite_stmt(s, ST_MARK_STARRED)) == NULL)
				goto fail;
			sqlite3_bind_int64(st, 1, ids[i]);
			sqlite3_bind_int(st, 2, starred != 0);
			if (sqlite3_step(st) != SQLITE_DONE)
				goto fail;
			*changed += (size_t)sqlite3_changes(s->db);
		}
	}
	return (sqlite_commit(s, cause));
fail:
	sqlite_fail(s, cause, "store: marking items");
	sqlite_rollback(s);
	return (-1);
}

/* Marks what "q" selects, in one statement per flag. */
static int
sqlite_items_mark_where(struct store *store, const struct store_query *q,
    int read, int starred, size_t *changed, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	sqlite3_stmt		*st = NULL;
	char			 sql[512];
	int			 pass, v;

	*changed = 0;
	if (sqlite_begin(s, cause) != 0)
		return (-1);
	for (pass = 0; pass < 2; pass++) {
		v = pass == 0 ? read : starred;
		if (v < 0)
			continue;
		snprintf(sql, sizeof(sql), "UPDATE items SET %s = ?1 "
		    "WHERE %s != ?1%s%s%s", pass == 0 ? "read" : "starred",
		    pass == 0 ? "read" : "starred",
		    q->feed_id > 0 ? " AND feed_id = ?2" : "",
		    q->tag != NULL ? " AND feed_id IN (SELECT feed_id FROM "
		    "feed_tags WHERE tag = ?3)" : "",
		    q->before > 0 ? " AND id <= ?4" : "");
		if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
			goto fail;
		sqlite3_bind_int(st, 1, v != 0);
		if (q->feed_id > 0)
			sqlite3_bind_int64(st, 2, q->feed_id);
		if (q->tag != NULL)
			sqlite_bind_text(st, 3, q->tag);
		if (q->before > 0)
			sqlite3_bind_int64(st, 4, q->before);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto fail;
		*changed += (size_t)sqlite3_changes(s->db);
		sqlite3_finalize(st);
		st = NULL;
	}
	return (sqlite_commit(s, cause));
fail:
	sqlite_fail(s, cause, "store: marking items");
	sqlite3_finalize(st);
	sqlite_rollback(s);
	return (-1);
}

/* --- polls --- */

struct poll_ctx {
	struct sqlite_store		*s;
	int64_t				 feed_id;
	const struct store_poll		*p;
	struct store_poll_result	*r;
	int				 key_mode;
	size_t				 idscap;
	struct store_feed		*feed;		/* for the router */
	int				 first;		/* STORE_FIRST_* */
	int				 read;		/* the rules: stored read */
	int				 empty;		/* no items, no tombstones */
	int				 tombs;		/* some tombstones */
	int64_t				 last_success;	/* before this poll */
	size_t				 nold;		/* new, but old news */
};

/* The known row for "key": 1 and its id/hash, 0 if none, -1 on error. */
static int
sqlite_item_lookup(struct poll_ctx *c, const char *key, int64_t *id,
    int64_t *hash)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = sqlite_stmt(c->s, ST_ITEM_BY_KEY)) == NULL)
		return (-1);
	sqlite3_bind_int64(st, 1, c->feed_id);
	sqlite_bind_text(st, 2, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*hash = sqlite3_column_int64(st, 1);
		sqlite3_reset(st);
		return (1);
	}
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/*
 * An item stored under its old key (feed_item_key_v1: before rdf:about,
 * enclosures and digests counted) is found by it and moved to its new
 * key, so a changed rule never makes stored items look new; each row
 * moves once, the first time its feed is polled.
 */
static int
sqlite_item_lookup_old(struct poll_ctx *c, const struct feed_item *it,
    int64_t *id, int64_t *hash)
{
	sqlite3_stmt	*st;
	int		 found, rc;

	if (it->oldkey == NULL)
		return (0);
	if ((found = sqlite_item_lookup(c, it->oldkey, id, hash)) != 1)
		return (found);
	if (sqlite3_prepare_v2(c->s->db, "UPDATE items SET key = ?1 "
	    "WHERE id = ?2", -1, &st, NULL) != SQLITE_OK)
		return (-1);
	sqlite_bind_text(st, 1, it->key);
	sqlite3_bind_int64(st, 2, *id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return (rc == SQLITE_DONE ? 1 : -1);
}

/* 1 when "key" was removed by retention (and notes the feed has it). */
static int
sqlite_tomb_touch(struct poll_ctx *c, const char *key)
{
	sqlite3_stmt	*st;

	if ((st = sqlite_stmt(c->s, ST_TOMB_TOUCH)) == NULL)
		return (-1);
	sqlite3_bind_int64(st, 1, c->feed_id);
	sqlite_bind_text(st, 2, key);
	sqlite3_bind_int64(st, 3, c->p->now);
	if (sqlite3_step(st) != SQLITE_DONE)
		return (-1);
	return (sqlite3_changes(c->s->db) > 0);
}

static int
sqlite_tombs_touch(struct poll_ctx *c)
{
	sqlite3_stmt	*st;

	if ((st = sqlite_stmt(c->s, ST_TOMBS_TOUCH)) == NULL)
		return (-1);
	sqlite3_bind_int64(st, 1, c->feed_id);
	sqlite3_bind_int64(st, 2, c->p->now);
	return (sqlite3_step(st) == SQLITE_DONE ? 0 : -1);
}

static int
sqlite_link_known(struct poll_ctx *c, const char *canon)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (canon == NULL)
		return (0);
	if ((st = sqlite_stmt(c->s, ST_LINK_KNOWN)) == NULL)
		return (-1);
	sqlite_bind_text(st, 1, canon);
	sqlite3_bind_int64(st, 2, c->feed_id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (1);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/*
 * On a feed matched by link, the row an item not found by its key stands
 * for: with a link of its own ("lkey"), the oldest row with that link
 * (one stored under its GUID before the switch); with a link other items
 * share, the row stored under the link as its key when it was this
 * item's alone, told apart by its GUID.  1 found, 0 not, -1 error.
 */
static int
sqlite_link_row(struct poll_ctx *c, const struct feed_item *it,
    const char *canon, const char *lkey, int64_t *id, int64_t *hash)
{
	sqlite3_stmt	*st;
	int		 rc;

	if (canon == NULL)
		return (0);
	if (lkey != NULL) {
		if ((st = sqlite_stmt(c->s, ST_LINK_ROW)) == NULL)
			return (-1);
		sqlite_bind_text(st, 1, canon);
		sqlite3_bind_int64(st, 2, c->feed_id);
	} else {
		if ((st = sqlite_stmt(c->s, ST_LINK_GUID_ROW)) == NULL)
			return (-1);
		sqlite3_bind_int64(st, 1, c->feed_id);
		sqlite_bind_text(st, 2, canon);
		sqlite_bind_text(st, 3, it->guid);
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*hash = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (1);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/*
 * On a feed matched by GUID, the stored item an item keyed by its link
 * stands for when that link only changed its scheme or tracking
 * parameters (dedup_link_moved()).  1 found, 0 not, -1 error.
 */
static int
sqlite_link_moved(struct poll_ctx *c, const struct feed_item *it,
    const char *lkey, const char *const *dockeys, size_t n, int64_t *id,
    int64_t *hash)
{
	sqlite3_stmt	*st;
	int		 rc, found = 0;

	if ((st = sqlite_stmt(c->s, ST_LINK_ROW)) == NULL)
		return (-1);
	sqlite_bind_text(st, 1, lkey);
	sqlite3_bind_int64(st, 2, c->feed_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && dedup_link_moved(it, lkey,
	    (const char *)sqlite3_column_text(st, 2),
	    (const char *)sqlite3_column_text(st, 3), dockeys, n)) {
		*id = sqlite3_column_int64(st, 0);
		*hash = sqlite3_column_int64(st, 1);
		found = 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (-1);
	if (!found)
		return (0);
	/* Its key follows the link, so the next poll finds it by key. */
	if ((st = sqlite_stmt(c->s, ST_ITEM_REKEY)) == NULL)
		return (-1);
	sqlite_bind_text(st, 1, it->key);
	sqlite3_bind_int64(st, 2, *id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? 1 : -1);
}

static void
sqlite_bind_item_fields(sqlite3_stmt *st, int first,
    const struct feed_item *it, const char *cats, const char *encs)
{
	sqlite_bind_text(st, first, it->guid);
	sqlite_bind_text(st, first + 1, it->title);
	sqlite_bind_text(st, first + 2, it->link);
	sqlite_bind_text(st, first + 3, it->author);
	sqlite_bind_date(st, first + 4, it->published);
	sqlite_bind_date(st, first + 5, it->updated);
	sqlite_bind_text(st, first + 6, it->summary);
	sqlite_bind_text(st, first + 7, it->content);
	sqlite_bind_text(st, first + 8, cats);
	sqlite_bind_text(st, first + 9, encs);
}

/* The podcast fields, from "first" on; NULL when missing. */
static void
sqlite_bind_podcast(sqlite3_stmt *st, int first, const struct feed_item *it)
{
	sqlite_bind_text(st, first, it->image);
	if (it->episode >= 0)
		sqlite3_bind_int64(st, first + 1, it->episode);
	else
		sqlite3_bind_null(st, first + 1);
	if (it->season >= 0)
		sqlite3_bind_int64(st, first + 2, it->season);
	else
		sqlite3_bind_null(st, first + 2);
}

/* A known key whose content changed: updated in place, not announced. */
static int
sqlite_item_update(struct poll_ctx *c, int64_t id,
    const struct store_prep *pp, size_t i, const struct feed_item *it)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = sqlite_stmt(c->s, ST_ITEM_UPDATE)) == NULL)
		return (-1);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, pp->hashes[i]);
	sqlite_bind_item_fields(st, 3, it, pp->cats[i], pp->encs[i]);
	sqlite_bind_podcast(st, 13, it);
	sqlite_bind_text(st, 16, it->base);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return (-1);
	c->r->nupdated++;
	return (0);
}

struct outbox_add {
	struct poll_ctx	*c;
	int64_t		 item_id;
};

/* The router's "add": one outbox row, in the poll's transaction. */
static int
sqlite_outbox_insert(void *arg, const char *notifier)
{
	struct outbox_add	*a = arg;
	sqlite3_stmt		*st;
	int			 rc;

	if ((st = sqlite_stmt(a->c->s, ST_OUTBOX_INSERT)) == NULL)
		return (-1);
	sqlite_bind_text(st, 1, notifier);
	sqlite3_bind_int64(st, 2, a->item_id);
	sqlite3_bind_int64(st, 3, a->c->p->now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/* store_route_feed(): the poll's feed with its tags, read once. */
static const struct store_feed *
sqlite_route_feed(void *arg)
{
	struct poll_ctx	*c = arg;
	sqlite3_stmt	*st;

	if (c->feed == NULL &&
	    (st = sqlite_stmt(c->s, ST_FEED_ROUTE)) != NULL) {
		sqlite3_bind_int64(st, 1, c->feed_id);
		if (sqlite3_step(st) == SQLITE_ROW)
			c->feed = sqlite_row_feed(st);
		sqlite3_reset(st);
	}
	return (c->feed);
}

/* STORE_FILTER_*: what the rules make of a new item. */
static int
sqlite_filter(struct poll_ctx *c, const struct feed_item *it)
{
	struct store		*store = &c->s->store;
	struct store_route	 rt;

	if (store->filter == NULL)
		return (STORE_FILTER_STORE);
	memset(&rt, 0, sizeof(rt));
	rt.load = sqlite_route_feed;
	rt.load_arg = c;
	rt.item = it;
	rt.first = c->first;
	return (store->filter(&rt, store->filter_arg));
}

static int
sqlite_outbox_add(struct poll_ctx *c, int64_t id, const struct feed_item *it,
    int repeat)
{
	struct store		*store = &c->s->store;
	struct store_route	 rt;
	struct outbox_add	 a = { c, id };

	if (store->route == NULL)
		return (0);
	rt.load = sqlite_route_feed;
	rt.load_arg = c;
	rt.item = it;
	rt.item_id = id;
	rt.repeat = repeat;
	rt.first = c->first;
	return (store->route(&rt, sqlite_outbox_insert, &a, store->route_arg));
}

static int
sqlite_item_insert(struct poll_ctx *c, const char *key,
    const struct store_prep *pp, size_t i, const struct feed_item *it)
{
	sqlite3_stmt	*st;
	const char	*canon = pp->canon[i];
	int64_t		 story = 0, id;
	int		 rc, repeat = 0;

	if (canon != NULL) {
		if ((st = sqlite_stmt(c->s, ST_STORY)) == NULL)
			return (-1);
		sqlite_bind_text(st, 1, canon);
		sqlite3_bind_int64(st, 2, c->feed_id);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW &&
		    sqlite3_column_type(st, 1) != SQLITE_NULL) {
			story = sqlite3_column_int64(st, 0);
			repeat = 1;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return (-1);
	}
	if ((st = sqlite_stmt(c->s, ST_ITEM_INSERT)) == NULL)
		return (-1);
	sqlite3_bind_int64(st, 1, c->feed_id);
	sqlite_bind_text(st, 2, key);
	sqlite3_bind_int64(st, 3, pp->hashes[i]);
	sqlite_bind_text(st, 4, canon);
	if (repeat)
		sqlite3_bind_int64(st, 5, story);
	else
		sqlite3_bind_null(st, 5);
	sqlite3_bind_int(st, 6, repeat);
	sqlite_bind_item_fields(st, 7, it, pp->cats[i], pp->encs[i]);
	sqlite3_bind_int64(st, 17, c->p->now);
	sqlite_bind_podcast(st, 18, it);
	sqlite_bind_text(st, 21, it->base);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return (-1);
	if (sqlite3_changes(c->s->db) == 0) {
		/* The same key twice in one document: the first one won. */
		c->r->nknown++;
		return (0);
	}
	id = sqlite3_last_insert_rowid(c->s->db);
	if (c->r->nids == c->idscap) {
		c->idscap = c->idscap ? c->idscap * 2 : 64;
		c->r->ids = xreallocarray(c->r->ids, c->idscap,
		    sizeof(*c->r->ids));
	}
	c->r->ids[c->r->nids++] = id;
	/* A rule's mark_read: stored read, for no notifier. */
	if (c->read)
		return (sqlite_feed_step_id(c->s, ST_ITEM_READ, id));
	return (sqlite_outbox_add(c, id, it, repeat));
}

static int
sqlite_counts_add(struct poll_ctx *c)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = sqlite_stmt(c->s, ST_COUNTS_ADD)) == NULL)
		return (-1);
	sqlite3_bind_int64(st, 1, c->feed_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)c->r->nids);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/*
 * The items of a document: known ones updated when they changed, new
 * ones inserted, oldest first.  New items are held back until the
 * GUID-storm check has seen how many there are.  "lkeys" are the links
 * that name one item of the document (dedup_link_keys()): a feed matched
 * by link is matched by those, and by GUID where a link is shared.
 */
static int
sqlite_apply_items(struct poll_ctx *c, const struct feed_doc *doc)
{
	const struct feed_item	 *it;
	const struct store_prep	 *pp;
	struct store_prep	 *own = NULL;
	char			**canon;
	const char		**lkeys, **dockeys = NULL, *key;
	size_t			 *fresh, nfresh = 0, known_by_link = 0, i, k;
	size_t			  before;
	int64_t			 *hashes, id, hash, oldhash;
	unsigned char		 *repeat;
	int			  rc = -1, found, verdict;

	if (doc->nitems == 0)
		return (0);
	pp = c->p->prep;
	if (pp == NULL || pp->n != doc->nitems)
		pp = own = store_prep_new(doc);
	canon = pp->canon;
	hashes = pp->hashes;
	lkeys = dedup_link_keys(canon, doc->nitems);
	fresh = xcalloc(doc->nitems, sizeof(*fresh));
	repeat = xmalloc(doc->nitems);
	dedup_repeats(doc->items, doc->nitems, lkeys, c->key_mode, repeat);
	for (i = 0; i < doc->nitems; i++) {
		it = doc->items[i];
		hash = hashes[i];
		if (repeat[i]) {
			c->r->nknown++;		/* another copy stands for it */
			continue;
		}
		/* Nothing stored for the feed: nothing to look up. */
		if (c->empty) {
			fresh[nfresh++] = i;
			continue;
		}
		key = dedup_key(it, lkeys[i], c->key_mode);
		found = sqlite_item_lookup(c, key, &id, &oldhash);
		if (found == 0 && key == it->key)
			found = sqlite_item_lookup_old(c, it, &id, &oldhash);
		if (found == 0 && c->key_mode == STORE_KEYS_LINK)
			found = sqlite_link_row(c, it, canon[i], lkeys[i], &id,
			    &oldhash);
		if (found == 0 && c->key_mode == STORE_KEYS_GUID &&
		    lkeys[i] != NULL && key == it->key) {
			if (dockeys == NULL)
				dockeys = dedup_doc_keys(doc->items,
				    doc->nitems);
			found = sqlite_link_moved(c, it, lkeys[i], dockeys,
			    doc->nitems, &id, &oldhash);
		}
		if (found < 0)
			goto done;
		if (found) {
			if (hash == oldhash)
				c->r->nknown++;
			else if (sqlite_item_update(c, id, pp, i, it) != 0)
				goto done;
			continue;
		}
		/* Most feeds never lost an item to retention. */
		if (!c->tombs) {
			fresh[nfresh++] = i;
			continue;
		}
		if ((found = sqlite_tomb_touch(c, key)) == 0 &&
		    it->oldkey != NULL && key == it->key)
			found = sqlite_tomb_touch(c, it->oldkey);
		if (found < 0)
			goto done;
		if (found) {
			c->r->nknown++;
			continue;
		}
		fresh[nfresh++] = i;
	}

	if (c->key_mode == STORE_KEYS_GUID && !c->empty &&
	    nfresh >= DEDUP_STORM_MIN && nfresh * 2 > doc->nitems) {
		for (k = 0; k < nfresh; k++) {
			if ((found = sqlite_link_known(c,
			    lkeys[fresh[k]])) < 0)
				goto done;
			known_by_link += (size_t)found;
		}
		if (dedup_is_storm(doc->nitems, nfresh, known_by_link)) {
			log_warnx("store: feed %" PRId64 ": %zu of %zu items "
			    "came back with new GUIDs; matching this feed's "
			    "items by link from now on", c->feed_id,
			    known_by_link, doc->nitems);
			c->key_mode = STORE_KEYS_LINK;
			c->r->storm = 1;
		}
	}
	dedup_order(doc->items, fresh, nfresh);
	for (k = 0; k < nfresh; k++) {
		i = fresh[k];
		it = doc->items[i];
		if (c->key_mode == STORE_KEYS_LINK && c->r->storm) {
			/* The old items, under their new GUIDs. */
			if ((found = sqlite_link_row(c, it, canon[i],
			    lkeys[i], &id, &oldhash)) < 0)
				goto done;
			if (found) {
				if (hashes[i] == oldhash)
					c->r->nknown++;
				else if (sqlite_item_update(c, id, pp, i,
				    it) != 0)
					goto done;
				continue;
			}
		}
		verdict = sqlite_filter(c, it);
		if (verdict == STORE_FILTER_DROP) {
			c->r->ndropped++;
			continue;
		}
		if (verdict == STORE_FILTER_DROPPED) {
			c->r->nknown++;		/* news the last time */
			continue;
		}
		c->read = verdict == STORE_FILTER_READ;
		before = c->r->nids;
		if (sqlite_item_insert(c, dedup_key(it, lkeys[i], c->key_mode),
		    pp, i, it) != 0)
			goto done;
		if (c->r->nids > before)
			c->nold += store_item_old_news(it, c->last_success);
	}
	if (c->r->nids > 0 && sqlite_counts_add(c) != 0)
		goto done;
	rc = 0;
done:
	store_prep_free(own);
	free(lkeys);
	free(dockeys);
	free(fresh);
	free(repeat);
	return (rc);
}

static int
sqlite_feed_state(struct poll_ctx *c, int64_t last_success, double rate)
{
	const struct store_poll	*p = c->p;
	const struct feed_doc	*doc = p->doc;
	sqlite3_stmt		*st;
	const char		*reason = p->next_poll_reason;
	char			*hints;
	int64_t			 next = p->next_poll;
	int			 set_validators, rc;

	if ((st = sqlite_stmt(c->s, ST_FEED_STATE_SET)) == NULL)
		return (-1);
	if (p->error == NULL && (doc != NULL || p->http_status == 304))
		rate = store_item_rate(rate, last_success, p->now,
		    c->r->nids - c->nold, p->rate_gap);
	/* Planned from the rate with this poll's items in it. */
	if (p->plan != NULL)
		p->plan(rate, &next, &reason, p->plan_arg);
	/* Validators change only with a complete 200: a broken body is fetched whole next time. */
	set_validators = p->error == NULL && !p->keep_validators &&
	    p->http_status == 200;
	sqlite3_bind_int64(st, 1, c->feed_id);
	sqlite3_bind_int64(st, 2, p->now);
	if (p->http_status > 0)
		sqlite3_bind_int(st, 3, p->http_status);
	sqlite_bind_text(st, 4, p->error);
	sqlite3_bind_int(st, 5, set_validators);
	sqlite_bind_text(st, 6, p->etag);
	sqlite_bind_text(st, 7, p->last_modified);
	sqlite_bind_date(st, 8, next);
	sqlite_bind_text(st, 9, reason);
	sqlite_bind_date(st, 10, p->retry_after);
	sqlite3_bind_int(st, 11, p->disable != 0);
	sqlite_bind_text(st, 12, doc != NULL ? doc->title : NULL);
	sqlite_bind_text(st, 13, doc != NULL ? doc->link : NULL);
	if (rate < 0)
		sqlite3_bind_null(st, 14);
	else
		sqlite3_bind_double(st, 14, rate);
	sqlite3_bind_int(st, 15, c->key_mode);
	/* A whole document's hints; unbound (NULL) keeps the stored ones. */
	if (doc != NULL && !p->keep_validators) {
		hints = store_col_hints(&doc->hints);
		rc = sqlite3_bind_text(st, 16, hints, -1, SQLITE_TRANSIENT);
		free(hints);
		if (rc != SQLITE_OK)
			return (-1);
	}
	return (sqlite3_step(st) == SQLITE_DONE ? 0 : -1);
}

/* A permanent redirect: the new URL is stored, the old one kept. */
static int
sqlite_feed_move(struct poll_ctx *c, const char *old)
{
	sqlite3_stmt	*st;

	if ((st = sqlite_stmt(c->s, ST_FEED_MOVE)) == NULL)
		return (-1);
	sqlite3_bind_int64(st, 1, c->feed_id);
	sqlite_bind_text(st, 2, c->p->moved_to);
	if (sqlite3_step(st) != SQLITE_DONE)
		return (-1);
	if (sqlite3_changes(c->s->db) == 0) {
		log_warnx("store: feed %" PRId64 ": moved to %s, which is "
		    "already subscribed; keeping %s", c->feed_id,
		    c->p->moved_to, old);
		return (0);
	}
	if ((st = sqlite_stmt(c->s, ST_FEED_URL_HISTORY)) == NULL)
		return (-1);
	sqlite3_bind_int64(st, 1, c->feed_id);
	sqlite_bind_text(st, 2, old);
	sqlite3_bind_int64(st, 3, c->p->now);
	return (sqlite3_step(st) == SQLITE_DONE ? 0 : -1);
}

/* STORE_FIRST_*: how the first poll of a feed is notified; -1 on error. */
static int
sqlite_first_poll(struct sqlite_store *s, int64_t feed_id, const char *url)
{
	struct feedopt	 o;
	sqlite3_stmt	*st;
	char		*json, *cause = NULL;
	int		 rc, first = STORE_FIRST_QUIET;

	if ((st = sqlite_stmt(s, ST_FEED_REMOVED_GET)) == NULL)
		return (-1);
	sqlite_bind_text(st, 1, url);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return (STORE_FIRST_AGAIN);
	if (rc != SQLITE_DONE)
		return (-1);
	json = sqlite_feed_options(&s->store, feed_id);
	if (feedopt_from_json(json, &o, &cause) == 0) {
		if (o.notify_first_poll == 1)
			first = STORE_FIRST_NOTIFY;
		feedopt_clear(&o);
	}
	free(cause);
	free(json);
	return (first);
}

/*
 * Whether the feed has items and tombstones.  Neither (its first
 * document): every item is new, and a per-item lookup of its key would
 * only miss; no tombstones (most feeds: retention never took one of
 * their items): a new key needs no tombstone check.
 */
static int
sqlite_feed_rows(struct poll_ctx *c)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = sqlite_stmt(c->s, ST_FEED_HAS_ROWS)) == NULL)
		return (-1);
	sqlite3_bind_int64(st, 1, c->feed_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c->tombs = sqlite3_column_int(st, 1) != 0;
		c->empty = sqlite3_column_int(st, 0) == 0 && !c->tombs;
	}
	sqlite3_reset(st);
	return (rc == SQLITE_ROW ? 0 : -1);
}

/* One poll inside the batch's transaction; the caller handles savepoints. */
static int
sqlite_apply_one(struct sqlite_store *s, int64_t feed_id,
    const struct store_poll *p, struct store_poll_result *r, char **cause)
{
	struct poll_ctx		 c = { s, feed_id, p, r, 0, 0, NULL,
	    STORE_FIRST_NO, 0, 0, 0, DATE_NONE, 0 };
	sqlite3_stmt		*st;
	int64_t			 last_success;
	double			 rate;
	char			*url = NULL;
	int			 rc;

	if ((st = sqlite_stmt(s, ST_FEED_STATE_GET)) == NULL)
		goto fail;
	sqlite3_bind_int64(st, 1, feed_id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			goto fail;
		xasprintf(cause, "no feed %" PRId64, feed_id);
		return (-1);
	}
	c.key_mode = sqlite3_column_int(st, 0);
	c.last_success = last_success = sqlite_col_date(st, 1);
	rate = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 :
	    sqlite3_column_double(st, 2);
	url = sqlite_col_text(st, 3);
	sqlite3_reset(st);

	if (p->doc != NULL && last_success == DATE_NONE &&
	    (c.first = sqlite_first_poll(s, feed_id, url)) < 0)
		goto fail;
	if (p->doc != NULL && sqlite_feed_rows(&c) != 0)
		goto fail;
	if (p->doc != NULL && sqlite_apply_items(&c, p->doc) != 0)
		goto fail;
	if (sqlite_feed_state(&c, last_success, rate) != 0)
		goto fail;
	if (p->moved_to != NULL && p->error == NULL &&
	    strcmp(p->moved_to, url) != 0 && sqlite_feed_move(&c, url) != 0)
		goto fail;
	/*
	 * The feed answered: it still carries what it carried, so the
	 * tombstones of what retention removed stay fresh even through
	 * months of 304s.
	 */
	if (p->error == NULL && p->http_status == 304 &&
	    sqlite_tombs_touch(&c) != 0)
		goto fail;
	free(url);
	store_feed_free(c.feed);
	return (0);
fail:
	sqlite_fail(s, cause, "store: feed %" PRId64 ": saving poll", feed_id);
	free(url);
	store_feed_free(c.feed);
	return (-1);
}

static int
sqlite_exec(struct sqlite_store *s, const char *sql)
{
	return (sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ?
	    0 : -1);
}

/*
 * Several polls in one transaction, each in its own savepoint, so each
 * is still all or nothing and one failing leaves the others.  Their new
 * items reach the full-text index later (store_index_update).  Group
 * commits are what make a crowd of feeds cheap.
 */
static int
sqlite_apply_polls(struct store *store, size_t n, const int64_t *feed_ids,
    const struct store_poll *const *polls, struct store_poll_result *res,
    char **causes)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	char			*cause = NULL;
	size_t			 i;

	if (sqlite_begin(s, &cause) != 0)
		goto fail_all;
	for (i = 0; i < n; i++) {
		if (sqlite_exec(s, "SAVEPOINT poll") != 0) {
			sqlite_fail(s, &cause, "store: savepoint");
			goto fail_all;
		}
		if (sqlite_apply_one(s, feed_ids[i], polls[i], &res[i],
		    &causes[i]) != 0) {
			store_poll_result_clear(&res[i]);
			if (sqlite_exec(s, "ROLLBACK TO poll") != 0 ||
			    sqlite_exec(s, "RELEASE poll") != 0) {
				sqlite_fail(s, &cause, "store: rollback");
				goto fail_all;
			}
			continue;
		}
		if (sqlite_exec(s, "RELEASE poll") != 0) {
			sqlite_fail(s, &cause, "store: release");
			goto fail_all;
		}
	}
	if (sqlite_commit(s, &cause) != 0)
		goto fail_all;
	return (0);
fail_all:
	/* Nothing of the batch was committed: every poll failed. */
	sqlite_rollback(s);
	for (i = 0; i < n; i++) {
		store_poll_result_clear(&res[i]);
		free(causes[i]);
		causes[i] = xstrdup(cause != NULL ? cause : "store: failed");
	}
	free(cause);
	return (-1);
}

/* --- consumers --- */

/*
 * A consumer's row: 1 and its fields, 0 when there is none, -1.  "*feed"
 * names the feed it takes (its URL, or its id from before URLs were
 * kept), NULL for every feed; q->feed_id is 0 when that feed is gone.
 */
static int
sqlite_consumer_get(struct sqlite_store *s, const char *name,
    struct store_query *q, char **tag, int *set, char **feed)
{
	sqlite3_stmt	*st;
	int		 rc;

	*tag = NULL;
	*feed = NULL;
	*set = 0;
	if ((st = sqlite_stmt(s, ST_CONSUMER_GET)) == NULL)
		return (-1);
	sqlite_bind_text(st, 1, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		q->since = sqlite3_column_int64(st, 0);
		q->feed_id = sqlite3_column_int64(st, 1);
		*tag = sqlite_col_text(st, 2);
		*set = sqlite3_column_int(st, 3);
		*feed = sqlite_col_text(st, 4);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (-1);
	return (rc == SQLITE_ROW);
}

/* Makes the consumer, or gives one of before filters its first ones. */
static int
sqlite_consumer_put(struct sqlite_store *s, const struct store_consumer *c,
    int found, struct store_query *q, char **tag)
{
	sqlite3_stmt	*st;

	if (!found) {
		if ((st = sqlite_stmt(s, ST_MAX_ID)) == NULL ||
		    sqlite3_step(st) != SQLITE_ROW)
			return (-1);
		q->since = c->from_start ? 0 : sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	q->feed_id = c->feed_id;
	free(*tag);
	*tag = c->tag != NULL ? xstrdup(c->tag) : NULL;
	if ((st = sqlite_stmt(s, found ? ST_CONSUMER_FILTERS :
	    ST_CONSUMER_NEW)) == NULL)
		return (-1);
	sqlite_bind_text(st, 1, c->name);
	if (found) {
		if (q->feed_id > 0)
			sqlite3_bind_int64(st, 2, q->feed_id);
		sqlite_bind_text(st, 3, *tag);
		sqlite_bind_text(st, 4, q->feed_id > 0 ? c->feed_url : NULL);
	} else {
		sqlite3_bind_int64(st, 2, q->since);
		sqlite3_bind_int64(st, 3, (int64_t)time(NULL));
		if (q->feed_id > 0)
			sqlite3_bind_int64(st, 4, q->feed_id);
		sqlite_bind_text(st, 5, *tag);
		sqlite_bind_text(st, 6, q->feed_id > 0 ? c->feed_url : NULL);
	}
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		return (-1);
	}
	sqlite3_reset(st);
	return (0);
}

/* 1 when some feed has tag "tag", 0 when none has, -1. */
static int
sqlite_tag_used(struct sqlite_store *s, const char *tag)
{
	sqlite3_stmt	*st;
	int		 rc;

	if ((st = sqlite_stmt(s, ST_CONSUMER_TAG)) == NULL)
		return (-1);
	sqlite_bind_text(st, 1, tag);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (-1);
	return (rc == SQLITE_ROW);
}

/*
 * Finds the consumer, checks the filters against the ones it remembers,
 * then lists what is after its cursor.  Only making one (or giving one
 * of before filters its first) writes: then the lookup is done again
 * inside a transaction, so two first fetches at once make one.  A plain
 * fetch never waits for the write lock.
 */
static int
sqlite_consumer_fetch(struct store *store, const struct store_consumer *c,
    struct store_item **v, size_t *n, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	struct store_query	 q;
	char			*tag = NULL, *what = NULL, *feed = NULL;
	int			 found, set, used, locked = 0;

	*v = NULL;
	*n = 0;
	for (;;) {
		memset(&q, 0, sizeof(q));
		q.limit = c->limit;
		free(tag);
		free(feed);
		if ((found = sqlite_consumer_get(s, c->name, &q, &tag,
		    &set, &feed)) < 0)
			goto fail;
		if (found && (set || (c->feed_id == 0 && c->tag == NULL)))
			break;
		if (locked) {
			/* A misspelt tag would take nothing, for good. */
			if (c->tag != NULL &&
			    (used = sqlite_tag_used(s, c->tag)) <= 0) {
				if (used < 0)
					goto fail;
				sqlite_rollback(s);
				xasprintf(cause, "no feed has tag \"%s\"",
				    c->tag);
				goto out;
			}
			if (sqlite_consumer_put(s, c, found, &q, &tag) != 0)
				goto fail;
			free(feed);
			feed = NULL;
			set = 0;	/* what was asked for is what it has */
			break;
		}
		if (sqlite_begin(s, cause) != 0)
			goto out;
		locked = 1;
	}
	if (set && feed != NULL && q.feed_id == 0) {
		if (locked)
			sqlite_rollback(s);
		xasprintf(cause, "consumer %s takes feed %s, which is not "
		    "subscribed now (subscribe it again, or use another "
		    "name)", c->name, feed);
		goto out;
	}
	if (set && ((c->feed_id > 0 && c->feed_id != q.feed_id) ||
	    (c->tag != NULL && (tag == NULL || strcmp(c->tag, tag) != 0)))) {
		if (locked)
			sqlite_rollback(s);
		if (feed != NULL && tag != NULL)
			xasprintf(&what, "feed %s and tag \"%s\"", feed, tag);
		else if (feed != NULL)
			xasprintf(&what, "feed %s", feed);
		else if (tag != NULL)
			xasprintf(&what, "tag \"%s\"", tag);
		xasprintf(cause, "consumer %s takes %s: a consumer's filters "
		    "cannot change (use another name for other filters)",
		    c->name, what != NULL ? what : "every item, no filter");
		free(what);
		goto out;
	}
	q.tag = tag;
	if (sqlite_items_list(store, &q, v, n, cause) != 0) {
		if (locked)
			sqlite_rollback(s);
		goto out;
	}
	free(tag);
	free(feed);
	if (locked && sqlite_commit(s, cause) != 0) {
		store_items_free(*v, *n);
		*v = NULL;
		*n = 0;
		return (-1);
	}
	return (0);
fail:
	sqlite_fail(s, cause, "store: consumer %s", c->name);
	if (locked)
		sqlite_rollback(s);
out:
	free(tag);
	free(feed);
	return (-1);
}

/*
 * Moves the cursor forward, never back, and never past stored items.  A
 * consumer is made by its first fetch, never here: an acknowledgement
 * under a misspelt name would go nowhere, and the real one's items come
 * back at every run.
 */
static int
sqlite_consumer_ack(struct store *store, const char *name, int64_t id,
    int64_t *cursor, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	sqlite3_stmt		*st;
	int64_t			 max;
	int			 rc;

	if (sqlite_begin(s, cause) != 0)
		return (-1);
	if ((st = sqlite_stmt(s, ST_MAX_ID)) == NULL ||
	    sqlite3_step(st) != SQLITE_ROW)
		goto fail;
	max = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (id < 0 || id > max) {
		sqlite_rollback(s);
		xasprintf(cause, "item %" PRId64 " is not stored (the newest "
		    "is %" PRId64 ")", id, max);
		return (-1);
	}
	if ((st = sqlite_stmt(s, ST_CONSUMER_ACK)) == NULL)
		goto fail;
	sqlite_bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int64(st, 3, (int64_t)time(NULL));
	if ((rc = sqlite3_step(st)) == SQLITE_DONE) {
		sqlite3_reset(st);
		sqlite_rollback(s);
		xasprintf(cause, "no consumer %s (a consumer is made by its "
		    "first fetch)", name);
		return (-1);
	}
	if (rc != SQLITE_ROW)
		goto fail;
	*cursor = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (sqlite_commit(s, cause));
fail:
	sqlite_fail(s, cause, "store: consumer %s: ack", name);
	sqlite_rollback(s);
	return (-1);
}

/*
 * Every consumer, by name: its filters, cursor, when it last moved, and
 * how many items it has still to acknowledge.
 */
static int
sqlite_consumers_list(struct store *store, struct store_consumer_info **v,
    size_t *n, char **cause)
{
	struct sqlite_store		*s = (struct sqlite_store *)store;
	struct store_consumer_info	*ci;
	sqlite3_stmt			*st = NULL;
	int				 rc;

	*v = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT c.name, c.cursor, c.updated, "
	    "COALESCE(c.feed_url, c.feed_id), " STORE_SQL_CONSUMER_FEED ", "
	    "c.tag, "
	    "(SELECT count(*) FROM items i WHERE i.id > c.cursor AND "
	    "(c.tag IS NULL OR i.feed_id IN (SELECT feed_id FROM feed_tags "
	    "WHERE tag = c.tag)) AND ((c.feed_url IS NULL AND c.feed_id IS "
	    "NULL) OR i.feed_id = " STORE_SQL_CONSUMER_FEED ")) "
	    "FROM consumers c ORDER BY c.name", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*v = xreallocarray(*v, *n + 1, sizeof(**v));
		ci = &(*v)[(*n)++];
		memset(ci, 0, sizeof(*ci));
		ci->name = sqlite_col_text(st, 0);
		ci->cursor = sqlite3_column_int64(st, 1);
		ci->updated = sqlite3_column_int64(st, 2);
		ci->feed = sqlite_col_text(st, 3);
		ci->feed_id = sqlite3_column_int64(st, 4);
		ci->tag = sqlite_col_text(st, 5);
		ci->unacked = sqlite3_column_int64(st, 6);
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	return (0);
fail:
	sqlite_fail(s, cause, "store: consumers");
	sqlite3_finalize(st);
	store_consumers_free(*v, *n);
	*v = NULL;
	*n = 0;
	return (-1);
}

/* Forgets consumer "name"; an error when there is none. */
static int
sqlite_consumer_remove(struct store *store, const char *name, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	sqlite3_stmt		*st = NULL;

	if (sqlite3_prepare_v2(s->db, "DELETE FROM consumers WHERE name = "
	    "?1", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite_bind_text(st, 1, name);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	if (sqlite3_changes(s->db) == 0) {
		xasprintf(cause, "no consumer %s", name);
		return (-1);
	}
	return (0);
fail:
	sqlite_fail(s, cause, "store: consumer %s", name);
	sqlite3_finalize(st);
	return (-1);
}

/* --- retention and stats --- */

/*
 * One step of a retention pass: removes at most "limit" items older than
 * max_age seconds or beyond the newest max_items of their feed, except
 * starred items and items a notifier still has to deliver, looking at
 * SQLITE_RETENTION_FEEDS feeds at most, in one transaction.  Their keys
 * stay as tombstones so the feed cannot bring them back as new; a feed's
 * tombstones unseen for SQLITE_TOMB_GRACE go once its items are done.
 * Each feed's cut is found through items_feed, so a step costs what it
 * removes, not what the store holds.
 */
static int
sqlite_retention_step(struct store *store, struct store_retention *r,
    size_t limit, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	sqlite3_stmt		*feeds = NULL, *cut = NULL, *pick = NULL;
	sqlite3_stmt		*tomb = NULL, *del = NULL, *old = NULL;
	int64_t			 feed, beyond;
	size_t			 left = limit, n, nfeeds = 0;
	int			 rc, full = 0;

	if (sqlite_exec(s, "CREATE TEMP TABLE IF NOT EXISTS doomed "
	    "(id INTEGER PRIMARY KEY)") != 0)
		return (sqlite_fail(s, cause, "store: retention"));
	if (sqlite_begin(s, cause) != 0)
		return (-1);
	if (sqlite3_prepare_v2(s->db, "SELECT id FROM feeds WHERE id >= ?1 "
	    "ORDER BY id LIMIT ?2", -1, &feeds, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "SELECT id FROM items WHERE "
	    "feed_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2", -1, &cut,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "INSERT INTO temp.doomed SELECT id "
	    "FROM items WHERE feed_id = ?1 AND starred = 0 AND (id <= ?2 OR "
	    "fetched < ?3) AND NOT EXISTS (SELECT 1 FROM outbox WHERE "
	    "item_id = items.id) AND NOT EXISTS (SELECT 1 FROM consumers c "
	    "WHERE c.cursor < items.id AND "
	    STORE_SQL_CONSUMER_TAKES("?1") ") "
	    "ORDER BY id LIMIT ?4", -1, &pick, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO tombstones "
	    "(feed_id, key, last_seen) SELECT feed_id, key, ?1 FROM items "
	    "WHERE id IN (SELECT id FROM temp.doomed) UNION "
	    /* A feed matched by link looks its items up by link too. */
	    "SELECT i.feed_id, i.canon, ?1 FROM items i JOIN feeds f ON "
	    "f.id = i.feed_id WHERE i.id IN (SELECT id FROM temp.doomed) "
	    "AND f.key_mode = ?2 AND i.canon IS NOT NULL", -1, &tomb, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "DELETE FROM items WHERE id IN "
	    "(SELECT id FROM temp.doomed)", -1, &del, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "DELETE FROM tombstones WHERE "
	    "feed_id = ?1 AND last_seen < ?2", -1, &old, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(feeds, 1, r->next_feed);
	sqlite3_bind_int64(feeds, 2, SQLITE_RETENTION_FEEDS);
	while (!full && (rc = sqlite3_step(feeds)) == SQLITE_ROW) {
		feed = sqlite3_column_int64(feeds, 0);
		nfeeds++;
		beyond = 0;
		if (r->max_items > 0) {
			sqlite3_reset(cut);
			sqlite3_bind_int64(cut, 1, feed);
			sqlite3_bind_int64(cut, 2, r->max_items);
			if ((rc = sqlite3_step(cut)) == SQLITE_ROW)
				beyond = sqlite3_column_int64(cut, 0);
			else if (rc != SQLITE_DONE)
				goto fail;
		}
		if (sqlite_exec(s, "DELETE FROM temp.doomed") != 0)
			goto fail;
		sqlite3_reset(pick);
		sqlite3_bind_int64(pick, 1, feed);
		sqlite3_bind_int64(pick, 2, beyond);
		sqlite3_bind_int64(pick, 3, r->max_age > 0 ?
		    r->now - r->max_age : INT64_MIN);
		sqlite3_bind_int64(pick, 4, (sqlite3_int64)left);
		if (sqlite3_step(pick) != SQLITE_DONE)
			goto fail;
		n = (size_t)sqlite3_changes(s->db);
		if (n > 0) {
			sqlite3_reset(tomb);
			sqlite3_bind_int64(tomb, 1, r->now);
			sqlite3_bind_int(tomb, 2, STORE_KEYS_LINK);
			sqlite3_reset(del);
			if (sqlite3_step(tomb) != SQLITE_DONE ||
			    sqlite3_step(del) != SQLITE_DONE)
				goto fail;
		}
		r->removed += n;
		left -= n;
		if (left == 0) {
			/* This feed may have more: the next step starts here. */
			full = 1;
			r->next_feed = feed;
			break;
		}
		sqlite3_reset(old);
		sqlite3_bind_int64(old, 1, feed);
		sqlite3_bind_int64(old, 2, r->now - SQLITE_TOMB_GRACE);
		if (sqlite3_step(old) != SQLITE_DONE)
			goto fail;
		r->next_feed = feed + 1;
	}
	if (!full && rc != SQLITE_DONE)
		goto fail;
	if (!full && nfeeds < SQLITE_RETENTION_FEEDS)
		r->done = 1;
	sqlite3_finalize(feeds);
	sqlite3_finalize(cut);
	sqlite3_finalize(pick);
	sqlite3_finalize(tomb);
	sqlite3_finalize(del);
	sqlite3_finalize(old);
	return (sqlite_commit(s, cause));
fail:
	sqlite_fail(s, cause, "store: retention");
	sqlite3_finalize(feeds);
	sqlite3_finalize(cut);
	sqlite3_finalize(pick);
	sqlite3_finalize(tomb);
	sqlite3_finalize(del);
	sqlite3_finalize(old);
	sqlite_rollback(s);
	return (-1);
}

static int
sqlite_stats(struct store *store, struct store_stats *st, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	sqlite3_stmt		*q;

	if ((q = sqlite_stmt(s, ST_STATS)) == NULL ||
	    sqlite3_step(q) != SQLITE_ROW)
		goto fail;
	st->feeds = sqlite3_column_int64(q, 0);
	st->items = sqlite3_column_int64(q, 1);
	st->unread = sqlite3_column_int64(q, 2);
	st->outbox_pending = sqlite3_column_int64(q, 3);
	st->outbox_failed = sqlite3_column_int64(q, 4);
	sqlite3_reset(q);
	if ((q = sqlite_stmt(s, ST_MAX_ID)) == NULL ||
	    sqlite3_step(q) != SQLITE_ROW)
		goto fail;
	st->max_id = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return (search_lag(s->search, &st->search_lag, cause));
fail:
	if (q != NULL)
		sqlite3_reset(q);
	return (sqlite_fail(s, cause, "store: stats"));
}

/* --- the notifier outbox --- */

static int
sqlite_cmp_id(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x < y ? -1 : x > y);
}

/*
 * Due rows in delivery order, without those in "skip" (the caller holds
 * them already).  The ids come from the queue index first and only the
 * rows taken are read whole: a notifier with hundreds of rows waiting
 * for the writer's confirmation read them all, items and all, on every
 * look (bench/notify).
 */
static int
sqlite_outbox_due(struct store *store, const char *notifier, int64_t now,
    size_t limit, const int64_t *skip, size_t nskip,
    struct store_delivery **v, size_t *n, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	struct store_delivery	*d;
	sqlite3_stmt		*st;
	int64_t			*ids = NULL, *sorted = NULL, id;
	size_t			 nids = 0, i;
	int			 rc = SQLITE_DONE;

	*v = NULL;
	*n = 0;
	if (nskip > 0) {
		sorted = xreallocarray(NULL, nskip, sizeof(*sorted));
		memcpy(sorted, skip, nskip * sizeof(*sorted));
		qsort(sorted, nskip, sizeof(*sorted), sqlite_cmp_id);
	}
	if ((st = sqlite_stmt(s, ST_OUTBOX_DUE)) == NULL)
		goto fail;
	sqlite_bind_text(st, 1, notifier);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)(limit + nskip));
	ids = xreallocarray(NULL, limit > 0 ? limit : 1, sizeof(*ids));
	while (nids < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		if (nskip == 0 || bsearch(&id, sorted, nskip, sizeof(*sorted),
		    sqlite_cmp_id) == NULL)
			ids[nids++] = id;
	}
	sqlite3_reset(st);
	if (nids < limit && rc != SQLITE_DONE)
		goto fail;
	if (nids > 0)
		*v = xcalloc(nids, sizeof(**v));
	for (i = 0; i < nids; i++) {
		if ((st = sqlite_stmt(s, ST_OUTBOX_ROW)) == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, ids[i]);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			/* Gone meanwhile (delivered, its feed removed): skip. */
			d = &(*v)[(*n)++];
			d->id = sqlite3_column_int64(st, 0);
			d->attempts = sqlite3_column_int(st, 1);
			d->feed_url = sqlite_col_text(st, 2);
			d->feed_title = sqlite_col_text(st, 3);
			sqlite_row_item_at(st, 4, &d->item);
		}
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			goto fail;
	}
	if (*n == 0) {
		free(*v);
		*v = NULL;
	}
	free(ids);
	free(sorted);
	return (0);
fail:
	sqlite_fail(s, cause, "store: outbox");
	store_deliveries_free(*v, *n);
	*v = NULL;
	*n = 0;
	free(ids);
	free(sorted);
	return (-1);
}

/* One statement per row, one transaction for them all. */
static int
sqlite_outbox_each(struct sqlite_store *s, enum stmt which, const int64_t *ids,
    size_t n, int64_t next, int max_attempts, const char *error, char **cause)
{
	sqlite3_stmt	*st;
	size_t		 i;

	if (sqlite_begin(s, cause) != 0)
		return (-1);
	if ((st = sqlite_stmt(s, which)) == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, ids[i]);
		if (which == ST_OUTBOX_RETRY) {
			sqlite3_bind_int64(st, 2, next);
			sqlite_bind_text(st, 3, error);
			sqlite3_bind_int(st, 4, max_attempts);
		}
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_reset(st);
			goto fail;
		}
		sqlite3_reset(st);
	}
	return (sqlite_commit(s, cause));
fail:
	sqlite_fail(s, cause, "store: outbox");
	sqlite_rollback(s);
	return (-1);
}

static int
sqlite_outbox_done(struct store *store, const int64_t *ids, size_t n,
    char **cause)
{
	return (sqlite_outbox_each((struct sqlite_store *)store,
	    ST_OUTBOX_DONE, ids, n, 0, 0, NULL, cause));
}

static int
sqlite_outbox_retry(struct store *store, const int64_t *ids, size_t n,
    int64_t next, int max_attempts, const char *error, char **cause)
{
	return (sqlite_outbox_each((struct sqlite_store *)store,
	    ST_OUTBOX_RETRY, ids, n, next, max_attempts, error, cause));
}

/* The waiting rows first: the revived ones are due, not waiting. */
static int
sqlite_outbox_revive(struct store *store, const char *notifier, int64_t now,
    size_t *parked, size_t *waiting, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	sqlite3_stmt		*st;
	enum stmt		 which[] = { ST_OUTBOX_HURRY, ST_OUTBOX_REVIVE };
	size_t			*count[] = { waiting, parked };
	size_t			 i;
	int			 rc;

	if (sqlite_begin(s, cause) != 0)
		return (-1);
	for (i = 0; i < 2; i++) {
		if ((st = sqlite_stmt(s, which[i])) == NULL)
			goto fail;
		sqlite_bind_text(st, 1, notifier);
		sqlite3_bind_int64(st, 2, now);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			goto fail;
		*count[i] = (size_t)sqlite3_changes(s->db);
	}
	return (sqlite_commit(s, cause));
fail:
	sqlite_fail(s, cause, "store: outbox");
	sqlite_rollback(s);
	*parked = *waiting = 0;
	return (-1);
}

static int
sqlite_outbox_stats(struct store *store, const char *notifier,
    struct store_outbox_stats *os, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	sqlite3_stmt		*st;

	memset(os, 0, sizeof(*os));
	if ((st = sqlite_stmt(s, ST_OUTBOX_STATS)) == NULL)
		return (sqlite_fail(s, cause, "store: outbox"));
	sqlite_bind_text(st, 1, notifier);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return (sqlite_fail(s, cause, "store: outbox"));
	}
	os->pending = sqlite3_column_int64(st, 0);
	os->failed = sqlite3_column_int64(st, 1);
	os->next_attempt = sqlite_col_date(st, 2);
	os->last_error = sqlite_col_text(st, 3);
	sqlite3_reset(st);
	return (0);
}

/*
 * The queue index in due order, passing over the caller's rows (at most
 * the ones it has under way); no leases here: one node per database.
 */
static int
sqlite_outbox_next(struct store *store, const char *notifier, int64_t now,
    const int64_t *skip, size_t nskip, int64_t *next, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	sqlite3_stmt		*st;
	int64_t			 id;
	size_t			 i;
	int			 rc;

	if ((st = sqlite_stmt(s, ST_OUTBOX_NEXT)) == NULL)
		return (sqlite_fail(s, cause, "store: outbox"));
	sqlite_bind_text(st, 1, notifier);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		for (i = 0; i < nskip && skip[i] != id; i++)
			;
		if (i == nskip) {
			*next = sqlite3_column_int64(st, 1);
			break;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (sqlite_fail(s, cause, "store: outbox"));
	return (0);
}

static int
sqlite_outbox_list(struct store *store, const char *notifier, int parked,
    size_t limit, int64_t now, struct store_outbox_row **v, size_t *n,
    char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	struct store_outbox_row	*r;
	sqlite3_stmt		*st;
	size_t			 cap = 0;
	int			 rc;

	if ((st = sqlite_stmt(s, ST_OUTBOX_LIST)) == NULL)
		return (sqlite_fail(s, cause, "store: outbox"));
	sqlite_bind_text(st, 1, notifier);
	sqlite3_bind_int(st, 2, parked != 0);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*v = xreallocarray(*v, cap, sizeof(**v));
		}
		r = &(*v)[(*n)++];
		memset(r, 0, sizeof(*r));	/* one node: nothing elsewhere */
		r->id = sqlite3_column_int64(st, 0);
		r->item_id = sqlite3_column_int64(st, 1);
		r->feed_id = sqlite3_column_int64(st, 2);
		r->title = sqlite_col_text(st, 3);
		r->attempts = sqlite3_column_int(st, 4);
		r->next_attempt = sqlite3_column_int64(st, 5);
		r->parked = sqlite3_column_int(st, 6) != 0;
		r->last_error = sqlite_col_text(st, 7);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		store_outbox_rows_free(*v, *n);
		*v = NULL;
		*n = 0;
		return (sqlite_fail(s, cause, "store: outbox"));
	}
	return (0);
}

static int
sqlite_outbox_prune(struct store *store, const char *const *keep,
    size_t nkeep, size_t *dropped, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	sqlite3_stmt		*st = NULL;
	size_t			 i;

	*dropped = 0;
	if (sqlite_exec(s, "CREATE TEMP TABLE IF NOT EXISTS keep_notifiers "
	    "(name TEXT PRIMARY KEY)") != 0 ||
	    sqlite_exec(s, "DELETE FROM temp.keep_notifiers") != 0)
		goto fail;
	if (sqlite3_prepare_v2(s->db, "INSERT OR IGNORE INTO "
	    "temp.keep_notifiers VALUES (?1)", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	for (i = 0; i < nkeep; i++) {
		sqlite_bind_text(st, 1, keep[i]);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto fail;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite_exec(s, "DELETE FROM outbox WHERE notifier NOT IN "
	    "(SELECT name FROM temp.keep_notifiers)") != 0)
		goto fail;
	*dropped = (size_t)sqlite3_changes(s->db);
	return (0);
fail:
	sqlite3_finalize(st);
	return (sqlite_fail(s, cause, "store: outbox"));
}

static int
sqlite_batch_begin(struct store *store, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;

	if (sqlite_begin(s, cause) != 0)
		return (-1);
	s->batch = 1;
	return (0);
}

static int
sqlite_batch_end(struct store *store, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;

	s->batch = 0;
	/* Every operation in it may have failed and rolled it back. */
	if (sqlite3_get_autocommit(s->db))
		return (0);
	return (sqlite_commit(s, cause));
}

/* sqlite's WAL hook: how big the log is after each commit. */
static int
sqlite_wal_cb(void *arg, sqlite3 *db, const char *name, int pages)
{
	((struct sqlite_store *)arg)->wal_pages = pages;
	return (SQLITE_OK);
}

/*
 * Checkpoints happen when the owner says (store_checkpoint) instead of
 * inside a COMMIT: sqlite's automatic one copies the log back into the
 * database within the committing call, after the rows are already
 * visible, which held the writer's "committed" signal back by tens of
 * milliseconds (bench/notify).
 */
static int
sqlite_defer_checkpoints(struct store *store, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;

	if (sqlite3_exec(s->db, "PRAGMA wal_autocheckpoint = 0", NULL, NULL,
	    NULL) != SQLITE_OK)
		return (sqlite_fail(s, cause, "store: checkpoints"));
	sqlite3_wal_hook(s->db, sqlite_wal_cb, s);
	return (0);
}

static int
sqlite_set_cache(struct store *store, size_t bytes, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	char			 sql[64];

	/* A negative cache_size is in KiB. */
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%zu", bytes / 1024);
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return (sqlite_fail(s, cause, "store: cache size"));
	return (0);
}

/* query_only: any statement that would change the file fails at once. */
static int
sqlite_set_readonly(struct store *store, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;

	if (sqlite3_exec(s->db, "PRAGMA query_only = 1", NULL, NULL,
	    NULL) != SQLITE_OK)
		return (sqlite_fail(s, cause, "store: read-only"));
	return (0);
}

static int
sqlite_checkpoint(struct store *store, int mode, char **cause)
{
	struct sqlite_store	*s = (struct sqlite_store *)store;
	int			 rc;

	/*
	 * Idle: the log goes back to nothing (left alone it settled near
	 * 16 MiB beside a 14 MB database).  A reader in the way (a search,
	 * the indexer) makes it SQLITE_BUSY at once, not a wait: the next
	 * pause tries again.
	 */
	if (mode == STORE_CHECKPOINT_IDLE) {
		sqlite3_busy_timeout(s->db, 0);
		rc = sqlite3_wal_checkpoint_v2(s->db, NULL,
		    SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
		sqlite3_busy_timeout(s->db, SQLITE_BUSY_MS);
		if (rc == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
			return (1);
		if (rc != SQLITE_OK)
			return (sqlite_fail(s, cause, "store: checkpoint"));
		s->wal_pages = 0;
		return (0);
	}
	/* sqlite's own default threshold: 1,000 pages. */
	if (mode == STORE_CHECKPOINT_GROWN && s->wal_pages < 1000)
		return (0);
	s->wal_pages = 0;
	/* Passive: it never waits for, nor holds up, readers and writers. */
	if (sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
	    NULL, NULL) != SQLITE_OK)
		return (sqlite_fail(s, cause, "store: checkpoint"));
	return (0);
}

static const struct store_ops sqlite_ops = {
	.name = "sqlite",
	.feed_add = sqlite_feed_add,
	.feed_update = sqlite_feed_update,
	.feed_remove = sqlite_feed_remove,
	.feed_edit = sqlite_feed_edit,
	.feed_release = sqlite_feed_release,
	.feed_options = sqlite_feed_options,
	.feed_get = sqlite_feed_get,
	.feeds_list = sqlite_feeds_list,
	.apply_polls = sqlite_apply_polls,
	.items_list = sqlite_items_list,
	.items_get = sqlite_items_get,
	.items_search = sqlite_items_search,
	.index_update = sqlite_index_update,
	.index_lag = sqlite_index_lag,
	.index_stop = sqlite_index_stop,
	.items_mark = sqlite_items_mark,
	.items_mark_where = sqlite_items_mark_where,
	.consumer_fetch = sqlite_consumer_fetch,
	.consumer_ack = sqlite_consumer_ack,
	.consumers_list = sqlite_consumers_list,
	.consumer_remove = sqlite_consumer_remove,
	.outbox_due = sqlite_outbox_due,
	.outbox_done = sqlite_outbox_done,
	.outbox_retry = sqlite_outbox_retry,
	.outbox_revive = sqlite_outbox_revive,
	.outbox_stats = sqlite_outbox_stats,
	.outbox_next = sqlite_outbox_next,
	.outbox_list = sqlite_outbox_list,
	.outbox_prune = sqlite_outbox_prune,
	.retention_step = sqlite_retention_step,
	.defer_checkpoints = sqlite_defer_checkpoints,
	.checkpoint = sqlite_checkpoint,
	.set_cache = sqlite_set_cache,
	.stats = sqlite_stats,
	.close = sqlite_close,
	.set_readonly = sqlite_set_readonly,
	.batch_begin = sqlite_batch_begin,
	.batch_end = sqlite_batch_end,
};
