/*
 * store-search.c: the full-text index in its own sqlite file.  Its own
 * connection opens the items database as "main" and attaches the index
 * as "search"; a transaction writes only the index, so the store's writer
 * never waits for it.  The index is contentless FTS5: it keeps no copy of
 * the text, and removing an item's entry takes the text it was indexed
 * with, which is why the database's triggers log the old text of every
 * change (fts_log, store-sqlite.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "cjk.h"
#include "log.h"
#include "store-int.h"
#include "store-search.h"
#include "text.h"
#include "xmalloc.h"

/*
 * What the index holds, version by version: bump it when feedd_text() or
 * the table changes, and every index is rebuilt (an old entry could not
 * be removed with text made another way).
 */
#define SEARCH_VERSION	2
#define SEARCH_BUSY_MS	5000
#define SEARCH_TABLE	"CREATE VIRTUAL TABLE IF NOT EXISTS search.items_fts " \
	"USING fts5(title, summary, content, content='', tokenize='feedd')"

enum search_stmt {
	SS_LOCK,
	SS_STATE,
	SS_SOURCE,
	SS_RESET,
	SS_STATE_SET,
	SS_LOG_DELETE,
	SS_LOG_READD,
	SS_ADD,
	SS_PRUNE,
	SS_LAG,
	SS_QUERY,
	SS_COUNT
};

static const char *const search_sql[SS_COUNT] = {
	/*
	 * The first statement of an update writes the index, so it takes
	 * the index's write lock (waiting its turn) before the items are
	 * read: the items are then read from one snapshot, after it.
	 */
	[SS_LOCK] = "UPDATE search.state SET items = items",
	[SS_STATE] = "SELECT token, version, items, log FROM search.state "
	    "WHERE id = 1",
	[SS_SOURCE] = "SELECT (SELECT value FROM meta WHERE "
	    "name = 'search_token'), "
	    "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'items'), "
	    "0), COALESCE((SELECT seq FROM sqlite_sequence WHERE "
	    "name = 'fts_log'), 0)",
	/* Made again, since an older version's tokenizer may differ. */
	[SS_RESET] = "DROP TABLE IF EXISTS search.items_fts",
	[SS_STATE_SET] = "INSERT OR REPLACE INTO search.state "
	    "(id, token, version, items, log) VALUES (1, ?1, ?2, ?3, ?4)",
	/*
	 * An item's first change since the last update removes the text it
	 * was indexed with; its later changes logged text never indexed.
	 * Only items already indexed (id <= ?3) have an entry.
	 */
	[SS_LOG_DELETE] = "INSERT INTO search.items_fts(items_fts, rowid, "
	    "title, summary, content) SELECT 'delete', l.item, l.title, "
	    "feedd_text(l.summary), feedd_text(l.content) FROM fts_log l "
	    "WHERE l.seq > ?1 AND l.seq <= ?2 AND l.item <= ?3 AND "
	    "l.seq = (SELECT min(m.seq) FROM fts_log m WHERE m.item = l.item "
	    "AND m.seq > ?1)",
	/* ...and what those items say now, if they are still there. */
	[SS_LOG_READD] = "INSERT INTO search.items_fts(rowid, title, summary, "
	    "content) SELECT id, title, feedd_text(summary), "
	    "feedd_text(content) FROM items WHERE id IN (SELECT item FROM "
	    "fts_log WHERE seq > ?1 AND seq <= ?2 AND item <= ?3)",
	[SS_ADD] = "INSERT INTO search.items_fts(rowid, title, summary, "
	    "content) SELECT id, title, feedd_text(summary), "
	    "feedd_text(content) FROM items WHERE id > ?1 AND id <= ?2",
	[SS_PRUNE] = "DELETE FROM fts_log WHERE seq <= ?1",
	[SS_LAG] = "SELECT "
	    "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'items'), "
	    "0) - COALESCE((SELECT items FROM search.state WHERE id = 1), 0) + "
	    "COALESCE((SELECT seq FROM sqlite_sequence WHERE "
	    "name = 'fts_log'), 0) - COALESCE((SELECT log FROM search.state "
	    "WHERE id = 1), 0)",
	[SS_QUERY] = "SELECT rowid FROM search.items_fts "
	    "WHERE items_fts MATCH ?1 ORDER BY rank LIMIT ?2",
};

struct search_db {
	sqlite3		*db;
	char		*path;		/* the index file */
	int64_t		 pruned;	/* fts_log rows up to this are gone */
	atomic_int	 stop;		/* search_stop() was called */
	sqlite3_stmt	*stmt[SS_COUNT];
};

/* sqlite's progress handler: non-zero makes the statement give up. */
static int
search_progress_cb(void *arg)
{
	return (atomic_load(&((struct search_db *)arg)->stop));
}

static int
search_fail(struct search_db *sd, char **cause, const char *what)
{
	if (cause != NULL)
		xasprintf(cause, "%s: %s: %s", sd->path, what,
		    sqlite3_errmsg(sd->db));
	return (-1);
}

static sqlite3_stmt *
search_stmt(struct search_db *sd, enum search_stmt which)
{
	if (sd->stmt[which] == NULL &&
	    sqlite3_prepare_v3(sd->db, search_sql[which], -1,
	    SQLITE_PREPARE_PERSISTENT, &sd->stmt[which], NULL) != SQLITE_OK)
		return (NULL);
	sqlite3_reset(sd->stmt[which]);
	sqlite3_clear_bindings(sd->stmt[which]);
	return (sd->stmt[which]);
}

/* Runs a statement with up to four integer parameters and no rows. */
static int
search_run(struct search_db *sd, enum search_stmt which, int nargs,
    const int64_t *args)
{
	sqlite3_stmt	*st;
	int		 i, rc;

	if ((st = search_stmt(sd, which)) == NULL)
		return (-1);
	for (i = 0; i < nargs; i++)
		sqlite3_bind_int64(st, i + 1, args[i]);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return (rc == SQLITE_DONE ? 0 : -1);
}

/* feedd_text(html): what the index holds, so markup never matches. */
static void
search_text_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char	*html;
	struct buf	 b = { NULL, 0, 0 };
	int		 len;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	html = (const char *)sqlite3_value_text(argv[0]);
	len = sqlite3_value_bytes(argv[0]);
	if (html == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	text_html_to_text(&b, html, (size_t)len);
	/* Markup with no text in it (an image, a script) leaves no buffer. */
	if (b.data == NULL)
		sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
	else
		sqlite3_result_text(ctx, b.data, (int)b.len, free);
}

/*
 * The index's tokenizer, "feedd": FTS5's unicode61 (words at spaces and
 * punctuation, case and diacritics folded), with each token split into
 * its cjk_piece()s, so a character of Chinese, Japanese or Korean is a
 * word of its own.  FTS5 runs the query's words through it as well, and
 * a word it splits is searched as the phrase of its pieces.
 */
struct search_tok {
	fts5_tokenizer	 inner;		/* unicode61's methods */
	Fts5Tokenizer	*inner_tok;
};

struct search_tok_ctx {
	void	*ctx;
	int	(*token)(void *, int, const char *, int, int, int);
};

static int
search_tok_create(void *arg, const char **argv, int argc,
    Fts5Tokenizer **out)
{
	fts5_api		*api = arg;
	struct search_tok	*t;
	void			*ud;
	int			 rc;

	t = xcalloc(1, sizeof(*t));
	if ((rc = api->xFindTokenizer(api, "unicode61", &ud,
	    &t->inner)) == SQLITE_OK &&
	    (rc = t->inner.xCreate(ud, argv, argc, &t->inner_tok)) ==
	    SQLITE_OK) {
		*out = (Fts5Tokenizer *)t;
		return (SQLITE_OK);
	}
	free(t);
	return (rc);
}

static void
search_tok_delete(Fts5Tokenizer *tok)
{
	struct search_tok	*t = (struct search_tok *)tok;

	t->inner.xDelete(t->inner_tok);
	free(t);
}

/* Each token of unicode61's, in its pieces (all at the token's offsets:
 * a contentless index keeps none). */
static int
search_tok_token(void *arg, int flags, const char *token, int len,
    int start, int end)
{
	struct search_tok_ctx	*c = arg;
	size_t			 off, n;
	int			 cjk, rc;

	/* Every character cjk_piece() splits off is U+1100 or above. */
	for (off = 0; off < (size_t)len; off++)
		if ((unsigned char)token[off] >= 0xe1)
			break;
	if (off == (size_t)len)
		return (c->token(c->ctx, flags, token, len, start, end));
	for (off = 0; off < (size_t)len; off += n) {
		n = cjk_piece(token + off, (size_t)len - off, &cjk);
		if ((rc = c->token(c->ctx, off == 0 ? flags : 0, token + off,
		    (int)n, start, end)) != SQLITE_OK)
			return (rc);
	}
	return (SQLITE_OK);
}

static int
search_tok_tokenize(Fts5Tokenizer *tok, void *ctx, int flags,
    const char *text, int len,
    int (*token)(void *, int, const char *, int, int, int))
{
	struct search_tok	*t = (struct search_tok *)tok;
	struct search_tok_ctx	 c = { ctx, token };

	return (t->inner.xTokenize(t->inner_tok, &c, flags, text, len,
	    search_tok_token));
}

/* FTS5's API on this connection, as its documentation says to get it. */
int
search_tokenizer_add(sqlite3 *db)
{
	static fts5_tokenizer	 methods = { search_tok_create,
	    search_tok_delete, search_tok_tokenize };
	sqlite3_stmt		*st;
	fts5_api		*api = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) !=
	    SQLITE_OK)
		return (-1);
	sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (api == NULL)
		return (-1);
	return (api->xCreateTokenizer(api, "feedd", api, &methods, NULL) ==
	    SQLITE_OK ? 0 : -1);
}

static void
search_unlink(const char *path)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char			 p[4096];
	size_t			 i;

	for (i = 0; i < sizeof(suffix) / sizeof(*suffix); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
		if (unlink(p) != 0 && errno != ENOENT)
			log_warn("search: cannot remove %s", p);
	}
}

/* The connection, the index attached and its tables there. */
static int
search_connect(struct search_db *sd, const char *db_path, int *damaged)
{
	sqlite3_stmt	*st;
	char		*cause = NULL;
	int		 rc;

	*damaged = 0;
	/* CREATE for the index file: ATTACH opens it with these flags. */
	if (sqlite3_open_v2(db_path, &sd->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return (-1);
	sqlite3_extended_result_codes(sd->db, 1);
	sqlite3_busy_timeout(sd->db, SEARCH_BUSY_MS);
	sqlite3_progress_handler(sd->db, 10000, search_progress_cb, sd);
	if (sqlite3_create_function(sd->db, "feedd_text", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, search_text_fn,
	    NULL, NULL) != SQLITE_OK || search_tokenizer_add(sd->db) != 0)
		return (-1);
	if (store_create_private(sd->path, &cause) != 0) {
		log_warnx("search: %s", cause);
		free(cause);
		return (-1);
	}
	if (sqlite3_prepare_v2(sd->db, "ATTACH ?1 AS search", -1, &st,
	    NULL) != SQLITE_OK)
		return (-1);
	sqlite3_bind_text(st, 1, sd->path, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = sqlite3_exec(sd->db, "PRAGMA search.journal_mode = WAL; "
	    "PRAGMA search.journal_size_limit = 4194304; "
	    "PRAGMA search.synchronous = NORMAL; "
	    "CREATE TABLE IF NOT EXISTS search.state ("
	    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
	    "  token TEXT NOT NULL,"	/* the database's meta search_token */
	    "  version INTEGER NOT NULL,"	/* SEARCH_VERSION */
	    "  items INTEGER NOT NULL,"	/* items with id <= this indexed */
	    "  log INTEGER NOT NULL"	/* fts_log rows <= this applied */
	    ");"
	    SEARCH_TABLE, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return (0);
	rc = sqlite3_errcode(sd->db);
	*damaged = rc == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT;
	return (-1);
}

/*
 * "db_path" must be a feedd database already brought up to date
 * (store_sqlite_open() does that first).
 */
struct search_db *
search_open(const char *db_path, char **cause)
{
	struct search_db	*sd;
	int			 damaged, rc;

	sd = xcalloc(1, sizeof(*sd));
	xasprintf(&sd->path, "%s-search", db_path);
	rc = search_connect(sd, db_path, &damaged);
	if (rc != 0 && damaged) {
		/* Derived data: start it again rather than refuse to run. */
		log_warnx("search: %s: %s; rebuilding it", sd->path,
		    sqlite3_errmsg(sd->db));
		sqlite3_close(sd->db);
		sd->db = NULL;
		search_unlink(sd->path);
		rc = search_connect(sd, db_path, &damaged);
	}
	if (rc == 0)
		return (sd);
	if (sd->db != NULL)
		search_fail(sd, cause, "cannot open the search index");
	else
		xasprintf(cause, "%s: cannot open the search index", sd->path);
	search_close(sd);
	return (NULL);
}

/*
 * From any thread: an update under way (a rebuild, or the removals of a
 * big retention can take minutes) gives up and is rolled back, and so
 * does any later one.  For a quick stop; the index goes on next time.
 */
void
search_stop(struct search_db *sd)
{
	atomic_store(&sd->stop, 1);
}

void
search_close(struct search_db *sd)
{
	size_t	i;

	if (sd == NULL)
		return;
	for (i = 0; i < SS_COUNT; i++)
		sqlite3_finalize(sd->stmt[i]);
	if (sd->db != NULL && sqlite3_close(sd->db) != SQLITE_OK)
		log_warnx("search: %s: close: %s", sd->path,
		    sqlite3_errmsg(sd->db));
	free(sd->path);
	free(sd);
}

struct search_state {
	char	*token;
	int64_t	 version;
	int64_t	 items;
	int64_t	 log;
};

/* In the update's transaction: where the index is, and where it must go. */
static int
search_read_state(struct search_db *sd, struct search_state *have,
    struct search_state *want)
{
	sqlite3_stmt	*st;
	int		 rc;

	memset(have, 0, sizeof(*have));
	memset(want, 0, sizeof(*want));
	if ((st = search_stmt(sd, SS_STATE)) == NULL)
		return (-1);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_text(st, 0) != NULL)
			have->token = xstrdup((const char *)
			    sqlite3_column_text(st, 0));
		have->version = sqlite3_column_int64(st, 1);
		have->items = sqlite3_column_int64(st, 2);
		have->log = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return (-1);
	if ((st = search_stmt(sd, SS_SOURCE)) == NULL)
		return (-1);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_text(st, 0) != NULL)
			want->token = xstrdup((const char *)
			    sqlite3_column_text(st, 0));
		want->version = SEARCH_VERSION;
		want->items = sqlite3_column_int64(st, 1);
		want->log = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	return (rc == SQLITE_ROW && want->token != NULL ? 0 : -1);
}

/*
 * An index made for another database, by another version, or ahead of
 * the items (the database was restored from an older copy) cannot be
 * trusted: empty it, and index every item again.
 */
static const char *
search_mismatch(const struct search_state *have,
    const struct search_state *want)
{
	if (have->token == NULL)
		return ("new index");
	if (strcmp(have->token, want->token) != 0)
		return ("the index belongs to another database");
	if (have->version != want->version)
		return ("the index was made by another feedd version");
	if (have->items > want->items || have->log > want->log)
		return ("the index is ahead of the database");
	return (NULL);
}

/*
 * Indexes items committed since the last update, at most "max_items" new
 * ones (a rebuild goes in steps); "*more" says whether some are left.
 * Runs on its own connection, so any thread may call it; the store calls
 * it on the thread of whoever asked (the daemon: its indexer).
 */
int
search_update(struct search_db *sd, size_t max_items, int *more,
    char **cause)
{
	struct search_state	 have, want;
	sqlite3_stmt		*st;
	const char		*why;
	int64_t			 upto, args[4];
	int			 rc;

	*more = 0;
	memset(&have, 0, sizeof(have));
	memset(&want, 0, sizeof(want));
	if (atomic_load(&sd->stop)) {
		xasprintf(cause, "%s: indexing stopped", sd->path);
		return (-1);
	}
	if (sqlite3_exec(sd->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return (search_fail(sd, cause, "begin"));
	if (search_run(sd, SS_LOCK, 0, NULL) != 0 ||
	    search_read_state(sd, &have, &want) != 0)
		goto fail;
	if ((why = search_mismatch(&have, &want)) != NULL) {
		if (have.token != NULL || want.items > 0)
			log_info("search: %s: %s; indexing all %" PRId64
			    " items again", sd->path, why, want.items);
		if (search_run(sd, SS_RESET, 0, NULL) != 0 ||
		    sqlite3_exec(sd->db, SEARCH_TABLE, NULL, NULL, NULL) !=
		    SQLITE_OK)
			goto fail;
		free(have.token);
		have.token = xstrdup(want.token);
		have.version = want.version;
		have.items = 0;
		have.log = want.log;	/* nothing indexed to take back */
	}
	if (have.log < want.log) {
		args[0] = have.log;
		args[1] = want.log;
		args[2] = have.items;
		if (search_run(sd, SS_LOG_DELETE, 3, args) != 0 ||
		    search_run(sd, SS_LOG_READD, 3, args) != 0)
			goto fail;
	}
	upto = want.items;
	if (max_items > 0 && upto - have.items > (int64_t)max_items) {
		upto = have.items + (int64_t)max_items;
		*more = 1;
	}
	if (upto > have.items) {
		args[0] = have.items;
		args[1] = upto;
		if (search_run(sd, SS_ADD, 2, args) != 0)
			goto fail;
	}
	if ((st = search_stmt(sd, SS_STATE_SET)) == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, have.token, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, have.version);
	sqlite3_bind_int64(st, 3, upto);
	sqlite3_bind_int64(st, 4, want.log);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE ||
	    sqlite3_exec(sd->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	free(have.token);
	free(want.token);

	/*
	 * The log's applied rows are no longer needed.  This writes the
	 * database, briefly: only after items changed or went.
	 */
	if (want.log > sd->pruned && !atomic_load(&sd->stop)) {
		args[0] = want.log;
		if (search_run(sd, SS_PRUNE, 1, args) != 0)
			log_warnx("search: %s: pruning the change log: %s",
			    sd->path, sqlite3_errmsg(sd->db));
		else
			sd->pruned = want.log;
	}
	return (0);
fail:
	search_fail(sd, cause, "indexing");
	if (!sqlite3_get_autocommit(sd->db))
		sqlite3_exec(sd->db, "ROLLBACK", NULL, NULL, NULL);
	free(have.token);
	free(want.token);
	*more = 0;
	return (-1);
}

/* How many items and changes the index has still to take in. */
int
search_lag(struct search_db *sd, int64_t *lag, char **cause)
{
	sqlite3_stmt	*st;
	int		 rc;

	*lag = 0;
	if ((st = search_stmt(sd, SS_LAG)) == NULL)
		return (search_fail(sd, cause, "reading the index state"));
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*lag = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return (search_fail(sd, cause, "reading the index state"));
	if (*lag < 0)
		*lag = 0;
	return (0);
}

/* The ids of the best "limit" matches, best first. */
int
search_query(struct search_db *sd, const char *query, size_t limit,
    int64_t **ids, size_t *n, char **cause)
{
	sqlite3_stmt	*st;
	size_t		 cap = 0;
	int		 rc;

	*ids = NULL;
	*n = 0;
	if ((st = search_stmt(sd, SS_QUERY)) == NULL)
		return (search_fail(sd, cause, "search"));
	sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*ids = xreallocarray(*ids, cap, sizeof(**ids));
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE) {
		/* FTS5 query syntax errors land here: say so plainly. */
		if (cause != NULL)
			xasprintf(cause, "bad search query: %s",
			    sqlite3_errmsg(sd->db));
		sqlite3_reset(st);
		free(*ids);
		*ids = NULL;
		*n = 0;
		return (-1);
	}
	sqlite3_reset(st);
	return (0);
}
