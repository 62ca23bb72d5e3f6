/*
 * rpc-watch.c: watch: new items pushed to a connection as they are
 * committed, after a replay from a cursor; a watcher too far behind is
 * dropped.  On a database several nodes share, the items other nodes
 * commit are heard of through the store's listener and read from the
 * store as a replay is.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <jansson.h>

#include "buf.h"
#include "rpc-int.h"
#include "rpc.h"
#include "server.h"
#include "store-json.h"
#include "store.h"
#include "xmalloc.h"


/*
 * A watcher past this much unsent output is too far behind: it gets a
 * last error and is dropped, so it can never grow the daemon's memory.
 * A replay only goes on while under the low mark, and a commit larger
 * than a page, or one that finds the watcher above it, is fed as a
 * replay too (from the store, as the client drains): queued whole, a
 * poll of 27,000 items dropped a watcher that kept up.
 */
#define RPC_WATCH_HIGH	(8 * 1024 * 1024)
#define RPC_WATCH_LOW	(1024 * 1024)
#define RPC_WATCH_PAGE	500

struct rpc_watch {
	struct rpc		*rpc;
	struct server_conn	*conn;
	int64_t			 cursor;	/* every id <= this was seen */
	int64_t			 feed_id;	/* 0: any */
	char			*tag;		/* NULL: any */
	int			 replaying;
	int			 dead;
	struct event		*ev;		/* the replay's next page */
	TAILQ_ENTRY(rpc_watch)	 entry;
};

static void
rpc_watch_free(void *arg)
{
	struct rpc_watch	*w = arg;

	TAILQ_REMOVE(&w->rpc->watches, w, entry);
	event_free(w->ev);
	free(w->tag);
	free(w);
}

/* An item's notification, as JSON text appended to "b". */
static void
rpc_watch_note(struct buf *b, const struct store_item *si)
{
	buf_adds(b, "{\"jsonrpc\":\"2.0\",\"method\":\"item\",\"params\":");
	store_json_item_write(b, si);
	buf_addc(b, '}');
}

/*
 * Sends one item's notification (rpc_watch_note()); drops the watcher
 * when it is too far behind.
 */
static void
rpc_watch_send(struct rpc_watch *w, const char *note, size_t len)
{
	server_send_text(w->conn, note, len);
	if (server_conn_backlog(w->conn) > RPC_WATCH_HIGH) {
		server_send(w->conn, json_pack("{s:s, s:s, s:{s:s, s:I}}",
		    "jsonrpc", "2.0", "method", "error", "params", "message",
		    "too far behind: reconnect with \"since\"", "since",
		    (json_int_t)w->cursor));
		server_conn_close(w->conn);
		w->dead = 1;
	}
}

/* Stored items after the cursor, a page a loop turn, then live ones. */
static void
rpc_watch_replay_cb(evutil_socket_t fd, short what, void *arg)
{
	struct rpc_watch	*w = arg;
	struct store_query	 q;
	struct buf		 note = { NULL, 0, 0 };
	struct store_item	*v;
	struct timeval		 tv = { 0, 0 };
	char			*cause = NULL;
	size_t			 n, i;

	if (w->dead)
		return;
	if (server_conn_backlog(w->conn) > RPC_WATCH_LOW) {
		tv.tv_usec = 10000;	/* let the client read first */
		evtimer_add(w->ev, &tv);
		return;
	}
	memset(&q, 0, sizeof(q));
	q.since = w->cursor;
	q.feed_id = w->feed_id;
	q.tag = w->tag;
	q.limit = RPC_WATCH_PAGE;
	if (store_items_list(w->rpc->store, &q, &v, &n, &cause) != 0) {
		/* A database away is not asked again at once, in a loop
		 * that would hold the CPU until it is back. */
		free(cause);
		tv.tv_sec = 1;
		evtimer_add(w->ev, &tv);
		return;
	}
	for (i = 0; i < n && !w->dead; i++) {
		/* Big items: the rest of the page once the client read. */
		if (server_conn_backlog(w->conn) > RPC_WATCH_LOW)
			break;
		buf_clear(&note);
		rpc_watch_note(&note, &v[i]);
		rpc_watch_send(w, note.data, note.len);
		w->cursor = v[i].id;
	}
	buf_free(&note);
	store_items_free(v, n);
	if (n == RPC_WATCH_PAGE || i < n)
		evtimer_add(w->ev, &tv);
	else
		w->replaying = 0;	/* caught up: live from here */
}

/*
 * watch {since?, feed?, tag?}: items stored after "since" (none when it
 * is left out), then each new one as it is committed, as "item"
 * notifications.  One cursor per watcher makes the seam exact: an item
 * is sent when its id is past the cursor, and the cursor only grows.
 */
int
rpc_watch(struct rpc *r, json_t *params, json_t **result, char **message)
{
	struct rpc_watch	*w;
	struct store_feed	*f;
	struct store_stats	 st;
	struct timeval		 tv = { 0, 0 };
	const char		*tag = NULL;
	json_t			*feed;
	char			*cause = NULL;
	int64_t			 since = -1;
	int			 rc;

	if (server_conn_get_data(r->conn) != NULL)
		return (rpc_failed(message, xstrdup("this connection is "
		    "already watching")));
	if (rpc_int(params, "since", &since, 0) < 0)
		return (rpc_bad(message, "%s must be an item id", "since"));
	if (rpc_str(params, "tag", &tag) < 0)
		return (rpc_bad(message, "%s must be a string", "tag"));
	if ((rc = rpc_tag_unknown(r, tag, message)) != 0)
		return (rc);
	w = xcalloc(1, sizeof(*w));
	feed = json_object_get(params, "feed");
	if (feed != NULL && !json_is_null(feed)) {
		if ((f = rpc_feed(r, feed)) == NULL) {
			free(w);
			return (rpc_no_feed(r, feed, message));
		}
		w->feed_id = f->id;
		store_feed_free(f);
	}
	if (store_stats(r->store, &st, &cause) != 0) {
		free(w);
		return (rpc_failed(message, cause));
	}
	/*
	 * A cursor past every id ever given is from another database (a
	 * new one, a restored backup): waiting there would skip every item
	 * up to it without a word.
	 */
	if (since > st.max_id) {
		free(w);
		xasprintf(message, "item %" PRId64 " was never stored here (the "
		    "newest is %" PRId64 "); a new database? watch again with "
		    "since 0, or without it", since, st.max_id);
		return (RPC_FAILED);
	}
	if (since < 0)
		since = st.max_id;
	w->rpc = r;
	w->conn = r->conn;
	w->cursor = since;
	w->tag = tag != NULL ? xstrdup(tag) : NULL;
	w->replaying = 1;
	w->ev = evtimer_new(r->base, rpc_watch_replay_cb, w);
	TAILQ_INSERT_TAIL(&r->watches, w, entry);
	server_conn_set_data(r->conn, w, rpc_watch_free);
	/* After this reply has gone out: the replay's first page. */
	evtimer_add(w->ev, &tv);
	*result = json_pack("{s:b, s:I}", "watching", 1, "since",
	    (json_int_t)since);
	return (0);
}

static int
rpc_watch_wants(struct rpc_watch *w, int64_t feed_id,
    const struct store_feed *f)
{
	size_t	i;

	if (w->dead || w->replaying)
		return (0);
	if (w->feed_id != 0 && w->feed_id != feed_id)
		return (0);
	if (w->tag == NULL)
		return (1);
	for (i = 0; f != NULL && i < f->ntags; i++)
		if (strcmp(f->tags[i], w->tag) == 0)
			return (1);
	return (0);
}

/* poller's announce callback: a poll's new items are committed. */
void
rpc_announce(int64_t feed_id, const int64_t *ids, size_t nids, void *arg)
{
	struct rpc		*r = arg;
	struct rpc_watch	*w;
	struct store_feed	*f = NULL;
	struct store_item	*v = NULL;
	struct timeval		 tv = { 0, 0 };
	struct buf		 notes = { NULL, 0, 0 };
	char			*cause = NULL;
	size_t			 n = 0, i, *off;
	int			 any = 0, gap;

	/* Item ids are given in commit order (PostgreSQL's writers lock
	 * one row first), so ids below this poll's first that were never
	 * heard of are another node's, committed already. */
	gap = nids > 0 && ids[0] > r->heard_max + 1;
	if (nids > 0 && ids[nids - 1] > r->heard_max)
		r->heard_max = ids[nids - 1];
	TAILQ_FOREACH(w, &r->watches, entry) {
		if (w->tag != NULL && f == NULL)
			f = store_feed_get(r->store, feed_id);
		if (!rpc_watch_wants(w, feed_id, f))
			continue;
		if (gap || nids > RPC_WATCH_PAGE ||
		    server_conn_backlog(w->conn) > RPC_WATCH_LOW) {
			/* The cursor makes the seam exact, as at the start. */
			w->replaying = 1;
			evtimer_add(w->ev, &tv);
			continue;
		}
		any = 1;
	}
	if (!any || store_items_get(r->store, ids, nids, &v, &n, &cause) != 0) {
		free(cause);
		store_feed_free(f);
		return;
	}
	/* Each notification is written once, whatever the watchers. */
	off = xcalloc(n + 1, sizeof(*off));
	for (i = 0; i < n; i++) {
		rpc_watch_note(&notes, &v[i]);
		off[i + 1] = notes.len;
	}
	TAILQ_FOREACH(w, &r->watches, entry) {
		if (!rpc_watch_wants(w, feed_id, f))
			continue;
		for (i = 0; i < n && !w->dead; i++) {
			if (v[i].id <= w->cursor)
				continue;
			rpc_watch_send(w, notes.data + off[i],
			    off[i + 1] - off[i]);
			w->cursor = v[i].id;
		}
	}
	free(off);
	buf_free(&notes);
	store_items_free(v, n);
	store_feed_free(f);
}

/*
 * Another node committed items up to "max" (0: any cursor may be behind;
 * peers.h): each watcher behind it reads the store from its cursor, as a
 * replay, with its filters; one already replaying reads them anyway.
 */
void
rpc_watch_heard(int64_t max, void *arg)
{
	struct rpc		*r = arg;
	struct rpc_watch	*w;
	struct timeval		 tv = { 0, 0 };

	if (max > r->heard_max)
		r->heard_max = max;
	TAILQ_FOREACH(w, &r->watches, entry) {
		if (w->dead || w->replaying || (max > 0 && w->cursor >= max))
			continue;
		w->replaying = 1;
		evtimer_add(w->ev, &tv);
	}
}
