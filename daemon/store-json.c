/*
 * store-json.c: stored records to JSON.  The item is the parser's record
 * (common/json.c) plus what the store adds.
 */
#include <stdlib.h>

#include <jansson.h>

#include "buf.h"
#include "html.h"
#include "item.h"
#include "json.h"
#include "store-json.h"
#include "store.h"

/* feedd-protocol(7): new ok error disabled. */
const char *
store_json_feed_status(const struct store_feed *f)
{
	if (!f->enabled)
		return ("disabled");
	if (f->last_poll == DATE_NONE)
		return ("new");
	return (f->errors > 0 ? "error" : "ok");
}

/*
 * Why a feed is not polled, in the word feedctl's table shows: "gone" (a
 * 410 disabled it), "moved" (a permanent redirect to a feed polled
 * already), "disabled" (enabled = no in its [feed] section) or
 * "paused" (feedctl edit); NULL when it is polled.  "status" says
 * "disabled" for all three, as feedd-protocol(7) always has.
 */
const char *
store_json_feed_not_polled(const struct store_feed *f)
{
	if (f->enabled)
		return (NULL);
	if (f->last_status == 410)
		return ("gone");
	if (f->last_status == 301 || f->last_status == 308)
		return ("moved");
	if (f->origin == STORE_ORIGIN_CONFIG)
		return ("disabled");
	return ("paused");
}

/*
 * The next_poll_reason of a feed that is not polled: why, and how to
 * poll it again.  A plan stored before it stopped is no plan any more.
 */
const char *
store_json_feed_not_polled_reason(const struct store_feed *f)
{
	const char	*why = store_json_feed_not_polled(f);

	if (why == NULL)
		return (NULL);
	if (why[0] == 'g')
		return ("not polled: the server said 410 Gone (feedctl edit "
		    "--resume polls it again)");
	if (why[0] == 'm')
		return ("not polled: it moved to a feed polled already "
		    "(feedctl edit --resume tries it again)");
	if (why[0] == 'd')
		return ("not polled: enabled = no in its [feed] section");
	return ("not polled: paused (feedctl edit --resume)");
}

static json_t *
store_json_str(const char *s)
{
	return (s != NULL ? json_string(s) : json_null());
}

json_t *
store_json_feed(const struct store_feed *f)
{
	json_t	*tags;
	size_t	 i;

	tags = json_array();
	for (i = 0; i < f->ntags; i++)
		json_array_append_new(tags, json_string(f->tags[i]));
	return (json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:b, s:s, s:s, "
	    "s:o, s:o, s:o, s:o, s:o, s:i, s:o, s:o, s:o, s:I, s:I}",
	    "id", (json_int_t)f->id,
	    "url", store_json_str(f->url),
	    "title", store_json_str(f->title),
	    "link", store_json_str(f->link),
	    "tags", tags,
	    "interval", f->interval < 0 ? json_null() :
	    json_integer(f->interval),
	    "enabled", f->enabled,
	    "origin", f->origin == STORE_ORIGIN_CONFIG ? "config" : "runtime",
	    "status", store_json_feed_status(f),
	    "not_polled", store_json_str(store_json_feed_not_polled(f)),
	    "last_poll", json_date(f->last_poll),
	    "last_success", json_date(f->last_success),
	    "last_status", f->last_status > 0 ?
	    json_integer(f->last_status) : json_null(),
	    "last_error", store_json_str(f->last_error),
	    "errors", f->errors,
	    /* A feed not polled has no next poll, whatever was planned. */
	    "next_poll", f->enabled ? json_date(f->next_poll) : json_null(),
	    "next_poll_reason", store_json_str(f->enabled ?
	    f->next_poll_reason : store_json_feed_not_polled_reason(f)),
	    "retry_after", json_date(f->retry_after),
	    "items", (json_int_t)f->items,
	    "unread", (json_int_t)f->unread));
}

json_t *
store_json_item(const struct store_item *si)
{
	json_t	*j;

	j = json_feed_item(si->item);
	json_object_set_new(j, "id", json_integer(si->id));
	json_object_set_new(j, "feed_id", json_integer(si->feed_id));
	json_object_set_new(j, "story", json_integer(si->story));
	json_object_set_new(j, "fetched", json_date(si->fetched));
	json_object_set_new(j, "read", json_boolean(si->read));
	json_object_set_new(j, "starred", json_boolean(si->starred));
	return (j);
}

/*
 * store_json_item() as json_dumps(..., JSON_COMPACT) writes it, straight
 * into "b": a page of items is built without a tree.
 */
void
store_json_item_write(struct buf *b, const struct store_item *si)
{
	const int	f = JSON_WRITE_COMPACT;

	json_feed_item_write(b, si->item, f | JSON_WRITE_OPEN);
	json_write_key(b, "id", f);
	json_write_int(b, si->id);
	json_write_key(b, "feed_id", f);
	json_write_int(b, si->feed_id);
	json_write_key(b, "story", f);
	json_write_int(b, si->story);
	json_write_key(b, "fetched", f);
	json_write_date(b, si->fetched);
	json_write_key(b, "read", f);
	buf_adds(b, si->read ? "true" : "false");
	json_write_key(b, "starred", f);
	buf_adds(b, si->starred ? "true}" : "false}");
}

/* A delivery's item, as notifiers send it: the item record and its feed. */
json_t *
store_json_delivery(const struct store_delivery *d)
{
	json_t	*j = store_json_item(&d->item);

	json_object_set_new(j, "feed", json_pack("{s:I, s:s, s:s?}",
	    "id", (json_int_t)d->item.feed_id, "url", d->feed_url,
	    "title", d->feed_title));
	return (j);
}

/*
 * What leaves feedd for a person or a receiver adds to the record: "html"
 * (the content, else the summary, sanitised, relative URLs resolved
 * against the item's link, else "base") and "text" (that HTML rendered,
 * links numbered, wrapped at "width" columns, 0 for none); null without
 * either.  The record's own summary and content stay as the feed sent
 * them.
 */
void
store_json_reader(json_t *j, const struct feed_item *it, const char *base,
    int width)
{
	char	*html, *text;

	html_item(it, base, width, &html, &text);
	json_object_set_new(j, "html", html != NULL ? json_string(html) :
	    json_null());
	json_object_set_new(j, "text", text != NULL ? json_string(text) :
	    json_null());
	free(html);
	free(text);
}
