/*
 * parse-json.c: JSON Feed, read whole by jansson (such feeds are small and
 * JSON cannot be handed out item by item without a streaming reader).
 * The same caps as for XML apply: item count and field length.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "date.h"
#include "item.h"
#include "parse-json.h"
#include "parse.h"
#include "text.h"
#include "url.h"
#include "xmalloc.h"

struct json_ctx {
	const struct parse_opts	*opts;
	struct feed_doc		*doc;
	int			 cut;	/* a field was cut: warn once */
	int			 nuls;	/* a field held NULs: warn once */
	struct buf		 nul;
};

/* A string member, capped, trimmed (folded when "fold"); NULL if absent. */
static char *
json_ctx_str(struct json_ctx *c, json_t *obj, const char *key, int fold)
{
	json_t		*v = json_object_get(obj, key);
	const char	*s;
	size_t		 len, i;
	char		*out;

	if (json_is_integer(v)) {
		xasprintf(&out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return (out);
	}
	if (!json_is_string(v))
		return (NULL);
	s = json_string_value(v);
	len = json_string_length(v);
	if (len > c->opts->max_field) {
		len = text_utf8_cut(s, c->opts->max_field);
		c->cut = 1;
	}
	/*
	 * "\u0000" must not end the text: ids "j\u0000a" and "j\u0000b"
	 * would both be "j" and merge.  Each NUL becomes U+FFFD.
	 */
	if (memchr(s, '\0', len) != NULL) {
		buf_clear(&c->nul);
		for (i = 0; i < len; i++) {
			if (s[i] == '\0')
				buf_adds(&c->nul, "\xef\xbf\xbd");
			else
				buf_add(&c->nul, s + i, 1);
		}
		c->nuls = 1;
		s = c->nul.data;
		len = c->nul.len;
	}
	if (fold)
		out = parse_clean_line(text_fold(s, len));
	else {
		out = text_trim(s, len);
		parse_clean_text(out);
	}
	if (*out == '\0') {
		free(out);
		return (NULL);
	}
	return (out);
}

/* A link, absolute http(s) (or mailto: with URL_MAILTO), else NULL. */
static char *
json_ctx_url(struct json_ctx *c, json_t *obj, const char *key, int flags)
{
	char	*s, *abs;

	if ((s = json_ctx_str(c, obj, key, 0)) == NULL)
		return (NULL);
	abs = parse_url(c->opts->base, s, flags);
	free(s);
	return (abs);
}

static int64_t
json_ctx_date(struct json_ctx *c, json_t *obj, const char *key)
{
	char	*s;
	int64_t	 t = DATE_NONE;

	if ((s = json_ctx_str(c, obj, key, 0)) != NULL &&
	    date_parse(s, &t) != 0)
		t = DATE_NONE;
	free(s);
	return (t);
}

/* 1.1 "authors" (a list), else 1.0 "author": the first name or URL. */
static char *
json_ctx_author(struct json_ctx *c, json_t *obj)
{
	json_t	*a;
	char	*s;

	a = json_object_get(obj, "authors");
	if (json_is_array(a) && json_array_size(a) > 0)
		a = json_array_get(a, 0);
	else
		a = json_object_get(obj, "author");
	if (!json_is_object(a))
		return (NULL);
	if ((s = json_ctx_str(c, a, "name", 1)) == NULL)
		s = json_ctx_str(c, a, "url", 0);
	return (s);
}

static struct feed_item *
json_ctx_item(struct json_ctx *c, json_t *o)
{
	struct feed_item	*it;
	json_t			*list, *v;
	size_t			 i;
	char			*s, *url, *type;
	int64_t			 size;

	it = feed_item_new();
	it->guid = json_ctx_str(c, o, "id", 0);
	it->title = json_ctx_str(c, o, "title", 1);
	if ((it->link = json_ctx_url(c, o, "url", URL_MAILTO)) == NULL)
		it->link = json_ctx_url(c, o, "external_url", URL_MAILTO);
	it->author = json_ctx_author(c, o);
	it->image = json_ctx_url(c, o, "image", 0);
	it->published = json_ctx_date(c, o, "date_published");
	it->updated = json_ctx_date(c, o, "date_modified");
	it->summary = json_ctx_str(c, o, "summary", 0);
	if ((it->content = json_ctx_str(c, o, "content_html", 0)) == NULL)
		it->content = json_ctx_str(c, o, "content_text", 0);
	list = json_object_get(o, "tags");
	json_array_foreach(list, i, v) {
		if (json_is_string(v)) {
			s = parse_clean_line(text_fold(json_string_value(v),
			    strlen(json_string_value(v))));
			if (*s != '\0')
				feed_item_add_category(it, s);
			free(s);
		}
	}
	list = json_object_get(o, "attachments");
	json_array_foreach(list, i, v) {
		if (!json_is_object(v) ||
		    (url = json_ctx_url(c, v, "url", 0)) == NULL)
			continue;
		type = json_ctx_str(c, v, "mime_type", 0);
		size = json_is_integer(json_object_get(v, "size_in_bytes")) ?
		    json_integer_value(json_object_get(v, "size_in_bytes")) :
		    -1;
		feed_item_add_enclosure(it, url, type, size < 0 ? -1 : size);
		free(url);
		free(type);
	}
	feed_item_set_key(it, NULL);
	return (it);
}

/*
 * A JSON Feed cut off half-way: keep the items completed before the
 * break.  Each element of "items" is read on its own (jansson stops after
 * one value with JSON_DISABLE_EOF_CHECK); the text up to the last whole
 * one, closed with "]}", is read again as the document.
 */
static json_t *
parse_json_recover(const char *data, size_t len)
{
	json_error_t	 err;
	json_t		*v, *root;
	const char	*p, *end = data + len, *last = NULL;
	char		*text;
	size_t		 n;

	if ((p = memmem(data, len, "\"items\"", 7)) == NULL)
		return (NULL);
	for (p += 7; p < end && *p != '['; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' &&
		    *p != ':')
			return (NULL);
	for (p++; p < end; ) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
		    *p == '\r' || *p == ','))
			p++;
		if (p >= end || *p != '{')
			break;
		v = json_loadb(p, (size_t)(end - p), JSON_DISABLE_EOF_CHECK,
		    &err);
		if (v == NULL)
			break;
		json_decref(v);
		p += err.position;
		last = p;
	}
	if (last == NULL)
		return (NULL);
	n = (size_t)(last - data);
	text = xmalloc(n + 3);
	memcpy(text, data, n);
	memcpy(text + n, "]}", 3);
	root = json_loadb(text, n + 2, 0, &err);
	free(text);
	return (root);
}

/*
 * Reads a JSON Feed into "doc"; items go to opts->item_cb when set.
 * Returns 0, or -1 with "*cause" when this is not a JSON Feed.
 */
int
parse_json(const char *data, size_t len, const struct parse_opts *opts,
    struct feed_doc *doc, size_t *nitems, char **cause)
{
	struct json_ctx		 c = { .opts = opts, .doc = doc };
	struct feed_item	*it;
	json_error_t		 err;
	json_t			*root, *items, *o;
	const char		*version;
	size_t			 i;
	int			 broken = 0;

	*nitems = 0;
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES |
	    JSON_ALLOW_NUL, &err);
	if (root == NULL && (root = parse_json_recover(data, len)) != NULL)
		broken = 1;
	if (root == NULL) {
		xasprintf(cause, "not a feed: JSON error at line %d, column "
		    "%d: %s", err.line, err.column, err.text);
		return (-1);
	}
	version = json_string_value(json_object_get(root, "version"));
	if (version == NULL ||
	    strncmp(version, "https://jsonfeed.org/version/1", 30) != 0) {
		*cause = xstrdup("not a feed: JSON without a JSON Feed "
		    "\"version\"");
		json_decref(root);
		return (-1);
	}
	doc->format = strcmp(version, "https://jsonfeed.org/version/1.1") == 0 ?
	    FEED_FORMAT_JSONFEED11 : FEED_FORMAT_JSONFEED10;
	doc->title = json_ctx_str(&c, root, "title", 1);
	doc->link = json_ctx_url(&c, root, "home_page_url", 0);
	doc->self = json_ctx_url(&c, root, "feed_url", 0);
	doc->subtitle = json_ctx_str(&c, root, "description", 1);
	doc->language = json_ctx_str(&c, root, "language", 0);
	doc->author = json_ctx_author(&c, root);

	items = json_object_get(root, "items");
	json_array_foreach(items, i, o) {
		if (!json_is_object(o))
			continue;
		if (*nitems >= opts->max_items) {
			feed_doc_add_warning(doc, "more than %zu items: the "
			    "rest were skipped", opts->max_items);
			break;
		}
		it = json_ctx_item(&c, o);
		(*nitems)++;
		if (opts->item_cb != NULL)
			opts->item_cb(it, opts->item_arg);
		else
			feed_doc_add_item(doc, it);
	}
	if (c.cut)
		feed_doc_add_warning(doc, "text longer than %zu bytes was cut",
		    opts->max_field);
	if (c.nuls)
		feed_doc_add_warning(doc, "text with NUL characters: each "
		    "became U+FFFD");
	buf_free(&c.nul);
	json_decref(root);
	if (broken) {
		feed_doc_add_warning(doc, "document broken (JSON error at "
		    "line %d, column %d: %s): kept the items before the break",
		    err.line, err.column, err.text);
		doc->broken = 1;
	}
	return (0);
}
