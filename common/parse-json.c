/*
 * parse-json.c: JSON Feed 1.0 and 1.1, read as it streams in (yajl calls
 * back per token, as expat does per element), so a feed of any number of
 * items costs the memory of one item.  Members come in any order: an
 * item's members are kept until its object ends, then built into a
 * record by the rules below, which are the same whatever the order and
 * however the bytes are split.  The same caps as for XML apply: item
 * count, field length and nesting depth.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "buf.h"
#include "date.h"
#include "item.h"
#include "log.h"
#include "parse-json.h"
#include "parse.h"
#include "text.h"
#include "url.h"
#include "xmalloc.h"

/* The members read, in the feed, an item, an author or an attachment. */
enum json_key {
	K_NONE = 0,
	K_VERSION,
	K_TITLE,
	K_HOME_PAGE_URL,
	K_FEED_URL,
	K_DESCRIPTION,
	K_LANGUAGE,
	K_ITEMS,
	K_AUTHORS,
	K_AUTHOR,
	K_ID,
	K_URL,
	K_EXTERNAL_URL,
	K_IMAGE,
	K_DATE_PUBLISHED,
	K_DATE_MODIFIED,
	K_SUMMARY,
	K_CONTENT_HTML,
	K_CONTENT_TEXT,
	K_TAGS,
	K_ATTACHMENTS,
	K_NAME,
	K_MIME_TYPE,
	K_SIZE_IN_BYTES,
	K_DURATION_IN_SECONDS,
	K_COUNT
};

/* What a container is: the role decides what its members mean. */
enum json_role {
	R_FEED = 0,	/* the top object */
	R_ITEMS,
	R_ITEM,
	R_AUTHORS,	/* 1.1 "authors" */
	R_PERSON,
	R_TAGS,
	R_ATTACHMENTS,
	R_ATTACHMENT
};

#define RB(r)	(1U << (r))

/* Member names per object role; the rest are skipped whole. */
static const struct {
	const char	*name;
	enum json_key	 key;
	unsigned int	 roles;
} json_keys[] = {
	{ "attachments", K_ATTACHMENTS, RB(R_ITEM) },
	{ "author", K_AUTHOR, RB(R_FEED) | RB(R_ITEM) },
	{ "authors", K_AUTHORS, RB(R_FEED) | RB(R_ITEM) },
	{ "content_html", K_CONTENT_HTML, RB(R_ITEM) },
	{ "content_text", K_CONTENT_TEXT, RB(R_ITEM) },
	{ "date_modified", K_DATE_MODIFIED, RB(R_ITEM) },
	{ "date_published", K_DATE_PUBLISHED, RB(R_ITEM) },
	{ "description", K_DESCRIPTION, RB(R_FEED) },
	{ "duration_in_seconds", K_DURATION_IN_SECONDS, RB(R_ATTACHMENT) },
	{ "external_url", K_EXTERNAL_URL, RB(R_ITEM) },
	{ "feed_url", K_FEED_URL, RB(R_FEED) },
	{ "home_page_url", K_HOME_PAGE_URL, RB(R_FEED) },
	{ "id", K_ID, RB(R_ITEM) },
	{ "image", K_IMAGE, RB(R_ITEM) },
	{ "items", K_ITEMS, RB(R_FEED) },
	{ "language", K_LANGUAGE, RB(R_FEED) },
	{ "mime_type", K_MIME_TYPE, RB(R_ATTACHMENT) },
	{ "name", K_NAME, RB(R_PERSON) },
	{ "size_in_bytes", K_SIZE_IN_BYTES, RB(R_ATTACHMENT) },
	{ "summary", K_SUMMARY, RB(R_ITEM) },
	{ "tags", K_TAGS, RB(R_ITEM) },
	{ "title", K_TITLE, RB(R_FEED) | RB(R_ITEM) },
	{ "url", K_URL, RB(R_ITEM) | RB(R_PERSON) | RB(R_ATTACHMENT) },
	{ "version", K_VERSION, RB(R_FEED) },
};

enum json_type {
	JV_NONE = 0,	/* absent */
	JV_STRING,
	JV_INTEGER,
	JV_OTHER	/* null, boolean, real, object, array */
};

struct json_val {
	enum json_type	 type;
	long long	 i;
	struct buf	 s;
};

/* The members of one object read so far. */
struct json_obj {
	struct json_val	 v[K_COUNT];
	uint32_t	 seen;		/* a bit per key met */
	size_t		 authors;	/* elements of "authors" */
	struct buf	 names;		/* theirs, joined (parse_json_person) */
	int		 author_obj;	/* "author" is an object */
};

/* Persons of an owner: the one of "authors" being read, and "author". */
enum json_person {
	P_FEED_AUTHORS = 0,
	P_FEED_AUTHOR,
	P_ITEM_AUTHORS,
	P_ITEM_AUTHOR,
	P_COUNT
};

struct json_frame {
	enum json_role	 role;
	struct json_obj	*obj;		/* members go here */
};

/* Frames: feed, items, item, attachments, attachment at most. */
#define JSON_FRAMES	8
#define JSON_BLOCK	16384	/* see parse_json_feed() */

struct parse_json {
	const struct parse_opts	*opts;
	struct feed_doc		*doc;
	size_t			*nitems;	/* handed out */
	yajl_handle		 h;

	struct json_frame	 stack[JSON_FRAMES];
	unsigned int		 depth;		/* frames used */
	unsigned int		 skip;		/* skipped levels */
	enum json_key		 key;		/* member due */

	struct json_obj		 feed;
	struct json_obj		 item;
	struct json_obj		 attachment;
	struct json_obj		 persons[P_COUNT];
	struct feed_item	*it;		/* being read */

	int			 version;	/* "version" seen */
	struct feed_item	**pending;	/* before it */
	size_t			 npending;
	size_t			 count;		/* item objects */
	int			 capped;
	int			 cut;		/* a field was cut */
	int			 field_cut;	/* the last one read was */
	int			 nuls;		/* a NUL was seen */
	int			 dups;		/* a name twice */
	char			*fail;		/* not a feed */
	char			*error;		/* what stopped it */
	uint64_t		 line;		/* at the block */
	uint64_t		 column;
	struct buf		 tmp;
	char			*block;		/* see JSON_BLOCK */
	size_t			 fill;
};

static int	parse_json_null_cb(void *);
static int	parse_json_boolean_cb(void *, int);
static int	parse_json_integer_cb(void *, long long);
static int	parse_json_double_cb(void *, double);
static int	parse_json_string_cb(void *, const unsigned char *, size_t);
static int	parse_json_start_map_cb(void *);
static int	parse_json_map_key_cb(void *, const unsigned char *, size_t);
static int	parse_json_end_map_cb(void *);
static int	parse_json_start_array_cb(void *);
static int	parse_json_end_array_cb(void *);

static const yajl_callbacks parse_json_callbacks = {
	.yajl_null = parse_json_null_cb,
	.yajl_boolean = parse_json_boolean_cb,
	.yajl_integer = parse_json_integer_cb,
	.yajl_double = parse_json_double_cb,
	.yajl_string = parse_json_string_cb,
	.yajl_start_map = parse_json_start_map_cb,
	.yajl_map_key = parse_json_map_key_cb,
	.yajl_end_map = parse_json_end_map_cb,
	.yajl_start_array = parse_json_start_array_cb,
	.yajl_end_array = parse_json_end_array_cb,
};

static void
parse_json_obj_clear(struct json_obj *o)
{
	size_t	i;

	for (i = 0; i < K_COUNT; i++) {
		o->v[i].type = JV_NONE;
		buf_clear(&o->v[i].s);
	}
	o->seen = 0;
	o->authors = 0;
	buf_clear(&o->names);
	o->author_obj = 0;
}

static void
parse_json_obj_free(struct json_obj *o)
{
	size_t	i;

	for (i = 0; i < K_COUNT; i++)
		buf_free(&o->v[i].s);
	buf_free(&o->names);
}

/*
 * Text, capped, trimmed (folded and cleaned as one line when "fold");
 * NULL when nothing is left.
 */
static char *
parse_json_text(struct parse_json *c, const char *s, size_t len, int fold)
{
	size_t	 i;
	char	*out;

	c->field_cut = 0;
	if (len > c->opts->max_field) {
		len = text_utf8_cut(s, c->opts->max_field);
		c->cut = c->field_cut = 1;
	}
	/*
	 * "\u0000" must not end the text: ids "j\u0000a" and "j\u0000b"
	 * would both be "j" and merge.  Each NUL becomes U+FFFD.
	 */
	if (memchr(s, '\0', len) != NULL) {
		buf_clear(&c->tmp);
		for (i = 0; i < len; i++) {
			if (s[i] == '\0')
				buf_adds(&c->tmp, "\xef\xbf\xbd");
			else
				buf_add(&c->tmp, s + i, 1);
		}
		c->nuls = 1;
		s = c->tmp.data;
		len = c->tmp.len;
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

/* A member's text (see above); an integer reads as its digits (ids). */
static char *
parse_json_str(struct parse_json *c, const struct json_val *v, int fold)
{
	char	*out;

	if (v->type == JV_INTEGER) {
		xasprintf(&out, "%lld", v->i);
		return (out);
	}
	if (v->type != JV_STRING)
		return (NULL);
	return (parse_json_text(c, v->s.data != NULL ? v->s.data : "",
	    v->s.len, fold));
}

/*
 * A plain text member (content_text, summary) as the HTML the record
 * holds (text_plain_html()), within max_field as every field is.
 */
static char *
parse_json_html(struct parse_json *c, const struct json_val *v)
{
	struct buf	 b = { NULL, 0, 0 };
	char		*s;

	if ((s = parse_json_str(c, v, 0)) == NULL)
		return (NULL);
	if (text_plain_html(&b, s, strlen(s), c->opts->max_field))
		c->cut = c->field_cut = 1;
	free(s);
	return (b.data);
}

/* A link, absolute http(s) (or mailto: with URL_MAILTO), else NULL. */
static char *
parse_json_url(struct parse_json *c, const struct json_val *v, int flags)
{
	char	*s, *abs;

	if ((s = parse_json_str(c, v, 0)) == NULL)
		return (NULL);
	abs = parse_url(c->opts->base, s, flags);
	free(s);
	return (abs);
}

static int64_t
parse_json_date(struct parse_json *c, const struct json_val *v)
{
	char	*s;
	int64_t	 t = DATE_NONE;

	if ((s = parse_json_str(c, v, 0)) != NULL && date_parse(s, &t) != 0)
		t = DATE_NONE;
	free(s);
	return (t);
}

/* A person object: the name, else the URL; NULL for neither. */
static char *
parse_json_person_name(struct parse_json *c, const struct json_obj *a)
{
	char	*s;

	if ((s = parse_json_str(c, &a->v[K_NAME], 1)) == NULL)
		s = parse_json_str(c, &a->v[K_URL], 0);
	return (s);
}

/*
 * A person of an "authors" list ended: its name joins the owner's, with
 * ", " between them as Atom's several authors are, within max_field.
 */
static void
parse_json_person(struct parse_json *c, struct json_obj *owner,
    const struct json_obj *a)
{
	char	*s;
	size_t	 n;

	if ((s = parse_json_person_name(c, a)) == NULL)
		return;
	n = strlen(s);
	if (owner->names.len + 2 + n <= c->opts->max_field) {
		if (owner->names.len != 0)
			buf_add(&owner->names, ", ", 2);
		buf_add(&owner->names, s, n);
	}
	free(s);
}

/*
 * 1.1 "authors" (its persons' names, joined), else 1.0 "author": the
 * name, else the URL.  A list that names no one (no object with a name
 * or URL) names nobody; an empty list leaves "author" to say.
 */
static char *
parse_json_author(struct parse_json *c, const struct json_obj *o,
    enum json_person first)
{
	if (o->authors > 0)
		return (o->names.len != 0 ? buf_strdup(&o->names) : NULL);
	if (o->author_obj)
		return (parse_json_person_name(c, &c->persons[first + 1]));
	return (NULL);
}

/*
 * The title as an older feedd kept it, for the old key of an item keyed
 * by its hash (feed_item_key_v1): folded, ended by a NUL, without the
 * cleaning of controls.  Kept only where it differs ("" for none).
 */
static void
parse_json_title_v1(struct parse_json *c, struct feed_item *it,
    const struct json_val *v)
{
	const char	*s;
	size_t		 len;
	char		*old;

	if (v->type != JV_STRING)
		return;
	s = v->s.data != NULL ? v->s.data : "";
	len = strlen(s);
	if (len > c->opts->max_field)
		len = text_utf8_cut(s, c->opts->max_field);
	old = text_fold(s, len);
	if (strcmp(old, it->title != NULL ? it->title : "") == 0) {
		free(old);
		return;
	}
	it->title_v1 = old;
}

/*
 * The text an item keyed by its hash was hashed with before texts lost
 * their controls (feed_item_key_v1): the summary, else the content, as
 * the string went up to a NUL, trimmed.  Kept only where it differs.
 */
static void
parse_json_text_v1(struct parse_json *c, struct feed_item *it,
    const struct json_obj *o)
{
	const struct json_val	*v;
	const char		*s, *now;
	size_t			 len;
	char			*old;

	if (it->summary != NULL) {
		v = &o->v[K_SUMMARY];
		now = it->summary;
	} else if (it->content != NULL) {
		v = o->v[K_CONTENT_HTML].type == JV_STRING ?
		    &o->v[K_CONTENT_HTML] : &o->v[K_CONTENT_TEXT];
		now = it->content;
	} else
		return;
	if (v->type != JV_STRING)
		return;
	s = v->s.data != NULL ? v->s.data : "";
	len = strnlen(s, v->s.len);
	if (len > c->opts->max_field)
		len = text_utf8_cut(s, c->opts->max_field);
	old = text_trim(s, len);
	if (strcmp(old, now) == 0) {
		free(old);
		return;
	}
	it->text_v1 = old;
}

/* An item object ended: its record, by JSON Feed 1.1's rules. */
static struct feed_item *
parse_json_item(struct parse_json *c)
{
	struct json_obj		*o = &c->item;
	struct feed_item	*it = c->it;

	c->it = NULL;
	it->guid = parse_json_str(c, &o->v[K_ID], 0);
	it->title = parse_json_str(c, &o->v[K_TITLE], 1);
	parse_json_title_v1(c, it, &o->v[K_TITLE]);
	if ((it->link = parse_json_url(c, &o->v[K_URL], URL_MAILTO)) == NULL)
		it->link = parse_json_url(c, &o->v[K_EXTERNAL_URL],
		    URL_MAILTO);
	/*
	 * JSON Feed 1.1: an item without authors has the feed's, as an Atom
	 * entry has (RFC 4287 4.2.1): when they came before the items, as a
	 * streamed item cannot wait for the end of the feed.
	 */
	if ((it->author = parse_json_author(c, o, P_ITEM_AUTHORS)) == NULL)
		it->author = parse_json_author(c, &c->feed, P_FEED_AUTHORS);
	it->image = parse_json_url(c, &o->v[K_IMAGE], 0);
	it->published = parse_json_date(c, &o->v[K_DATE_PUBLISHED]);
	it->updated = parse_json_date(c, &o->v[K_DATE_MODIFIED]);
	/* JSON Feed 1.1: summary and content_text are plain text. */
	it->summary = parse_json_html(c, &o->v[K_SUMMARY]);
	if (it->summary != NULL && c->field_cut)
		parse_cut_note(&it->summary, c->opts->max_field, it->link);
	if ((it->content = parse_json_str(c, &o->v[K_CONTENT_HTML], 0)) ==
	    NULL)
		it->content = parse_json_html(c, &o->v[K_CONTENT_TEXT]);
	if (it->content != NULL && c->field_cut)
		parse_cut_note(&it->content, c->opts->max_field, it->link);
	parse_json_text_v1(c, it, o);
	feed_item_set_key(it, NULL);
	return (it);
}

static void
parse_json_emit(struct parse_json *c, struct feed_item *it)
{
	(*c->nitems)++;
	if (c->opts->item_cb != NULL)
		c->opts->item_cb(it, c->opts->item_arg);
	else
		feed_doc_add_item(c->doc, it);
}

/*
 * "version" says this is a JSON Feed.  Items that came before it (JSON
 * does not order members) wait for it, and go out now.
 */
static int
parse_json_version(struct parse_json *c, const struct json_val *v)
{
	const char	*s = v->s.data != NULL ? v->s.data : "";
	size_t		 i;

	if (v->type != JV_STRING ||
	    strncmp(s, "https://jsonfeed.org/version/1", 30) != 0) {
		c->fail = xstrdup("not a feed: JSON without a JSON Feed "
		    "\"version\"");
		return (-1);
	}
	c->doc->format = strcmp(s, "https://jsonfeed.org/version/1.1") == 0 ?
	    FEED_FORMAT_JSONFEED11 : FEED_FORMAT_JSONFEED10;
	c->version = 1;
	for (i = 0; i < c->npending; i++)
		parse_json_emit(c, c->pending[i]);
	free(c->pending);
	c->pending = NULL;
	c->npending = 0;
	return (0);
}

static int
parse_json_push(struct parse_json *c, enum json_role role,
    struct json_obj *obj)
{
	if (c->depth >= JSON_FRAMES)
		return (-1);	/* the roles nest no deeper */
	c->stack[c->depth].role = role;
	c->stack[c->depth].obj = obj;
	c->depth++;
	return (0);
}

/* Levels of nesting, skipped ones included, against opts->max_depth. */
static int
parse_json_deeper(struct parse_json *c)
{
	if (c->depth + c->skip >= c->opts->max_depth) {
		if (c->error == NULL)
			xasprintf(&c->error, "nested deeper than %u "
			    "levels", c->opts->max_depth);
		return (0);
	}
	return (1);
}

/*
 * A value starts or is complete.  "type" is JV_OTHER with "map" or
 * "array" set for a container.  Returns 0 to stop the parse.
 */
static int
parse_json_value(struct parse_json *c, enum json_type type, long long i,
    const char *s, size_t len, int map, int array)
{
	struct json_frame	*f;
	struct json_obj		*o;
	struct json_val		*v;
	enum json_key		 key = c->key;
	int			 owner;
	char			*t;

	c->key = K_NONE;
	if ((map || array) && !parse_json_deeper(c))
		return (0);
	if (c->skip > 0) {
		if (map || array)
			c->skip++;
		return (1);
	}
	if (c->depth == 0) {
		/* The sniffer saw '{': the top value is an object. */
		if (!map) {
			c->fail = xstrdup("not a feed: JSON without a JSON "
			    "Feed \"version\"");
			return (0);
		}
		parse_json_obj_clear(&c->feed);
		return (parse_json_push(c, R_FEED, &c->feed) == 0);
	}
	f = &c->stack[c->depth - 1];
	o = f->obj;
	switch (f->role) {
	case R_FEED:
	case R_ITEM:
	case R_PERSON:
	case R_ATTACHMENT:
		if (key == K_NONE)
			break;
		owner = f->role == R_FEED ? P_FEED_AUTHORS : P_ITEM_AUTHORS;
		if (key == K_ITEMS && array)
			return (parse_json_push(c, R_ITEMS, NULL) == 0);
		if (key == K_AUTHORS && array)
			return (parse_json_push(c, R_AUTHORS, o) == 0);
		if (key == K_AUTHOR && map) {
			o->author_obj = 1;
			parse_json_obj_clear(&c->persons[owner + 1]);
			return (parse_json_push(c, R_PERSON,
			    &c->persons[owner + 1]) == 0);
		}
		if (key == K_TAGS && array)
			return (parse_json_push(c, R_TAGS, NULL) == 0);
		if (key == K_ATTACHMENTS && array)
			return (parse_json_push(c, R_ATTACHMENTS, NULL) == 0);
		v = &o->v[key];
		v->type = type;
		v->i = i;
		if (type == JV_STRING) {
			buf_clear(&v->s);
			buf_add(&v->s, s, len);
		}
		if (key == K_VERSION && parse_json_version(c, v) != 0)
			return (0);
		break;
	case R_ITEMS:
		if (!map)
			break;
		if (c->count++ >= c->opts->max_items) {
			if (!c->capped)
				feed_doc_add_warning(c->doc, "more than %zu "
				    "items: the rest were skipped",
				    c->opts->max_items);
			c->capped = 1;
			break;
		}
		parse_json_obj_clear(&c->item);
		parse_json_obj_clear(&c->persons[P_ITEM_AUTHORS]);
		parse_json_obj_clear(&c->persons[P_ITEM_AUTHOR]);
		c->it = feed_item_new();
		return (parse_json_push(c, R_ITEM, &c->item) == 0);
	case R_AUTHORS:
		o->authors++;
		if (!map)
			break;
		owner = o == &c->feed ? P_FEED_AUTHORS : P_ITEM_AUTHORS;
		parse_json_obj_clear(&c->persons[owner]);
		return (parse_json_push(c, R_PERSON, &c->persons[owner]) == 0);
	case R_TAGS:
		if (type != JV_STRING || map || array)
			break;
		/* A tag is one line, capped and with NULs as elsewhere. */
		if ((t = parse_json_text(c, s, len, 1)) != NULL)
			feed_item_add_category(c->it, t);
		free(t);
		break;
	case R_ATTACHMENTS:
		if (!map)
			break;
		parse_json_obj_clear(&c->attachment);
		return (parse_json_push(c, R_ATTACHMENT, &c->attachment) ==
		    0);
	}
	if (map || array)
		c->skip++;
	return (1);
}

/* A container ended. */
static int
parse_json_end(struct parse_json *c)
{
	struct json_obj		*o;
	struct feed_item	*it;
	struct feed_enclosure	*e;
	char			*url, *type;
	int64_t			 size;

	if (c->skip > 0) {
		c->skip--;
		return (1);
	}
	if (c->depth == 0)
		return (1);
	c->depth--;
	o = c->stack[c->depth].obj;
	switch (c->stack[c->depth].role) {
	case R_ITEM:
		it = parse_json_item(c);
		if (c->version)
			parse_json_emit(c, it);
		else {
			c->pending = xreallocarray(c->pending,
			    c->npending + 1, sizeof(*c->pending));
			c->pending[c->npending++] = it;
		}
		break;
	case R_PERSON:
		if (c->depth > 0 && c->stack[c->depth - 1].role == R_AUTHORS)
			parse_json_person(c, c->stack[c->depth - 1].obj, o);
		break;
	case R_ATTACHMENT:
		if ((url = parse_json_url(c, &o->v[K_URL], 0)) == NULL)
			break;
		type = parse_json_str(c, &o->v[K_MIME_TYPE], 0);
		size = o->v[K_SIZE_IN_BYTES].type == JV_INTEGER ?
		    o->v[K_SIZE_IN_BYTES].i : -1;
		e = feed_item_add_enclosure(c->it, url, type, size < 0 ? -1 :
		    size);
		/* As itunes:duration is for RSS: seconds, whole ones. */
		if (o->v[K_DURATION_IN_SECONDS].type == JV_INTEGER &&
		    o->v[K_DURATION_IN_SECONDS].i >= 0)
			e->duration = o->v[K_DURATION_IN_SECONDS].i;
		free(url);
		free(type);
		break;
	default:
		break;
	}
	return (1);
}

static int
parse_json_null_cb(void *arg)
{
	return (parse_json_value(arg, JV_OTHER, 0, NULL, 0, 0, 0));
}

static int
parse_json_boolean_cb(void *arg, int b)
{
	return (parse_json_value(arg, JV_OTHER, 0, NULL, 0, 0, 0));
}

static int
parse_json_integer_cb(void *arg, long long i)
{
	return (parse_json_value(arg, JV_INTEGER, i, NULL, 0, 0, 0));
}

/* A duration may have a fraction (JSON Feed says "number"): cut off. */
static int
parse_json_double_cb(void *arg, double d)
{
	struct parse_json	*c = arg;

	if (c->key == K_DURATION_IN_SECONDS && d >= 0 && d < 1e15)
		return (parse_json_value(c, JV_INTEGER, (long long)d, NULL, 0,
		    0, 0));
	return (parse_json_value(c, JV_OTHER, 0, NULL, 0, 0, 0));
}

/*
 * yajl decodes a lone low surrogate ("\udc00") to its three bytes, which
 * are not UTF-8: each becomes U+FFFD, of the same length.
 */
static int
parse_json_string_cb(void *arg, const unsigned char *s, size_t len)
{
	struct parse_json	*c = arg;
	const unsigned char	*e;
	char			*d;
	size_t			 off;

	if ((e = memchr(s, 0xed, len)) == NULL)
		return (parse_json_value(c, JV_STRING, 0, (const char *)s,
		    len, 0, 0));
	d = xmalloc(len);
	memcpy(d, s, len);
	for (off = (size_t)(e - s); off + 2 < len; off++)
		if ((unsigned char)d[off] == 0xed &&
		    (unsigned char)d[off + 1] >= 0xa0)
			memcpy(d + off, "\xef\xbf\xbd", 3);
	off = parse_json_value(c, JV_STRING, 0, d, len, 0, 0);
	free(d);
	return ((int)off);
}

static int
parse_json_start_map_cb(void *arg)
{
	return (parse_json_value(arg, JV_OTHER, 0, NULL, 0, 1, 0));
}

static int
parse_json_map_key_cb(void *arg, const unsigned char *name, size_t len)
{
	struct parse_json	*c = arg;
	struct json_frame	*f;
	size_t			 lo, hi, mid, klen;
	int			 r;

	c->key = K_NONE;
	if (c->skip > 0 || c->depth == 0)
		return (1);
	f = &c->stack[c->depth - 1];
	lo = 0;
	hi = sizeof(json_keys) / sizeof(*json_keys);
	while (lo < hi) {
		mid = (lo + hi) / 2;
		/* A name may hold NULs ("\u0000"): compared as bytes. */
		klen = strlen(json_keys[mid].name);
		r = memcmp(json_keys[mid].name, name, klen < len ? klen : len);
		if (r == 0)
			r = (klen > len) - (klen < len);
		if (r == 0) {
			if ((json_keys[mid].roles & RB(f->role)) == 0)
				return (1);
			/* RFC 8259 4: names SHOULD be unique: first wins. */
			if (f->obj->seen & (1U << json_keys[mid].key)) {
				c->dups = 1;
				return (1);
			}
			f->obj->seen |= 1U << json_keys[mid].key;
			c->key = json_keys[mid].key;
			return (1);
		}
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (1);
}

static int
parse_json_end_map_cb(void *arg)
{
	return (parse_json_end(arg));
}

static int
parse_json_start_array_cb(void *arg)
{
	return (parse_json_value(arg, JV_OTHER, 0, NULL, 0, 0, 1));
}

static int
parse_json_end_array_cb(void *arg)
{
	return (parse_json_end(arg));
}

struct parse_json *
parse_json_new(const struct parse_opts *opts, struct feed_doc *doc,
    size_t *nitems)
{
	struct parse_json	*c;

	c = xcalloc(1, sizeof(*c));
	c->opts = opts;
	c->doc = doc;
	c->nitems = nitems;
	c->line = 1;
	c->column = 1;
	c->block = xmalloc(JSON_BLOCK);
	if ((c->h = yajl_alloc(&parse_json_callbacks, NULL, c)) == NULL)
		fatalx("yajl_alloc failed");
	return (c);
}

/* Line and column of the byte at "off" of this call's bytes. */
static void
parse_json_where(struct parse_json *c, const char *s, size_t off,
    uint64_t *line, uint64_t *column)
{
	const char	*p, *nl, *end = s + off;

	*line = c->line;
	*column = c->column;
	for (p = s; p < end && (nl = memchr(p, '\n', (size_t)(end - p))) !=
	    NULL; p = nl + 1) {
		(*line)++;
		*column = 1;
	}
	*column += (uint64_t)(end - p);
}

/* The parse stopped: what yajl or a callback says, and where. */
static void
parse_json_stopped(struct parse_json *c, yajl_status st, const char *s,
    size_t len)
{
	unsigned char	*msg;
	uint64_t	 line, column;
	size_t		 off, n;
	char		*what;

	if (c->fail != NULL)
		return;
	off = yajl_get_bytes_consumed(c->h);
	parse_json_where(c, s, off < len ? off : len, &line, &column);
	if (st == yajl_status_error) {
		msg = yajl_get_error(c->h, 0, NULL, 0);
		n = strcspn((char *)msg, "\n");
		xasprintf(&what, "%.*s", (int)n, (char *)msg);
		yajl_free_error(c->h, msg);
		free(c->error);
		c->error = what;
	}
	xasprintf(&what, "JSON error at line %" PRIu64 ", column %" PRIu64
	    ": %s", line, column, c->error != NULL ? c->error : "stopped");
	free(c->error);
	c->error = what;
}

/* One block to yajl.  -1 once the document cannot go on. */
static int
parse_json_block(struct parse_json *c, const char *s, size_t len)
{
	yajl_status	st;

	st = yajl_parse(c->h, (const unsigned char *)s, len);
	if (st != yajl_status_ok) {
		parse_json_stopped(c, st, s, len);
		return (-1);
	}
	parse_json_where(c, s, len, &c->line, &c->column);
	return (0);
}

/*
 * Bytes of the document, in any chunks.  yajl gets them in blocks of
 * JSON_BLOCK at fixed offsets whatever the chunks were: where it reports
 * an error depends on where its input was split (a token cut by a chunk
 * is reported at its end), and the result must not.  -1 once the
 * document cannot go on.
 */
int
parse_json_feed(struct parse_json *c, const char *s, size_t len)
{
	size_t	n;

	if (c->fail != NULL || c->error != NULL)
		return (-1);
	while (len > 0) {
		if (c->fill == 0 && len >= JSON_BLOCK) {
			if (parse_json_block(c, s, JSON_BLOCK) != 0)
				return (-1);
			s += JSON_BLOCK;
			len -= JSON_BLOCK;
			continue;
		}
		n = JSON_BLOCK - c->fill < len ? JSON_BLOCK - c->fill : len;
		memcpy(c->block + c->fill, s, n);
		c->fill += n;
		s += n;
		len -= n;
		if (c->fill == JSON_BLOCK) {
			c->fill = 0;
			if (parse_json_block(c, c->block, JSON_BLOCK) != 0)
				return (-1);
		}
	}
	return (0);
}

/*
 * The end of the document.  Returns -1 with "*cause" when this is no
 * JSON Feed; else 0, with "*broken" set to what cut the document short
 * (the items and feed members complete before it are kept).
 */
int
parse_json_finish(struct parse_json *c, char **cause, char **broken)
{
	struct feed_doc	*doc = c->doc;
	struct json_obj	*f = &c->feed;
	yajl_status	 st;

	*cause = NULL;
	*broken = NULL;
	if (c->fill != 0 && c->fail == NULL && c->error == NULL)
		parse_json_block(c, c->block, c->fill);
	c->fill = 0;
	if (c->fail == NULL && c->error == NULL &&
	    (st = yajl_complete_parse(c->h)) != yajl_status_ok)
		parse_json_stopped(c, st, "", 0);
	if (c->fail == NULL && !c->version) {
		if (c->error != NULL) {
			xasprintf(cause, "not a feed: %s", c->error);
			return (-1);
		}
		c->fail = xstrdup("not a feed: JSON without a JSON Feed "
		    "\"version\"");
	}
	if (c->fail != NULL) {
		*cause = c->fail;
		c->fail = NULL;
		return (-1);
	}
	doc->title = parse_json_str(c, &f->v[K_TITLE], 1);
	doc->link = parse_json_url(c, &f->v[K_HOME_PAGE_URL], 0);
	doc->self = parse_json_url(c, &f->v[K_FEED_URL], 0);
	doc->subtitle = parse_json_str(c, &f->v[K_DESCRIPTION], 1);
	doc->language = parse_json_str(c, &f->v[K_LANGUAGE], 0);
	doc->author = parse_json_author(c, f, P_FEED_AUTHORS);
	if (c->cut)
		feed_doc_add_warning(doc, "text longer than %zu bytes was cut",
		    c->opts->max_field);
	if (c->nuls)
		feed_doc_add_warning(doc, "text with NUL characters: each "
		    "became U+FFFD");
	if (c->dups)
		feed_doc_add_warning(doc, "a member named twice in one "
		    "object: the first one counts");
	*broken = c->error;
	c->error = NULL;
	return (0);
}

void
parse_json_free(struct parse_json *c)
{
	size_t	i;

	if (c == NULL)
		return;
	yajl_free(c->h);
	parse_json_obj_free(&c->feed);
	parse_json_obj_free(&c->item);
	parse_json_obj_free(&c->attachment);
	for (i = 0; i < P_COUNT; i++)
		parse_json_obj_free(&c->persons[i]);
	feed_item_free(c->it);
	for (i = 0; i < c->npending; i++)
		feed_item_free(c->pending[i]);
	free(c->pending);
	free(c->fail);
	free(c->error);
	buf_free(&c->tmp);
	free(c->block);
	free(c);
}
