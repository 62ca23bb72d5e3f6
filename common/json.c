/*
 * json.c: records as JSON values, the one place their shape is written
 * (DESIGN.md "Records"): every field present, null when missing.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "date.h"
#include "item.h"
#include "json.h"

static json_t *
json_str(const char *s)
{
	json_t	*v;

	if (s == NULL)
		return (json_null());
	/* Parsed text is valid UTF-8; anything else must not vanish. */
	if ((v = json_string(s)) == NULL)
		v = json_stringn_nocheck(s, strlen(s));
	return (v);
}

json_t *
json_date(int64_t t)
{
	char	buf[DATE_RFC3339_LEN];

	if (t == DATE_NONE || date_format_rfc3339(t, buf, sizeof(buf)) == NULL)
		return (json_null());
	return (json_string(buf));
}

json_t *
json_feed_item(const struct feed_item *it)
{
	json_t	*cats, *encs, *e;
	size_t	 i;

	cats = json_array();
	for (i = 0; i < it->ncategories; i++)
		json_array_append_new(cats, json_str(it->categories[i]));
	encs = json_array();
	for (i = 0; i < it->nenclosures; i++) {
		e = json_pack("{s:o, s:o, s:o, s:o}",
		    "url", json_str(it->enclosures[i].url),
		    "type", json_str(it->enclosures[i].type),
		    "length", it->enclosures[i].length < 0 ? json_null() :
		    json_integer(it->enclosures[i].length),
		    "duration", it->enclosures[i].duration < 0 ? json_null() :
		    json_integer(it->enclosures[i].duration));
		json_array_append_new(encs, e);
	}
	return (json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
	    "s:o, s:o, s:o, s:o, s:o}",
	    "key", json_str(it->key),
	    "guid", json_str(it->guid),
	    "title", json_str(it->title),
	    "link", json_str(it->link),
	    "author", json_str(it->author),
	    "published", json_date(it->published),
	    "updated", json_date(it->updated),
	    "summary", json_str(it->summary),
	    "content", json_str(it->content),
	    "categories", cats,
	    "enclosures", encs,
	    "image", json_str(it->image),
	    "episode", it->episode < 0 ? json_null() :
	    json_integer(it->episode),
	    "season", it->season < 0 ? json_null() :
	    json_integer(it->season)));
}

json_t *
json_feed_doc(const struct feed_doc *doc)
{
	json_t	*feed, *items, *hints, *skip_h, *skip_d;
	size_t	 i;

	skip_h = json_array();
	for (i = 0; i < 24; i++)
		if (doc->hints.skip_hours & (1U << i))
			json_array_append_new(skip_h, json_integer((json_int_t)i));
	skip_d = json_array();
	for (i = 0; i < 7; i++)
		if (doc->hints.skip_days & (1U << i))
			json_array_append_new(skip_d, json_integer((json_int_t)i));
	hints = json_pack("{s:o, s:o, s:o, s:o}",
	    "ttl", doc->hints.ttl < 0 ? json_null() :
	    json_integer(doc->hints.ttl),
	    "update_period", doc->hints.update_period < 0 ? json_null() :
	    json_integer(doc->hints.update_period),
	    "skip_hours", skip_h,
	    "skip_days", skip_d);
	feed = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "format", feed_format_name(doc->format),
	    "title", json_str(doc->title),
	    "link", json_str(doc->link),
	    "subtitle", json_str(doc->subtitle),
	    "id", json_str(doc->id),
	    "language", json_str(doc->language),
	    "updated", json_date(doc->updated),
	    "author", json_str(doc->author),
	    "self", json_str(doc->self),
	    "hints", hints);
	items = json_array();
	for (i = 0; i < doc->nitems; i++)
		json_array_append_new(items, json_feed_item(doc->items[i]));
	return (json_pack("{s:o, s:o}", "feed", feed, "items", items));
}
