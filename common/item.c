/*
 * item.c: lifecycle of feed records and the dedup key (DESIGN.md
 * "Deduplication": guid or Atom id, else link, else a hash of title, date
 * and text).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "item.h"
#include "xmalloc.h"

static const char *feed_format_names[] = {
	[FEED_FORMAT_UNKNOWN] = "unknown",
	[FEED_FORMAT_RSS090] = "rss0.90",
	[FEED_FORMAT_RSS091] = "rss0.91",
	[FEED_FORMAT_RSS092] = "rss0.92",
	[FEED_FORMAT_RSS10] = "rss1.0",
	[FEED_FORMAT_RSS20] = "rss2.0",
	[FEED_FORMAT_ATOM03] = "atom0.3",
	[FEED_FORMAT_ATOM10] = "atom1.0",
	[FEED_FORMAT_JSONFEED10] = "jsonfeed1.0",
	[FEED_FORMAT_JSONFEED11] = "jsonfeed1.1",
};

const char *
feed_format_name(enum feed_format f)
{
	if ((size_t)f >= sizeof(feed_format_names) / sizeof(*feed_format_names))
		return ("unknown");
	return (feed_format_names[f]);
}

struct feed_item *
feed_item_new(void)
{
	struct feed_item	*it;

	it = xcalloc(1, sizeof(*it));
	it->published = DATE_NONE;
	it->updated = DATE_NONE;
	return (it);
}

void
feed_item_add_category(struct feed_item *it, const char *cat)
{
	size_t	i;

	for (i = 0; i < it->ncategories; i++) {
		if (strcmp(it->categories[i], cat) == 0)
			return;
	}
	it->categories = xreallocarray(it->categories, it->ncategories + 1,
	    sizeof(*it->categories));
	it->categories[it->ncategories++] = xstrdup(cat);
}

void
feed_item_add_enclosure(struct feed_item *it, const char *url,
    const char *type, int64_t length)
{
	struct feed_enclosure	*e;
	size_t			 i;

	for (i = 0; i < it->nenclosures; i++) {
		if (strcmp(it->enclosures[i].url, url) == 0)
			return;
	}
	it->enclosures = xreallocarray(it->enclosures, it->nenclosures + 1,
	    sizeof(*it->enclosures));
	e = &it->enclosures[it->nenclosures++];
	e->url = xstrdup(url);
	e->type = type != NULL ? xstrdup(type) : NULL;
	e->length = length;
}

/* FNV-1a, 64 bit: stable across versions and machines, which a key must be. */
static uint64_t
key_hash(uint64_t h, const char *s)
{
	if (s != NULL) {
		for (; *s != '\0'; s++) {
			h ^= (unsigned char)*s;
			h *= 0x100000001b3ULL;
		}
	}
	/* A separator, so ("ab", "c") and ("a", "bc") differ. */
	h ^= 0xff;
	h *= 0x100000001b3ULL;
	return (h);
}

char *
feed_item_key(const struct feed_item *it)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;
	char		 date[32];
	char		*key;

	if (it->guid != NULL && *it->guid != '\0')
		return (xstrdup(it->guid));
	if (it->link != NULL && *it->link != '\0')
		return (xstrdup(it->link));
	snprintf(date, sizeof(date), "%" PRId64,
	    it->published != DATE_NONE ? it->published : it->updated);
	h = key_hash(h, it->title);
	h = key_hash(h, date);
	h = key_hash(h, it->summary != NULL ? it->summary : it->content);
	xasprintf(&key, "hash:%016" PRIx64, h);
	return (key);
}

void
feed_item_free(struct feed_item *it)
{
	size_t	i;

	if (it == NULL)
		return;
	free(it->key);
	free(it->guid);
	free(it->title);
	free(it->link);
	free(it->author);
	free(it->summary);
	free(it->content);
	for (i = 0; i < it->ncategories; i++)
		free(it->categories[i]);
	free(it->categories);
	for (i = 0; i < it->nenclosures; i++) {
		free(it->enclosures[i].url);
		free(it->enclosures[i].type);
	}
	free(it->enclosures);
	free(it);
}

struct feed_doc *
feed_doc_new(void)
{
	struct feed_doc	*doc;

	doc = xcalloc(1, sizeof(*doc));
	doc->updated = DATE_NONE;
	doc->hints.ttl = -1;
	doc->hints.update_period = -1;
	return (doc);
}

void
feed_doc_add_item(struct feed_doc *doc, struct feed_item *it)
{
	/* Grow by doubling: a 100,000-item feed must not cost n^2 copies. */
	if ((doc->nitems & (doc->nitems - 1)) == 0)
		doc->items = xreallocarray(doc->items,
		    doc->nitems ? doc->nitems * 2 : 1, sizeof(*doc->items));
	doc->items[doc->nitems++] = it;
}

void
feed_doc_add_warning(struct feed_doc *doc, const char *fmt, ...)
{
	va_list	 ap;
	char	*w;

	va_start(ap, fmt);
	if (vasprintf(&w, fmt, ap) < 0)
		w = NULL;
	va_end(ap);
	if (w == NULL)
		return;
	doc->warnings = xreallocarray(doc->warnings, doc->nwarnings + 1,
	    sizeof(*doc->warnings));
	doc->warnings[doc->nwarnings++] = w;
}

void
feed_doc_free(struct feed_doc *doc)
{
	size_t	i;

	if (doc == NULL)
		return;
	free(doc->title);
	free(doc->link);
	free(doc->subtitle);
	free(doc->id);
	free(doc->language);
	free(doc->author);
	free(doc->self);
	for (i = 0; i < doc->nitems; i++)
		feed_item_free(doc->items[i]);
	free(doc->items);
	for (i = 0; i < doc->nwarnings; i++)
		free(doc->warnings[i]);
	free(doc->warnings);
	free(doc);
}
