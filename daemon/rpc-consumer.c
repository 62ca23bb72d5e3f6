/*
 * rpc-consumer.c: consumer.fetch, consumer.ack, consumer.list and
 * consumer.remove: named cursors for scripts, recorded on the writer.
 */
#include <string.h>

#include <jansson.h>

#include "item.h"
#include "json.h"
#include "rpc-int.h"
#include "rpc.h"
#include "store.h"
#include "xmalloc.h"

static int
rpc_consumer_fetch_run(struct store *s, struct rpc_write *w, char **cause)
{
	return (store_consumer_fetch(s, &w->consumer, &w->items, &w->nitems,
	    cause));
}

static int
rpc_consumer_fetch_done(struct rpc_write *w, json_t **result,
    char **message)
{
	rpc_items_write(&w->text, w->items, w->nitems);
	w->items = NULL;
	w->nitems = 0;
	return (0);
}

/*
 * consumer.fetch {name, limit?, feed?, tag?, from_start?}: on the writer,
 * since a consumer's first fetch records it.
 */
int
rpc_consumer_fetch(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_consumer	 c;
	struct store_feed	*f;
	struct rpc_write	*w;
	json_t			*feed;
	int64_t			 limit = 0;
	int			 rc;

	memset(&c, 0, sizeof(c));
	if (rpc_str(params, "name", &c.name) != 1)
		return (rpc_bad(message, "%s (a string) is required", "name"));
	if ((rc = rpc_limit(params, &limit, message)) != 0)
		return (rc);
	if (rpc_str(params, "tag", &c.tag) < 0)
		return (rpc_bad(message, "%s must be a string", "tag"));
	if (rpc_bool(params, "from_start", &c.from_start) < 0)
		return (rpc_bad(message, "%s must be true or false",
		    "from_start"));
	feed = json_object_get(params, "feed");
	if (feed != NULL && !json_is_null(feed)) {
		if ((f = rpc_feed(r, feed)) == NULL)
			return (rpc_no_feed(r, feed, message));
		c.feed_id = f->id;
	} else
		f = NULL;
	c.limit = (size_t)limit;
	w = rpc_write_new(r, params);
	/* Kept by URL: the feed subscribed again is still its feed. */
	if (f != NULL) {
		w->feed_url = xstrdup(f->url);
		c.feed_url = w->feed_url;
		store_feed_free(f);
	}
	w->consumer = c;
	return (rpc_write_submit(w, rpc_consumer_fetch_run,
	    rpc_consumer_fetch_done));
}

static int
rpc_consumer_ack_run(struct store *s, struct rpc_write *w, char **cause)
{
	return (store_consumer_ack(s, w->consumer.name, w->item_id,
	    &w->cursor, cause));
}

static int
rpc_consumer_ack_done(struct rpc_write *w, json_t **result, char **message)
{
	*result = json_pack("{s:s, s:I}", "name", w->consumer.name, "cursor",
	    (json_int_t)w->cursor);
	return (0);
}

int
rpc_consumer_ack(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct rpc_write	*w;
	const char		*name = NULL;
	int64_t			 id = -1;

	if (rpc_str(params, "name", &name) != 1)
		return (rpc_bad(message, "%s (a string) is required", "name"));
	if (rpc_int(params, "id", &id, 0) != 1)
		return (rpc_bad(message, "%s (an item id) is required", "id"));
	w = rpc_write_new(r, params);
	w->consumer.name = name;
	w->item_id = id;
	return (rpc_write_submit(w, rpc_consumer_ack_run,
	    rpc_consumer_ack_done));
}

/*
 * consumer.list {}: every consumer, by name, with its filters, cursor and
 * the items it has still to acknowledge (which retention keeps).
 */
int
rpc_consumer_list(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct store_consumer_info	*v;
	json_t				*a;
	size_t				 n, i;
	char				*cause = NULL;

	if (store_consumers_list(r->store, &v, &n, &cause) != 0)
		return (rpc_failed(message, cause));
	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:o, "
		    "s:I, s:o, s:I}",
		    "name", v[i].name,
		    "feed", v[i].feed != NULL ? json_string(v[i].feed) :
		    json_null(),
		    "feed_id", v[i].feed_id > 0 ?
		    json_integer(v[i].feed_id) : json_null(),
		    "tag", v[i].tag != NULL ? json_string(v[i].tag) :
		    json_null(),
		    "cursor", (json_int_t)v[i].cursor,
		    "updated", json_date(v[i].updated),
		    "unacked", (json_int_t)v[i].unacked));
	store_consumers_free(v, n);
	*result = json_pack("{s:o}", "consumers", a);
	return (0);
}

static int
rpc_consumer_remove_run(struct store *s, struct rpc_write *w, char **cause)
{
	return (store_consumer_remove(s, w->consumer.name, cause));
}

static int
rpc_consumer_remove_done(struct rpc_write *w, json_t **result,
    char **message)
{
	*result = json_pack("{s:s}", "removed", w->consumer.name);
	return (0);
}

/* consumer.remove {name}: forgets it; an error when there is none. */
int
rpc_consumer_remove(struct rpc *r, json_t *params, json_t **result,
    char **message)
{
	struct rpc_write	*w;
	const char		*name = NULL;

	if (rpc_str(params, "name", &name) != 1)
		return (rpc_bad(message, "%s (a string) is required", "name"));
	w = rpc_write_new(r, params);
	w->consumer.name = name;
	return (rpc_write_submit(w, rpc_consumer_remove_run,
	    rpc_consumer_remove_done));
}
