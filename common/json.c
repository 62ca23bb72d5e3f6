/*
 * json.c: records as JSON values, the one place their shape is written
 * (feedd-protocol(7) "RECORDS"): every field present, null when missing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
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
	json_t	*j, *cats, *encs, *e;
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
	j = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
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
	    json_integer(it->season));
	/* Only when there is one: records without xml:base stay as they were. */
	if (it->base != NULL)
		json_object_set_new(j, "base", json_string(it->base));
	return (j);
}

/*
 * The writer below appends json_feed_item()'s JSON, byte for byte as
 * json_dumps() writes it (flags 0 or JSON_COMPACT), without building the
 * tree: "feedctl parse" writes every item of a document this way, and
 * the daemon its pages of items; building and dumping a jansson tree
 * per item cost more than parsing or reading it.
 */
/* Appends n bytes that fit: the caller reserved them. */
static inline void
json_w_raw(struct buf *b, const char *s, size_t n)
{
	memcpy(b->data + b->len, s, n);
	b->len += n;
}

#define JSON_W_LIT(b, lit)	do {					\
	buf_reserve((b), sizeof(lit));					\
	json_w_raw((b), (lit), sizeof(lit) - 1);			\
} while (0)

/* The bytes a JSON string escapes. */
static const unsigned char json_w_special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1
};

#define JSON_W_ONES	0x0101010101010101ULL
#define JSON_W_HIGHS	0x8080808080808080ULL
/* Whether one of 8 bytes is below 0x20, '"' or '\\' (bit tricks). */
#define JSON_W_ZERO(w)	(((w) - JSON_W_ONES) & ~(w) & JSON_W_HIGHS)
#define JSON_W_SPECIAL(w) ((((w) - JSON_W_ONES * 0x20) & ~(w) &	\
	JSON_W_HIGHS) | JSON_W_ZERO((w) ^ (JSON_W_ONES * '"')) |	\
	JSON_W_ZERO((w) ^ (JSON_W_ONES * '\\')))

/*
 * Text mostly needs no escape: it is passed over 8 bytes at a time, and
 * copied in runs.
 */
void
json_write_str(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*u = (const unsigned char *)s;
	char			 esc[6] = { '\\', 'u', '0', '0', 0, 0 };
	const char		*e;
	size_t			 len, i = 0, run = 0;
	uint64_t		 w;

	if (s == NULL) {
		JSON_W_LIT(b, "null");
		return;
	}
	len = strlen(s);
	buf_reserve(b, len + 2);
	json_w_raw(b, "\"", 1);
	for (;;) {
		while (i + 8 <= len) {
			memcpy(&w, u + i, 8);
			if (JSON_W_SPECIAL(w))
				break;
			i += 8;
		}
		while (i < len && !json_w_special[u[i]])
			i++;
		if (i >= len)
			break;
		buf_reserve(b, i - run + 8);
		json_w_raw(b, s + run, i - run);
		run = i + 1;
		switch (u[i++]) {
		case '"':
			e = "\\\"";
			break;
		case '\\':
			e = "\\\\";
			break;
		case '\b':
			e = "\\b";
			break;
		case '\f':
			e = "\\f";
			break;
		case '\n':
			e = "\\n";
			break;
		case '\r':
			e = "\\r";
			break;
		case '\t':
			e = "\\t";
			break;
		default:
			esc[4] = hex[u[i - 1] >> 4];
			esc[5] = hex[u[i - 1] & 0xf];
			json_w_raw(b, esc, sizeof(esc));
			continue;
		}
		json_w_raw(b, e, 2);
	}
	buf_reserve(b, len - run + 1);
	json_w_raw(b, s + run, len - run);
	json_w_raw(b, "\"", 1);
}

/* Digits of a non-negative number, or null for a negative one. */
void
json_write_int(struct buf *b, int64_t v)
{
	char	n[24];
	size_t	i = sizeof(n);

	if (v < 0) {
		JSON_W_LIT(b, "null");
		return;
	}
	do {
		n[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	buf_reserve(b, sizeof(n));
	json_w_raw(b, n + i, sizeof(n) - i);
}

void
json_write_date(struct buf *b, int64_t t)
{
	char	d[DATE_RFC3339_LEN];

	if (t == DATE_NONE || date_format_rfc3339(t, d, sizeof(d)) == NULL)
		JSON_W_LIT(b, "null");
	else
		json_write_str(b, d);
}

/*
 * A member's name and what goes before it: "{" for the first, else the
 * separator; with JSON_WRITE_COMPACT, json_dumps()'s JSON_COMPACT form.
 */
void
json_write_key(struct buf *b, const char *name, int flags)
{
	size_t	len = strlen(name);

	buf_reserve(b, len + 6);
	if (flags & JSON_WRITE_FIRST)
		json_w_raw(b, "{", 1);
	else if (flags & JSON_WRITE_COMPACT)
		json_w_raw(b, ",", 1);
	else
		json_w_raw(b, ", ", 2);
	json_w_raw(b, "\"", 1);
	json_w_raw(b, name, len);
	if (flags & JSON_WRITE_COMPACT)
		json_w_raw(b, "\":", 2);
	else
		json_w_raw(b, "\": ", 3);
}

/* A member: its name (json_write_key()) and its value. */
static void
json_w_str_member(struct buf *b, const char *name, const char *v, int flags)
{
	json_write_key(b, name, flags);
	json_write_str(b, v);
}

static void
json_w_int_member(struct buf *b, const char *name, int64_t v, int flags)
{
	json_write_key(b, name, flags);
	json_write_int(b, v);
}

static void
json_w_date_member(struct buf *b, const char *name, int64_t v, int flags)
{
	json_write_key(b, name, flags);
	json_write_date(b, v);
}

void
json_feed_item_write(struct buf *b, const struct feed_item *it, int flags)
{
	const struct feed_enclosure	*e;
	const char			*sep;
	size_t				 i;
	int				 open = flags & JSON_WRITE_OPEN;

	flags &= JSON_WRITE_COMPACT;
	sep = flags & JSON_WRITE_COMPACT ? "," : ", ";
	json_w_str_member(b, "key", it->key, flags | JSON_WRITE_FIRST);
	json_w_str_member(b, "guid", it->guid, flags);
	json_w_str_member(b, "title", it->title, flags);
	json_w_str_member(b, "link", it->link, flags);
	json_w_str_member(b, "author", it->author, flags);
	json_w_date_member(b, "published", it->published, flags);
	json_w_date_member(b, "updated", it->updated, flags);
	json_w_str_member(b, "summary", it->summary, flags);
	json_w_str_member(b, "content", it->content, flags);
	json_write_key(b, "categories", flags);
	JSON_W_LIT(b, "[");
	for (i = 0; i < it->ncategories; i++) {
		if (i > 0)
			buf_adds(b, sep);
		json_write_str(b, it->categories[i]);
	}
	JSON_W_LIT(b, "]");
	json_write_key(b, "enclosures", flags);
	JSON_W_LIT(b, "[");
	for (i = 0; i < it->nenclosures; i++) {
		e = &it->enclosures[i];
		if (i > 0)
			buf_adds(b, sep);
		json_w_str_member(b, "url", e->url, flags | JSON_WRITE_FIRST);
		json_w_str_member(b, "type", e->type, flags);
		json_w_int_member(b, "length", e->length, flags);
		json_w_int_member(b, "duration", e->duration, flags);
		JSON_W_LIT(b, "}");
	}
	JSON_W_LIT(b, "]");
	json_w_str_member(b, "image", it->image, flags);
	json_w_int_member(b, "episode", it->episode, flags);
	json_w_int_member(b, "season", it->season, flags);
	if (it->base != NULL)
		json_w_str_member(b, "base", it->base, flags);
	if (!open)
		JSON_W_LIT(b, "}");
	buf_reserve(b, 1);
	b->data[b->len] = '\0';
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
