/*
 * store-pg.c: the PostgreSQL store backend, for a database server users
 * already run, back up and replicate.  The same guarantees as the sqlite
 * backend: one transaction per batch of polls with a savepoint for each
 * poll, so items, feed state and outbox rows commit together; items are
 * unique per (feed, key) through the table's own constraint (INSERT ...
 * ON CONFLICT DO NOTHING), so a second writer can never store one twice.
 *
 * Search is PostgreSQL's full-text search: a tsvector per item of its
 * title (weight A), summary (B) and content (C) as text, in a table of
 * its own (item_search) under a GIN index.  A poll only queues its new
 * and changed items (search_todo); the node's indexer thread (indexer.c,
 * pg_index_update) makes their vectors after the commit, as sqlite's
 * index is brought up after.  Making the vectors was most of the
 * server's time in a first poll, inside the poll's transaction; kept
 * out of the items table, they cost no second write of an item's row.
 *
 * Statements are sent with PQexecParams and their parameters as text;
 * each store (the daemon opens one per thread that uses it) has its own
 * connection.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "buf.h"
#include "cjk.h"
#include "dedup.h"
#include "feedopt.h"
#include "item.h"
#include "log.h"
#include "store-int.h"
#include "store.h"
#include "text.h"
#include "url.h"
#include "xmalloc.h"

/* pg_advisory_xact_lock's key for migrations: "feed" in ASCII. */
#define PG_LOCK_SCHEMA		0x66656564
#define PG_TOMB_GRACE		(30 * 86400)
#define PG_RETENTION_FEEDS	64
/* Text a tsvector is made from, per field: tsvector stops at 1 MB. */
#define PG_TSV_MAX		(256 * 1024)
/* Items a transaction of the indexer makes the tsvectors of. */
#define PG_INDEX_CHUNK		500
#define PG_MAX_PARAMS		32
#define PG_MAX_PREPARED		32	/* statements of the poll path */
/* How long a claimed feed stays this node's without its poll stored:
 * past a fetch's timeout and the writer's queue. */
#define PG_FEED_LEASE		300
/* A feed another node holds is looked at again this soon (seconds):
 * after that node has stored its poll, the feed's next due time is
 * known, and all nodes wake for it. */
#define PG_FEED_RECHECK		5
/* A due feed left unclaimed (its host at max_per_host across the
 * nodes, or another node claiming it at that instant) is looked at again
 * this soon (seconds): a poll of its host ends within seconds. */
#define PG_HOST_RECHECK		2
/* pg_advisory_xact_lock's first key for a host's claims: "host". */
#define PG_LOCK_HOST		0x686f7374
/*
 * The session lock each connection holds while it lives, keyed by its
 * lease owner: "node", then hashtext(owner).  A lease whose owner holds
 * no such lock is void whatever its expiry: a node that died (its
 * connections closed, its server processes gone) leaves its feeds and
 * deliveries to the others at once, not minutes later.  The lease time
 * stays the bound for an owner whose lock the others cannot tell from a
 * live one (two owners of one hash).
 */
#define PG_LOCK_NODE		1852793957	/* 0x6e6f6465 */
#define PG_STR_(x)		#x
#define PG_STR(x)		PG_STR_(x)
#define PG_LOCK_NODE_SQL	PG_STR(PG_LOCK_NODE)
/* The live owners' hashes, for PG_LEASE_FREE: read once a statement. */
#define PG_LIVE_OWNERS \
	"live AS MATERIALIZED (SELECT objid FROM pg_locks WHERE " \
	"locktype = 'advisory' AND classid = " PG_LOCK_NODE_SQL " AND " \
	"objsubid = 2 AND granted AND database = (SELECT oid FROM " \
	"pg_database WHERE datname = current_database()))"
/* A row's lease is free to take, with "me" and "now" as parameters. */
#define PG_LEASE_FREE(me, now) \
	"(lease_owner IS NULL OR lease_owner = " me " OR " \
	"lease_until <= " now " OR " PG_LEASE_DEAD ")"
#define PG_LEASE_DEAD \
	"hashtext(lease_owner)::oid NOT IN (SELECT objid FROM live)"
/* Outbox row "o" under way on another live node: its lease, not "me"'s,
 * not over at "now". */
#define PG_OUTBOX_ELSEWHERE(o, me, now) \
	o ".lease_owner IS NOT NULL AND " o ".lease_owner <> " me " AND " \
	o ".lease_until > " now " AND hashtext(" o ".lease_owner)::oid IN " \
	"(SELECT objid FROM live)"
/* How long outbox rows read due stay claimed (seconds): longer than a
 * delivery can take, short enough that another node soon takes the rows
 * of one that died. */
#define PG_OUTBOX_LEASE		300
/* Seconds a connection attempt may take unless the string says. */
#define PG_CONNECT_TIMEOUT	"10"
#define PG_BACKOFF_MAX		60	/* seconds between reconnections */
/* What pg_stat_activity shows of feedd's connections, unless the
 * connection string names another application_name. */
#define PG_APP_NAME		"feedd"
/* The channel a commit of new items is announced on, to other nodes. */
#define PG_CHANNEL		"feedd_items"
/* Seconds between counts of the other live nodes (pg_peers()). */
#define PG_PEERS_EVERY		2
/* Host slots a listener keeps between two store_listen_hosts(). */
#define PG_LISTEN_HOSTS_MAX	4096

/*
 * Forward migrations; schema version N is the first N entries.  This
 * list is the PostgreSQL backend's own: its versions are not sqlite's.
 */
static const char *const pg_migrations[] = {
	/* 1 */
	"CREATE TABLE feeds ("
	"  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  url TEXT NOT NULL UNIQUE,"
	"  title TEXT,"
	"  doc_title TEXT,"
	"  link TEXT,"
	"  interval BIGINT,"
	"  enabled INTEGER NOT NULL DEFAULT 1,"
	"  origin INTEGER NOT NULL,"
	"  created BIGINT NOT NULL,"
	"  etag TEXT,"
	"  last_modified TEXT,"
	"  last_poll BIGINT,"
	"  last_success BIGINT,"
	"  last_status INTEGER,"
	"  last_error TEXT,"
	"  errors INTEGER NOT NULL DEFAULT 0,"
	"  next_poll BIGINT,"
	"  next_poll_reason TEXT,"
	"  retry_after BIGINT,"
	"  item_rate DOUBLE PRECISION,"
	"  key_mode INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE feed_tags ("
	"  tag TEXT NOT NULL,"
	"  feed_id BIGINT NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (tag, feed_id)"
	");"
	"CREATE INDEX feed_tags_feed ON feed_tags(feed_id);"
	"CREATE TABLE feed_urls ("
	"  feed_id BIGINT NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
	"  url TEXT NOT NULL,"
	"  replaced BIGINT NOT NULL"
	");"
	"CREATE INDEX feed_urls_feed ON feed_urls(feed_id);"
	"CREATE INDEX feed_urls_url ON feed_urls(url);"
	/* An identity column never hands out an id twice. */
	"CREATE TABLE items ("
	"  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  feed_id BIGINT NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
	"  key TEXT NOT NULL,"
	"  hash BIGINT NOT NULL,"
	"  canon TEXT,"
	"  story BIGINT,"
	"  repeat INTEGER NOT NULL DEFAULT 0,"
	"  guid TEXT, title TEXT, link TEXT, author TEXT,"
	"  published BIGINT, updated BIGINT,"
	"  summary TEXT, content TEXT,"
	"  categories TEXT, enclosures TEXT,"
	"  fetched BIGINT NOT NULL,"
	"  read INTEGER NOT NULL DEFAULT 0,"
	"  starred INTEGER NOT NULL DEFAULT 0,"
	"  tsv TSVECTOR,"
	"  UNIQUE (feed_id, key)"
	");"
	"CREATE INDEX items_feed ON items(feed_id, id);"
	"CREATE INDEX items_canon ON items(canon, feed_id) "
	"  WHERE canon IS NOT NULL;"
	"CREATE INDEX items_unread ON items(id) WHERE read = 0;"
	"CREATE INDEX items_tsv ON items USING GIN (tsv);"
	"CREATE TABLE consumers ("
	"  name TEXT PRIMARY KEY,"
	"  cursor BIGINT NOT NULL,"
	"  updated BIGINT NOT NULL,"
	"  feed_id BIGINT,"
	"  tag TEXT,"
	"  filters_set INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE outbox ("
	"  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	"  notifier TEXT NOT NULL,"
	"  item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt BIGINT NOT NULL,"
	"  last_error TEXT,"
	"  failed INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (notifier, item_id)"
	");"
	"CREATE INDEX outbox_queue ON outbox(notifier, failed, next_attempt, id);"
	"CREATE INDEX outbox_item ON outbox(item_id);"
	"CREATE TABLE tombstones ("
	"  feed_id BIGINT NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
	"  key TEXT NOT NULL,"
	"  last_seen BIGINT NOT NULL,"
	"  PRIMARY KEY (feed_id, key)"
	");"
	/*
	 * max_id: the newest committed item id.  The writers of polls
	 * lock its row first, so ids are handed out in commit order and a
	 * cursor never passes an item that commits later.
	 */
	"INSERT INTO feedd_meta VALUES ('max_id', 0);",
	/* 2 */
	/*
	 * Outbox rows are claimed for delivery with a lease: the store that
	 * read them due owns them until lease_until, and no other store
	 * (another feedd on this database) delivers them meanwhile; one
	 * that dies loses them when the lease runs out.
	 */
	"ALTER TABLE outbox ADD COLUMN lease_owner TEXT;"
	"ALTER TABLE outbox ADD COLUMN lease_until BIGINT;"
	/*
	 * A feed is polled by the node that claims it: its lease lasts
	 * until that poll is stored (or runs out, if the node died).
	 */
	"ALTER TABLE feeds ADD COLUMN lease_owner TEXT;"
	"ALTER TABLE feeds ADD COLUMN lease_until BIGINT;",
	/* 3 */
	/*
	 * As sqlite's: options, a feed's own HTTP settings and
	 * notify_first_poll (JSON, feedopt.h), NULL for none; runtime_tags,
	 * the tags a runtime feed the config took over goes back to when
	 * the config lets it go (NULL: it came from the config);
	 * feeds_removed, URLs unsubscribed, so that subscribing again does
	 * not notify the archive again.
	 */
	"ALTER TABLE feeds ADD COLUMN options TEXT;"
	"ALTER TABLE feeds ADD COLUMN runtime_tags TEXT;"
	"CREATE TABLE feeds_removed ("
	"  url TEXT PRIMARY KEY,"
	"  removed BIGINT NOT NULL"
	");",
	/* 4 */
	/* Podcast fields: the item's picture, episode and season. */
	"ALTER TABLE items ADD COLUMN image TEXT;"
	"ALTER TABLE items ADD COLUMN episode BIGINT;"
	"ALTER TABLE items ADD COLUMN season BIGINT;",
	/* 5 */
	/*
	 * Each feed's item and unread counts, so "status" and the feed list
	 * cost what the feeds are, not what the items are.  Statement
	 * triggers keep them through deletes and marks (one UPDATE per feed
	 * a statement touched, however many rows); a poll adds its new
	 * items in one statement (pg_apply_one), since a trigger on every
	 * insert would be on the hottest path there is.  Every transaction
	 * that changes them locks the max_id row first (pg_lock_writers()),
	 * so two never wait on each other's count rows in opposite orders.
	 */
	"CREATE TABLE feed_counts ("
	"  feed_id BIGINT PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,"
	"  items BIGINT NOT NULL DEFAULT 0,"
	"  unread BIGINT NOT NULL DEFAULT 0"
	");"
	"INSERT INTO feed_counts SELECT f.id,"
	"  (SELECT count(*) FROM items WHERE feed_id = f.id),"
	"  (SELECT count(*) FROM items WHERE feed_id = f.id AND read = 0)"
	"  FROM feeds f;"
	"CREATE FUNCTION feedd_counts_feed() RETURNS trigger LANGUAGE plpgsql "
	"AS $$ BEGIN"
	"  INSERT INTO feed_counts (feed_id) VALUES (NEW.id);"
	"  RETURN NULL;"
	"END $$;"
	"CREATE TRIGGER feeds_counts_ai AFTER INSERT ON feeds "
	"  FOR EACH ROW EXECUTE FUNCTION feedd_counts_feed();"
	"CREATE FUNCTION feedd_counts_delete() RETURNS trigger "
	"LANGUAGE plpgsql AS $$ BEGIN"
	"  UPDATE feed_counts c SET items = c.items - d.n,"
	"    unread = c.unread - d.u FROM (SELECT feed_id, count(*) AS n,"
	"    count(*) FILTER (WHERE read = 0) AS u FROM gone"
	"    GROUP BY feed_id) d WHERE c.feed_id = d.feed_id;"
	"  RETURN NULL;"
	"END $$;"
	"CREATE TRIGGER items_counts_ad AFTER DELETE ON items "
	"  REFERENCING OLD TABLE AS gone "
	"  FOR EACH STATEMENT EXECUTE FUNCTION feedd_counts_delete();"
	"CREATE FUNCTION feedd_counts_update() RETURNS trigger "
	"LANGUAGE plpgsql AS $$ BEGIN"
	"  UPDATE feed_counts c SET unread = c.unread + d.u FROM"
	"    (SELECT n.feed_id, sum(CASE WHEN n.read = 0 THEN 1 ELSE -1 END)"
	"    AS u FROM was o JOIN became n ON n.id = o.id"
	"    WHERE (n.read = 0) <> (o.read = 0) GROUP BY n.feed_id) d"
	"    WHERE c.feed_id = d.feed_id;"
	"  RETURN NULL;"
	"END $$;"
	"CREATE TRIGGER items_counts_au AFTER UPDATE ON items "
	"  REFERENCING OLD TABLE AS was NEW TABLE AS became "
	"  FOR EACH STATEMENT EXECUTE FUNCTION feedd_counts_update();",
	/* 6 */
	/* The xml:base an item's content resolves against (item.h). */
	"ALTER TABLE items ADD COLUMN base TEXT;",
	/* 7 */
	/*
	 * The nodes on this database, for "status": each one's lease
	 * owner id, where it runs and its last heartbeat (store.h,
	 * STORE_NODE_*).
	 */
	"CREATE TABLE nodes ("
	"  owner TEXT PRIMARY KEY,"
	"  host TEXT NOT NULL,"
	"  pid BIGINT NOT NULL,"
	"  version TEXT NOT NULL,"
	"  started BIGINT NOT NULL,"
	"  heartbeat BIGINT NOT NULL"
	");",
	/* 8 */
	/*
	 * max_per_host holds across the nodes: a feed's host (as libcurl
	 * names it, lower case: URLs are stored normalised) and the feeds
	 * leased now per host.  A lease lasts until the poll is stored, so
	 * the leased feeds of a host are the polls of it under way.
	 */
	"ALTER TABLE feeds ADD COLUMN host TEXT GENERATED ALWAYS AS "
	"  (lower(substring(url FROM "
	"  '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?(\\[[^]]*\\]|[^/:?#]*)')))"
	"  STORED;"
	"CREATE INDEX feeds_host_leased ON feeds(host) "
	"  WHERE lease_owner IS NOT NULL;",
	/* 9 */
	/*
	 * The search vectors leave the items for a table of their own,
	 * made after the commit from the queue of items to (re)index.
	 */
	"CREATE TABLE item_search ("
	"  item_id BIGINT PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,"
	"  tsv TSVECTOR NOT NULL"
	");"
	"INSERT INTO item_search SELECT id, tsv FROM items "
	"  WHERE tsv IS NOT NULL;"
	"CREATE INDEX item_search_tsv ON item_search USING GIN (tsv);"
	"CREATE TABLE search_todo (item_id BIGINT PRIMARY KEY);"
	"INSERT INTO search_todo SELECT id FROM items WHERE tsv IS NULL;"
	"DROP INDEX items_tsv;"
	"ALTER TABLE items DROP COLUMN tsv;",
	/* 10 */
	/*
	 * A value past about 2 KB is compressed when stored: the items'
	 * summaries and contents of full-text feeds and their search
	 * vectors.  PostgreSQL's own method (pglz) costs about as much CPU
	 * as the rest of the insert; lz4 is several times faster at
	 * nearly the same size.  A server built without lz4 keeps pglz.
	 * Values already stored keep the method they were stored with.
	 */
	"DO $$ BEGIN"
	"  IF EXISTS (SELECT 1 FROM pg_settings WHERE"
	"      name = 'default_toast_compression' AND 'lz4' = ANY (enumvals))"
	"  THEN"
	"    ALTER TABLE items ALTER COLUMN summary SET COMPRESSION lz4,"
	"      ALTER COLUMN content SET COMPRESSION lz4;"
	"    ALTER TABLE item_search ALTER COLUMN tsv SET COMPRESSION lz4;"
	"  END IF;"
	"END $$;",
	/* 11 */
	/* As sqlite's 11: the feed's schedule hints (store_col_hints()). */
	"ALTER TABLE feeds ADD COLUMN hints TEXT;",
	/* 12 */
	/* As sqlite's 12: the title before the config took it over. */
	"ALTER TABLE feeds ADD COLUMN runtime_title TEXT;",
	/* 13 */
	/*
	 * The vectors' words are now those of sqlite's index: Chinese,
	 * Japanese and Korean characters one by one, punctuation past
	 * ASCII a space (cjk.h).  Items with any text past ASCII are
	 * indexed again; their old vectors serve searches meanwhile.
	 */
	"INSERT INTO search_todo SELECT id FROM items WHERE "
	"  concat(title, summary, content) ~ '[^\\x01-\\x7f]' "
	"  ON CONFLICT DO NOTHING;",
	/* 14 */
	/* As sqlite's 13: a consumer takes its feed by URL. */
	"ALTER TABLE consumers ADD COLUMN feed_url TEXT;"
	"UPDATE consumers SET feed_url = (SELECT url FROM feeds"
	"  WHERE feeds.id = consumers.feed_id) WHERE feed_id IS NOT NULL;",
};
#define PG_VERSION_LATEST \
	((int)(sizeof(pg_migrations) / sizeof(*pg_migrations)))

#define ITEM_COLS \
	"i.id, i.feed_id, COALESCE(i.story, i.id), i.fetched, i.read, " \
	"i.starred, i.repeat, i.key, i.guid, i.title, i.link, i.author, " \
	"i.published, i.updated, i.summary, i.content, i.categories, " \
	"i.enclosures, i.image, i.episode, i.season, i.base"

#define FEED_COLS_BASE \
	"f.id, f.url, COALESCE(f.title, f.doc_title), f.link, f.interval, " \
	"f.enabled, f.origin, f.etag, f.last_modified, f.last_poll, " \
	"f.last_success, f.last_status, f.last_error, f.errors, " \
	"f.next_poll, f.next_poll_reason, f.retry_after, f.item_rate, " \
	"f.key_mode, "
#define FEED_TAGS \
	"(SELECT string_agg(tag, E'\\n' ORDER BY tag) FROM feed_tags " \
	"  WHERE feed_id = f.id), "
/* The URLs a feed moved from, one a line (pg_row_urls()). */
#define FEED_OLD_URLS \
	"(SELECT string_agg(url, E'\\n') FROM feed_urls WHERE feed_id = f.id)"
/* With the old URLs after pg_row_feed()'s columns. */
#define FEED_COLS FEED_COLS_BASE \
	"(SELECT items FROM feed_counts WHERE feed_id = f.id), " \
	"(SELECT unread FROM feed_counts WHERE feed_id = f.id), " \
	FEED_TAGS "(f.title IS NOT NULL)::int, f.hints, " FEED_OLD_URLS
#define FEED_COLS_LIGHT FEED_COLS_BASE \
	"-1, -1, NULL, (f.title IS NOT NULL)::int, f.hints"
#define FEED_COLS_ROUTE FEED_COLS_BASE \
	"-1, -1, " FEED_TAGS "(f.title IS NOT NULL)::int, f.hints"
/* The columns pg_row_feed() reads; what a query adds comes after. */
#define FEED_NCOLS	24

struct pg_store {
	struct store	 store;
	PGconn		*conn;
	char		*name;		/* for messages, password masked */
	char		*down_why;	/* the server cannot be reached: why */
	unsigned int	 reconnects;	/* pg_reconnects at the last try */
	int		 tx;		/* inside BEGIN ... COMMIT */
	int		 readonly;	/* store_set_readonly(): the loop's */
	const char	*prepared[PG_MAX_PREPARED];	/* by address */
	int		 nprepared;
	time_t		 next_reset;	/* no reconnection before */
	time_t		 backoff;
	char		 owner[64];	/* the node its leases are for */
	int		 peers;		/* other live nodes, at peers_at */
	time_t		 peers_at;
	atomic_int	 index_stop;	/* store_index_stop(): no more passes */
	/* Feeds the last pg_feeds_claim() took, as read then (sorted by
	 * id): their state and options, asked for right after. */
	int64_t		*claimed_ids;
	struct store_feed **claimed;	/* NULL once handed out */
	char		**claimed_opts;
	int		*opts_taken;
	size_t		 nclaimed;
};

/* A statement's parameters, as text. */
struct pg_params {
	const char	*v[PG_MAX_PARAMS];
	char		 num[PG_MAX_PARAMS][32];
	int		 n;
};

static const struct store_ops pg_ops;

/*
 * Since when a connection of this process has found the server
 * unreachable, 0 while it is reachable: "status" says so during an
 * outage.  A feedd has one database, and whichever of its connections
 * (the loop's, the writer's, the claimer's) notices first dates it; the
 * writer's heartbeat makes that within a beat of the server going.
 * "pg_reconnects" counts the connections made again, so that one waiting
 * out its backoff tries at once when another got through.
 */
static _Atomic int64_t	pg_down_since;
static atomic_uint	pg_reconnects;

static void	pg_session_start(struct pg_store *);
static void	pg_node_lock(struct pg_store *);
static int	pg_readonly_set(struct pg_store *);
static int	pg_fail(struct pg_store *, char **, const PGresult *,
		    const char *, ...)
		    __attribute__((__format__(__printf__, 4, 5)));
static void	pg_arr_int(struct buf *, int64_t);
static void	pg_claims_forget(struct pg_store *);
static ssize_t	pg_claims_find(struct pg_store *, int64_t);
static const char *pg_arr_end(struct buf *);
static void	pg_arr_text(struct buf *, const char *);
static char	*pg_plain(const char *);
static char	*pg_words(const char *);

static void
pg_text(struct pg_params *p, const char *v)
{
	p->v[p->n++] = v;
}

static void
pg_int(struct pg_params *p, int64_t v)
{
	snprintf(p->num[p->n], sizeof(p->num[p->n]), "%" PRId64, v);
	p->v[p->n] = p->num[p->n];
	p->n++;
}

static void
pg_date(struct pg_params *p, int64_t v)
{
	if (v == DATE_NONE)
		pg_text(p, NULL);
	else
		pg_int(p, v);
}

static void
pg_double(struct pg_params *p, double v)
{
	if (v < 0) {
		pg_text(p, NULL);
		return;
	}
	snprintf(p->num[p->n], sizeof(p->num[p->n]), "%.17g", v);
	p->v[p->n] = p->num[p->n];
	p->n++;
}

/*
 * The connection is lost: "why" (libpq's message, NULL to keep the one
 * there is) is kept for the messages of the calls made until it is back,
 * which libpq only answers "no connection to the server".
 */
static void
pg_lost(struct pg_store *s, const char *why)
{
	int64_t	none = 0;

	if (why != NULL && *why != '\0') {
		free(s->down_why);
		s->down_why = xstrndup(why, strcspn(why, "\n"));
	} else if (s->down_why == NULL)
		s->down_why = xstrdup("no connection to the server");
	atomic_compare_exchange_strong(&pg_down_since, &none,
	    (int64_t)time(NULL));
}

/* Connected again: the server is reachable. */
static void
pg_found(struct pg_store *s)
{
	free(s->down_why);
	s->down_why = NULL;
	atomic_store(&pg_down_since, 0);
	atomic_fetch_add(&pg_reconnects, 1);
}

/*
 * "the database at HOST is unreachable: why", HOST as the connection
 * names it (a socket's folder, or host:port), for a lost connection:
 * what the client and the log get rather than libpq's words alone.
 */
static char *
pg_down_msg(struct pg_store *s)
{
	const char	*host = PQhost(s->conn), *port = PQport(s->conn);
	char		*msg;

	if (host == NULL || *host == '\0')
		host = "localhost";
	if (*host == '/' || *host == '@' || port == NULL || *port == '\0')
		xasprintf(&msg, "the database at %s is unreachable: %s", host,
		    s->down_why != NULL ? s->down_why : "no connection");
	else
		xasprintf(&msg, "the database at %s:%s is unreachable: %s",
		    host, port, s->down_why != NULL ? s->down_why :
		    "no connection");
	return (msg);
}

/*
 * Sets "*cause" to "what: the server's message" and returns -1; for a
 * connection that is lost, to pg_down_msg()'s, the same whatever the
 * statement.  Error messages from libpq never carry the password.
 */
static int
pg_fail(struct pg_store *s, char **cause, const PGresult *res,
    const char *fmt, ...)
{
	va_list		 ap;
	char		*what, *msg, *nl;

	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		what = NULL;
	va_end(ap);
	msg = xstrdup(res != NULL && *PQresultErrorMessage(res) != '\0' ?
	    PQresultErrorMessage(res) : PQerrorMessage(s->conn));
	if ((nl = strchr(msg, '\n')) != NULL)
		*nl = '\0';
	if (PQstatus(s->conn) == CONNECTION_BAD) {
		/* The first failure says why; the ones after, "no
		 * connection to the server". */
		pg_lost(s, s->down_why == NULL ? msg : NULL);
		if (cause != NULL && *cause == NULL)
			*cause = pg_down_msg(s);
	} else if (cause != NULL && *cause == NULL)
		xasprintf(cause, "%s: %s", what != NULL ? what : "store",
		    *msg != '\0' ? msg : "PostgreSQL error");
	free(msg);
	free(what);
	return (-1);
}

/*
 * A failure this module logs itself, named as the store's: a lost
 * connection's cause is the database's words alone (pg_down_msg(), as
 * clients get it).
 */
static void
pg_log_failed(const char *cause)
{
	log_warnx("%s%s", strncmp(cause, "store:", 6) != 0 ? "store: " : "",
	    cause);
}

/*
 * A statement failed on a connection that looked good and is now found
 * broken, outside a transaction: 1 when it is safe to send again on a
 * new connection (made at once), a BEGIN or a read, so nothing it did
 * can be done twice.  A server that restarted closed every connection,
 * and the first statement on each finds that out: without this, the
 * first command after the restart failed though the server was back.
 * The connection is made again once; a server still down fails the
 * statement then, and backs off as before.
 */
static int
pg_retry(struct pg_store *s, const char *sql)
{
	if (s->tx || PQstatus(s->conn) != CONNECTION_BAD)
		return (0);
	if (strcmp(sql, "BEGIN") != 0 && strncmp(sql, "SELECT ", 7) != 0)
		return (0);
	log_info("store: %s: the connection was closed (the server "
	    "restarted?); connecting again", s->name);
	s->next_reset = 0;
	return (1);
}

/*
 * Runs "sql" with "p"; the result when it succeeded (rows or not), else
 * NULL with "*cause" set.  A connection found broken outside a
 * transaction is reset once first; inside one it is not, since the
 * statements after the reset would run outside the transaction.
 * Backing off between tries, but trying at once when another connection
 * of the process got through since: the server is back.
 */
static PGresult *
pg_run(struct pg_store *s, const char *sql, const struct pg_params *p,
    char **cause, const char *what)
{
	PGresult	*res;
	ExecStatusType	 st;
	int		 was_ok, retried = 0;

again:
	if (PQstatus(s->conn) == CONNECTION_BAD && !s->tx &&
	    (time(NULL) >= s->next_reset ||
	    s->reconnects != atomic_load(&pg_reconnects))) {
		/* Backing off: a server that is down is not hammered, and
		 * the thread is not held by a connection attempt each call. */
		PQreset(s->conn);
		s->reconnects = atomic_load(&pg_reconnects);
		if (PQstatus(s->conn) == CONNECTION_OK) {
			log_info("store: %s: reconnected", s->name);
			s->backoff = 0;
			pg_found(s);
			s->reconnects = atomic_load(&pg_reconnects);
			pg_session_start(s);
		} else {
			pg_lost(s, PQerrorMessage(s->conn));
			s->backoff = s->backoff == 0 ? 1 : s->backoff * 2;
			if (s->backoff > PG_BACKOFF_MAX)
				s->backoff = PG_BACKOFF_MAX;
			s->next_reset = time(NULL) + s->backoff;
			log_warnx("store: %s: cannot reconnect (next try in "
			    "%llds): %.*s", s->name, (long long)s->backoff,
			    (int)strcspn(PQerrorMessage(s->conn), "\n"),
			    PQerrorMessage(s->conn));
		}
	}
	/* Without parameters: the simple protocol, several statements. */
	was_ok = PQstatus(s->conn) == CONNECTION_OK;
	if (p == NULL)
		res = PQexec(s->conn, sql);
	else
		res = PQexecParams(s->conn, sql, p->n, NULL, p->v, NULL, NULL,
		    0);
	st = PQresultStatus(res);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return (res);
	if (was_ok && !retried && pg_retry(s, sql)) {
		PQclear(res);
		retried = 1;
		goto again;
	}
	pg_fail(s, cause, res, "%s", what);
	PQclear(res);
	return (NULL);
}

/*
 * As pg_run, for the statements of the poll path, which run for every
 * item: prepared once per connection (a static "sql", known by its
 * address), so the server parses and plans each once.
 */
static PGresult *
pg_runp(struct pg_store *s, const char *sql, const struct pg_params *p,
    char **cause, const char *what)
{
	PGresult	*res;
	ExecStatusType	 st;
	char		 name[32];
	int		 i;

	for (i = 0; i < s->nprepared && s->prepared[i] != sql; i++)
		continue;
	if (i == PG_MAX_PREPARED || PQstatus(s->conn) != CONNECTION_OK)
		return (pg_run(s, sql, p, cause, what));
	snprintf(name, sizeof(name), "feedd_%d", i);
	if (i == s->nprepared) {
		res = PQprepare(s->conn, name, sql, 0, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			if (pg_retry(s, sql)) {
				PQclear(res);
				return (pg_run(s, sql, p, cause, what));
			}
			pg_fail(s, cause, res, "%s", what);
			PQclear(res);
			return (NULL);
		}
		PQclear(res);
		s->prepared[s->nprepared++] = sql;
	}
	res = PQexecPrepared(s->conn, name, p->n, p->v, NULL, NULL, 0);
	st = PQresultStatus(res);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return (res);
	if (pg_retry(s, sql)) {
		PQclear(res);
		return (pg_run(s, sql, p, cause, what));
	}
	pg_fail(s, cause, res, "%s", what);
	PQclear(res);
	return (NULL);
}

/* Runs a statement whose rows do not matter; 0 or -1. */
static int
pg_do(struct pg_store *s, const char *sql, const struct pg_params *p,
    char **cause, const char *what)
{
	PGresult	*res;

	if ((res = pg_run(s, sql, p, cause, what)) == NULL)
		return (-1);
	PQclear(res);
	return (0);
}

/*
 * A new connection (or the same after a reset): nothing is prepared on
 * it yet, and it takes the lock that tells the other nodes this owner's
 * leases are alive (PG_LOCK_NODE).  A try: a lock another owner of the
 * same hash holds only leaves this one's leases to their expiry.
 */
static void
pg_session_start(struct pg_store *s)
{
	s->nprepared = 0;
	pg_node_lock(s);
	if (s->readonly)
		pg_readonly_set(s);
}

/*
 * Every transaction of this connection is read-only from now on, and
 * again after a reconnection: a write that creeps onto the loop's
 * connection fails at once.  (Session advisory locks are no writes.)
 */
static int
pg_readonly_set(struct pg_store *s)
{
	PGresult	*res;
	int		 ok;

	if (PQstatus(s->conn) != CONNECTION_OK)
		return (0);	/* set again when it reconnects */
	res = PQexec(s->conn, "SET default_transaction_read_only = on");
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	return (ok ? 0 : -1);
}

static int
pg_set_readonly(struct store *store, char **cause)
{
	struct pg_store	*s = (struct pg_store *)store;

	s->readonly = 1;
	if (pg_readonly_set(s) != 0) {
		xasprintf(cause, "%s: cannot make the connection read-only: "
		    "%s", s->name, PQerrorMessage(s->conn));
		return (-1);
	}
	return (0);
}

/* Tries for the lock of this connection's lease owner (PG_LOCK_NODE). */
static void
pg_node_lock(struct pg_store *s)
{
	struct pg_params	 p = { .n = 0 };
	char			*cause = NULL;

	if (PQstatus(s->conn) != CONNECTION_OK)
		return;
	pg_int(&p, PG_LOCK_NODE);
	pg_text(&p, s->owner);
	if (pg_do(s, "SELECT pg_try_advisory_lock($1::int, hashtext($2))",
	    &p, &cause, "store: node lock") != 0) {
		pg_log_failed(cause);
		free(cause);
	}
}

/* pg_do, prepared (pg_runp). */
static int
pg_dop(struct pg_store *s, const char *sql, const struct pg_params *p,
    char **cause, const char *what)
{
	PGresult	*res;

	if ((res = pg_runp(s, sql, p, cause, what)) == NULL)
		return (-1);
	PQclear(res);
	return (0);
}

/* Rows a statement changed. */
static size_t
pg_changes(const PGresult *res)
{
	return ((size_t)strtoull(PQcmdTuples((PGresult *)res), NULL, 10));
}

static char *
pg_col_text(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return (NULL);
	return (xstrdup(PQgetvalue(res, row, col)));
}

static int64_t
pg_col_int(const PGresult *res, int row, int col)
{
	return (strtoll(PQgetvalue(res, row, col), NULL, 10));
}

static int64_t
pg_col_date(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return (DATE_NONE);
	return (pg_col_int(res, row, col));
}

static int
pg_begin(struct pg_store *s, char **cause)
{
	/* What the last claim read may be about to change. */
	pg_claims_forget(s);
	if (pg_do(s, "BEGIN", NULL, cause, "store: begin") != 0)
		return (-1);
	s->tx = 1;
	return (0);
}

static int
pg_commit(struct pg_store *s, char **cause)
{
	int	rc;

	/* A COMMIT that failed has rolled back (or the connection is gone
	 * and the server rolls back): either way nothing was stored. */
	rc = pg_do(s, "COMMIT", NULL, cause, "store: commit");
	if (rc != 0 && PQstatus(s->conn) == CONNECTION_OK &&
	    PQtransactionStatus(s->conn) != PQTRANS_IDLE)
		pg_do(s, "ROLLBACK", NULL, NULL, "store: rollback");
	s->tx = 0;
	return (rc);
}

/* A broken connection has nothing to roll back: the server did. */
static void
pg_rollback(struct pg_store *s)
{
	if (PQstatus(s->conn) == CONNECTION_OK &&
	    PQtransactionStatus(s->conn) != PQTRANS_IDLE)
		pg_do(s, "ROLLBACK", NULL, NULL, "store: rollback");
	s->tx = 0;
}

/*
 * Inside a transaction: the lock every writer of items takes first (the
 * max_id row), so item ids commit in order and feed_counts rows are
 * never taken in opposite orders by two transactions.
 */
static int
pg_lock_writers(struct pg_store *s, char **cause)
{
	return (pg_do(s, "SELECT value FROM feedd_meta WHERE name = 'max_id' "
	    "FOR UPDATE", NULL, cause, "store: locking"));
}

/*
 * A connection string for messages: the value of any password (a URI's
 * user:password@ or a "password" parameter or keyword) becomes "***".
 */
char *
store_pg_mask(const char *name)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*p, *at, *slash, *colon, *end;
	size_t		 klen;
	int		 password;

	if (strncmp(name, "postgresql://", 13) == 0 ||
	    strncmp(name, "postgres://", 11) == 0) {
		p = strstr(name, "://") + 3;
		buf_add(&b, name, (size_t)(p - name));
		slash = p + strcspn(p, "/?");
		at = memchr(p, '@', (size_t)(slash - p));
		colon = at != NULL ? memchr(p, ':', (size_t)(at - p)) : NULL;
		if (colon != NULL) {
			buf_add(&b, p, (size_t)(colon - p) + 1);
			buf_adds(&b, "***");
			p = at;
		}
		/* Query parameters: password=...&... */
		while (*p != '\0') {
			end = p + strcspn(p, "?&");
			buf_add(&b, p, (size_t)(end - p));
			if (*end == '\0')
				break;
			buf_addc(&b, *end);
			p = end + 1;
			if (strncmp(p, "password=", 9) == 0) {
				buf_adds(&b, "password=***");
				p += strcspn(p, "&");
			}
		}
		return (b.data != NULL ? b.data : xstrdup(""));
	}
	/* key = value pairs; a value may be 'quoted' with \' escapes. */
	p = name;
	while (*p != '\0') {
		end = p + strspn(p, " \t\n");
		buf_add(&b, p, (size_t)(end - p));
		if (*(p = end) == '\0')
			break;
		klen = strcspn(p, " \t\n=");
		end = p + klen;
		end += strspn(end, " \t\n");
		if (*end != '=') {
			buf_adds(&b, p);
			break;
		}
		end++;
		end += strspn(end, " \t\n");
		buf_add(&b, p, (size_t)(end - p));
		password = klen == 8 && strncmp(p, "password", 8) == 0;
		p = end;
		if (*p == '\'') {
			for (end = p + 1; *end != '\0' && *end != '\''; end++)
				if (*end == '\\' && end[1] != '\0')
					end++;
			if (*end == '\'')
				end++;
		} else
			end = p + strcspn(p, " \t\n");
		if (password)
			buf_adds(&b, "***");
		else
			buf_add(&b, p, (size_t)(end - p));
		p = end;
	}
	return (b.data != NULL ? b.data : xstrdup(""));
}

/*
 * Brings the schema up to date under a transaction-scoped advisory lock,
 * so nodes starting together migrate once: the first takes the lock and
 * migrates, the others wait and then find the schema current.
 */
static int
pg_check_schema(struct pg_store *s, char **cause)
{
	struct pg_params	 p = { .n = 0 };
	PGresult		*res;
	int64_t			 version = 0;
	int			 v, ours, other;
	char			 sql[128];

	if (pg_begin(s, cause) != 0)
		return (-1);
	pg_int(&p, PG_LOCK_SCHEMA);
	if (pg_do(s, "SELECT pg_advisory_xact_lock($1)", &p, cause,
	    "store: schema lock") != 0)
		goto fail;
	if ((res = pg_run(s, "SELECT to_regclass('feedd_meta') IS NOT NULL, "
	    "to_regclass('feeds') IS NOT NULL", NULL, cause,
	    "store: schema")) == NULL)
		goto fail;
	ours = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	other = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	PQclear(res);
	if (!ours && other) {
		xasprintf(cause, "%s: has a \"feeds\" table that is not "
		    "feedd's; refusing to touch it", s->name);
		goto fail;
	}
	if (ours) {
		if ((res = pg_run(s, "SELECT value FROM feedd_meta WHERE "
		    "name = 'schema'", NULL, cause, "store: schema")) == NULL)
			goto fail;
		version = PQntuples(res) > 0 ? pg_col_int(res, 0, 0) : 0;
		PQclear(res);
	} else if (pg_do(s, "CREATE TABLE feedd_meta (name TEXT PRIMARY KEY, "
	    "value BIGINT NOT NULL); INSERT INTO feedd_meta VALUES "
	    "('schema', 0)", NULL, cause, "store: schema") != 0)
		goto fail;
	if (version > PG_VERSION_LATEST) {
		xasprintf(cause, "%s: made by a newer feedd (schema %" PRId64
		    "; this feedd knows up to %d)", s->name, version,
		    PG_VERSION_LATEST);
		goto fail;
	}
	for (v = (int)version; v < PG_VERSION_LATEST; v++) {
		res = PQexec(s->conn, pg_migrations[v]);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			pg_fail(s, cause, res, "%s: migrating to schema %d",
			    s->name, v + 1);
			PQclear(res);
			goto fail;
		}
		PQclear(res);
	}
	if (version < PG_VERSION_LATEST) {
		snprintf(sql, sizeof(sql), "UPDATE feedd_meta SET value = %d "
		    "WHERE name = 'schema'", PG_VERSION_LATEST);
		if (pg_do(s, sql, NULL, cause, "store: schema") != 0)
			goto fail;
	}
	if (pg_commit(s, cause) != 0)
		return (-1);
	if (version > 0 && version < PG_VERSION_LATEST)
		log_info("store: %s: migrated from schema %" PRId64 " to %d",
		    s->name, version, PG_VERSION_LATEST);
	return (0);
fail:
	pg_rollback(s);
	return (-1);
}

/*
 * Connects with "name" (a URI or key=value string) and a connection
 * timeout unless it gives one: an unreachable host must not hold a
 * thread for the kernel's TCP timeout.
 */
static PGconn *
pg_connect(const char *name)
{
	const char *const	keys[] = { "connect_timeout",
	    "fallback_application_name", "dbname", NULL };
	const char *const	values[] = { PG_CONNECT_TIMEOUT, PG_APP_NAME,
	    name, NULL };

	/* dbname is expanded; its settings override the ones before it. */
	return (PQconnectdbParams(keys, values, 1));
}

/* Notices (such as "relation exists, skipping") go to the debug log. */
static void
pg_notice_cb(void *arg, const char *msg)
{
	log_debug("store: postgresql: %.*s", (int)strcspn(msg, "\n"), msg);
}

/* This machine's name, for lease owners and the nodes table. */
static void
pg_host(char *host, size_t len)
{
	if (gethostname(host, len) != 0)
		snprintf(host, len, "localhost");
	host[len - 1] = '\0';
}

/*
 * This process among the nodes, "host:pid:nonce": its commits' NOTIFY
 * payloads say it, so its listener knows its own.  The nonce tells two
 * processes apart that a host name and pid do not (containers).
 */
static char		 pg_self_buf[128];
static pthread_once_t	 pg_self_once = PTHREAD_ONCE_INIT;

static void
pg_self_init(void)
{
	char	host[64];

	pg_host(host, sizeof(host));
	snprintf(pg_self_buf, sizeof(pg_self_buf), "%.32s:%ld:%08x", host,
	    (long)getpid(), arc4random());
}

static const char *
pg_self(void)
{
	pthread_once(&pg_self_once, pg_self_init);
	return (pg_self_buf);
}

struct store *
store_pg_open(const char *name, char **cause)
{
	struct pg_store	*s;
	char		 host[64];

	s = xcalloc(1, sizeof(*s));
	s->store.ops = &pg_ops;
	s->name = store_pg_mask(name);
	pg_host(host, sizeof(host));
	snprintf(s->owner, sizeof(s->owner), "%.32s:%ld:%08x", host,
	    (long)getpid(), arc4random());
	s->conn = pg_connect(name);
	if (s->conn == NULL) {
		xasprintf(cause, "%s: out of memory", s->name);
		goto fail;
	}
	if (PQstatus(s->conn) != CONNECTION_OK) {
		xasprintf(cause, "%s: cannot connect: %.*s", s->name,
		    (int)strcspn(PQerrorMessage(s->conn), "\n"),
		    PQerrorMessage(s->conn));
		goto fail;
	}
	PQsetNoticeProcessor(s->conn, pg_notice_cb, NULL);
	/* Text in and out is UTF-8 whatever the server's default. */
	if (PQsetClientEncoding(s->conn, "UTF8") != 0) {
		pg_fail(s, cause, NULL, "%s: client encoding", s->name);
		goto fail;
	}
	if (pg_check_schema(s, cause) != 0)
		goto fail;
	pg_session_start(s);
	return (&s->store);
fail:
	PQfinish(s->conn);
	free(s->name);
	free(s);
	return (NULL);
}

/*
 * Connects and reads the schema version without changing anything: an
 * empty database is fine (the daemon will make the schema), a newer
 * feedd's is not.
 */
int
store_pg_check(const char *name, char **cause)
{
	struct pg_store	 s;
	PGresult	*res;
	int64_t		 version = 0;
	int		 rc = -1;

	memset(&s, 0, sizeof(s));
	s.name = store_pg_mask(name);
	if ((s.conn = pg_connect(name)) == NULL ||
	    PQstatus(s.conn) != CONNECTION_OK) {
		xasprintf(cause, "%s: cannot connect: %.*s", s.name,
		    s.conn != NULL ? (int)strcspn(PQerrorMessage(s.conn),
		    "\n") : 13, s.conn != NULL ? PQerrorMessage(s.conn) :
		    "out of memory");
		goto out;
	}
	if ((res = pg_run(&s, "SELECT CASE WHEN to_regclass('feedd_meta') "
	    "IS NULL THEN 0 ELSE 1 END", NULL, cause, s.name)) == NULL)
		goto out;
	if (pg_col_int(res, 0, 0) == 1) {
		PQclear(res);
		if ((res = pg_run(&s, "SELECT value FROM feedd_meta WHERE "
		    "name = 'schema'", NULL, cause, s.name)) == NULL)
			goto out;
		version = PQntuples(res) > 0 ? pg_col_int(res, 0, 0) : 0;
	} else {
		/*
		 * A database feedd has not made yet: its role must be able
		 * to make the tables, which PostgreSQL 15 no longer lets a
		 * role that does not own the database do in "public".
		 */
		PQclear(res);
		if ((res = pg_run(&s, "SELECT has_schema_privilege("
		    "current_schema(), 'CREATE')::int, current_user, "
		    "current_database(), COALESCE(current_schema(), '')", NULL,
		    cause, s.name)) == NULL)
			goto out;
		if (pg_col_int(res, 0, 0) != 1) {
			xasprintf(cause, "%s: role %s may not create tables in "
			    "schema %s of database %s, and feedd makes its "
			    "tables at its first start: make the role the "
			    "database's owner (createdb -O %s), or GRANT "
			    "CREATE ON SCHEMA %s TO %s", s.name,
			    PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 3),
			    PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 1),
			    PQgetvalue(res, 0, 3), PQgetvalue(res, 0, 1));
			PQclear(res);
			goto out;
		}
	}
	PQclear(res);
	if (version > PG_VERSION_LATEST) {
		xasprintf(cause, "%s: made by a newer feedd (schema %" PRId64
		    "; this feedd knows up to %d)", s.name, version,
		    PG_VERSION_LATEST);
		goto out;
	}
	rc = 0;
out:
	PQfinish(s.conn);
	free(s.name);
	return (rc);
}

static void
pg_close(struct store *store)
{
	struct pg_store	*s = (struct pg_store *)store;

	pg_claims_forget(s);
	PQfinish(s->conn);
	free(s->down_why);
	free(s->name);
	free(s);
}

/* A lost connection: its message, and since when the process knows. */
static int
pg_unreachable(struct store *store, int64_t *since, char **why)
{
	struct pg_store	*s = (struct pg_store *)store;
	int64_t		 t;

	if (PQstatus(s->conn) != CONNECTION_BAD)
		return (0);
	if (s->down_why == NULL)
		pg_lost(s, PQerrorMessage(s->conn));
	t = atomic_load(&pg_down_since);
	*since = t != 0 ? t : DATE_NONE;
	*why = pg_down_msg(s);
	return (1);
}

/* --- feeds --- */

static int
pg_set_tags(struct pg_store *s, int64_t id,
    const struct store_feed_conf *conf, char **cause)
{
	struct pg_params	p = { .n = 0 };
	size_t			i;

	pg_int(&p, id);
	if (pg_do(s, "DELETE FROM feed_tags WHERE feed_id = $1", &p, cause,
	    "store: tags") != 0)
		return (-1);
	for (i = 0; i < conf->ntags; i++) {
		p.n = 1;
		pg_text(&p, conf->tags[i]);
		if (pg_do(s, "INSERT INTO feed_tags (feed_id, tag) VALUES "
		    "($1, $2) ON CONFLICT DO NOTHING", &p, cause,
		    "store: tags") != 0)
			return (-1);
	}
	return (0);
}

static void
pg_conf_params(struct pg_params *p, const struct store_feed_conf *conf)
{
	pg_text(p, conf->title);
	if (conf->interval < 0)
		pg_text(p, NULL);
	else
		pg_int(p, conf->interval);
	pg_int(p, conf->enabled != 0);
	pg_int(p, conf->origin);
}

/*
 * In a transaction that added or changed a feed's schedule: the other
 * nodes hear of it at commit ("F <node>", store_listen_feeds()), so that
 * every node has the feed armed, and polls it when the node that took
 * the command is gone.
 */
static int
pg_feeds_announce(struct pg_store *s, char **cause)
{
	struct pg_params	 p = { .n = 0 };
	char			 payload[192];

	snprintf(payload, sizeof(payload), "F %s", pg_self());
	pg_text(&p, payload);
	return (pg_dop(s, "SELECT pg_notify('" PG_CHANNEL "', $1)", &p, cause,
	    "store: announcing a feed"));
}

static int
pg_feed_add(struct store *store, const struct store_feed_conf *conf,
    int64_t *id, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	PGresult		*res;

	if (pg_begin(s, cause) != 0)
		return (-1);
	pg_text(&p, conf->url);
	pg_conf_params(&p, conf);
	pg_int(&p, (int64_t)time(NULL));
	pg_text(&p, conf->options);
	if ((res = pg_run(s, "INSERT INTO feeds (url, title, interval, "
	    "enabled, origin, created, options) VALUES ($1, $2, $3, $4, $5, "
	    "$6, $7) "
	    "ON CONFLICT (url) DO NOTHING RETURNING id", &p, cause,
	    "store: adding a feed")) == NULL)
		goto fail;
	if (PQntuples(res) == 0) {
		PQclear(res);
		pg_rollback(s);
		xasprintf(cause, "%s: already subscribed", conf->url);
		return (-1);
	}
	*id = pg_col_int(res, 0, 0);
	PQclear(res);
	if (pg_set_tags(s, *id, conf, cause) != 0)
		goto fail;
	if (conf->moved_from != NULL) {
		p.n = 0;
		pg_int(&p, *id);
		pg_text(&p, conf->moved_from);
		pg_int(&p, (int64_t)time(NULL));
		if (pg_do(s, "INSERT INTO feed_urls (feed_id, url, replaced) "
		    "VALUES ($1, $2, $3)", &p, cause, "store: adding a feed") !=
		    0)
			goto fail;
	}
	if (pg_feeds_announce(s, cause) != 0)
		goto fail;
	return (pg_commit(s, cause));
fail:
	pg_rollback(s);
	return (-1);
}

/* Other settings (auth, charset ...): the next answer is whole. */
static int
pg_set_options(struct pg_store *s, int64_t id, const char *options,
    char **cause)
{
	struct pg_params	p = { .n = 0 };

	pg_int(&p, id);
	pg_text(&p, options);
	return (pg_do(s, "UPDATE feeds SET options = $2, "
	    "etag = CASE WHEN options IS NOT DISTINCT FROM $2 THEN etag END, "
	    "last_modified = CASE WHEN options IS NOT DISTINCT FROM $2 "
	    "THEN last_modified END WHERE id = $1", &p, cause,
	    "store: feed options"));
}

/*
 * A feed's settings (title, tags, interval, enabled, origin, options),
 * and for feeds.edit a new URL and a fresh start after errors or a 410,
 * in one transaction.  A runtime feed the config takes over keeps its
 * tags aside (pg_feed_release()).
 */
static int
pg_feed_edit(struct store *store, int64_t id,
    const struct store_feed_conf *conf, const char *url, int resume,
    char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	PGresult		*res;
	size_t			 n;

	if (pg_begin(s, cause) != 0)
		return (-1);
	pg_int(&p, id);
	if (conf->origin == STORE_ORIGIN_CONFIG && pg_do(s, "UPDATE feeds "
	    "SET runtime_tags = COALESCE((SELECT string_agg(tag, E'\\n' "
	    "ORDER BY tag) FROM feed_tags WHERE feed_id = $1), ''), "
	    "runtime_title = title WHERE id = $1 AND origin = 1", &p, cause,
	    "store: updating a feed") != 0)
		goto fail;
	pg_conf_params(&p, conf);
	if ((res = pg_run(s, "UPDATE feeds SET title = $2, interval = $3, "
	    "enabled = $4, origin = $5 WHERE id = $1", &p, cause,
	    "store: updating a feed")) == NULL)
		goto fail;
	n = pg_changes(res);
	PQclear(res);
	if (n == 0) {
		pg_rollback(s);
		xasprintf(cause, "no feed %" PRId64, id);
		return (-1);
	}
	if (pg_set_tags(s, id, conf, cause) != 0 ||
	    pg_set_options(s, id, conf->options, cause) != 0)
		goto fail;
	if (url != NULL) {
		/* Another URL: the old one's validators mean nothing there. */
		p.n = 1;
		pg_text(&p, url);
		if ((res = pg_run(s, "SELECT 1 FROM feeds WHERE url = $2 AND "
		    "id <> $1", &p, cause, "store: updating a feed")) == NULL)
			goto fail;
		n = (size_t)PQntuples(res);
		PQclear(res);
		if (n > 0) {
			pg_rollback(s);
			xasprintf(cause, "%s: already subscribed", url);
			return (-1);
		}
		if (pg_do(s, "UPDATE feeds SET url = $2, etag = NULL, "
		    "last_modified = NULL WHERE id = $1 AND url <> $2", &p,
		    cause, "store: updating a feed") != 0)
			goto fail;
	}
	p.n = 1;
	if (resume && pg_do(s, "UPDATE feeds SET enabled = 1, errors = 0, "
	    "retry_after = NULL, next_poll = NULL WHERE id = $1", &p, cause,
	    "store: updating a feed") != 0)
		goto fail;
	/* A lowered interval applies now (store-int.h). */
	pg_int(&p, (int64_t)time(NULL));
	if (pg_do(s, "UPDATE feeds f SET next_poll = GREATEST(f.last_poll + "
	    "f.interval, $2), next_poll_reason = '" STORE_INTERVAL_REASON_SQL
	    "' WHERE f.id = $1 AND f.interval > 0 AND f.enabled = 1 AND "
	    "f.errors = 0 AND f.last_poll IS NOT NULL AND f.next_poll IS NOT "
	    "NULL AND f.next_poll > GREATEST(f.last_poll + f.interval + "
	    "f.interval / 10, $2) AND (f.retry_after IS NULL OR "
	    "f.retry_after <= $2)", &p, cause, "store: updating a feed") != 0)
		goto fail;
	if (pg_feeds_announce(s, cause) != 0)
		goto fail;
	return (pg_commit(s, cause));
fail:
	pg_rollback(s);
	return (-1);
}

static int
pg_feed_update(struct store *store, int64_t id,
    const struct store_feed_conf *conf, char **cause)
{
	return (pg_feed_edit(store, id, conf, NULL, 0, cause));
}

/*
 * The config no longer names feed "id": 1 when it had been added at run
 * time, and is a runtime feed again with the title and tags it had then; 0 when it
 * came from the config (the caller removes it).  runtime_tags stays: the
 * config taking it again refreshes it.
 */
static int
pg_feed_release(struct store *store, int64_t id, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	struct store_feed_conf	 conf;
	PGresult		*res;
	char			*tags, **v = NULL, *t, *nl;
	size_t			 n = 0;
	int			 rc;

	if (pg_begin(s, cause) != 0)
		return (-1);
	pg_int(&p, id);
	if ((res = pg_run(s, "UPDATE feeds SET origin = 1, title = "
	    "runtime_title WHERE id = $1 AND origin = 0 AND runtime_tags IS "
	    "NOT NULL RETURNING runtime_tags",
	    &p, cause, "store: releasing a feed")) == NULL)
		goto fail;
	if (PQntuples(res) == 0) {
		PQclear(res);
		pg_rollback(s);
		return (0);
	}
	tags = pg_col_text(res, 0, 0);
	PQclear(res);
	for (t = tags; t != NULL && *t != '\0'; t = nl != NULL ? nl + 1 :
	    NULL) {
		if ((nl = strchr(t, '\n')) != NULL)
			*nl = '\0';
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = t;
	}
	memset(&conf, 0, sizeof(conf));
	conf.tags = (const char *const *)v;
	conf.ntags = n;
	rc = pg_set_tags(s, id, &conf, cause);
	free(v);
	free(tags);
	if (rc != 0)
		goto fail;
	return (pg_commit(s, cause) == 0 ? 1 : -1);
fail:
	pg_rollback(s);
	return (-1);
}

/* A feed's options (JSON), or NULL. */
static char *
pg_feed_options(struct store *store, int64_t id)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	PGresult		*res;
	char			*v = NULL, *cause = NULL;
	ssize_t			 k;

	/* Just claimed: read by the claim. */
	if ((k = pg_claims_find(s, id)) >= 0 && !s->opts_taken[k]) {
		s->opts_taken[k] = 1;
		v = s->claimed_opts[k];
		s->claimed_opts[k] = NULL;
		return (v);
	}
	pg_int(&p, id);
	if ((res = pg_run(s, "SELECT options FROM feeds WHERE id = $1", &p,
	    &cause, "store: feed options")) == NULL) {
		pg_log_failed(cause);
		free(cause);
		return (NULL);
	}
	if (PQntuples(res) > 0)
		v = pg_col_text(res, 0, 0);
	PQclear(res);
	return (v);
}

/* Items, outbox rows, tags, tombstones go with it (ON DELETE CASCADE). */
static int
pg_feed_remove(struct store *store, int64_t id, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	PGresult		*res;
	size_t			 n;

	if (pg_begin(s, cause) != 0)
		return (-1);
	if (pg_lock_writers(s, cause) != 0)
		goto fail;
	pg_int(&p, id);
	pg_int(&p, (int64_t)time(NULL));
	if (pg_do(s, "INSERT INTO feeds_removed (url, removed) SELECT url, $2 "
	    "FROM feeds WHERE id = $1 ON CONFLICT (url) DO UPDATE SET "
	    "removed = EXCLUDED.removed", &p, cause,
	    "store: removing a feed") != 0)
		goto fail;
	p.n = 1;
	if ((res = pg_run(s, "DELETE FROM feeds WHERE id = $1", &p, cause,
	    "store: removing a feed")) == NULL)
		goto fail;
	n = pg_changes(res);
	PQclear(res);
	if (n == 0) {
		pg_rollback(s);
		xasprintf(cause, "no feed %" PRId64, id);
		return (-1);
	}
	return (pg_commit(s, cause));
fail:
	pg_rollback(s);
	return (-1);
}

static struct store_feed *
pg_row_feed(const PGresult *res, int r)
{
	struct store_feed	*f;
	const char		*tags, *nl;

	f = xcalloc(1, sizeof(*f));
	f->id = pg_col_int(res, r, 0);
	f->url = pg_col_text(res, r, 1);
	f->title = pg_col_text(res, r, 2);
	f->link = pg_col_text(res, r, 3);
	f->interval = PQgetisnull(res, r, 4) ? -1 : pg_col_int(res, r, 4);
	f->enabled = (int)pg_col_int(res, r, 5);
	f->origin = (int)pg_col_int(res, r, 6);
	f->etag = pg_col_text(res, r, 7);
	f->last_modified = pg_col_text(res, r, 8);
	f->last_poll = pg_col_date(res, r, 9);
	f->last_success = pg_col_date(res, r, 10);
	f->last_status = (int)pg_col_int(res, r, 11);
	f->last_error = pg_col_text(res, r, 12);
	f->errors = (int)pg_col_int(res, r, 13);
	f->next_poll = pg_col_date(res, r, 14);
	f->next_poll_reason = pg_col_text(res, r, 15);
	f->retry_after = pg_col_date(res, r, 16);
	f->item_rate = PQgetisnull(res, r, 17) ? -1 :
	    strtod(PQgetvalue(res, r, 17), NULL);
	f->key_mode = (int)pg_col_int(res, r, 18);
	f->items = pg_col_int(res, r, 19);
	f->unread = pg_col_int(res, r, 20);
	tags = PQgetisnull(res, r, 21) ? NULL : PQgetvalue(res, r, 21);
	while (tags != NULL && *tags != '\0') {
		nl = strchr(tags, '\n');
		f->tags = xreallocarray(f->tags, f->ntags + 1,
		    sizeof(*f->tags));
		f->tags[f->ntags++] = nl != NULL ?
		    xstrndup(tags, (size_t)(nl - tags)) : xstrdup(tags);
		tags = nl != NULL ? nl + 1 : NULL;
	}
	f->title_set = (int)pg_col_int(res, r, 22);
	store_col_read_hints(&f->hints, PQgetisnull(res, r, 23) ? NULL :
	    PQgetvalue(res, r, 23));
	return (f);
}

/* The old URLs of row "r", in the column after pg_row_feed()'s. */
static void
pg_row_urls(struct store_feed *f, const PGresult *res, int r)
{
	store_col_read_urls(f, PQgetisnull(res, r, FEED_NCOLS) ? NULL :
	    PQgetvalue(res, r, FEED_NCOLS));
}

static struct store_feed *
pg_feed_get(struct store *store, int64_t id, const char *url, int light)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	struct store_feed	*f = NULL;
	PGresult		*res;
	char			*cause = NULL;
	const char		*sql;
	ssize_t			 k;

	/* Just claimed: read by the claim (light, as the poller asks). */
	if (url == NULL && light && (k = pg_claims_find(s, id)) >= 0) {
		f = s->claimed[k];
		s->claimed[k] = NULL;
		if (f != NULL)
			return (f);
	}
	if (url != NULL) {
		pg_text(&p, url);
		/* A feed that moved (301/308) is still found by its old URL. */
		sql = "SELECT " FEED_COLS " FROM feeds f WHERE f.url = $1 OR "
		    "f.id = (SELECT feed_id FROM feed_urls WHERE url = $1 "
		    "ORDER BY replaced DESC LIMIT 1) "
		    "ORDER BY (f.url = $1) DESC LIMIT 1";
	} else {
		pg_int(&p, id);
		sql = light ? "SELECT " FEED_COLS_LIGHT " FROM feeds f WHERE "
		    "f.id = $1" : "SELECT " FEED_COLS " FROM feeds f WHERE "
		    "f.id = $1";
	}
	if ((res = pg_runp(s, sql, &p, &cause, "store: feed")) == NULL) {
		/* A failed read is no absent feed: the poller retries it. */
		store_read_failed(store, cause);
		pg_log_failed(cause);
		free(cause);
		return (NULL);
	}
	if (PQntuples(res) > 0) {
		f = pg_row_feed(res, 0);
		if (url != NULL || !light)
			pg_row_urls(f, res, 0);
	}
	PQclear(res);
	return (f);
}

static int
pg_feeds_list(struct store *store, const char *tag, int light,
    struct store_feed ***v, size_t *n)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	PGresult		*res;
	char			*cause = NULL;
	const char		*sql;
	int			 i;

	*v = NULL;
	*n = 0;
	if (tag != NULL) {
		pg_text(&p, tag);
		sql = "SELECT " FEED_COLS " FROM feeds f WHERE f.id IN "
		    "(SELECT feed_id FROM feed_tags WHERE tag = $1) "
		    "ORDER BY f.id";
	} else if (light)
		sql = "SELECT " FEED_COLS_LIGHT " FROM feeds f ORDER BY f.id";
	else
		sql = "SELECT " FEED_COLS " FROM feeds f ORDER BY f.id";
	if ((res = pg_run(s, sql, &p, &cause, "store: feeds")) == NULL) {
		pg_log_failed(cause);
		free(cause);
		return (-1);
	}
	if (PQntuples(res) > 0)
		*v = xcalloc((size_t)PQntuples(res), sizeof(**v));
	for (i = 0; i < PQntuples(res); i++) {
		(*v)[*n] = pg_row_feed(res, i);
		if (tag != NULL || !light)
			pg_row_urls((*v)[*n], res, i);
		(*n)++;
	}
	PQclear(res);
	return (0);
}

/*
 * Claims feed "id" for a poll at "now": only when no other node holds
 * it, and (unless asked for by hand) only when it is due by the
 * database's reckoning, so a node whose schedule is behind does not poll
 * a feed another has just polled.  SKIP LOCKED: a feed another node is
 * claiming at this instant is simply not ours.
 */
static int
pg_feed_claim(struct store *store, int64_t id, int64_t now, int manual,
    int64_t *retry_at, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	PGresult		*res;
	int64_t			 next, until;
	int			 claimed;

	pg_int(&p, id);
	pg_int(&p, now);
	pg_text(&p, s->owner);
	pg_int(&p, now + PG_FEED_LEASE);
	pg_int(&p, manual != 0);
	if ((res = pg_runp(s, "WITH " PG_LIVE_OWNERS " UPDATE feeds SET "
	    "lease_owner = $3, lease_until = $4 WHERE id = (SELECT id FROM "
	    "feeds WHERE id = $1 AND enabled <> 0 AND "
	    PG_LEASE_FREE("$3", "$2") " AND ($5 = 1 OR next_poll IS NULL OR "
	    "next_poll <= $2) FOR UPDATE SKIP LOCKED) RETURNING id", &p, cause,
	    "store: claiming a feed")) == NULL)
		return (-1);
	claimed = PQntuples(res) > 0;
	PQclear(res);
	if (claimed)
		return (1);
	/* Not ours: look again when it is due, or soon if held. */
	p.n = 1;
	pg_int(&p, now);
	pg_text(&p, s->owner);
	if ((res = pg_runp(s, "WITH " PG_LIVE_OWNERS " SELECT next_poll, "
	    "CASE WHEN " PG_LEASE_FREE("$3", "$2") " THEN NULL ELSE "
	    "lease_until END, enabled FROM feeds WHERE id = $1", &p, cause,
	    "store: claiming a feed")) == NULL)
		return (-1);
	*retry_at = now + PG_FEED_LEASE;
	/* Paused or removed: ours to read so, with no lease (as
	 * pg_feeds_claim()). */
	if (PQntuples(res) == 0 || pg_col_int(res, 0, 2) == 0) {
		PQclear(res);
		return (1);
	}
	if (PQntuples(res) > 0) {
		next = pg_col_date(res, 0, 0);
		until = pg_col_date(res, 0, 1);
		if (until != DATE_NONE && until > now)
			*retry_at = until < now + PG_FEED_RECHECK ? until :
			    now + PG_FEED_RECHECK;
		else if (next != DATE_NONE && next > now)
			*retry_at = next;
	}
	PQclear(res);
	return (0);
}

static void
pg_claims_forget(struct pg_store *s)
{
	size_t	i;

	for (i = 0; i < s->nclaimed; i++) {
		store_feed_free(s->claimed[i]);
		free(s->claimed_opts[i]);
	}
	free(s->claimed_ids);
	free(s->claimed);
	free(s->claimed_opts);
	free(s->opts_taken);
	s->claimed_ids = NULL;
	s->claimed = NULL;
	s->claimed_opts = NULL;
	s->opts_taken = NULL;
	s->nclaimed = 0;
}

/* The index of feed "id" among those just claimed, or -1. */
static ssize_t
pg_claims_find(struct pg_store *s, int64_t id)
{
	size_t	lo = 0, hi = s->nclaimed, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->claimed_ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->nclaimed && s->claimed_ids[lo] == id)
		return ((ssize_t)lo);
	return (-1);
}

struct pg_claim_ix {
	int64_t	id;
	size_t	i;
	int	seen;		/* pg_feeds_claim(): it has a row */
};

static int
pg_claim_ix_cmp(const void *a, const void *b)
{
	const struct pg_claim_ix	*x = a, *y = b;

	return (x->id < y->id ? -1 : x->id > y->id);
}

/*
 * Claims the feeds of a turn of the poller's loop in one statement, as
 * pg_feed_claim() each (FOR UPDATE SKIP LOCKED: a feed another node is
 * claiming at this instant is not ours).  The same statement reads the
 * claimed feeds' state and options, which the poller asks for next:
 * kept until the next claim, so starting a poll costs no other round
 * trip.
 *
 * With "per_host", a host's feeds are claimed only while fewer than that
 * many of its feeds are leased by any node.  The nodes take a lock per
 * host first (in one order, so two claims cannot deadlock), and the claim
 * is a statement of its own after it, so it counts the leases that the
 * claim before it committed.
 */
static int
pg_feeds_claim(struct store *store, size_t n, const int64_t *ids,
    const int *manual, int64_t now, const struct store_host_bound *bound,
    int *claimed, int64_t *retry_at, uint32_t *host, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	struct buf		 all = { NULL, 0, 0 }, man = { NULL, 0, 0 };
	struct buf		 done = { NULL, 0, 0 };
	struct pg_claim_ix	*ix, key, *hit;
	const char		*allv, *manv, *donev;
	unsigned int		 per_host = bound != NULL ? bound->per_host : 0;
	PGresult		*res = NULL;
	int64_t			 next, until;
	size_t			 i;
	int			 r, rows, tx = 0;

	pg_claims_forget(s);
	ix = xcalloc(n > 0 ? n : 1, sizeof(*ix));
	for (i = 0; i < n; i++) {
		claimed[i] = 0;
		retry_at[i] = now + PG_FEED_LEASE;
		ix[i].id = ids[i];
		ix[i].i = i;
		pg_arr_int(&all, ids[i]);
		if (manual[i])
			pg_arr_int(&man, ids[i]);
	}
	for (i = 0; per_host > 0 && i < bound->nfetched; i++)
		pg_arr_int(&done, bound->fetched[i]);
	qsort(ix, n, sizeof(*ix), pg_claim_ix_cmp);
	allv = pg_arr_end(&all);
	manv = pg_arr_end(&man);
	donev = pg_arr_end(&done);
	if (per_host > 0 && !s->tx) {
		if (pg_begin(s, cause) != 0)
			goto fail;
		tx = 1;
		pg_int(&p, PG_LOCK_HOST);
		pg_text(&p, allv);
		if (pg_dop(s, "SELECT pg_advisory_xact_lock($1::int, h) FROM "
		    "(SELECT DISTINCT hashtext(f.host) AS h FROM "
		    "unnest($2::bigint[]) AS r(id) JOIN feeds f ON "
		    "f.id = r.id ORDER BY h OFFSET 0) x", &p, cause,
		    "store: claiming feeds") != 0)
			goto fail;
		p.n = 0;
	}
	pg_int(&p, now);
	pg_text(&p, s->owner);
	pg_int(&p, now + PG_FEED_LEASE);
	pg_text(&p, allv);
	pg_text(&p, manv);
	pg_int(&p, tx ? per_host : 0);
	pg_text(&p, donev);
	/*
	 * The ids asked for are an index condition ("f.id = ANY"), so each
	 * part reads only their rows whatever the planner's statistics
	 * say (a table just filled has none, and a join on the ids' list
	 * was planned as a scan of every feed); "man", those asked for by
	 * hand, is a hashed list ("= ANY" on a parameter is searched
	 * linearly for every row, thousands after a poll of everything).
	 * "pre": those due
	 * and free, numbered by id within their host; "busy": each of
	 * their hosts' feeds leased now, but for them and for this node's
	 * fetched ones ($7: a lease released since is not counted anyway,
	 * and one another node took since is).  Only the first
	 * candidates of a host that fit beside its busy feeds are locked:
	 * a poller waiting on a full host asks for all its due feeds at
	 * every commit, and locking them all each time is most of the
	 * claim's cost.  "cand" tests the lease again on the locked row,
	 * which may be newer than the statement's snapshot.  A paused
	 * feed is never leased, but answered as ours, without a lease: the
	 * poller then reads it paused and forgets it, and a node that had
	 * not heard of the pause holds no lease that would keep the feed
	 * from being polled once it is resumed.
	 */
	res = pg_runp(s, "WITH " PG_LIVE_OWNERS ", "
	    "man AS MATERIALIZED (SELECT unnest($5::bigint[]) AS id), "
	    "pre AS MATERIALIZED (SELECT f.id, f.host, row_number() OVER "
	    "(PARTITION BY f.host ORDER BY f.id) AS k FROM feeds f "
	    "WHERE f.id = ANY($4::bigint[]) AND f.enabled <> 0 AND "
	    PG_LEASE_FREE("$2", "$1") " AND (f.id IN (SELECT id FROM man) OR "
	    "f.next_poll IS NULL OR f.next_poll <= $1)), "
	    "busy AS (SELECT host, count(*) AS n FROM feeds WHERE $6 > 0 AND "
	    "lease_owner IS NOT NULL AND lease_until > $1 AND NOT "
	    PG_LEASE_DEAD " AND host IN (SELECT host FROM pre) AND "
	    "id NOT IN (SELECT id FROM pre) AND NOT (lease_owner = $2 AND "
	    "id = ANY($7::bigint[])) GROUP BY host), "
	    "w AS (SELECT r.id FROM pre r LEFT JOIN busy b ON b.host = r.host "
	    "WHERE $6 = 0 OR r.k + COALESCE(b.n, 0) <= $6), "
	    "cand AS (SELECT id FROM feeds WHERE id IN (SELECT id FROM w) AND "
	    "enabled <> 0 AND " PG_LEASE_FREE("$2", "$1") " AND "
	    "(id IN (SELECT id FROM man) OR "
	    "next_poll IS NULL OR next_poll <= $1) FOR UPDATE SKIP LOCKED), "
	    "c AS (UPDATE feeds f SET lease_owner = $2, lease_until = $3 "
	    "FROM cand WHERE f.id = cand.id RETURNING f.id) "
	    "SELECT " FEED_COLS_LIGHT ", f.options, "
	    "(f.id IN (SELECT id FROM c) OR f.enabled = 0)::int, CASE WHEN "
	    PG_LEASE_FREE("$2", "$1") " THEN NULL ELSE f.lease_until END, "
	    "COALESCE(hashtext(f.host), 0) "
	    "FROM feeds f WHERE f.id = ANY($4::bigint[]) ORDER BY f.id", &p,
	    cause,
	    "store: claiming feeds");
	if (res == NULL || (tx && pg_commit(s, cause) != 0))
		goto fail;
	tx = 0;
	buf_free(&all);
	buf_free(&man);
	buf_free(&done);
	rows = PQntuples(res);
	i = rows > 0 ? (size_t)rows : 1;
	s->claimed_ids = xcalloc(i, sizeof(*s->claimed_ids));
	s->claimed = xcalloc(i, sizeof(*s->claimed));
	s->claimed_opts = xcalloc(i, sizeof(*s->claimed_opts));
	s->opts_taken = xcalloc(i, sizeof(*s->opts_taken));
	for (r = 0; r < rows; r++) {
		key.id = pg_col_int(res, r, 0);
		if ((hit = bsearch(&key, ix, n, sizeof(*ix),
		    pg_claim_ix_cmp)) == NULL)
			continue;
		hit->seen = 1;
		if (host != NULL)
			host[hit->i] = (uint32_t)pg_col_int(res, r,
			    FEED_NCOLS + 3);
		if (pg_col_int(res, r, FEED_NCOLS + 1) == 1) {
			claimed[hit->i] = 1;
			s->claimed_ids[s->nclaimed] = key.id;
			s->claimed[s->nclaimed] = pg_row_feed(res, r);
			s->claimed_opts[s->nclaimed++] = pg_col_text(res, r,
			    FEED_NCOLS);
			continue;
		}
		/*
		 * Not ours: look again when it is due, or soon if held; a
		 * due feed no one holds waited for its host's other polls.
		 */
		next = pg_col_date(res, r, 14);
		until = pg_col_date(res, r, FEED_NCOLS + 2);
		if (until != DATE_NONE && until > now)
			retry_at[hit->i] = until < now + PG_FEED_RECHECK ?
			    until : now + PG_FEED_RECHECK;
		else if (next != DATE_NONE && next > now && !manual[hit->i])
			retry_at[hit->i] = next;
		else {
			claimed[hit->i] = STORE_CLAIM_WAIT;
			retry_at[hit->i] = now + PG_HOST_RECHECK;
		}
	}
	/* Removed (on another node, say): ours to read as gone. */
	for (i = 0; i < n; i++)
		if (!ix[i].seen)
			claimed[ix[i].i] = 1;
	PQclear(res);
	free(ix);
	return (0);
fail:
	if (res != NULL)
		PQclear(res);
	if (tx)
		pg_rollback(s);
	buf_free(&all);
	buf_free(&man);
	buf_free(&done);
	free(ix);
	return (-1);
}

/* The states of feeds "ids" in one statement (store_feeds_state_of()). */
static int
pg_feeds_state_of(struct store *store, size_t n, const int64_t *ids,
    struct store_feed **out)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	struct buf		 all = { NULL, 0, 0 };
	struct pg_claim_ix	*ix, key, *hit;
	PGresult		*res;
	char			*cause = NULL;
	size_t			 i;
	int			 r;

	ix = xcalloc(n > 0 ? n : 1, sizeof(*ix));
	for (i = 0; i < n; i++) {
		out[i] = NULL;
		ix[i].id = ids[i];
		ix[i].i = i;
		pg_arr_int(&all, ids[i]);
	}
	qsort(ix, n, sizeof(*ix), pg_claim_ix_cmp);
	pg_text(&p, pg_arr_end(&all));
	res = pg_runp(s, "SELECT " FEED_COLS_LIGHT " FROM feeds f WHERE f.id "
	    "IN (SELECT unnest($1::bigint[]))", &p, &cause, "store: feeds");
	buf_free(&all);
	if (res == NULL) {
		store_read_failed(store, cause);
		pg_log_failed(cause);
		free(cause);
		free(ix);
		return (-1);
	}
	for (r = 0; r < PQntuples(res); r++) {
		key.id = pg_col_int(res, r, 0);
		/* A feed asked for twice gets its row at each place. */
		if ((hit = bsearch(&key, ix, n, sizeof(*ix),
		    pg_claim_ix_cmp)) == NULL)
			continue;
		while (hit > ix && hit[-1].id == key.id)
			hit--;
		for (; hit < ix + n && hit->id == key.id; hit++)
			if (out[hit->i] == NULL)
				out[hit->i] = pg_row_feed(res, r);
	}
	PQclear(res);
	free(ix);
	return (0);
}

/* --- items --- */

/* The ITEM_COLS of row "r" starting at column "c". */
static void
pg_row_item_at(const PGresult *res, int r, int c, struct store_item *si)
{
	struct feed_item	*it;

	si->id = pg_col_int(res, r, c + 0);
	si->feed_id = pg_col_int(res, r, c + 1);
	si->story = pg_col_int(res, r, c + 2);
	si->fetched = pg_col_int(res, r, c + 3);
	si->read = (int)pg_col_int(res, r, c + 4);
	si->starred = (int)pg_col_int(res, r, c + 5);
	si->repeat = (int)pg_col_int(res, r, c + 6);
	si->item = it = feed_item_new();
	it->key = pg_col_text(res, r, c + 7);
	it->guid = pg_col_text(res, r, c + 8);
	it->title = pg_col_text(res, r, c + 9);
	it->link = pg_col_text(res, r, c + 10);
	it->author = pg_col_text(res, r, c + 11);
	it->published = pg_col_date(res, r, c + 12);
	it->updated = pg_col_date(res, r, c + 13);
	it->summary = pg_col_text(res, r, c + 14);
	it->content = pg_col_text(res, r, c + 15);
	store_col_read_lists(it, PQgetisnull(res, r, c + 16) ? NULL :
	    PQgetvalue(res, r, c + 16), PQgetisnull(res, r, c + 17) ? NULL :
	    PQgetvalue(res, r, c + 17));
	it->image = pg_col_text(res, r, c + 18);
	if (!PQgetisnull(res, r, c + 19))
		it->episode = pg_col_int(res, r, c + 19);
	if (!PQgetisnull(res, r, c + 20))
		it->season = pg_col_int(res, r, c + 20);
	it->base = pg_col_text(res, r, c + 21);
}

/* Runs an item query and appends its rows to *v. */
static int
pg_collect(struct pg_store *s, const char *sql, const struct pg_params *p,
    struct store_item **v, size_t *n, char **cause)
{
	PGresult	*res;
	int		 i;

	if ((res = pg_run(s, sql, p, cause, "store: reading items")) == NULL)
		return (-1);
	if (PQntuples(res) > 0)
		*v = xreallocarray(*v, *n + (size_t)PQntuples(res),
		    sizeof(**v));
	for (i = 0; i < PQntuples(res); i++)
		pg_row_item_at(res, i, 0, &(*v)[(*n)++]);
	PQclear(res);
	return (0);
}

static size_t
pg_limit(size_t limit)
{
	if (limit == 0)
		return (STORE_DEFAULT_LIMIT);
	return (limit > STORE_MAX_LIMIT ? STORE_MAX_LIMIT : limit);
}

/* " AND ..." for a query's feed and tag filters, adding their values. */
static void
pg_where(struct pg_params *p, const struct store_query *q, char *sql,
    size_t len)
{
	size_t	off = strlen(sql);

	if (q->feed_id > 0) {
		pg_int(p, q->feed_id);
		off += (size_t)snprintf(sql + off, len - off,
		    " AND i.feed_id = $%d", p->n);
	}
	if (q->tag != NULL) {
		pg_text(p, q->tag);
		snprintf(sql + off, len - off, " AND i.feed_id IN (SELECT "
		    "feed_id FROM feed_tags WHERE tag = $%d)", p->n);
	}
}

static int
pg_items_list(struct store *store, const struct store_query *q,
    struct store_item **v, size_t *n, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	char			 where[512] = "", sql[1536];

	*v = NULL;
	*n = 0;
	pg_int(&p, q->since > 0 ? q->since : 0);
	pg_int(&p, (int64_t)pg_limit(q->limit));
	pg_where(&p, q, where, sizeof(where));
	snprintf(sql, sizeof(sql), "%sSELECT " ITEM_COLS " FROM items i "
	    "WHERE i.id > $1%s%s%s ORDER BY i.id%s LIMIT $2%s",
	    q->newest ? "SELECT * FROM (" : "", where,
	    q->unread ? " AND i.read = 0" : "",
	    q->starred ? " AND i.starred != 0" : "",
	    q->newest ? " DESC" : "",
	    q->newest ? ") i ORDER BY 1" : "");
	return (pg_collect(s, sql, &p, v, n, cause));
}

/* "{1,2,3}": an array parameter of ids. */
static char *
pg_id_array(const int64_t *ids, size_t n)
{
	struct buf	b = { NULL, 0, 0 };
	char		num[32];
	size_t		i;

	buf_addc(&b, '{');
	for (i = 0; i < n; i++) {
		snprintf(num, sizeof(num), "%s%" PRId64, i > 0 ? "," : "",
		    ids[i]);
		buf_adds(&b, num);
	}
	buf_addc(&b, '}');
	return (b.data);
}

/* In the order of "ids"; ids not stored are left out. */
static int
pg_items_get(struct store *store, const int64_t *ids, size_t nids,
    struct store_item **v, size_t *n, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	char			*arr;
	int			 rc;

	*v = NULL;
	*n = 0;
	if (nids == 0)
		return (0);
	arr = pg_id_array(ids, nids);
	pg_text(&p, arr);
	rc = pg_collect(s, "SELECT " ITEM_COLS " FROM unnest($1::bigint[]) "
	    "WITH ORDINALITY AS u(id, ord) JOIN items i ON i.id = u.id "
	    "ORDER BY u.ord", &p, v, n, cause);
	free(arr);
	return (rc);
}

/* One quoted tsquery operand, with its weight. */
static void
pg_tsq_operand(struct buf *b, const char *w, size_t len, int prefix,
    const char *weight)
{
	size_t	i;

	buf_addc(b, '\'');
	for (i = 0; i < len; i++) {
		if (w[i] == '\'' || w[i] == '\\')
			buf_addc(b, w[i]);
		buf_addc(b, w[i]);
	}
	buf_addc(b, '\'');
	if (prefix || weight != NULL) {
		buf_addc(b, ':');
		if (prefix)
			buf_addc(b, '*');
		if (weight != NULL)
			buf_adds(b, weight);
	}
}

/*
 * A word or phrase word, with its weight: the words the vectors' text
 * makes of it (pg_words()), a phrase of them if several ("東京" is
 * '東' <-> '京'), the prefix on the last.
 */
static void
pg_tsq_word(struct buf *b, const char *w, size_t len, int prefix,
    const char *weight)
{
	struct buf	 words = { NULL, 0, 0 };
	const char	*p;
	size_t		 n, i, count = 0;

	cjk_words(&words, w, len);
	for (p = words.data; p != NULL && *p != '\0'; p += n) {
		p += strspn(p, " \t\r\n");
		if ((n = strcspn(p, " \t\r\n")) > 0)
			count++;
	}
	if (count <= 1) {
		/* Nothing but punctuation: as typed, for the parser. */
		if (count == 0)
			pg_tsq_operand(b, w, len, prefix, weight);
		else {
			p = words.data + strspn(words.data, " \t\r\n");
			pg_tsq_operand(b, p, strcspn(p, " \t\r\n"), prefix,
			    weight);
		}
		buf_free(&words);
		return;
	}
	buf_addc(b, '(');
	for (p = words.data, i = 0; *p != '\0'; p += n) {
		p += strspn(p, " \t\r\n");
		if ((n = strcspn(p, " \t\r\n")) == 0)
			continue;
		if (i++ > 0)
			buf_adds(b, " <-> ");
		pg_tsq_operand(b, p, n, prefix && i == count, weight);
	}
	buf_addc(b, ')');
	buf_free(&words);
}

/*
 * The search syntax of the sqlite backend (FTS5's), written as a
 * PostgreSQL tsquery for to_tsquery('simple', ...): words (all of them
 * must match), "phrases", AND, OR, NOT (binary: a NOT b), parentheses,
 * a trailing * for a prefix, and title:, summary:, content: before a
 * word or phrase (tsquery weights A, B, C).  Returns the tsquery, or
 * NULL with "*cause" set for a query FTS5 would refuse too.
 */
char *
store_pg_tsquery(const char *q, char **cause)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*p = q, *w, *weight, *end;
	size_t		 len;
	int		 depth = 0, operand = 0, prefix, first;

	for (;;) {
		p += strspn(p, " \t\r\n");
		if (*p == '\0')
			break;
		if (*p == ')') {
			if (depth == 0 || !operand)
				goto bad;
			depth--;
			buf_addc(&b, ')');
			p++;
			continue;
		}
		len = strcspn(p, " \t\r\n()\"");
		if (operand && len == 2 && strncmp(p, "OR", 2) == 0) {
			buf_adds(&b, " | ");
			operand = 0;
			p += 2;
			continue;
		}
		if (operand && len == 3 && strncmp(p, "AND", 3) == 0) {
			buf_adds(&b, " & ");
			operand = 0;
			p += 3;
			continue;
		}
		if (operand && len == 3 && strncmp(p, "NOT", 3) == 0) {
			buf_adds(&b, " & !");
			operand = 0;
			p += 3;
			continue;
		}
		if ((len == 2 && strncmp(p, "OR", 2) == 0) ||
		    (len == 3 && (strncmp(p, "AND", 3) == 0 ||
		    strncmp(p, "NOT", 3) == 0)))
			goto bad;
		/* sqlite's NEAR has no tsquery match: said, not searched
		 * for as a word (which finds nothing). */
		if (len == 4 && strncmp(p, "NEAR", 4) == 0) {
			buf_free(&b);
			xasprintf(cause, "bad search query: %s: NEAR is not "
			    "supported on PostgreSQL (a phrase in quotes is)",
			    q);
			return (NULL);
		}
		if (operand)
			buf_adds(&b, " & ");	/* implicit AND */
		if (*p == '(') {
			buf_addc(&b, '(');
			depth++;
			operand = 0;
			p++;
			continue;
		}
		weight = NULL;
		if (strncmp(p, "title:", 6) == 0) {
			weight = "A";
			p += 6;
		} else if (strncmp(p, "summary:", 8) == 0) {
			weight = "B";
			p += 8;
		} else if (strncmp(p, "content:", 8) == 0) {
			weight = "C";
			p += 8;
		}
		if (*p == '"') {
			if ((end = strchr(p + 1, '"')) == NULL)
				goto bad;
			prefix = end[1] == '*';
			buf_addc(&b, '(');
			first = 1;
			for (w = p + 1; w < end; w += len) {
				w += strspn(w, " \t\r\n");
				if (w >= end)
					break;
				len = strcspn(w, " \t\r\n\"");
				if (!first)
					buf_adds(&b, " <-> ");
				first = 0;
				pg_tsq_word(&b, w, len, prefix &&
				    w + len == end, weight);
			}
			if (first)
				goto bad;
			buf_addc(&b, ')');
			p = end + 1 + prefix;
		} else {
			len = strcspn(p, " \t\r\n()\"");
			if (len == 0)
				goto bad;
			prefix = p[len - 1] == '*';
			if (prefix && len == 1)
				goto bad;
			pg_tsq_word(&b, p, len - (size_t)prefix, prefix,
			    weight);
			p += len;
		}
		operand = 1;
	}
	if (depth != 0 || !operand)
		goto bad;
	return (b.data);
bad:
	buf_free(&b);
	xasprintf(cause, "bad search query: %s", q);
	return (NULL);
}

/*
 * Full-text search in the database itself, best matches first (ts_rank
 * with titles weighing most), then the oldest.
 */
static int
pg_items_search(struct store *store, const char *query, size_t limit,
    struct store_item **v, size_t *n, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	char			*tsq;
	int			 rc;

	*v = NULL;
	*n = 0;
	if ((tsq = store_pg_tsquery(query, cause)) == NULL)
		return (-1);
	pg_text(&p, tsq);
	pg_int(&p, (int64_t)pg_limit(limit));
	rc = pg_collect(s, "SELECT " ITEM_COLS " FROM items i, "
	    "item_search s, to_tsquery('simple', $1) q WHERE "
	    "s.item_id = i.id AND s.tsv @@ q "
	    "ORDER BY ts_rank(s.tsv, q) DESC, i.id LIMIT $2", &p, v, n,
	    cause);
	free(tsq);
	return (rc);
}

/*
 * Makes the vectors of up to "max_items" (0: all) queued items, oldest
 * first, PG_INDEX_CHUNK a transaction.  The queue's rows are taken with
 * SKIP LOCKED, so the indexers of several nodes share the work instead
 * of each making the same vectors; the items' rows are locked (KEY
 * SHARE) so retention cannot delete one under the INSERT.  The text is
 * made here from the stored markup, the vectors on the server.
 */
static int
pg_index_update(struct store *store, size_t max_items, int *more,
    char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	struct buf		 ids = { NULL, 0, 0 }, st = { NULL, 0, 0 };
	struct buf		 ct = { NULL, 0, 0 }, tt = { NULL, 0, 0 };
	PGresult		*res;
	char			*text;
	size_t			 done = 0, chunk;
	int			 i, rows;

	*more = 0;
	if (max_items == 0)
		max_items = SIZE_MAX;
	while (done < max_items) {
		if (atomic_load(&s->index_stop))
			return (0);
		chunk = max_items - done < PG_INDEX_CHUNK ? max_items - done :
		    PG_INDEX_CHUNK;
		if (pg_begin(s, cause) != 0)
			return (-1);
		p.n = 0;
		pg_int(&p, (int64_t)chunk);
		if ((res = pg_run(s, "WITH t AS (DELETE FROM search_todo WHERE "
		    "item_id IN (SELECT item_id FROM search_todo ORDER BY "
		    "item_id LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING "
		    "item_id) SELECT i.id, i.summary, i.content, i.title "
		    "FROM items i "
		    "JOIN t ON t.item_id = i.id ORDER BY i.id FOR KEY SHARE OF i",
		    &p, cause, "store: indexing")) == NULL)
			goto fail;
		rows = PQntuples(res);
		for (i = 0; i < rows; i++) {
			pg_arr_int(&ids, pg_col_int(res, i, 0));
			text = pg_plain(PQgetisnull(res, i, 1) ? NULL :
			    PQgetvalue(res, i, 1));
			pg_arr_text(&st, text);
			free(text);
			text = pg_plain(PQgetisnull(res, i, 2) ? NULL :
			    PQgetvalue(res, i, 2));
			pg_arr_text(&ct, text);
			free(text);
			text = pg_words(PQgetisnull(res, i, 3) ? NULL :
			    PQgetvalue(res, i, 3));
			pg_arr_text(&tt, text);
			free(text);
		}
		PQclear(res);
		if (rows > 0) {
			p.n = 0;
			pg_text(&p, pg_arr_end(&ids));
			pg_text(&p, pg_arr_end(&st));
			pg_text(&p, pg_arr_end(&ct));
			pg_text(&p, pg_arr_end(&tt));
			if (pg_do(s, "INSERT INTO item_search (item_id, tsv) "
			    "SELECT i.id, setweight(to_tsvector('simple', "
			    "COALESCE(u.tt, '')), 'A') || "
			    "setweight(to_tsvector('simple', "
			    "COALESCE(u.st, '')), 'B') || "
			    "setweight(to_tsvector('simple', "
			    "COALESCE(u.ct, '')), 'C') FROM unnest($1::bigint[], "
			    "$2::text[], $3::text[], $4::text[]) AS "
			    "u(id, st, ct, tt) JOIN items "
			    "i ON i.id = u.id ON CONFLICT (item_id) DO UPDATE "
			    "SET tsv = EXCLUDED.tsv", &p, cause,
			    "store: indexing") != 0)
				goto fail;
		}
		if (pg_commit(s, cause) != 0)
			goto fail;
		buf_free(&ids);
		buf_free(&st);
		buf_free(&ct);
		buf_free(&tt);
		done += (size_t)rows;
		if ((size_t)rows < chunk)
			return (0);
	}
	*more = 1;
	return (0);
fail:
	pg_rollback(s);
	buf_free(&ids);
	buf_free(&st);
	buf_free(&ct);
	buf_free(&tt);
	return (-1);
}

/* Items stored that a search does not find yet. */
static int
pg_index_lag(struct store *store, int64_t *lag, char **cause)
{
	struct pg_store	*s = (struct pg_store *)store;
	PGresult	*res;

	if ((res = pg_run(s, "SELECT count(*) FROM search_todo", NULL, cause,
	    "store: search lag")) == NULL)
		return (-1);
	*lag = pg_col_int(res, 0, 0);
	PQclear(res);
	return (0);
}

static void
pg_index_stop(struct store *store)
{
	atomic_store(&((struct pg_store *)store)->index_stop, 1);
}

static int
pg_items_mark(struct store *store, const int64_t *ids, size_t n, int read,
    int starred, size_t *changed, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	PGresult		*res;
	char			*arr;
	int			 pass, val;

	*changed = 0;
	if (n == 0)
		return (0);
	arr = pg_id_array(ids, n);
	if (pg_begin(s, cause) != 0) {
		free(arr);
		return (-1);
	}
	if (pg_lock_writers(s, cause) != 0)
		goto fail;
	for (pass = 0; pass < 2; pass++) {
		if ((val = pass == 0 ? read : starred) < 0)
			continue;
		p.n = 0;
		pg_text(&p, arr);
		pg_int(&p, val != 0);
		if ((res = pg_run(s, pass == 0 ?
		    "UPDATE items SET read = $2 WHERE id = ANY($1::bigint[]) "
		    "AND read != $2" :
		    "UPDATE items SET starred = $2 WHERE "
		    "id = ANY($1::bigint[]) AND starred != $2", &p, cause,
		    "store: marking items")) == NULL)
			goto fail;
		*changed += pg_changes(res);
		PQclear(res);
	}
	free(arr);
	return (pg_commit(s, cause));
fail:
	free(arr);
	pg_rollback(s);
	return (-1);
}

static int
pg_items_mark_where(struct store *store, const struct store_query *q,
    int read, int starred, size_t *changed, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p;
	PGresult		*res;
	char			 where[512], sql[1024];
	const char		*col;
	int			 pass, val;

	*changed = 0;
	if (pg_begin(s, cause) != 0)
		return (-1);
	if (pg_lock_writers(s, cause) != 0)
		goto fail;
	for (pass = 0; pass < 2; pass++) {
		if ((val = pass == 0 ? read : starred) < 0)
			continue;
		col = pass == 0 ? "read" : "starred";
		p.n = 0;
		pg_int(&p, val != 0);
		where[0] = '\0';
		pg_where(&p, q, where, sizeof(where));
		if (q->before > 0) {
			pg_int(&p, q->before);
			snprintf(where + strlen(where),
			    sizeof(where) - strlen(where), " AND i.id <= $%d",
			    p.n);
		}
		snprintf(sql, sizeof(sql), "UPDATE items i SET %s = $1 "
		    "WHERE i.%s != $1%s", col, col, where);
		if ((res = pg_run(s, sql, &p, cause,
		    "store: marking items")) == NULL)
			goto fail;
		*changed += pg_changes(res);
		PQclear(res);
	}
	return (pg_commit(s, cause));
fail:
	pg_rollback(s);
	return (-1);
}

/* --- polls --- */

/*
 * Polls are stored through libpq's pipeline mode: statements are sent
 * without waiting for each answer and read back together, so a poll's
 * writes and the next poll's reads share one round trip.  Each poll is
 * a few statements whatever its items (the document's keys and its new
 * items go as array parameters), so a batch of N polls costs about N
 * round trips to the server, where one statement per item and lookup
 * cost several per item.
 */
struct pg_pipe {
	struct pg_store	 *s;
	PGresult	**res;		/* one per message sent, in order */
	const char	**what;		/* NULL: a statement being prepared */
	size_t		  n;
	size_t		  cap;
	const char	 *pending[PG_MAX_PREPARED];	/* prepared here */
	int		  npending;
	int		  broken;	/* the connection failed under it */
};

static size_t
pg_pipe_slot(struct pg_pipe *pp, const char *what)
{
	if (pp->n == pp->cap) {
		pp->cap = pp->cap ? pp->cap * 2 : 16;
		pp->res = xreallocarray(pp->res, pp->cap, sizeof(*pp->res));
		pp->what = xreallocarray(pp->what, pp->cap,
		    sizeof(*pp->what));
	}
	pp->res[pp->n] = NULL;
	pp->what[pp->n] = what;
	return (pp->n++);
}

/*
 * Sends "sql" into the pipeline; the index of its result.  A static
 * "sql" (known by its address) is prepared on the connection the first
 * time, as pg_runp() does; "prepare" 0 sends it unnamed (SAVEPOINT).
 */
static size_t
pg_pipe_send(struct pg_pipe *pp, const char *sql, const struct pg_params *p,
    int prepare, const char *what)
{
	PGconn		*conn = pp->s->conn;
	char		 name[32];
	int		 i = -1, k, ok = 0;

	if (!pp->broken && PQpipelineStatus(conn) == PQ_PIPELINE_OFF &&
	    PQenterPipelineMode(conn) != 1)
		pp->broken = 1;
	if (prepare && !pp->broken) {
		for (i = 0; i < pp->s->nprepared && pp->s->prepared[i] != sql;
		    i++)
			continue;
		if (i == pp->s->nprepared) {
			for (k = 0; k < pp->npending &&
			    pp->pending[k] != sql; k++)
				continue;
			i = pp->s->nprepared + k;
			if (i >= PG_MAX_PREPARED)
				i = -1;
			else if (k == pp->npending) {
				snprintf(name, sizeof(name), "feedd_%d", i);
				pp->pending[pp->npending++] = sql;
				pg_pipe_slot(pp, NULL);
				if (PQsendPrepare(conn, name, sql, 0,
				    NULL) != 1)
					pp->broken = 1;
			}
		}
	}
	if (!pp->broken) {
		if (i >= 0) {
			snprintf(name, sizeof(name), "feedd_%d", i);
			ok = PQsendQueryPrepared(conn, name, p != NULL ?
			    p->n : 0, p != NULL ? p->v : NULL, NULL, NULL, 0);
		} else
			ok = PQsendQueryParams(conn, sql, p != NULL ? p->n :
			    0, NULL, p != NULL ? p->v : NULL, NULL, NULL, 0);
		if (ok != 1)
			pp->broken = 1;
	}
	return (pg_pipe_slot(pp, what));
}

static void
pg_pipe_clear(struct pg_pipe *pp)
{
	size_t	i;

	for (i = 0; i < pp->n; i++)
		PQclear(pp->res[i]);
	pp->n = 0;
	pp->npending = 0;
}

static int
pg_pipe_ok(const struct pg_pipe *pp, size_t i)
{
	ExecStatusType	st;

	if (i >= pp->n || pp->res[i] == NULL)
		return (0);
	st = PQresultStatus(pp->res[i]);
	return (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK);
}

/*
 * Ends the pipeline and reads every result: the index of the first
 * statement that failed (its message in "*cause"), pp->n if none did.
 * After an error the server skips the rest up to the sync, so those
 * come back aborted.  A connection that broke under the pipeline is
 * reset (its transaction is gone with it) and pp->broken set.
 */
static size_t
pg_pipe_flush(struct pg_pipe *pp, char **cause)
{
	struct pg_store	*s = pp->s;
	PGresult	*r;
	size_t		 i, failed = pp->n;
	int		 k = 0;

	if (pp->n == 0)
		return (0);
	if (!pp->broken && PQpipelineSync(s->conn) != 1)
		pp->broken = 1;
	for (i = 0; i < pp->n && !pp->broken; i++) {
		if ((pp->res[i] = PQgetResult(s->conn)) == NULL) {
			pp->broken = 1;
			break;
		}
		/* A statement's results end with a NULL. */
		if ((r = PQgetResult(s->conn)) != NULL) {
			PQclear(r);
			pp->broken = 1;
		}
	}
	if (!pp->broken) {
		r = PQgetResult(s->conn);
		if (PQresultStatus(r) != PGRES_PIPELINE_SYNC)
			pp->broken = 1;
		PQclear(r);
	}
	if (!pp->broken && PQexitPipelineMode(s->conn) != 1)
		pp->broken = 1;
	/* The statements prepared here that the server took. */
	for (i = 0; i < pp->n && !pp->broken; i++) {
		if (pp->what[i] != NULL)
			continue;
		if (!pg_pipe_ok(pp, i) || k >= pp->npending)
			break;
		s->prepared[s->nprepared++] = pp->pending[k++];
	}
	for (i = 0; i < pp->n; i++) {
		if (!pg_pipe_ok(pp, i)) {
			failed = i;
			pg_fail(s, cause, pp->res[i], "%s", pp->what[i] != NULL ?
			    pp->what[i] : "store: preparing a statement");
			break;
		}
	}
	if (pp->broken) {
		if (PQpipelineStatus(s->conn) != PQ_PIPELINE_OFF) {
			/* Nothing else gets it out of the pipeline. */
			PQreset(s->conn);
			if (PQstatus(s->conn) == CONNECTION_OK)
				pg_found(s);
			else
				pg_lost(s, PQerrorMessage(s->conn));
			pg_session_start(s);
		}
		if (failed == pp->n)
			failed = 0;
		if (cause != NULL && *cause == NULL &&
		    PQstatus(s->conn) == CONNECTION_BAD) {
			pg_lost(s, NULL);
			*cause = pg_down_msg(s);
		} else if (cause != NULL && *cause == NULL)
			xasprintf(cause, "store: %s: the connection failed",
			    s->name);
	}
	return (failed);
}

/* Array parameters ("{"a",NULL,"b"}"), a column of values per buffer. */
static void
pg_arr_text(struct buf *b, const char *v)
{
	const char	*c, *q;

	buf_addc(b, b->len == 0 ? '{' : ',');
	if (v == NULL) {
		buf_adds(b, "NULL");
		return;
	}
	buf_addc(b, '"');
	for (c = v; (q = strpbrk(c, "\"\\")) != NULL; c = q + 1) {
		buf_add(b, c, (size_t)(q - c));
		buf_addc(b, '\\');
		buf_addc(b, *q);
	}
	buf_adds(b, c);
	buf_addc(b, '"');
}

static void
pg_arr_int(struct buf *b, int64_t v)
{
	char	num[32];

	snprintf(num, sizeof(num), "%" PRId64, v);
	pg_arr_text(b, num);
}

/* DATE_NONE and other negatives (no episode, no season): NULL. */
static void
pg_arr_opt(struct buf *b, int64_t v, int64_t none)
{
	if (v == none || (none != DATE_NONE && v < 0))
		pg_arr_text(b, NULL);
	else
		pg_arr_int(b, v);
}

/* The array, "{}" when empty; the buffer is left empty for reuse. */
static const char *
pg_arr_end(struct buf *b)
{
	if (b->len == 0)
		buf_addc(b, '{');
	buf_addc(b, '}');
	return (b->data);
}

static void
pg_arrs_free(struct buf *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		buf_free(&v[i]);
}

/* An item's fields, as the columns ITEM_ARRS of the statements below. */
enum {
	PA_GUID, PA_TITLE, PA_LINK, PA_AUTHOR, PA_PUBLISHED, PA_UPDATED,
	PA_SUMMARY, PA_CONTENT, PA_CATS, PA_ENCS,
	PA_IMAGE, PA_EPISODE, PA_SEASON, PA_BASE, PA_NFIELDS
};
/* What the search vector is made of: text, not markup, and not all of
 * a huge content, with its words apart (pg_words()). */
static char *
pg_plain(const char *html)
{
	struct buf	b = { NULL, 0, 0 };
	char		*s;
	size_t		 n;

	if (html == NULL)
		return (NULL);
	text_html_to_text(&b, html, strlen(html));
	if (b.data == NULL)
		return (NULL);
	if (b.len > PG_TSV_MAX) {
		n = text_utf8_cut(b.data, PG_TSV_MAX);
		b.data[n] = '\0';
	}
	s = pg_words(b.data);
	buf_free(&b);
	return (s);
}

/*
 * Text as the sqlite index's tokenizer sees its words (cjk.h), for
 * to_tsvector() and to_tsquery(): the same words on both backends.
 */
static char *
pg_words(const char *text)
{
	struct buf	b = { NULL, 0, 0 };

	if (text == NULL)
		return (NULL);
	cjk_words(&b, text, strlen(text));
	return (b.data != NULL ? b.data : xstrdup(""));
}

static void
pg_arr_item(struct buf *v, const struct feed_item *it)
{
	char	*s;

	pg_arr_text(&v[PA_GUID], it->guid);
	pg_arr_text(&v[PA_TITLE], it->title);
	pg_arr_text(&v[PA_LINK], it->link);
	pg_arr_text(&v[PA_AUTHOR], it->author);
	pg_arr_opt(&v[PA_PUBLISHED], it->published, DATE_NONE);
	pg_arr_opt(&v[PA_UPDATED], it->updated, DATE_NONE);
	pg_arr_text(&v[PA_SUMMARY], it->summary);
	pg_arr_text(&v[PA_CONTENT], it->content);
	pg_arr_text(&v[PA_CATS], s = store_col_categories(it));
	free(s);
	pg_arr_text(&v[PA_ENCS], s = store_col_enclosures(it));
	free(s);
	pg_arr_text(&v[PA_IMAGE], it->image);
	pg_arr_opt(&v[PA_EPISODE], it->episode, -1);
	pg_arr_opt(&v[PA_SEASON], it->season, -1);
	pg_arr_text(&v[PA_BASE], it->base);
}

static void
pg_arr_params(struct pg_params *p, struct buf *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		pg_text(p, pg_arr_end(&v[i]));
}

/* The unnest() of the item's fields, from parameter $N on. */
#define PG_ITEM_UNNEST(a, b, c, d, e, f, g, h, i, j, k, l, m, n) \
	"$" a "::text[], $" b "::text[], $" c "::text[], $" d "::text[], " \
	"$" e "::bigint[], $" f "::bigint[], $" g "::text[], $" h "::text[], " \
	"$" i "::text[], $" j "::text[], " \
	"$" k "::text[], $" l "::bigint[], $" m "::bigint[], $" n "::text[]"
#define PG_ITEM_NAMES \
	"guid, title, link, author, published, updated, summary, content, " \
	"cats, encs, image, episode, season, base"

struct poll_ctx {
	struct pg_store			*s;
	int64_t				 feed_id;
	const struct store_poll		*p;
	struct store_poll_result	*r;
	char				**cause;
	int				 key_mode;
	struct store_feed		*feed;	/* for the router, if asked */
	int				 first;		/* STORE_FIRST_* */
	char				**canon;	/* per item */
	size_t				 rfeed;		/* its reads' results */
	size_t				 rlook;
	int				 looked;
	size_t				 wins;		/* the insert's */
	size_t				 nins;		/* items sent to it */
	size_t				 nold;		/* of them, old news */
	size_t				 wlast;		/* its RELEASE */
	struct buf			 okeys;		/* outbox: item key */
	struct buf			 onames;	/*  and notifier */
	const char			*okey;	/* the item being routed */
};

/* The router's "add": an outbox row for the item being routed, sent
 * with the items in the poll's transaction. */
static int
pg_outbox_insert(void *arg, const char *notifier)
{
	struct poll_ctx	*c = arg;

	pg_arr_text(&c->okeys, c->okey);
	pg_arr_text(&c->onames, notifier);
	return (0);
}

static const struct store_feed *
pg_route_feed(void *arg)
{
	struct poll_ctx		*c = arg;
	struct pg_params	 p = { .n = 0 };
	PGresult		*res;

	if (c->feed != NULL)
		return (c->feed);
	pg_int(&p, c->feed_id);
	/* With its old URLs: a notifier or rule may name it by one. */
	if ((res = pg_runp(c->s, "SELECT " FEED_COLS_ROUTE ", " FEED_OLD_URLS
	    " FROM feeds f WHERE f.id = $1", &p, c->cause,
	    "store: feed")) == NULL)
		return (NULL);
	if (PQntuples(res) > 0) {
		c->feed = pg_row_feed(res, 0);
		pg_row_urls(c->feed, res, 0);
	}
	PQclear(res);
	return (c->feed);
}

/*
 * Routed before the insert (the rows go with it in one statement), so
 * the router sees item_id 0; it decides by the item and its feed.
 */
static int
pg_outbox_add(struct poll_ctx *c, const char *key, const struct feed_item *it,
    int repeat)
{
	struct store		*store = &c->s->store;
	struct store_route	 rt;

	if (store->route == NULL)
		return (0);
	memset(&rt, 0, sizeof(rt));
	rt.load = pg_route_feed;
	rt.load_arg = c;
	rt.item = it;
	rt.repeat = repeat;
	rt.first = c->first;
	c->okey = key;
	return (store->route(&rt, pg_outbox_insert, c, store->route_arg));
}

/* STORE_FILTER_*: what the rules make of a new item. */
static int
pg_filter(struct poll_ctx *c, const struct feed_item *it)
{
	struct store		*store = &c->s->store;
	struct store_route	 rt;

	if (store->filter == NULL)
		return (STORE_FILTER_STORE);
	memset(&rt, 0, sizeof(rt));
	rt.load = pg_route_feed;
	rt.load_arg = c;
	rt.item = it;
	rt.first = c->first;
	return (store->filter(&rt, store->filter_arg));
}

static void
pg_feed_state(struct pg_pipe *pp, struct poll_ctx *c, int64_t last_success,
    double rate)
{
	const struct store_poll	*p = c->p;
	const struct feed_doc	*doc = p->doc;
	struct pg_params	 q = { .n = 0 };
	const char		*reason = p->next_poll_reason;
	char			*hints;
	int64_t			 next = p->next_poll;
	int			 set_validators;

	/* The new items as sent: under the feed's row lock none of them
	 * can be there already. */
	if (p->error == NULL && (doc != NULL || p->http_status == 304))
		rate = store_item_rate(rate, last_success, p->now,
		    c->nins - c->nold, p->rate_gap);
	/* Planned from the rate with this poll's items in it. */
	if (p->plan != NULL)
		p->plan(rate, &next, &reason, p->plan_arg);
	/* Validators change only with a complete 200. */
	set_validators = p->error == NULL && !p->keep_validators &&
	    p->http_status == 200;
	pg_int(&q, c->feed_id);
	pg_int(&q, p->now);
	if (p->http_status > 0)
		pg_int(&q, p->http_status);
	else
		pg_text(&q, NULL);
	pg_text(&q, p->error);
	pg_int(&q, set_validators);
	pg_text(&q, p->etag);
	pg_text(&q, p->last_modified);
	pg_date(&q, next);
	pg_text(&q, reason);
	pg_date(&q, p->retry_after);
	pg_int(&q, p->disable != 0);
	pg_text(&q, doc != NULL ? doc->title : NULL);
	pg_text(&q, doc != NULL ? doc->link : NULL);
	pg_double(&q, rate);
	pg_int(&q, c->key_mode);
	/* A whole document's hints; NULL keeps the stored ones (store.h). */
	hints = doc != NULL && !p->keep_validators ?
	    store_col_hints(&doc->hints) : NULL;
	pg_text(&q, hints);
	pg_pipe_send(pp, "UPDATE feeds SET last_poll = $2, "
	    "last_status = $3::int, "
	    "errors = CASE WHEN $4::text IS NULL THEN 0 ELSE errors + 1 END, "
	    "last_error = $4, "
	    "last_success = CASE WHEN $4::text IS NULL THEN $2 "
	    "  ELSE last_success END, "
	    "etag = CASE WHEN $5 = 1 THEN $6 ELSE etag END, "
	    "last_modified = CASE WHEN $5 = 1 THEN $7 ELSE last_modified END, "
	    "next_poll = $8, next_poll_reason = $9, retry_after = $10, "
	    "enabled = CASE WHEN $11 = 1 THEN 0 ELSE enabled END, "
	    "doc_title = COALESCE($12, doc_title), "
	    "link = COALESCE($13, link), item_rate = $14, key_mode = $15, "
	    "hints = COALESCE($16, hints), "
	    "lease_owner = NULL, lease_until = NULL WHERE id = $1", &q, 1,
	    "store: feed state");
	free(hints);
}

/* A permanent redirect: the new URL is stored, the old one kept. */
static int
pg_feed_move(struct poll_ctx *c, const char *old)
{
	struct pg_params	 p = { .n = 0 };
	PGresult		*res;
	size_t			 n;

	pg_int(&p, c->feed_id);
	pg_text(&p, c->p->moved_to);
	if ((res = pg_runp(c->s, "UPDATE feeds SET url = $2 WHERE id = $1 AND "
	    "NOT EXISTS (SELECT 1 FROM feeds WHERE url = $2)", &p, c->cause,
	    "store: moving a feed")) == NULL)
		return (-1);
	n = pg_changes(res);
	PQclear(res);
	if (n == 0) {
		log_warnx("store: feed %" PRId64 ": moved to %s, which is "
		    "already subscribed; keeping %s", c->feed_id,
		    c->p->moved_to, old);
		return (0);
	}
	p.n = 0;
	pg_int(&p, c->feed_id);
	pg_text(&p, old);
	pg_int(&p, c->p->now);
	return (pg_dop(c->s, "INSERT INTO feed_urls (feed_id, url, replaced) "
	    "VALUES ($1, $2, $3)", &p, c->cause, "store: moving a feed"));
}

/*
 * STORE_FIRST_*: how the first poll of a feed is notified, from whether
 * its URL was unsubscribed before (then it stays quiet whatever the
 * options say) and its options.
 */
static int
pg_first_poll(int again, const char *json)
{
	struct feedopt	 o;
	char		*cause = NULL;
	int		 first = STORE_FIRST_QUIET;

	if (again)
		return (STORE_FIRST_AGAIN);
	if (feedopt_from_json(json, &o, &cause) == 0) {
		if (o.notify_first_poll == 1)
			first = STORE_FIRST_NOTIFY;
		feedopt_clear(&o);
	}
	free(cause);
	return (first);
}

/*
 * A poll's reads, sent into the pipeline: its savepoint, its feed's row
 * (locked, so no other writer stores items of this feed meanwhile) and,
 * for a document, one lookup of all its keys (stored items, tombstones)
 * and links (in this feed, and the story of each across feeds).  The
 * story's "ORDER BY id + 0" keeps the planner on the link index: on
 * the primary key in id order, a link no item has yet is a scan of the
 * whole table, which it chose while the statistics were stale.
 */
static void
pg_poll_read(struct pg_pipe *pp, struct poll_ctx *c)
{
	const struct feed_doc	*doc = c->p->doc;
	struct pg_params	 p = { .n = 0 };
	struct buf		 keys = { NULL, 0, 0 }, links = { NULL, 0, 0 };
	size_t			 i;

	pg_pipe_send(pp, "SAVEPOINT poll", NULL, 0, "store: savepoint");
	pg_int(&p, c->feed_id);
	c->rfeed = pg_pipe_send(pp, "SELECT key_mode, last_success, "
	    "item_rate, url, EXISTS (SELECT 1 FROM feeds_removed r WHERE "
	    "r.url = f.url), options FROM feeds f WHERE id = $1 FOR UPDATE",
	    &p, 1, "store: saving poll");
	c->looked = 0;
	if (doc == NULL || doc->nitems == 0)
		return;
	c->canon = xcalloc(doc->nitems, sizeof(*c->canon));
	for (i = 0; i < doc->nitems; i++) {
		c->canon[i] = url_canonical(doc->items[i]->link);
		pg_arr_text(&keys, doc->items[i]->key);
		if (c->canon[i] != NULL) {
			pg_arr_text(&keys, c->canon[i]);
			pg_arr_text(&links, c->canon[i]);
		}
	}
	pg_text(&p, pg_arr_end(&keys));
	pg_text(&p, pg_arr_end(&links));
	/*
	 * The EXISTS tests are one probe each, made once: a feed with no
	 * items or no tombstones yet (every feed's first poll) skips a
	 * probe a key there.
	 */
	/*
	 * Rows: (0, key, id, hash, guid, 0, NULL) an item by key; (1, key,
	 * 0, 0, NULL, 0, NULL) a tombstone; (2, link, id, hash, key, story,
	 * title) by canonical link: this feed's oldest item with it (id 0:
	 * none) and the story of the oldest with it in another feed (0:
	 * none).
	 */
	c->rlook = pg_pipe_send(pp,
	    "SELECT 0, i.key, i.id, i.hash, i.guid, 0::bigint, NULL::text "
	    "  FROM items i WHERE i.feed_id = $1 AND "
	    "  i.key = ANY ($2::text[]) AND EXISTS "
	    "  (SELECT 1 FROM items x WHERE x.feed_id = $1) "
	    "UNION ALL SELECT 1, t.key, 0, 0, NULL, 0, NULL FROM tombstones t "
	    "  WHERE t.feed_id = $1 AND t.key = ANY ($2::text[]) AND EXISTS "
	    "  (SELECT 1 FROM tombstones y WHERE y.feed_id = $1) "
	    "UNION ALL SELECT 2, l.canon, COALESCE(m.id, 0), "
	    "  COALESCE(m.hash, 0), m.key, COALESCE((SELECT "
	    "  COALESCE(j.story, j.id) FROM items j WHERE j.canon = l.canon "
	    "  AND j.feed_id <> $1 ORDER BY j.id + 0 LIMIT 1), 0), m.title "
	    "  FROM (SELECT DISTINCT unnest($3::text[]) AS canon) l "
	    "  LEFT JOIN LATERAL (SELECT j.id, j.hash, j.key, j.title FROM "
	    "  items j WHERE j.canon = l.canon AND j.feed_id = $1 ORDER BY "
	    "  j.id LIMIT 1) m ON true",
	    &p, 1, "store: looking up items");
	c->looked = 1;
	buf_free(&keys);
	buf_free(&links);
}

/* The lookup's row of "kind" (0 item, 1 tombstone, 2 link) for "v". */
static int
pg_look(const PGresult *res, int kind, const char *v)
{
	int	r, n;

	if (v == NULL || res == NULL)
		return (-1);
	n = PQntuples(res);
	for (r = 0; r < n; r++)
		if (PQgetvalue(res, r, 0)[0] == '0' + kind &&
		    strcmp(PQgetvalue(res, r, 1), v) == 0)
			return (r);
	return (-1);
}

/* Whether this feed has an item with link "canon", stored before this
 * poll or among "n" it is adding. */
static int
pg_link_known(const PGresult *look, const char *canon,
    const char *const *adding, size_t n)
{
	size_t	i;
	int	r;

	if (canon == NULL)
		return (0);
	if ((r = pg_look(look, 2, canon)) >= 0 &&
	    pg_col_int(look, r, 2) != 0)
		return (1);
	for (i = 0; i < n; i++)
		if (adding[i] != NULL && strcmp(adding[i], canon) == 0)
			return (1);
	return (0);
}

/*
 * On a feed matched by link, the lookup's row (its id in column 2, its
 * hash in 3) of the item an item not found by its key stands for, as
 * sqlite_link_row() finds it: by a link of its own ("lkey"), this feed's
 * oldest item with it; by a shared link, the item stored under the link
 * as its key, told apart by its GUID.  -1: none.
 */
static int
pg_link_row(const PGresult *look, const struct feed_item *it,
    const char *canon, const char *lkey)
{
	int	r;

	if (canon == NULL)
		return (-1);
	if (lkey != NULL)
		return ((r = pg_look(look, 2, canon)) >= 0 &&
		    pg_col_int(look, r, 2) != 0 ? r : -1);
	if ((r = pg_look(look, 0, canon)) < 0)
		return (-1);
	if (PQgetisnull(look, r, 4) ? it->guid == NULL : it->guid != NULL &&
	    strcmp(PQgetvalue(look, r, 4), it->guid) == 0)
		return (r);
	return (-1);
}

static int
pg_adding(const char *const *v, size_t n, const char *s)
{
	size_t	i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(v[i], s) == 0)
			return (1);
	return (0);
}

/*
 * An item known as the lookup's row "r" (its id in column 2, its hash in
 * 3): unchanged, or updated in place, not announced.
 */
static void
pg_known(struct buf *upd, size_t *nupd, const PGresult *look, int r,
    const struct feed_item *it, struct poll_ctx *c)
{
	int64_t	hash = dedup_hash(it);

	if (hash == pg_col_int(look, r, 3)) {
		c->r->nknown++;
		return;
	}
	pg_arr_int(&upd[PA_NFIELDS], pg_col_int(look, r, 2));
	pg_arr_int(&upd[PA_NFIELDS + 1], hash);
	pg_arr_item(upd, it);
	(*nupd)++;
}

/*
 * On a feed matched by GUID, the lookup's row of the stored item an item
 * keyed by its link stands for when that link only changed its scheme
 * or tracking parameters (dedup_link_moved()); -1: none.
 */
static int
pg_link_moved(const PGresult *look, const struct feed_item *it,
    const char *lkey, const char *const *dockeys, size_t n)
{
	int	r;

	if ((r = pg_look(look, 2, lkey)) < 0 || pg_col_int(look, r, 2) == 0)
		return (-1);
	if (!dedup_link_moved(it, lkey, PQgetvalue(look, r, 4),
	    PQgetisnull(look, r, 6) ? NULL : PQgetvalue(look, r, 6), dockeys,
	    n))
		return (-1);
	return (r);
}

/* Item columns of an insert: */
enum {
	PI_KEY = PA_NFIELDS, PI_HASH, PI_CANON, PI_STORY, PI_REPEAT, PI_READ,
	PI_N
};

/*
 * The poll's writes, from its reads' answers: the items of its document
 * as the sqlite backend takes them (known ones updated when they
 * changed, tombstoned ones left out, new ones held back until the
 * GUID-storm check has seen how many there are), its outbox rows and
 * its feed's state; then RELEASE.  Nothing is sent when it fails.
 */
static int
pg_poll_write(struct pg_pipe *pp, struct poll_ctx *c, const struct pg_pipe *rd)
{
	const struct store_poll	 *p = c->p;
	const struct feed_doc	 *doc = p->doc;
	const struct feed_item	 *it;
	const PGresult		 *feed, *look = NULL;
	struct pg_params	  q = { .n = 0 };
	struct buf		  ins[PI_N], upd[PA_NFIELDS + 2];
	struct buf		  touch = { NULL, 0, 0 };
	const char		**keys = NULL, **links = NULL, **lkeys = NULL;
	const char		**dockeys = NULL;
	struct buf		  rekey[2];
	const char		 *key;
	int64_t			  last_success, story;
	size_t			 *fresh = NULL, nfresh = 0, nkeys = 0, nupd = 0;
	size_t			  known_by_link = 0, nitems, i, k;
	double			  rate;
	int			  r, verdict, repeat, rc = -1, read;
	unsigned char		 *skip = NULL;	/* a repeated key's copies */
	char			 *url;

	memset(ins, 0, sizeof(ins));
	memset(upd, 0, sizeof(upd));
	memset(rekey, 0, sizeof(rekey));
	feed = rd->res[c->rfeed];
	if (PQntuples(feed) == 0) {
		xasprintf(c->cause, "no feed %" PRId64, c->feed_id);
		return (-1);
	}
	c->key_mode = (int)pg_col_int(feed, 0, 0);
	last_success = pg_col_date(feed, 0, 1);
	rate = PQgetisnull(feed, 0, 2) ? -1 : strtod(PQgetvalue(feed, 0, 2),
	    NULL);
	c->nold = 0;
	url = PQgetvalue(feed, 0, 3);
	if (c->looked)
		look = rd->res[c->rlook];
	nitems = doc != NULL ? doc->nitems : 0;
	if (doc != NULL && last_success == DATE_NONE)
		c->first = pg_first_poll(strcmp(PQgetvalue(feed, 0, 4),
		    "t") == 0, PQgetisnull(feed, 0, 5) ? NULL :
		    PQgetvalue(feed, 0, 5));
	if (nitems > 0) {
		fresh = xcalloc(nitems, sizeof(*fresh));
		keys = xcalloc(nitems, sizeof(*keys));
		links = xcalloc(nitems, sizeof(*links));
	}
	if (nitems > 0) {
		skip = xmalloc(nitems);
		lkeys = dedup_link_keys(c->canon, nitems);
		dedup_repeats(doc->items, nitems, lkeys, c->key_mode, skip);
	}
	for (i = 0; i < nitems; i++) {
		it = doc->items[i];
		if (skip[i]) {
			c->r->nknown++;		/* another copy stands for it */
			continue;
		}
		key = dedup_key(it, lkeys[i], c->key_mode);
		r = pg_look(look, 0, key);
		if (r < 0 && c->key_mode == STORE_KEYS_LINK)
			r = pg_link_row(look, it, c->canon[i], lkeys[i]);
		if (r < 0 && c->key_mode == STORE_KEYS_GUID &&
		    lkeys[i] != NULL && key == it->key) {
			if (dockeys == NULL)
				dockeys = dedup_doc_keys(doc->items, nitems);
			if ((r = pg_link_moved(look, it, lkeys[i], dockeys,
			    nitems)) >= 0) {
				/* Its key follows the link. */
				pg_arr_int(&rekey[0], pg_col_int(look, r, 2));
				pg_arr_text(&rekey[1], key);
			}
		}
		if (r >= 0) {
			pg_known(upd, &nupd, look, r, it, c);
			continue;
		}
		if (pg_look(look, 1, key) >= 0) {
			/* Removed by retention: the feed still has it. */
			pg_arr_text(&touch, key);
			c->r->nknown++;
			continue;
		}
		fresh[nfresh++] = i;
	}
	if (c->key_mode == STORE_KEYS_GUID && nfresh >= DEDUP_STORM_MIN &&
	    nfresh * 2 > nitems) {
		for (k = 0; k < nfresh; k++)
			known_by_link += (size_t)pg_link_known(look,
			    lkeys[fresh[k]], NULL, 0);
		if (dedup_is_storm(nitems, nfresh, known_by_link)) {
			log_warnx("store: feed %" PRId64 ": %zu of %zu items "
			    "came back with new GUIDs; matching this feed's "
			    "items by link from now on", c->feed_id,
			    known_by_link, nitems);
			c->key_mode = STORE_KEYS_LINK;
			c->r->storm = 1;
		}
	}
	dedup_order(doc != NULL ? doc->items : NULL, fresh, nfresh);
	for (k = 0; k < nfresh; k++) {
		i = fresh[k];
		it = doc->items[i];
		if (c->key_mode == STORE_KEYS_LINK && c->r->storm) {
			/* The old items, under their new GUIDs. */
			if ((r = pg_link_row(look, it, c->canon[i],
			    lkeys[i])) >= 0) {
				pg_known(upd, &nupd, look, r, it, c);
				continue;
			}
			if (pg_link_known(look, lkeys[i], links, nkeys)) {
				c->r->nknown++;
				continue;
			}
		}
		verdict = pg_filter(c, it);
		if (verdict == STORE_FILTER_DROP) {
			c->r->ndropped++;
			continue;
		}
		if (verdict == STORE_FILTER_DROPPED) {
			c->r->nknown++;		/* news the last time */
			continue;
		}
		key = dedup_key(it, lkeys[i], c->key_mode);
		if (pg_adding(keys, nkeys, key)) {
			/* The same key twice in one document: the first
			 * one won. */
			c->r->nknown++;
			continue;
		}
		/* Its story: the first item with its link in another
		 * feed. */
		repeat = 0;
		story = 0;
		if (c->canon[i] != NULL &&
		    (r = pg_look(look, 2, c->canon[i])) >= 0 &&
		    (story = pg_col_int(look, r, 5)) != 0)
			repeat = 1;
		if (story != 0)
			pg_arr_int(&ins[PI_STORY], story);
		else
			pg_arr_text(&ins[PI_STORY], NULL);
		read = verdict == STORE_FILTER_READ;
		pg_arr_text(&ins[PI_KEY], key);
		pg_arr_int(&ins[PI_HASH], dedup_hash(it));
		pg_arr_text(&ins[PI_CANON], c->canon[i]);
		pg_arr_int(&ins[PI_REPEAT], repeat);
		pg_arr_int(&ins[PI_READ], read);
		pg_arr_item(ins, it);
		keys[nkeys] = key;
		links[nkeys++] = c->canon[i];
		c->nold += store_item_old_news(it, last_success);
		/* A rule's mark_read: stored read, for no notifier. */
		if (!read && pg_outbox_add(c, key, it, repeat) != 0)
			goto done;
	}
	if (p->moved_to != NULL && p->error == NULL &&
	    strcmp(p->moved_to, url) != 0 && pg_feed_move(c, url) != 0)
		goto done;

	if (rekey[0].len > 0) {
		q.n = 0;
		pg_arr_params(&q, rekey, 2);
		pg_pipe_send(pp, "UPDATE items i SET key = u.key FROM "
		    "unnest($1::bigint[], $2::text[]) AS u(id, key) "
		    "WHERE i.id = u.id", &q, 1, "store: updating items");
	}
	if (nupd > 0) {
		c->r->nupdated += nupd;
		q.n = 0;
		pg_arr_params(&q, upd, PA_NFIELDS + 2);
		pg_pipe_send(pp, "WITH upd AS (UPDATE items i SET "
		    "hash = u.hash, "
		    "guid = u.guid, title = u.title, link = u.link, "
		    "author = u.author, published = u.published, "
		    "updated = u.updated, summary = u.summary, "
		    "content = u.content, categories = u.cats, "
		    "enclosures = u.encs, image = u.image, "
		    "episode = u.episode, season = u.season, base = u.base "
		    "FROM unnest("
		    PG_ITEM_UNNEST("1", "2", "3", "4", "5", "6", "7", "8", "9",
		    "10", "11", "12", "13", "14") ", $15::bigint[], "
		    "$16::bigint[]) AS u(" PG_ITEM_NAMES ", id, hash) "
		    "WHERE i.id = u.id RETURNING i.id) INSERT INTO search_todo "
		    "SELECT id FROM upd ON CONFLICT DO NOTHING", &q, 1,
		    "store: updating items");
	}
	if (touch.len > 0) {
		q.n = 0;
		pg_int(&q, c->feed_id);
		pg_text(&q, pg_arr_end(&touch));
		pg_int(&q, p->now);
		pg_pipe_send(pp, "UPDATE tombstones SET last_seen = $3 WHERE "
		    "feed_id = $1 AND key = ANY ($2::text[])", &q, 1,
		    "store: tombstones");
	}
	c->nins = nkeys;
	if (nkeys > 0) {
		/*
		 * The new items in document order (so their ids are), the
		 * outbox rows of each, and the feed's counts, in one
		 * statement.
		 */
		q.n = 0;
		pg_int(&q, c->feed_id);
		pg_int(&q, p->now);
		pg_arr_params(&q, ins, PI_N);
		pg_text(&q, pg_arr_end(&c->okeys));
		pg_text(&q, pg_arr_end(&c->onames));
		c->wins = pg_pipe_send(pp, "WITH ins AS (INSERT INTO items "
		    "(feed_id, key, hash, canon, story, repeat, fetched, guid, "
		    "title, link, author, published, updated, summary, "
		    "content, categories, enclosures, image, episode, "
		    "season, base, read) SELECT $1, u.key, u.hash, u.canon, "
		    "u.story, u.repeat, $2, u.guid, u.title, u.link, u.author, "
		    "u.published, u.updated, u.summary, u.content, u.cats, "
		    "u.encs, u.image, u.episode, u.season, "
		    "u.base, u.read FROM unnest(" PG_ITEM_UNNEST("3", "4", "5",
		    "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16")
		    ", $17::text[], $18::bigint[], $19::text[], "
		    "$20::bigint[], $21::int[], $22::int[]) WITH ORDINALITY "
		    "AS u(" PG_ITEM_NAMES ", key, hash, canon, story, repeat, "
		    "read, ord) ORDER BY u.ord "
		    "ON CONFLICT (feed_id, key) DO NOTHING "
		    "RETURNING id, key, read), "
		    "ob AS (INSERT INTO outbox (notifier, item_id, next_attempt) "
		    "SELECT o.notifier, ins.id, $2 FROM unnest($23::text[], "
		    "$24::text[]) WITH ORDINALITY AS o(key, notifier, ord) "
		    "JOIN ins ON ins.key = o.key ORDER BY ins.id, o.ord "
		    "ON CONFLICT DO NOTHING), "
		    "cnt AS (UPDATE feed_counts SET "
		    "items = items + (SELECT count(*) FROM ins), "
		    "unread = unread + (SELECT count(*) FROM ins WHERE "
		    "read = 0) WHERE feed_id = $1), "
		    "todo AS (INSERT INTO search_todo SELECT id FROM ins) "
		    "SELECT id FROM ins ORDER BY id", &q, 1,
		    "store: adding items");
	}
	pg_feed_state(pp, c, last_success, rate);
	/* The feed still carries what it carried: its tombstones stay. */
	if (p->error == NULL && p->http_status == 304) {
		q.n = 0;
		pg_int(&q, c->feed_id);
		pg_int(&q, p->now);
		pg_pipe_send(pp, "UPDATE tombstones SET last_seen = $2 WHERE "
		    "feed_id = $1", &q, 1, "store: tombstones");
	}
	c->wlast = pg_pipe_send(pp, "RELEASE SAVEPOINT poll", NULL, 0,
	    "store: release");
	rc = 0;
done:
	pg_arrs_free(ins, PI_N);
	pg_arrs_free(upd, PA_NFIELDS + 2);
	pg_arrs_free(rekey, 2);
	buf_free(&touch);
	free(fresh);
	free(skip);
	free(lkeys);
	free(dockeys);
	free(keys);
	free(links);
	return (rc);
}

/* The new ids from the insert's answer. */
static void
pg_poll_ids(struct pg_pipe *pp, struct poll_ctx *c)
{
	const PGresult	*res;
	int		 r, n;

	if (c->nins == 0)
		return;
	res = pp->res[c->wins];
	n = PQntuples(res);
	c->r->ids = xreallocarray(NULL, n > 0 ? (size_t)n : 1,
	    sizeof(*c->r->ids));
	for (r = 0; r < n; r++)
		c->r->ids[c->r->nids++] = pg_col_int(res, r, 0);
	/* A key another writer stored first: known, not new. */
	c->r->nknown += c->nins - (size_t)n;
}

static void
pg_poll_clear(struct poll_ctx *c)
{
	size_t	i;

	if (c->canon != NULL)
		for (i = 0; i < c->p->doc->nitems; i++)
			free(c->canon[i]);
	free(c->canon);
	c->canon = NULL;
	buf_free(&c->okeys);
	buf_free(&c->onames);
	store_feed_free(c->feed);
	c->feed = NULL;
}

/* Poll "i" failed: its savepoint undone; its cause and result set. */
static int
pg_poll_undo(struct pg_store *s, struct store_poll_result *res, char **causes,
    size_t i, const char *why, char **cause)
{
	store_poll_result_clear(&res[i]);
	if (causes[i] == NULL)
		xasprintf(&causes[i], "%s", why != NULL ? why :
		    "store: saving poll");
	return (pg_do(s, "ROLLBACK TO SAVEPOINT poll", NULL, cause,
	    "store: rollback") != 0 || pg_do(s, "RELEASE SAVEPOINT poll",
	    NULL, cause, "store: release") != 0 ? -1 : 0);
}

/* The columns of pg_apply_simple()'s arrays. */
enum {
	PS_ID, PS_NOW, PS_STATUS, PS_ERROR, PS_SETV, PS_ETAG, PS_LM, PS_NEXT,
	PS_REASON, PS_RETRY, PS_DISABLE, PS_RATE, PS_N
};

/*
 * The polls of a batch without a document or a move (a 304, an error)
 * change only their feed's row and touch its tombstones: all of them in
 * one statement, the server reckoning each item rate from the row as
 * store_item_rate() does with no new item.  Their next polls are the
 * ones given: the poller planned them from that rate already, no new
 * item being possible (poller_plan()).  In a savepoint: if it fails,
 * they are left (done[i] 0) to the per-poll path and its savepoints.
 * -1 only when the transaction is lost.
 */
static int
pg_apply_simple(struct pg_store *s, size_t n, struct poll_ctx *c, int *done,
    char **cause)
{
	const struct store_poll	*p;
	struct pg_pipe		 pp;
	struct pg_params	 q = { .n = 0 };
	struct buf		 v[PS_N], tomb = { NULL, 0, 0 };
	struct buf		 tnow = { NULL, 0, 0 };
	PGresult		*res;
	char			*why = NULL;
	size_t			 i, k, nsimple = 0, failed, upd;
	int			 r, rows, rc = 0;

	memset(v, 0, sizeof(v));
	for (i = 0; i < n; i++) {
		p = c[i].p;
		if (p->doc != NULL || p->moved_to != NULL)
			continue;
		/* A feed twice in one batch: its polls go in order. */
		for (k = 0; k < n; k++)
			if (k != i && c[k].feed_id == c[i].feed_id)
				break;
		if (k < n)
			continue;
		done[i] = 1;
		nsimple++;
		pg_arr_int(&v[PS_ID], c[i].feed_id);
		pg_arr_int(&v[PS_NOW], p->now);
		pg_arr_opt(&v[PS_STATUS], p->http_status, 0);
		pg_arr_text(&v[PS_ERROR], p->error);
		pg_arr_int(&v[PS_SETV], p->error == NULL &&
		    !p->keep_validators && p->http_status == 200);
		pg_arr_text(&v[PS_ETAG], p->etag);
		pg_arr_text(&v[PS_LM], p->last_modified);
		pg_arr_opt(&v[PS_NEXT], p->next_poll, DATE_NONE);
		pg_arr_text(&v[PS_REASON], p->next_poll_reason);
		pg_arr_opt(&v[PS_RETRY], p->retry_after, DATE_NONE);
		pg_arr_int(&v[PS_DISABLE], p->disable != 0);
		pg_arr_int(&v[PS_RATE], p->error == NULL &&
		    p->http_status == 304);
		/* The feed still carries what it carried. */
		if (p->error == NULL && p->http_status == 304) {
			pg_arr_int(&tomb, c[i].feed_id);
			pg_arr_int(&tnow, p->now);
		}
	}
	if (nsimple == 0)
		return (0);
	memset(&pp, 0, sizeof(pp));
	pp.s = s;
	pg_pipe_send(&pp, "SAVEPOINT simple", NULL, 0, "store: savepoint");
	pg_arr_params(&q, v, PS_N);
	upd = pg_pipe_send(&pp, "UPDATE feeds f SET last_poll = u.now, "
	    "last_status = u.status, "
	    "errors = CASE WHEN u.error IS NULL THEN 0 ELSE f.errors + 1 END, "
	    "last_error = u.error, "
	    "last_success = CASE WHEN u.error IS NULL THEN u.now "
	    "  ELSE f.last_success END, "
	    "etag = CASE WHEN u.setv = 1 THEN u.etag ELSE f.etag END, "
	    "last_modified = CASE WHEN u.setv = 1 THEN u.lm "
	    "  ELSE f.last_modified END, "
	    "next_poll = u.next, next_poll_reason = u.reason, "
	    "retry_after = u.retry, "
	    "enabled = CASE WHEN u.dis = 1 THEN 0 ELSE f.enabled END, "
	    "item_rate = CASE WHEN u.rate = 1 AND f.last_success IS NOT NULL "
	    "  AND u.now > f.last_success AND f.item_rate IS NOT NULL THEN "
	    "  CASE WHEN 0.7 * f.item_rate < 1e-3 THEN 0 "
	    "  ELSE 0.7 * f.item_rate END ELSE f.item_rate END, "
	    "lease_owner = NULL, lease_until = NULL "
	    "FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::text[], "
	    "$5::int[], $6::text[], $7::text[], $8::bigint[], $9::text[], "
	    "$10::bigint[], $11::int[], $12::int[]) AS u(id, now, status, "
	    "error, setv, etag, lm, next, reason, retry, dis, rate) "
	    "WHERE f.id = u.id RETURNING f.id", &q, 1, "store: feed state");
	if (tomb.len > 0) {
		q.n = 0;
		pg_text(&q, pg_arr_end(&tomb));
		pg_text(&q, pg_arr_end(&tnow));
		pg_pipe_send(&pp, "UPDATE tombstones t SET last_seen = u.now "
		    "FROM unnest($1::bigint[], $2::bigint[]) AS u(id, now) "
		    "WHERE t.feed_id = u.id", &q, 1, "store: tombstones");
	}
	pg_pipe_send(&pp, "RELEASE SAVEPOINT simple", NULL, 0,
	    "store: release");
	failed = pg_pipe_flush(&pp, &why);
	if (pp.broken || failed == 0) {
		/* Its SAVEPOINT: the transaction is gone. */
		*cause = why;
		why = NULL;
		rc = -1;
	} else if (failed < pp.n) {
		/* Left to the per-poll path, which says which failed. */
		for (i = 0; i < n; i++)
			done[i] = 0;
		if (pg_do(s, "ROLLBACK TO SAVEPOINT simple", NULL, cause,
		    "store: rollback") != 0 || pg_do(s, "RELEASE SAVEPOINT "
		    "simple", NULL, cause, "store: release") != 0)
			rc = -1;
	} else {
		res = pp.res[upd];
		rows = PQntuples(res);
		for (i = 0; i < n; i++) {
			if (!done[i])
				continue;
			for (r = 0; r < rows; r++)
				if (pg_col_int(res, r, 0) == c[i].feed_id)
					break;
			if (r == rows)
				xasprintf(c[i].cause, "no feed %" PRId64,
				    c[i].feed_id);
		}
	}
	free(why);
	pg_pipe_clear(&pp);
	free(pp.res);
	free(pp.what);
	pg_arrs_free(v, PS_N);
	buf_free(&tomb);
	buf_free(&tnow);
	return (rc);
}

/*
 * How many other nodes hold their node lock now, counted at most every
 * PG_PEERS_EVERY seconds, outside a transaction: a failed count keeps
 * the last one.
 */
static void
pg_peers(struct pg_store *s)
{
	struct pg_params	 p = { .n = 0 };
	PGresult		*res;
	char			*cause = NULL;
	time_t			 now = time(NULL);

	if (s->tx || now - s->peers_at < PG_PEERS_EVERY)
		return;
	s->peers_at = now;
	pg_text(&p, s->owner);
	if ((res = pg_run(s, "WITH " PG_LIVE_OWNERS " SELECT count(DISTINCT "
	    "objid) FILTER (WHERE objid != hashtext($1)::oid) FROM live",
	    &p, &cause, "store: counting nodes")) == NULL) {
		free(cause);
		return;
	}
	s->peers = (int)pg_col_int(res, 0, 0);
	PQclear(res);
}

/*
 * The host slots these polls free, for the other nodes (when there are
 * any): one waiting on a host at max_per_host hears of them at commit,
 * rather than looking again after PG_HOST_RECHECK.  The payload: "H",
 * each host's key and slots, and this node (pg_listen_hosts()).
 */
static int
pg_hosts_freed(struct pg_store *s, size_t n, const int64_t *feed_ids,
    char **cause)
{
	struct pg_params	 p = { .n = 0 };
	struct buf		 ids = { NULL, 0, 0 };
	size_t			 i;
	int			 rc;

	for (i = 0; i < n; i++)
		pg_arr_int(&ids, feed_ids[i]);
	pg_text(&p, pg_arr_end(&ids));
	pg_text(&p, pg_self());
	rc = pg_do(s, "SELECT pg_notify('" PG_CHANNEL "', 'H' || CASE WHEN "
	    "length(x.s) > 7000 THEN '*' ELSE x.s END || ' ' || $2) FROM "
	    "(SELECT string_agg(g.h::text || ':' || g.c::text, ',') AS s "
	    "FROM (SELECT hashtext(f.host) AS h, count(*) AS c FROM "
	    "unnest($1::bigint[]) AS r(id) JOIN feeds f ON f.id = r.id "
	    "WHERE f.host IS NOT NULL GROUP BY 1) g) x WHERE x.s IS NOT NULL",
	    &p, cause, "store: saving polls");
	buf_free(&ids);
	return (rc);
}

/*
 * Several polls in one transaction, each in its own savepoint, so each
 * is still all or nothing and one failing leaves the others.  The
 * max_id row is locked first: ids are handed out and committed in one
 * order across every writer of the database.  Poll i's writes and poll
 * i+1's reads go in one round trip, in that order, so a poll sees the
 * items of the polls before it (stories across feeds).
 */
static int
pg_apply_polls(struct store *store, size_t n, const int64_t *feed_ids,
    const struct store_poll *const *polls, struct store_poll_result *res,
    char **causes)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_pipe		 pp;
	struct pg_params	 p = { .n = 0 };
	struct poll_ctx		*c;
	char			*cause = NULL, *why, payload[160];
	int64_t			 max = 0;
	size_t			 i, k, w, failed, rfirst, *rest, m, ri;
	int			 writing, *done;

	memset(&pp, 0, sizeof(pp));
	pp.s = s;
	c = xcalloc(n > 0 ? n : 1, sizeof(*c));
	done = xcalloc(n > 0 ? n : 1, sizeof(*done));
	rest = xcalloc(n > 0 ? n : 1, sizeof(*rest));
	for (i = 0; i < n; i++) {
		c[i].s = s;
		c[i].feed_id = feed_ids[i];
		c[i].p = polls[i];
		c[i].r = &res[i];
		c[i].cause = &causes[i];
	}
	pg_peers(s);
	if (pg_begin(s, &cause) != 0)
		goto fail_all;
	if (pg_lock_writers(s, &cause) != 0)
		goto fail_all;
	if (pg_apply_simple(s, n, c, done, &cause) != 0)
		goto fail_all;
	for (m = 0, i = 0; i < n; i++)
		if (!done[i])
			rest[m++] = i;
	ri = 0;
	writing = 0;
	w = 0;
	while (ri < m || writing) {
		/* Poll w's writes (if any) then poll i's reads. */
		i = ri < m ? rest[ri] : n;
		rfirst = pp.n;
		if (ri < m)
			pg_poll_read(&pp, &c[i]);
		why = NULL;
		failed = pg_pipe_flush(&pp, &why);
		if (pp.broken) {
			cause = why;
			goto fail_all;
		}
		if (writing && failed <= c[w].wlast) {
			/* Poll w failed: undone, and poll i read again. */
			if (pg_poll_undo(s, res, causes, w, why, &cause) != 0)
				goto fail_all;
			free(why);
			pg_poll_clear(&c[w]);
			pg_pipe_clear(&pp);
			writing = 0;
			if (ri < m)
				pg_poll_clear(&c[i]);
			continue;
		}
		if (writing) {
			pg_poll_ids(&pp, &c[w]);
			for (k = 0; k < res[w].nids; k++)
				if (res[w].ids[k] > max)
					max = res[w].ids[k];
			pg_poll_clear(&c[w]);
			writing = 0;
		}
		if (ri == m) {
			free(why);
			break;
		}
		if (failed == rfirst) {
			/* Its SAVEPOINT: the transaction is gone. */
			cause = why;
			goto fail_all;
		}
		if (failed < pp.n) {
			if (pg_poll_undo(s, res, causes, i, why, &cause) != 0)
				goto fail_all;
			free(why);
			pg_poll_clear(&c[i]);
			pg_pipe_clear(&pp);
			ri++;
			continue;
		}
		free(why);
		/* Poll i's writes, from a pipeline of its reads' answers. */
		{
			struct pg_pipe	rd = pp;

			memset(&pp, 0, sizeof(pp));
			pp.s = s;
			if (pg_poll_write(&pp, &c[i], &rd) != 0) {
				pg_pipe_clear(&pp);
				pg_pipe_clear(&rd);
				free(rd.res);
				free(rd.what);
				if (pg_poll_undo(s, res, causes, i, NULL,
				    &cause) != 0)
					goto fail_all;
				pg_poll_clear(&c[i]);
				ri++;
				continue;
			}
			pg_pipe_clear(&rd);
			free(rd.res);
			free(rd.what);
		}
		w = i;
		ri++;
		writing = 1;
	}
	pg_pipe_clear(&pp);
	if (max > 0) {
		/*
		 * The other nodes' watchers hear of the new items with the
		 * same statement: NOTIFY is delivered at commit, so no node
		 * reads of ids that are not committed, and not at all if
		 * this rolls back.  The payload: the newest id, and who
		 * sent it, so a node passes over its own (it announces
		 * them itself).
		 */
		pg_int(&p, max);
		snprintf(payload, sizeof(payload), "%" PRId64 " %s", max,
		    pg_self());
		pg_text(&p, payload);
		if (pg_do(s, "WITH m AS (UPDATE feedd_meta SET value = "
		    "GREATEST(value, $1) WHERE name = 'max_id' RETURNING value) "
		    "SELECT pg_notify('" PG_CHANNEL "', $2) FROM m", &p, &cause,
		    "store: saving polls") != 0)
			goto fail_all;
	}
	if (s->peers > 0 && n > 0 && pg_hosts_freed(s, n, feed_ids,
	    &cause) != 0)
		goto fail_all;
	if (pg_commit(s, &cause) != 0)
		goto fail_all;
	free(pp.res);
	free(pp.what);
	free(c);
	free(done);
	free(rest);
	return (0);
fail_all:
	pg_pipe_clear(&pp);
	free(pp.res);
	free(pp.what);
	pg_rollback(s);
	for (i = 0; i < n; i++) {
		pg_poll_clear(&c[i]);
		store_poll_result_clear(&res[i]);
		free(causes[i]);
		causes[i] = xstrdup(cause != NULL ? cause : "store: failed");
	}
	free(cause);
	free(c);
	free(done);
	free(rest);
	return (-1);
}

/* --- consumers --- */

static int
pg_max_id(struct pg_store *s, int64_t *max, char **cause)
{
	PGresult	*res;

	if ((res = pg_run(s, "SELECT value FROM feedd_meta WHERE "
	    "name = 'max_id'", NULL, cause, "store: newest item")) == NULL)
		return (-1);
	*max = PQntuples(res) > 0 ? pg_col_int(res, 0, 0) : 0;
	PQclear(res);
	return (0);
}

/*
 * As the sqlite backend: a plain fetch reads; making a consumer (or
 * giving one of before filters its first) happens in a transaction that
 * locks the consumer's row or, for a new one, inserts it once.
 */
static int
pg_consumer_fetch(struct store *store, const struct store_consumer *c,
    struct store_item **v, size_t *n, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	struct store_query	 q;
	PGresult		*res;
	char			*tag = NULL, *what = NULL, *feed = NULL;
	int			 found, set = 0, locked = 0, used;

	*v = NULL;
	*n = 0;
	for (;;) {
		memset(&q, 0, sizeof(q));
		q.limit = c->limit;
		free(tag);
		free(feed);
		tag = feed = NULL;
		p.n = 0;
		pg_text(&p, c->name);
		if ((res = pg_run(s, locked ? "SELECT c.cursor, "
		    STORE_SQL_CONSUMER_FEED ", c.tag, c.filters_set, "
		    "COALESCE(c.feed_url, c.feed_id::text) FROM consumers c "
		    "WHERE c.name = $1 FOR UPDATE" : "SELECT c.cursor, "
		    STORE_SQL_CONSUMER_FEED ", c.tag, c.filters_set, "
		    "COALESCE(c.feed_url, c.feed_id::text) FROM consumers c "
		    "WHERE c.name = $1", &p, cause, "store: consumer")) == NULL)
			goto fail;
		if ((found = PQntuples(res) > 0)) {
			q.since = pg_col_int(res, 0, 0);
			q.feed_id = PQgetisnull(res, 0, 1) ? 0 :
			    pg_col_int(res, 0, 1);
			tag = pg_col_text(res, 0, 2);
			set = (int)pg_col_int(res, 0, 3);
			feed = pg_col_text(res, 0, 4);
		}
		PQclear(res);
		if (found && (set || (c->feed_id == 0 && c->tag == NULL)))
			break;
		if (locked) {
			/* A misspelt tag would take nothing, for good. */
			if (c->tag != NULL) {
				p.n = 0;
				pg_text(&p, c->tag);
				if ((res = pg_run(s, "SELECT 1 FROM feed_tags "
				    "WHERE tag = $1 LIMIT 1", &p, cause,
				    "store: consumer")) == NULL)
					goto fail;
				used = PQntuples(res) > 0;
				PQclear(res);
				if (!used) {
					xasprintf(cause, "no feed has tag "
					    "\"%s\"", c->tag);
					goto fail;
				}
			}
			if (!found && pg_max_id(s, &q.since, cause) != 0)
				goto fail;
			if (!found && c->from_start)
				q.since = 0;
			q.feed_id = c->feed_id;
			free(tag);
			tag = c->tag != NULL ? xstrdup(c->tag) : NULL;
			p.n = 0;
			pg_text(&p, c->name);
			if (q.feed_id > 0)
				pg_int(&p, q.feed_id);
			else
				pg_text(&p, NULL);
			pg_text(&p, tag);
			pg_int(&p, q.since);
			pg_int(&p, (int64_t)time(NULL));
			pg_text(&p, q.feed_id > 0 ? c->feed_url : NULL);
			/* Two first fetches at once: the row is made once. */
			if (pg_do(s, "INSERT INTO consumers (name, feed_id, tag, "
			    "cursor, updated, filters_set, feed_url) VALUES "
			    "($1, $2, $3, $4, $5, 1, $6) ON CONFLICT (name) DO "
			    "UPDATE SET feed_id = excluded.feed_id, "
			    "tag = excluded.tag, feed_url = excluded.feed_url, "
			    "filters_set = 1", &p, cause,
			    "store: consumer") != 0)
				goto fail;
			free(feed);
			feed = NULL;
			set = 0;
			break;
		}
		if (pg_begin(s, cause) != 0)
			goto fail;
		locked = 1;
	}
	if (set && feed != NULL && q.feed_id == 0) {
		xasprintf(cause, "consumer %s takes feed %s, which is not "
		    "subscribed now (subscribe it again, or use another "
		    "name)", c->name, feed);
		goto fail;
	}
	if (set && ((c->feed_id > 0 && c->feed_id != q.feed_id) ||
	    (c->tag != NULL && (tag == NULL || strcmp(c->tag, tag) != 0)))) {
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
		goto fail;
	}
	q.tag = tag;
	if (pg_items_list(store, &q, v, n, cause) != 0)
		goto fail;
	free(tag);
	free(feed);
	if (locked && pg_commit(s, cause) != 0) {
		store_items_free(*v, *n);
		*v = NULL;
		*n = 0;
		return (-1);
	}
	return (0);
fail:
	if (locked)
		pg_rollback(s);
	free(tag);
	free(feed);
	return (-1);
}

/*
 * Moves the cursor forward, never back, and never past stored items; a
 * consumer is made by its first fetch, never here (as sqlite's).
 */
static int
pg_consumer_ack(struct store *store, const char *name, int64_t id,
    int64_t *cursor, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	PGresult		*res;
	int64_t			 max;

	if (pg_max_id(s, &max, cause) != 0)
		return (-1);
	if (id < 0 || id > max) {
		xasprintf(cause, "item %" PRId64 " is not stored (the newest "
		    "is %" PRId64 ")", id, max);
		return (-1);
	}
	pg_text(&p, name);
	pg_int(&p, id);
	pg_int(&p, (int64_t)time(NULL));
	if ((res = pg_run(s, "UPDATE consumers SET cursor = GREATEST(cursor, "
	    "$2), updated = $3 WHERE name = $1 RETURNING cursor", &p, cause,
	    "store: consumer ack")) == NULL)
		return (-1);
	if (PQntuples(res) == 0) {
		PQclear(res);
		xasprintf(cause, "no consumer %s (a consumer is made by its "
		    "first fetch)", name);
		return (-1);
	}
	*cursor = pg_col_int(res, 0, 0);
	PQclear(res);
	return (0);
}

/* As sqlite's: every consumer, by name, with what it has still to ack. */
static int
pg_consumers_list(struct store *store, struct store_consumer_info **v,
    size_t *n, char **cause)
{
	struct pg_store			*s = (struct pg_store *)store;
	struct store_consumer_info	*ci;
	PGresult			*res;
	int				 r;

	*v = NULL;
	*n = 0;
	if ((res = pg_run(s, "SELECT c.name, c.cursor, c.updated, "
	    "COALESCE(c.feed_url, c.feed_id::text), " STORE_SQL_CONSUMER_FEED ", "
	    "c.tag, (SELECT count(*) FROM items i WHERE i.id > c.cursor AND "
	    "(c.tag IS NULL OR i.feed_id IN (SELECT feed_id FROM feed_tags "
	    "WHERE tag = c.tag)) AND ((c.feed_url IS NULL AND c.feed_id IS "
	    "NULL) OR i.feed_id = " STORE_SQL_CONSUMER_FEED ")) "
	    "FROM consumers c ORDER BY c.name", NULL, cause,
	    "store: consumers")) == NULL)
		return (-1);
	if (PQntuples(res) > 0)
		*v = xcalloc((size_t)PQntuples(res), sizeof(**v));
	for (r = 0; r < PQntuples(res); r++) {
		ci = &(*v)[(*n)++];
		ci->name = pg_col_text(res, r, 0);
		ci->cursor = pg_col_int(res, r, 1);
		ci->updated = pg_col_int(res, r, 2);
		ci->feed = pg_col_text(res, r, 3);
		ci->feed_id = PQgetisnull(res, r, 4) ? 0 :
		    pg_col_int(res, r, 4);
		ci->tag = pg_col_text(res, r, 5);
		ci->unacked = pg_col_int(res, r, 6);
	}
	PQclear(res);
	return (0);
}

static int
pg_consumer_remove(struct store *store, const char *name, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	PGresult		*res;
	int			 gone;

	pg_text(&p, name);
	if ((res = pg_run(s, "DELETE FROM consumers WHERE name = $1",
	    &p, cause, "store: consumer")) == NULL)
		return (-1);
	gone = pg_changes(res);
	PQclear(res);
	if (gone == 0) {
		xasprintf(cause, "no consumer %s", name);
		return (-1);
	}
	return (0);
}

/* --- retention and stats --- */

/*
 * One step of a retention pass, as the sqlite backend's: at most
 * "limit" items of at most PG_RETENTION_FEEDS feeds, in one transaction;
 * each removed item's key stays as a tombstone (one statement: the
 * DELETE's RETURNING feeds the tombstones).
 */
static int
pg_retention_step(struct store *store, struct store_retention *r,
    size_t limit, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	PGresult		*feeds = NULL, *res;
	int64_t			 feed, beyond;
	size_t			 left = limit, n;
	int			 i, nfeeds, full = 0;

	if (pg_begin(s, cause) != 0)
		return (-1);
	if (pg_lock_writers(s, cause) != 0)
		goto fail;
	pg_int(&p, r->next_feed);
	pg_int(&p, PG_RETENTION_FEEDS);
	if ((feeds = pg_run(s, "SELECT id FROM feeds WHERE id >= $1 "
	    "ORDER BY id LIMIT $2", &p, cause, "store: retention")) == NULL)
		goto fail;
	nfeeds = PQntuples(feeds);
	for (i = 0; i < nfeeds; i++) {
		feed = pg_col_int(feeds, i, 0);
		beyond = 0;
		if (r->max_items > 0) {
			p.n = 0;
			pg_int(&p, feed);
			pg_int(&p, r->max_items);
			if ((res = pg_run(s, "SELECT id FROM items WHERE "
			    "feed_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2",
			    &p, cause, "store: retention")) == NULL)
				goto fail;
			if (PQntuples(res) > 0)
				beyond = pg_col_int(res, 0, 0);
			PQclear(res);
		}
		p.n = 0;
		pg_int(&p, feed);
		pg_int(&p, beyond);
		pg_int(&p, r->max_age > 0 ? r->now - r->max_age : INT64_MIN);
		pg_int(&p, (int64_t)left);
		pg_int(&p, r->now);
		pg_int(&p, STORE_KEYS_LINK);
		/* A feed matched by link looks its items up by link too. */
		if ((res = pg_run(s, "WITH doomed AS (SELECT id FROM items "
		    "WHERE feed_id = $1 AND starred = 0 AND (id <= $2 OR "
		    "fetched < $3) AND NOT EXISTS (SELECT 1 FROM outbox WHERE "
		    "item_id = items.id) AND NOT EXISTS (SELECT 1 FROM "
		    "consumers c WHERE c.cursor < items.id AND "
		    STORE_SQL_CONSUMER_TAKES("$1") ") ORDER BY id LIMIT $4), "
		    "gone AS "
		    "(DELETE FROM items WHERE id IN (SELECT id FROM doomed) "
		    "RETURNING feed_id, key, canon), tomb AS (INSERT INTO "
		    "tombstones (feed_id, key, last_seen) SELECT feed_id, key, "
		    "$5::bigint FROM gone UNION SELECT g.feed_id, g.canon, "
		    "$5::bigint FROM gone g JOIN feeds f ON f.id = g.feed_id "
		    "WHERE f.key_mode = $6::int AND g.canon IS NOT NULL "
		    "ON CONFLICT (feed_id, key) DO UPDATE SET "
		    "last_seen = excluded.last_seen) SELECT count(*) FROM gone",
		    &p, cause, "store: retention")) == NULL)
			goto fail;
		n = (size_t)pg_col_int(res, 0, 0);
		PQclear(res);
		r->removed += n;
		left -= n;
		if (left == 0) {
			full = 1;
			r->next_feed = feed;
			break;
		}
		p.n = 0;
		pg_int(&p, feed);
		pg_int(&p, r->now - PG_TOMB_GRACE);
		if (pg_do(s, "DELETE FROM tombstones WHERE feed_id = $1 AND "
		    "last_seen < $2", &p, cause, "store: retention") != 0)
			goto fail;
		r->next_feed = feed + 1;
	}
	if (!full && nfeeds < PG_RETENTION_FEEDS)
		r->done = 1;
	PQclear(feeds);
	return (pg_commit(s, cause));
fail:
	PQclear(feeds);
	pg_rollback(s);
	return (-1);
}

static int
pg_stats(struct store *store, struct store_stats *st, char **cause)
{
	struct pg_store	*s = (struct pg_store *)store;
	PGresult	*res;

	if ((res = pg_run(s, "SELECT (SELECT count(*) FROM feeds), "
	    "(SELECT COALESCE(sum(items), 0) FROM feed_counts), "
	    "(SELECT COALESCE(sum(unread), 0) FROM feed_counts), "
	    "(SELECT count(*) FROM outbox WHERE failed = 0), "
	    "(SELECT count(*) FROM outbox WHERE failed != 0), "
	    "(SELECT value FROM feedd_meta WHERE name = 'max_id'), "
	    "(SELECT count(*) FROM search_todo)", NULL,
	    cause, "store: stats")) == NULL)
		return (-1);
	st->feeds = pg_col_int(res, 0, 0);
	st->items = pg_col_int(res, 0, 1);
	st->unread = pg_col_int(res, 0, 2);
	st->outbox_pending = pg_col_int(res, 0, 3);
	st->outbox_failed = pg_col_int(res, 0, 4);
	st->max_id = pg_col_int(res, 0, 5);
	st->search_lag = pg_col_int(res, 0, 6);
	PQclear(res);
	return (0);
}

/* --- the notifier outbox --- */

/*
 * Due rows in delivery order, claimed for this store: rows another
 * store holds under an unexpired lease are passed over (SKIP LOCKED also
 * passes rows another node is claiming at this instant), so each row is
 * delivered by one node at a time; this store's own rows stay eligible,
 * less those in "skip".
 */
static int
pg_outbox_due(struct store *store, const char *notifier, int64_t now,
    size_t limit, const int64_t *skip, size_t nskip,
    struct store_delivery **v, size_t *n, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	struct store_delivery	*d;
	PGresult		*res;
	char			*arr, *claimed;
	int64_t			*ids;
	int			 i, nids;

	*v = NULL;
	*n = 0;
	if (limit == 0)
		return (0);
	arr = pg_id_array(skip, nskip);
	pg_text(&p, notifier);
	pg_int(&p, now);
	pg_int(&p, (int64_t)limit);
	pg_text(&p, arr);
	pg_text(&p, s->owner);
	pg_int(&p, now + PG_OUTBOX_LEASE);
	res = pg_run(s, "WITH " PG_LIVE_OWNERS " UPDATE outbox SET "
	    "lease_owner = $5, lease_until = $6 WHERE id IN (SELECT id FROM "
	    "outbox WHERE notifier = $1 AND failed = 0 AND next_attempt <= $2 "
	    "AND id != ALL($4::bigint[]) AND " PG_LEASE_FREE("$5", "$2") " "
	    "ORDER BY next_attempt, id LIMIT $3 FOR UPDATE SKIP LOCKED) "
	    "RETURNING id", &p, cause, "store: outbox");
	free(arr);
	if (res == NULL)
		return (-1);
	if ((nids = PQntuples(res)) == 0) {
		PQclear(res);
		return (0);
	}
	ids = xcalloc((size_t)nids, sizeof(*ids));
	for (i = 0; i < nids; i++)
		ids[i] = pg_col_int(res, i, 0);
	PQclear(res);
	claimed = pg_id_array(ids, (size_t)nids);
	free(ids);
	p.n = 0;
	pg_text(&p, claimed);
	/* Gone meanwhile (delivered, its feed removed): not there. */
	res = pg_run(s, "SELECT o.id, o.attempts, f.url, "
	    "COALESCE(f.title, f.doc_title), " ITEM_COLS " FROM outbox o "
	    "JOIN items i ON i.id = o.item_id JOIN feeds f ON f.id = i.feed_id "
	    "WHERE o.id = ANY($1::bigint[]) ORDER BY o.next_attempt, o.id",
	    &p, cause, "store: outbox");
	free(claimed);
	if (res == NULL)
		return (-1);
	if (PQntuples(res) > 0)
		*v = xcalloc((size_t)PQntuples(res), sizeof(**v));
	for (i = 0; i < PQntuples(res); i++) {
		d = &(*v)[(*n)++];
		d->id = pg_col_int(res, i, 0);
		d->attempts = (int)pg_col_int(res, i, 1);
		d->feed_url = pg_col_text(res, i, 2);
		d->feed_title = pg_col_text(res, i, 3);
		pg_row_item_at(res, i, 4, &d->item);
	}
	PQclear(res);
	return (0);
}

static int
pg_outbox_done(struct store *store, const int64_t *ids, size_t n,
    char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	char			*arr;
	int			 rc;

	arr = pg_id_array(ids, n);
	pg_text(&p, arr);
	rc = pg_do(s, "DELETE FROM outbox WHERE id = ANY($1::bigint[])", &p,
	    cause, "store: outbox");
	free(arr);
	return (rc);
}

static int
pg_outbox_retry(struct store *store, const int64_t *ids, size_t n,
    int64_t next, int max_attempts, const char *error, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	char			*arr;
	int			 rc;

	arr = pg_id_array(ids, n);
	pg_text(&p, arr);
	pg_int(&p, next);
	pg_text(&p, error);
	pg_int(&p, max_attempts);
	/* A failed attempt gives the row up: any node may retry it. */
	rc = pg_do(s, "UPDATE outbox SET attempts = attempts + 1, "
	    "next_attempt = $2, last_error = $3, "
	    "failed = CASE WHEN attempts + 1 >= $4 THEN 1 ELSE 0 END, "
	    "lease_owner = NULL, lease_until = NULL "
	    "WHERE id = ANY($1::bigint[])", &p, cause, "store: outbox");
	free(arr);
	return (rc);
}

/*
 * Parked rows with fresh attempts, waiting ones with theirs: one
 * statement, two sets of rows.  Waiting rows hold no lease (a failed
 * attempt gives it up), so they stay free for any node.
 */
static int
pg_outbox_revive(struct store *store, const char *notifier, int64_t now,
    size_t *parked, size_t *waiting, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	PGresult		*res;

	pg_text(&p, notifier);
	pg_int(&p, now);
	if ((res = pg_run(s, "WITH p AS (UPDATE outbox SET failed = 0, "
	    "attempts = 0, next_attempt = $2, lease_owner = NULL, "
	    "lease_until = NULL WHERE notifier = $1 AND failed != 0 "
	    "RETURNING 1), w AS (UPDATE outbox SET next_attempt = $2 "
	    "WHERE notifier = $1 AND failed = 0 AND next_attempt > $2 "
	    "RETURNING 1) SELECT (SELECT count(*) FROM p), "
	    "(SELECT count(*) FROM w)", &p, cause, "store: outbox")) == NULL)
		return (-1);
	*parked = (size_t)pg_col_int(res, 0, 0);
	*waiting = (size_t)pg_col_int(res, 0, 1);
	PQclear(res);
	return (0);
}

static int
pg_outbox_stats(struct store *store, const char *notifier,
    struct store_outbox_stats *os, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	PGresult		*res;

	memset(os, 0, sizeof(*os));
	pg_text(&p, notifier);
	if ((res = pg_run(s, "SELECT "
	    "(SELECT count(*) FROM outbox WHERE notifier = $1 AND failed = 0), "
	    "(SELECT count(*) FROM outbox WHERE notifier = $1 AND failed != 0), "
	    "(SELECT min(next_attempt) FROM outbox "
	    "WHERE notifier = $1 AND failed = 0), "
	    "(SELECT last_error FROM outbox WHERE notifier = $1 AND "
	    "last_error IS NOT NULL ORDER BY attempts DESC, id DESC LIMIT 1)",
	    &p, cause, "store: outbox")) == NULL)
		return (-1);
	os->pending = pg_col_int(res, 0, 0);
	os->failed = pg_col_int(res, 0, 1);
	os->next_attempt = pg_col_date(res, 0, 2);
	os->last_error = pg_col_text(res, 0, 3);
	PQclear(res);
	return (0);
}

static int
pg_outbox_elsewhere(struct store *store, const char *notifier, int64_t now,
    int64_t *count, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	PGresult		*res;

	pg_text(&p, notifier);
	pg_text(&p, s->owner);
	pg_int(&p, now);
	if ((res = pg_run(s, "WITH " PG_LIVE_OWNERS " SELECT count(*) FROM "
	    "outbox o WHERE o.notifier = $1 AND o.failed = 0 AND "
	    PG_OUTBOX_ELSEWHERE("o", "$2", "$3"), &p, cause,
	    "store: outbox")) == NULL)
		return (-1);
	*count = pg_col_int(res, 0, 0);
	PQclear(res);
	return (0);
}

/* A row another node leases at "now" is under way there. */
static int
pg_outbox_next(struct store *store, const char *notifier, int64_t now,
    const int64_t *skip, size_t nskip, int64_t *next, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	PGresult		*res;
	char			*arr;

	arr = pg_id_array(skip, nskip);
	pg_text(&p, notifier);
	pg_int(&p, now);
	pg_text(&p, arr);
	pg_text(&p, s->owner);
	res = pg_run(s, "SELECT min(next_attempt) FROM outbox "
	    "WHERE notifier = $1 AND failed = 0 AND id != ALL($3::bigint[]) "
	    "AND (lease_owner IS NULL OR lease_owner = $4 OR "
	    "lease_until <= $2)", &p, cause, "store: outbox");
	free(arr);
	if (res == NULL)
		return (-1);
	*next = pg_col_date(res, 0, 0);
	PQclear(res);
	return (0);
}

static int
pg_outbox_list(struct store *store, const char *notifier, int parked,
    size_t limit, int64_t now, struct store_outbox_row **v, size_t *n,
    char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	struct store_outbox_row	*r;
	PGresult		*res;
	int			 i;

	pg_text(&p, notifier);
	pg_int(&p, parked != 0);
	pg_int(&p, (int64_t)limit);
	pg_text(&p, s->owner);
	pg_int(&p, now);
	if ((res = pg_run(s, "WITH " PG_LIVE_OWNERS " SELECT o.id, "
	    "o.item_id, i.feed_id, i.title, o.attempts, o.next_attempt, "
	    "o.failed, o.last_error, (" PG_OUTBOX_ELSEWHERE("o", "$4", "$5")
	    ")::int FROM outbox o JOIN items i ON i.id = o.item_id "
	    "WHERE o.notifier = $1 AND ($2 = 0 OR o.failed != 0) "
	    "ORDER BY o.id LIMIT $3", &p, cause, "store: outbox")) == NULL)
		return (-1);
	if (PQntuples(res) > 0)
		*v = xcalloc((size_t)PQntuples(res), sizeof(**v));
	for (i = 0; i < PQntuples(res); i++) {
		r = &(*v)[(*n)++];
		r->id = pg_col_int(res, i, 0);
		r->item_id = pg_col_int(res, i, 1);
		r->feed_id = pg_col_int(res, i, 2);
		r->title = pg_col_text(res, i, 3);
		r->attempts = (int)pg_col_int(res, i, 4);
		r->next_attempt = pg_col_int(res, i, 5);
		r->parked = pg_col_int(res, i, 6) != 0;
		r->last_error = pg_col_text(res, i, 7);
		r->elsewhere = pg_col_int(res, i, 8) != 0;
	}
	PQclear(res);
	return (0);
}

/* "{"a","b"}": a text array parameter. */
static char *
pg_text_array(const char *const *v, size_t n)
{
	struct buf	b = { NULL, 0, 0 };
	const char	*c;
	size_t		i;

	buf_addc(&b, '{');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		buf_addc(&b, '"');
		for (c = v[i]; *c != '\0'; c++) {
			if (*c == '"' || *c == '\\')
				buf_addc(&b, '\\');
			buf_addc(&b, *c);
		}
		buf_addc(&b, '"');
	}
	buf_addc(&b, '}');
	return (b.data);
}

static int
pg_outbox_prune(struct store *store, const char *const *keep, size_t nkeep,
    size_t *dropped, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	PGresult		*res;
	char			*arr;

	*dropped = 0;
	arr = pg_text_array(keep, nkeep);
	pg_text(&p, arr);
	res = pg_run(s, "DELETE FROM outbox WHERE notifier != ALL($1::text[])",
	    &p, cause, "store: outbox");
	free(arr);
	if (res == NULL)
		return (-1);
	*dropped = pg_changes(res);
	PQclear(res);
	return (0);
}

/*
 * Checkpoints and the page cache are the server's business (its own
 * checkpointer and shared_buffers): these are sqlite's knobs.
 */
static int
pg_defer_checkpoints(struct store *store, char **cause)
{
	return (0);
}

static int
pg_checkpoint(struct store *store, int idle, char **cause)
{
	return (0);
}

static int
pg_set_cache(struct store *store, size_t bytes, char **cause)
{
	return (0);
}

/* --- listening for the items other nodes commit --- */

#define PG_LISTEN_DOWN		0	/* waiting to connect again */
#define PG_LISTEN_CONNECTING	1
#define PG_LISTEN_SENT		2	/* LISTEN sent, not answered */
#define PG_LISTEN_ON		3

/*
 * A connection of its own that only listens, driven by the caller's
 * loop (PQconnectPoll, PQconsumeInput, PQnotifies): it never blocks,
 * whether the server is slow, gone or coming back.
 */
struct store_listen {
	char		*conninfo;
	char		*name;		/* for messages, password masked */
	PGconn		*conn;
	int		 state;		/* PG_LISTEN_* */
	int		 want;		/* STORE_LISTEN_* */
	int		 was_on;	/* listened before: this is a return */
	int64_t		 backoff;	/* seconds, while down */
	/* Host slots other nodes freed, until store_listen_hosts(). */
	uint32_t	*hosts;		/* a key per slot */
	size_t		 nhosts;
	int		 hosts_all;	/* too many to list: any host */
	int		 feeds;		/* feeds changed, until
					   store_listen_feeds() */
};

/*
 * "H<key>:<slots>,... <node>": the host slots another node's commit
 * freed (pg_apply_polls()), kept to hand to the poller; "H* <node>" for
 * more than a payload holds.  A malformed entry ends the list.
 */
static void
pg_listen_hosts(struct store_listen *l, const char *p)
{
	char		*end;
	long long	 key, slots;

	if (*p == '*') {
		l->hosts_all = 1;
		return;
	}
	while (*p != '\0' && *p != ' ') {
		key = strtoll(p, &end, 10);
		if (end == p || *end != ':')
			return;
		slots = strtoll(end + 1, &end, 10);
		for (; slots > 0 && l->nhosts < PG_LISTEN_HOSTS_MAX; slots--) {
			l->hosts = xreallocarray(l->hosts, l->nhosts + 1,
			    sizeof(*l->hosts));
			l->hosts[l->nhosts++] = (uint32_t)key;
		}
		if (l->nhosts == PG_LISTEN_HOSTS_MAX)
			l->hosts_all = 1;
		p = *end == ',' ? end + 1 : end;
	}
}

/* The host slots heard of since the last call: how many, "*all" set
 * when any host may have one free. */
size_t
store_pg_listen_hosts(struct store_listen *l, uint32_t **v, int *all)
{
	size_t	n = l->nhosts;

	*v = l->hosts;
	*all = l->hosts_all;
	l->hosts = NULL;
	l->nhosts = 0;
	l->hosts_all = 0;
	return (n);
}

static void
pg_listen_down(struct store_listen *l, const char *why)
{
	log_warnx("store: %s: not listening for other nodes' items: %.*s",
	    l->name, (int)strcspn(why, "\n"), why);
	if (l->conn != NULL)
		PQfinish(l->conn);
	l->conn = NULL;
	l->state = PG_LISTEN_DOWN;
	l->want = 0;
	l->backoff = l->backoff == 0 ? 1 : l->backoff * 2;
	if (l->backoff > PG_BACKOFF_MAX)
		l->backoff = PG_BACKOFF_MAX;
}

static void
pg_listen_start(struct store_listen *l)
{
	const char *const	keys[] = { "fallback_application_name",
	    "dbname", NULL };
	const char *const	values[] = { PG_APP_NAME, l->conninfo, NULL };

	l->conn = PQconnectStartParams(keys, values, 1);
	if (l->conn == NULL) {
		pg_listen_down(l, "out of memory");
		return;
	}
	if (PQstatus(l->conn) == CONNECTION_BAD) {
		pg_listen_down(l, PQerrorMessage(l->conn));
		return;
	}
	/* As if PQconnectPoll had said PGRES_POLLING_WRITING. */
	l->state = PG_LISTEN_CONNECTING;
	l->want = STORE_LISTEN_WRITE;
}

struct store_listen *
store_pg_listen_new(const char *name)
{
	struct store_listen	*l;

	l = xcalloc(1, sizeof(*l));
	l->conninfo = xstrdup(name);
	l->name = store_pg_mask(name);
	pg_listen_start(l);
	return (l);
}

int
store_pg_listen_fd(struct store_listen *l)
{
	return (l->conn != NULL ? PQsocket(l->conn) : -1);
}

/* What to wait for, and for how long at most (seconds; -1: no limit). */
int
store_pg_listen_want(struct store_listen *l, int64_t *secs)
{
	switch (l->state) {
	case PG_LISTEN_DOWN:
		*secs = l->backoff;
		break;
	case PG_LISTEN_ON:
		*secs = -1;
		break;
	default:
		*secs = strtoll(PG_CONNECT_TIMEOUT, NULL, 10);
		break;
	}
	return (l->want);
}

/*
 * Reads what came; 1 when watchers should read the store again (another
 * node committed items, the newest "*max"; or listening began again,
 * after a time that may have missed some, "*max" 0), else 0.
 */
int
store_pg_listen_step(struct store_listen *l, int timed_out, int64_t *max)
{
	PGresult	*res;
	PGnotify	*n;
	const char	*self = pg_self(), *from;
	int64_t		 id;
	int		 wake = 0, failed = 0, rc;

	*max = 0;
	switch (l->state) {
	case PG_LISTEN_DOWN:
		pg_listen_start(l);
		return (0);
	case PG_LISTEN_CONNECTING:
		if (timed_out) {
			pg_listen_down(l, "connection timed out");
			return (0);
		}
		switch (PQconnectPoll(l->conn)) {
		case PGRES_POLLING_READING:
			l->want = STORE_LISTEN_READ;
			return (0);
		case PGRES_POLLING_WRITING:
			l->want = STORE_LISTEN_WRITE;
			return (0);
		case PGRES_POLLING_OK:
			break;
		default:
			pg_listen_down(l, PQerrorMessage(l->conn));
			return (0);
		}
		PQsetNoticeProcessor(l->conn, pg_notice_cb, NULL);
		if (PQsetnonblocking(l->conn, 1) != 0 ||
		    !PQsendQuery(l->conn, "LISTEN " PG_CHANNEL)) {
			pg_listen_down(l, PQerrorMessage(l->conn));
			return (0);
		}
		l->state = PG_LISTEN_SENT;
		l->want = STORE_LISTEN_READ;
		/* FALLTHROUGH */
	case PG_LISTEN_SENT:
		if (timed_out) {
			pg_listen_down(l, "LISTEN timed out");
			return (0);
		}
		if ((rc = PQflush(l->conn)) == -1 ||
		    !PQconsumeInput(l->conn)) {
			pg_listen_down(l, PQerrorMessage(l->conn));
			return (0);
		}
		l->want = STORE_LISTEN_READ |
		    (rc == 1 ? STORE_LISTEN_WRITE : 0);
		while (!PQisBusy(l->conn) &&
		    (res = PQgetResult(l->conn)) != NULL) {
			if (PQresultStatus(res) != PGRES_COMMAND_OK)
				failed = 1;
			PQclear(res);
		}
		if (PQisBusy(l->conn))
			return (0);
		if (failed) {
			pg_listen_down(l, PQerrorMessage(l->conn));
			return (0);
		}
		if (l->was_on)
			log_info("store: %s: listening for other nodes' items "
			    "again", l->name);
		l->state = PG_LISTEN_ON;
		l->want = STORE_LISTEN_READ;
		l->backoff = 0;
		/* Items committed, feeds changed while not listening:
		 * read from cursors, and the feeds again. */
		wake = l->was_on;
		l->feeds |= l->was_on;
		l->was_on = 1;
		break;
	case PG_LISTEN_ON:
		if (!PQconsumeInput(l->conn) ||
		    PQstatus(l->conn) == CONNECTION_BAD) {
			pg_listen_down(l, PQerrorMessage(l->conn));
			return (0);
		}
		/* Results of nothing sent (an error before the server
		 * closes) are only read away. */
		while (!PQisBusy(l->conn) &&
		    (res = PQgetResult(l->conn)) != NULL)
			PQclear(res);
		break;
	}
	/* Every notification waiting, one wake for all of them. */
	while ((n = PQnotifies(l->conn)) != NULL) {
		from = strrchr(n->extra, ' ');
		if (n->extra[0] == 'H') {
			/* This node's own freed slots refired at commit. */
			if (from == NULL || strcmp(from + 1, self) != 0)
				pg_listen_hosts(l, n->extra + 1);
		} else if (n->extra[0] == 'F') {
			if (from == NULL || strcmp(from + 1, self) != 0)
				l->feeds = 1;
		} else if (from == NULL || strcmp(from + 1, self) != 0) {
			id = strtoll(n->extra, NULL, 10);
			if (id > *max)
				*max = id;
			wake = 1;
		}
		PQfreemem(n);
	}
	return (wake);
}

/* 1 when another node added or changed feeds since the last call. */
int
store_pg_listen_feeds(struct store_listen *l)
{
	int	feeds = l->feeds;

	l->feeds = 0;
	return (feeds);
}

void
store_pg_listen_free(struct store_listen *l)
{
	if (l == NULL)
		return;
	if (l->conn != NULL)
		PQfinish(l->conn);
	free(l->hosts);
	free(l->conninfo);
	free(l->name);
	free(l);
}

/* --- nodes --- */

static const char *
pg_node_id(struct store *store)
{
	struct pg_store	*s = (struct pg_store *)store;

	return (s->owner);
}

/*
 * A second connection of node "id": its leases are the node's, alive
 * while either connection holds the node's lock (this one tries for it
 * too, and again after each reconnection).
 */
static void
pg_set_node_id(struct store *store, const char *id)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	char			*cause = NULL;

	/* Its own id's lock goes: it would count as another node. */
	if (PQstatus(s->conn) == CONNECTION_OK) {
		pg_int(&p, PG_LOCK_NODE);
		pg_text(&p, s->owner);
		if (pg_do(s, "SELECT pg_advisory_unlock($1::int, "
		    "hashtext($2))", &p, &cause, "store: node lock") != 0) {
			pg_log_failed(cause);
			free(cause);
		}
	}
	snprintf(s->owner, sizeof(s->owner), "%s", id);
	pg_node_lock(s);
}

/*
 * One statement, so a beat is one round trip: the node's row made or
 * refreshed, and rows dead for STORE_NODE_PRUNE deleted.
 */
static int
pg_node_beat(struct store *store, const char *owner, const char *version,
    int64_t started, int64_t now, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	char			 host[64];

	pg_host(host, sizeof(host));
	pg_text(&p, owner);
	pg_text(&p, host);
	pg_int(&p, (int64_t)getpid());
	pg_text(&p, version);
	pg_int(&p, started);
	pg_int(&p, now);
	pg_int(&p, now - STORE_NODE_PRUNE);
	return (pg_do(s, "WITH gone AS (DELETE FROM nodes WHERE heartbeat < $7 "
	    "AND owner != $1) INSERT INTO nodes (owner, host, pid, version, "
	    "started, heartbeat) VALUES ($1, $2, $3, $4, $5, $6) "
	    "ON CONFLICT (owner) DO UPDATE SET heartbeat = EXCLUDED.heartbeat",
	    &p, cause, "store: node heartbeat"));
}

static int
pg_node_leave(struct store *store, const char *owner, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };

	pg_text(&p, owner);
	return (pg_do(s, "DELETE FROM nodes WHERE owner = $1", &p, cause,
	    "store: node leaving"));
}

/* The leases are counted from the tables that hold them. */
static int
pg_nodes_list(struct store *store, int64_t now, struct store_node **v,
    size_t *n, char **cause)
{
	struct pg_store		*s = (struct pg_store *)store;
	struct pg_params	 p = { .n = 0 };
	PGresult		*res;
	int			 i, rows;

	pg_int(&p, now);
	/* A node not connected holds no lease, whatever its rows say. */
	if ((res = pg_run(s, "WITH " PG_LIVE_OWNERS ", n AS (SELECT *, "
	    "hashtext(owner)::oid IN (SELECT objid FROM live) AS connected "
	    "FROM nodes) SELECT n.owner, n.host, n.pid, n.version, "
	    "n.started, n.heartbeat, CASE WHEN n.connected THEN "
	    "COALESCE(f.c, 0) ELSE 0 END, CASE WHEN n.connected THEN "
	    "COALESCE(o.c, 0) ELSE 0 END, n.connected::int "
	    "FROM n LEFT JOIN (SELECT lease_owner, count(*) AS c "
	    "FROM feeds WHERE lease_until > $1 GROUP BY lease_owner) f "
	    "ON f.lease_owner = n.owner LEFT JOIN (SELECT lease_owner, "
	    "count(*) AS c FROM outbox WHERE lease_until > $1 "
	    "GROUP BY lease_owner) o ON o.lease_owner = n.owner "
	    "ORDER BY n.started, n.owner", &p, cause,
	    "store: nodes")) == NULL)
		return (-1);
	rows = PQntuples(res);
	*v = xcalloc(rows > 0 ? (size_t)rows : 1, sizeof(**v));
	for (i = 0; i < rows; i++) {
		(*v)[i].owner = pg_col_text(res, i, 0);
		(*v)[i].host = pg_col_text(res, i, 1);
		(*v)[i].pid = pg_col_int(res, i, 2);
		(*v)[i].version = pg_col_text(res, i, 3);
		(*v)[i].started = pg_col_int(res, i, 4);
		(*v)[i].heartbeat = pg_col_int(res, i, 5);
		(*v)[i].feeds = pg_col_int(res, i, 6);
		(*v)[i].outbox = pg_col_int(res, i, 7);
		(*v)[i].connected = pg_col_int(res, i, 8) != 0;
	}
	*n = (size_t)rows;
	PQclear(res);
	return (0);
}

static const struct store_ops pg_ops = {
	.name = "postgresql",
	.feed_add = pg_feed_add,
	.feed_update = pg_feed_update,
	.feed_remove = pg_feed_remove,
	.feed_edit = pg_feed_edit,
	.feed_release = pg_feed_release,
	.feed_options = pg_feed_options,
	.feed_get = pg_feed_get,
	.feeds_list = pg_feeds_list,
	.feeds_state_of = pg_feeds_state_of,
	.feed_claim = pg_feed_claim,
	.apply_polls = pg_apply_polls,
	.items_list = pg_items_list,
	.items_get = pg_items_get,
	.items_search = pg_items_search,
	.index_update = pg_index_update,
	.index_lag = pg_index_lag,
	.index_stop = pg_index_stop,
	.items_mark = pg_items_mark,
	.items_mark_where = pg_items_mark_where,
	.consumer_fetch = pg_consumer_fetch,
	.consumer_ack = pg_consumer_ack,
	.consumers_list = pg_consumers_list,
	.consumer_remove = pg_consumer_remove,
	.outbox_due = pg_outbox_due,
	.outbox_done = pg_outbox_done,
	.outbox_retry = pg_outbox_retry,
	.outbox_revive = pg_outbox_revive,
	.outbox_stats = pg_outbox_stats,
	.outbox_next = pg_outbox_next,
	.outbox_list = pg_outbox_list,
	.outbox_elsewhere = pg_outbox_elsewhere,
	.outbox_prune = pg_outbox_prune,
	.retention_step = pg_retention_step,
	.defer_checkpoints = pg_defer_checkpoints,
	.checkpoint = pg_checkpoint,
	.set_cache = pg_set_cache,
	.stats = pg_stats,
	.close = pg_close,
	.feeds_claim = pg_feeds_claim,
	.node_id = pg_node_id,
	.set_node_id = pg_set_node_id,
	.set_readonly = pg_set_readonly,
	.node_beat = pg_node_beat,
	.node_leave = pg_node_leave,
	.nodes_list = pg_nodes_list,
	.unreachable = pg_unreachable,
};
