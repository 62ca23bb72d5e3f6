/*
 * rpc-consumer.c: consumer.fetch and consumer.ack: named cursors for
 * scripts, recorded on the writer.
 */
#include <string.h>

#include <jansson.h>

#include "item.h"
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
		store_feed_free(f);
	}
	c.limit = (size_t)limit;
	w = rpc_write_new(r, params);
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
