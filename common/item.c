/*
 * item.c: lifecycle of feed records and the dedup key: the guid, Atom id
 * or rdf:about, else the link, else the first enclosure's URL, else a hash
 * of title, date and text.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "item.h"
#include "log.h"
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
	[FEED_FORMAT_RSS093] = "rss0.93",
	[FEED_FORMAT_RSS094] = "rss0.94",
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
	it->episode = -1;
	it->season = -1;
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

/* Returns the enclosure with that URL, new or already there. */
struct feed_enclosure *
feed_item_add_enclosure(struct feed_item *it, const char *url,
    const char *type, int64_t length)
{
	struct feed_enclosure	*e;
	size_t			 i;

	for (i = 0; i < it->nenclosures; i++) {
		if (strcmp(it->enclosures[i].url, url) == 0)
			return (&it->enclosures[i]);
	}
	it->enclosures = xreallocarray(it->enclosures, it->nenclosures + 1,
	    sizeof(*it->enclosures));
	e = &it->enclosures[it->nenclosures++];
	e->url = xstrdup(url);
	e->type = type != NULL ? xstrdup(type) : NULL;
	e->length = length;
	e->duration = -1;
	return (e);
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

/*
 * A key of any length fits an index: beyond FEED_KEY_MAX bytes (a 100 KiB
 * guid is a publisher's mistake, not an identifier) its SHA-256 stands in.
 */
static char *
key_bounded(const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 md[EVP_MAX_MD_SIZE];
	unsigned int		 mdlen = 0, i;
	size_t			 len = strlen(s);
	char			*key;

	if (len <= FEED_KEY_MAX)
		return (xstrdup(s));
	if (EVP_Digest(s, len, md, &mdlen, EVP_sha256(), NULL) != 1)
		fatalx("sha256 failed");
	key = xmalloc(sizeof("sha256:") + 2 * mdlen);
	memcpy(key, "sha256:", 7);
	for (i = 0; i < mdlen; i++) {
		key[7 + 2 * i] = hex[md[i] >> 4];
		key[7 + 2 * i + 1] = hex[md[i] & 0xf];
	}
	key[7 + 2 * mdlen] = '\0';
	return (key);
}

static char *
key_hashed(const struct feed_item *it, const char *title, const char *text)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;
	char		 date[32];
	char		*key;

	snprintf(date, sizeof(date), "%" PRId64,
	    it->published != DATE_NONE ? it->published : it->updated);
	/* No title and "" hash alike: the separator alone. */
	h = key_hash(h, title);
	h = key_hash(h, date);
	h = key_hash(h, text != NULL ? text : it->summary != NULL ?
	    it->summary : it->content);
	xasprintf(&key, "hash:%016" PRIx64, h);
	return (key);
}

/*
 * The dedup key: what the document says identifies the item (guid, Atom
 * id, or "about", an RSS 1.0 rdf:about), else its link, else its first
 * enclosure (podcast episodes known only by their audio file), else a
 * hash of what a reader sees.
 */
char *
feed_item_key(const struct feed_item *it, const char *about)
{
	if (it->guid != NULL && *it->guid != '\0')
		return (key_bounded(it->guid));
	if (about != NULL && *about != '\0')
		return (key_bounded(about));
	if (it->link != NULL && *it->link != '\0')
		return (key_bounded(it->link));
	if (it->nenclosures != 0 && *it->enclosures[0].url != '\0')
		return (key_bounded(it->enclosures[0].url));
	return (key_hashed(it, it->title, NULL));
}

/*
 * The key of the rule before enclosures, rdf:about and digests counted:
 * guid, link or hash, verbatim, with the link, title and text as that rule
 * kept them (link_v1, title_v1, text_v1: titles were not cleaned of
 * controls nor read as HTML when escaped markup was left in them, nor
 * JSON Feed texts of controls).  Items stored under it are found again
 * by it (see feed_item_set_key).
 */
char *
feed_item_key_v1(const struct feed_item *it)
{
	if (it->guid != NULL && *it->guid != '\0')
		return (xstrdup(it->guid));
	if (it->link_v1 != NULL && *it->link_v1 != '\0')
		return (xstrdup(it->link_v1));
	if (it->link != NULL && *it->link != '\0')
		return (xstrdup(it->link));
	return (key_hashed(it, it->title_v1 != NULL ? it->title_v1 :
	    it->title, it->text_v1));
}

/*
 * Sets the key of a finished item, and its old key when that differs;
 * the link kept for the old rule has served then.
 */
void
feed_item_set_key(struct feed_item *it, const char *about)
{
	free(it->key);
	free(it->oldkey);
	it->key = feed_item_key(it, about);
	it->oldkey = NULL;
	/* The everyday case, a guid of a sane length: both rules agree. */
	if (it->guid == NULL || *it->guid == '\0' ||
	    strlen(it->guid) > FEED_KEY_MAX) {
		it->oldkey = feed_item_key_v1(it);
		if (strcmp(it->oldkey, it->key) == 0) {
			free(it->oldkey);
			it->oldkey = NULL;
		}
	}
	free(it->link_v1);
	it->link_v1 = NULL;
	free(it->title_v1);
	it->title_v1 = NULL;
	free(it->text_v1);
	it->text_v1 = NULL;
}

void
feed_item_free(struct feed_item *it)
{
	size_t	i;

	if (it == NULL)
		return;
	free(it->key);
	free(it->oldkey);
	free(it->link_v1);
	free(it->title_v1);
	free(it->text_v1);
	free(it->image);
	free(it->base);
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
