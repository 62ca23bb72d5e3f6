/*
 * rpc-items.c: the items.* methods: get, list, mark (on the writer) and
 * search (answered once the index holds what was committed before).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "indexer.h"
#include "rpc-int.h"
#include "rpc.h"
#include "server.h"
#include "store-json.h"
#include "store.h"
#include "xmalloc.h"

#define RPC_WIDTH_MAX	1000	/* items.get: the widest text asked for */

/*
 * items.get {id, width?}: one stored item as a reader gets it: the record,
 * its feed ({id, url, title}), and "html" and "text" (store_json_reader();
 * the text wrapped at "width" columns, 0 or none: not wrapped).
 */
int
rpc_items_get(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_item	*v;
	struct store_feed	*f;
	char			*cause = NULL;
	int64_t			 id = 0, width = 0;
	size_t			 n;

	if (rpc_int(params, "id", &id, 1) != 1)
		return (rpc_bad(message, "%s must be an item id", "id"));
	if (rpc_int(params, "width", &width, 0) < 0 || width > RPC_WIDTH_MAX)
		return (rpc_bad(message, "%s must be 0 to %d", "width",
		    RPC_WIDTH_MAX));
	if (store_items_get(r->store, &id, 1, &v, &n, &cause) != 0)
		return (rpc_failed(message, cause));
	if (n == 0) {
		store_items_free(v, n);
		return (rpc_failed(message, xstrdup("no such item")));
	}
	f = store_feed_get(r->store, v[0].feed_id);
	*result = store_json_item(&v[0]);
	json_object_set_new(*result, "feed", json_pack("{s:I, s:s?, s:s?}",
	    "id", (json_int_t)v[0].feed_id, "url", f != NULL ? f->url : NULL,
	    "title", f != NULL ? f->title : NULL));
	store_json_reader(*result, v[0].item, f != NULL ? f->link : NULL,
	    (int)width);
	store_feed_free(f);
	store_items_free(v, n);
	return (0);
}

/*
 * items.list: the first "limit" items after "since", else the newest
 * "limit"; in id order, or newest first with "reverse".
 */
int
rpc_items_list(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_query	 q;
	struct store_feed	*f;
	struct store_item	*v, tmp;
	struct buf		 text = { NULL, 0, 0 };
	json_t			*feed;
	char			*cause = NULL;
	int64_t			 limit = 0;
	size_t			 n, i;
	int			 reverse = 0, rc;

	memset(&q, 0, sizeof(q));
	if ((rc = rpc_int(params, "since", &q.since, 0)) < 0)
		return (rpc_bad(message, "%s must be an item id", "since"));
	q.newest = rc == 0;
	if ((rc = rpc_limit(params, &limit, message)) != 0)
		return (rc);
	if (rpc_str(params, "tag", &q.tag) < 0)
		return (rpc_bad(message, "%s must be a string", "tag"));
	if ((rc = rpc_tag_unknown(r, q.tag, message)) != 0)
		return (rc);
	if (rpc_bool(params, "unread", &q.unread) < 0)
		return (rpc_bad(message, "%s must be true or false", "unread"));
	if (rpc_bool(params, "starred", &q.starred) < 0)
		return (rpc_bad(message, "%s must be true or false",
		    "starred"));
	if (rpc_bool(params, "reverse", &reverse) < 0)
		return (rpc_bad(message, "%s must be true or false",
		    "reverse"));
	feed = json_object_get(params, "feed");
	if (feed != NULL && !json_is_null(feed)) {
		if ((f = rpc_feed(r, feed)) == NULL)
			return (rpc_no_feed(r, feed, message));
		q.feed_id = f->id;
		store_feed_free(f);
	}
	q.limit = (size_t)limit;
	if (store_items_list(r->store, &q, &v, &n, &cause) != 0)
		return (rpc_failed(message, cause));
	for (i = 0; reverse && i < n / 2; i++) {
		tmp = v[i];
		v[i] = v[n - 1 - i];
		v[n - 1 - i] = tmp;
	}
	rpc_items_write(&text, v, n);
	return (rpc_answer_text(r, &text));
}

/* ids: a list of item ids (at most 10,000 a call). */
static int
rpc_ids(json_t *params, int64_t **ids, size_t *n)
{
	json_t	*a = json_object_get(params, "ids"), *j;
	size_t	 i;

	if (!json_is_array(a) || json_array_size(a) == 0 ||
	    json_array_size(a) > STORE_MAX_LIMIT)
		return (-1);
	*ids = xcalloc(json_array_size(a), sizeof(**ids));
	*n = 0;
	json_array_foreach(a, i, j) {
		if (!json_is_integer(j)) {
			free(*ids);
			return (-1);
		}
		(*ids)[(*n)++] = json_integer_value(j);
	}
	return (0);
}

/* Ids of "ids" the store does not hold, as a message; NULL if none. */
static char *
rpc_missing(struct rpc *r, const int64_t *ids, size_t n)
{
	struct store_item	*v;
	struct buf		 b = { NULL, 0, 0 };
	char			*cause = NULL, one[32];
	size_t			 nv, i, k, missing = 0;

	if (store_items_get(r->store, ids, n, &v, &nv, &cause) != 0)
		return (cause);
	for (i = 0, k = 0; i < n; i++) {
		for (k = 0; k < nv; k++)
			if (v[k].id == ids[i])
				break;
		if (k < nv)
			continue;
		if (missing++ < 10) {
			snprintf(one, sizeof(one), "%s%" PRId64,
			    missing > 1 ? ", " : "", ids[i]);
			buf_adds(&b, one);
		} else if (missing == 11)
			buf_adds(&b, " ...");
	}
	store_items_free(v, nv);
	if (missing == 0) {
		buf_free(&b);
		return (NULL);
	}
	xasprintf(&cause, "no such item: %s (nothing was marked)", b.data);
	buf_free(&b);
	return (cause);
}

static int
rpc_items_mark_run(struct store *s, struct rpc_write *w, char **cause)
{
	if (w->ids != NULL)
		return (store_items_mark(s, w->ids, w->n, w->read, w->starred,
		    &w->changed, cause));
	return (store_items_mark_where(s, &w->q, w->read, w->starred,
	    &w->changed, cause));
}

static int
rpc_items_mark_done(struct rpc_write *w, json_t **result, char **message)
{
	*result = json_pack("{s:I}", "changed", (json_int_t)w->changed);
	return (0);
}

/*
 * items.mark {ids, read?, starred?}, or instead of ids a selection:
 * "all", "feed" or "tag", each with "before" (that id and older only).
 * Ids the store does not hold fail the call and nothing changes.
 */
int
rpc_items_mark(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_query	 q;
	struct store_feed	*f;
	struct rpc_write	*w;
	json_t			*feed;
	int64_t			*ids = NULL;
	size_t			 n = 0;
	char			*cause = NULL;
	int			 read = -1, starred = -1, all = 0, rc;

	memset(&q, 0, sizeof(q));
	if (rpc_bool(params, "read", &read) < 0 ||
	    rpc_bool(params, "starred", &starred) < 0 ||
	    rpc_bool(params, "all", &all) < 0)
		return (rpc_bad(message, "%s must be true or false",
		    "read/starred/all"));
	if (rpc_str(params, "tag", &q.tag) < 0)
		return (rpc_bad(message, "%s must be a string", "tag"));
	if ((rc = rpc_tag_unknown(r, q.tag, message)) != 0)
		return (rc);
	if (rpc_int(params, "before", &q.before, 1) < 0)
		return (rpc_bad(message, "%s must be an item id", "before"));
	feed = json_object_get(params, "feed");
	if (feed != NULL && !json_is_null(feed)) {
		if ((f = rpc_feed(r, feed)) == NULL)
			return (rpc_no_feed(r, feed, message));
		q.feed_id = f->id;
		store_feed_free(f);
	}
	if (json_object_get(params, "ids") != NULL) {
		if (all || q.tag != NULL || q.feed_id > 0 || q.before > 0)
			return (rpc_bad(message, "ids go alone: not with "
			    "all, feed, tag or before"));
		if (rpc_ids(params, &ids, &n) != 0)
			return (rpc_bad(message, "%s: want a list of item ids",
			    "ids"));
	} else if (!all && q.tag == NULL && q.feed_id == 0)
		return (rpc_bad(message, "ids, all, feed or tag is "
		    "required"));
	if (read < 0 && starred < 0) {
		free(ids);
		return (rpc_bad(message, "read or starred is required"));
	}
	if (ids != NULL && (cause = rpc_missing(r, ids, n)) != NULL) {
		free(ids);
		return (rpc_failed(message, cause));
	}
	w = rpc_write_new(r, params);
	w->ids = ids;
	w->n = n;
	w->q = q;
	w->read = read;
	w->starred = starred;
	return (rpc_write_submit(w, rpc_items_mark_run, rpc_items_mark_done));
}

/*
 * items.search answers once the index holds every item committed before
 * the request (the indexer works after the commits), so a search right
 * after a poll finds what it brought.
 */
static int
rpc_search_run(struct rpc *r, const char *query, size_t limit,
    struct buf *text, char **message)
{
	struct store_item	*v;
	char			*cause = NULL;
	size_t			 n;

	if (store_items_search(r->store, query, limit, &v, &n, &cause) != 0)
		return (rpc_failed(message, cause));
	rpc_items_write(text, v, n);
	return (0);
}

/* The index caught up: the search runs, unless its client left. */
static void
rpc_search_ready(void *arg)
{
	struct rpc_write	*w = arg;
	char			*message = NULL;

	if (w->conn != NULL && rpc_search_run(w->rpc, w->query, w->limit,
	    &w->text, &message) != 0) {
		rpc_write_finish(w, NULL, message);
		free(message);
		return;
	}
	rpc_write_finish(w, NULL, NULL);
}

int
rpc_items_search(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct rpc_write	*w;
	struct buf		 text = { NULL, 0, 0 };
	const char		*query = NULL;
	char			*cause = NULL;
	int64_t			 limit = 0, lag = 0;
	int			 rc;

	if (rpc_str(params, "query", &query) != 1)
		return (rpc_bad(message, "%s (a string) is required",
		    "query"));
	if ((rc = rpc_limit(params, &limit, message)) != 0)
		return (rc);
	if (r->indexer == NULL ||
	    (store_index_lag(r->store, &lag, &cause) == 0 && lag == 0)) {
		if ((rc = rpc_search_run(r, query, (size_t)limit, &text,
		    message)) != 0)
			return (rc);
		return (rpc_answer_text(r, &text));
	}
	free(cause);
	w = rpc_write_new(r, params);
	w->query = query;
	w->limit = (size_t)limit;
	TAILQ_INSERT_TAIL(&r->writes, w, entry);
	indexer_wait(r->indexer, rpc_search_ready, w);
	return (RPC_DEFERRED);
}
