/*
 * dedup.c: keys, content hashes, a document's repeated keys and the
 * GUID-storm rule.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "item.h"
#include "store.h"
#include "url.h"
#include "xmalloc.h"

/*
 * The key an item is stored under.  Normally the parser's (guid or id,
 * else link, else enclosure, else a hash, as the README says); for a
 * feed whose GUIDs proved worthless, its canonical link ("canon") when
 * it has one.
 */
const char *
dedup_key(const struct feed_item *it, const char *canon, int mode)
{
	if (mode == STORE_KEYS_LINK && canon != NULL)
		return (canon);
	return (it->key);
}

/*
 * Mixes "len" bytes into "h", eight at a time: this runs over every byte
 * of every item a poll sees, on the writer thread, so a byte-wise FNV
 * cost 6% of its time (bench/poll).  Stable across machines of either
 * byte order, as stored hashes must be.
 */
static uint64_t
dedup_mix(uint64_t h, const void *p, size_t len)
{
	const unsigned char	*u = p;
	uint64_t		 w;
	size_t			 i, k;

	for (i = 0; i + 8 <= len; i += 8) {
		for (w = 0, k = 0; k < 8; k++)
			w |= (uint64_t)u[i + k] << (8 * k);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	for (w = 0, k = 0; i < len; i++, k++)
		w |= (uint64_t)u[i] << (8 * k);
	/* The length too, so ("ab", "c") and ("a", "bc") differ. */
	h = (h ^ w ^ ((uint64_t)len << 56)) * 0x9e3779b97f4a7c15ULL;
	h ^= h >> 31;
	return (h);
}

static uint64_t
dedup_mix_str(uint64_t h, const char *s)
{
	return (dedup_mix(h, s != NULL ? s : "", s != NULL ? strlen(s) : 0));
}

/*
 * A hash of every field a reader sees, to tell an edited item from an
 * unchanged one without comparing each column.
 */
int64_t
dedup_hash(const struct feed_item *it)
{
	uint64_t	h = 0xcbf29ce484222325ULL;
	size_t		i;

	h = dedup_mix_str(h, it->title);
	h = dedup_mix_str(h, it->link);
	h = dedup_mix_str(h, it->author);
	h = dedup_mix_str(h, it->summary);
	h = dedup_mix_str(h, it->content);
	h = dedup_mix(h, &it->published, sizeof(it->published));
	h = dedup_mix(h, &it->updated, sizeof(it->updated));
	for (i = 0; i < it->ncategories; i++)
		h = dedup_mix_str(h, it->categories[i]);
	for (i = 0; i < it->nenclosures; i++) {
		h = dedup_mix_str(h, it->enclosures[i].url);
		h = dedup_mix_str(h, it->enclosures[i].type);
		h = dedup_mix(h, &it->enclosures[i].length,
		    sizeof(it->enclosures[i].length));
		/* Mixed in only when known: stored hashes stay as they were. */
		if (it->enclosures[i].duration >= 0)
			h = dedup_mix(h, &it->enclosures[i].duration,
			    sizeof(it->enclosures[i].duration));
	}
	if (it->image != NULL)
		h = dedup_mix_str(h, it->image);
	if (it->episode >= 0)
		h = dedup_mix(h, &it->episode, sizeof(it->episode));
	if (it->season >= 0)
		h = dedup_mix(h, &it->season, sizeof(it->season));
	/* The base the content's links resolve against: what they lead to. */
	if (it->base != NULL)
		h = dedup_mix_str(h, it->base);
	return ((int64_t)h);
}

/*
 * A GUID storm: most of a document's items are new by key but already
 * known by link, so the feed is minting new GUIDs for old items.  Only
 * links that name one item of the document count (dedup_link_keys()).
 */
int
dedup_is_storm(size_t nitems, size_t nnew, size_t known_by_link)
{
	if (nitems < DEDUP_STORM_MIN || nnew > nitems)
		return (0);
	return (known_by_link * 2 > nitems);
}

struct dedup_slot {
	const char	*key;
	size_t		 i;
};

static int
dedup_slot_cmp(const void *a, const void *b)
{
	const struct dedup_slot	*x = a, *y = b;
	int			 c = strcmp(x->key, y->key);

	if (c != 0)
		return (c);
	return (x->i < y->i ? -1 : x->i > y->i);
}

/*
 * The items of one document that share a key with another (one Atom id
 * twice, one link twice in RSS without guids): skip[i] is set for all
 * but one of each key, the copy updated last, else the first in the
 * document.  Each poll of the same document so keeps the same copy, and
 * an unchanged document changes nothing; keeping every copy in turn
 * rewrote the item at every poll.  RFC 4287 (4.1.1) reads entries with
 * one id as one entry, the latest being the one to show.  "canon" is each
 * item's canonical link (dedup_key()'s, for "mode"); returns how many
 * are skipped.
 */
size_t
dedup_repeats(struct feed_item *const *items, size_t n,
    const char *const *canon, int mode, unsigned char *skip)
{
	struct dedup_slot	*v;
	size_t			 i, k, best, nskip = 0;

	memset(skip, 0, n);
	if (n < 2)
		return (0);
	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i].key = dedup_key(items[i], canon[i], mode);
		v[i].i = i;
	}
	qsort(v, n, sizeof(*v), dedup_slot_cmp);
	for (i = 0; i < n; i = k) {
		best = v[i].i;
		for (k = i + 1; k < n && strcmp(v[k].key, v[i].key) == 0;
		    k++) {
			/* Document order within a key: a later copy wins
			 * only by a later date. */
			if (items[v[k].i]->updated != DATE_NONE &&
			    (items[best]->updated == DATE_NONE ||
			    items[v[k].i]->updated > items[best]->updated))
				best = v[k].i;
		}
		for (; i < k; i++)
			if (v[i].i != best) {
				skip[v[i].i] = 1;
				nskip++;
			}
	}
	free(v);
	return (nskip);
}

static int
dedup_str_cmp(const void *a, const void *b)
{
	const char *const	*x = a, *const *y = b;

	return (strcmp(*x, *y));
}

/* How many of sorted "v[0..n)" are "s". */
static size_t
dedup_count(const char *const *v, size_t n, const char *s)
{
	size_t	lo = 0, hi = n, mid, k = 0;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid], s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + k < n && strcmp(v[lo + k], s) == 0 && k < 2)
		k++;
	return (k);
}

/*
 * The canonical links that can stand for their items: "canon" (one per
 * item of a document, NULL for none) but NULL for a link more than one
 * item of the document shares.  A changelog whose releases link to
 * anchors of one page, a status page whose incidents all link to it, a
 * live blog: there the link names no one item, so it neither counts
 * towards a GUID storm nor becomes the key of a feed matched by link.
 * The array is the caller's to free(); its strings are "canon"'s.
 */
const char **
dedup_link_keys(char *const *canon, size_t n)
{
	const char	**v, **out;
	size_t		  i, nv = 0;

	out = xcalloc(n > 0 ? n : 1, sizeof(*out));
	v = xcalloc(n > 0 ? n : 1, sizeof(*v));
	for (i = 0; i < n; i++)
		if (canon[i] != NULL)
			v[nv++] = canon[i];
	qsort(v, nv, sizeof(*v), dedup_str_cmp);
	for (i = 0; i < n; i++)
		if (canon[i] != NULL && dedup_count(v, nv, canon[i]) == 1)
			out[i] = canon[i];
	free(v);
	return (out);
}

struct dedup_when {
	int64_t	 date;
	size_t	 at;	/* in the document */
};

static int
dedup_when_cmp(const void *a, const void *b)
{
	const struct dedup_when	*x = a, *y = b;

	if (x->date != y->date)
		return (x->date < y->date ? -1 : 1);
	return (x->at > y->at ? -1 : x->at < y->at);
}

/*
 * The order a poll's new items are stored in, "idx[0..n)" (indexes into
 * "items") sorted in place: oldest first, so ids, `items --limit`, the
 * notifiers and retention by count all see the newest as the newest.  By
 * date (published, else updated) when every item has one; else, and
 * between equal dates, the document's order reversed, as most feeds list
 * the newest first.
 */
void
dedup_order(struct feed_item *const *items, size_t *idx, size_t n)
{
	struct dedup_when	*w;
	size_t			 i;
	int			 dated = 1;

	if (n < 2)
		return;
	w = xcalloc(n, sizeof(*w));
	for (i = 0; i < n; i++) {
		w[i].at = idx[i];
		w[i].date = items[idx[i]]->published != DATE_NONE ?
		    items[idx[i]]->published : items[idx[i]]->updated;
		if (w[i].date == DATE_NONE)
			dated = 0;
	}
	if (!dated)
		for (i = 0; i < n; i++)
			w[i].date = 0;
	qsort(w, n, sizeof(*w), dedup_when_cmp);
	for (i = 0; i < n; i++)
		idx[i] = w[i].at;
	free(w);
}

/* The keys of a document's items, sorted, for dedup_link_moved(). */
const char **
dedup_doc_keys(struct feed_item *const *items, size_t n)
{
	const char	**v;
	size_t		  i;

	v = xcalloc(n > 0 ? n : 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = items[i]->key;
	qsort(v, n, sizeof(*v), dedup_str_cmp);
	return (v);
}

/*
 * Whether an item keyed by its link, not found under that key, is the
 * stored item keyed "rowkey" and titled "rowtitle" (this feed's oldest
 * with the item's canonical link "lkey"), whose link only changed in its
 * scheme or tracking parameters (http to https, a new utm_campaign): the
 * same title, and "rowkey" no longer in the document ("dockeys", sorted,
 * "n" of them).  A GUID storm catches such a change on four items or
 * more at once; this catches it on the feeds too small for one, the
 * title guarding against a feed whose one item always links to one page.
 */
int
dedup_link_moved(const struct feed_item *it, const char *lkey,
    const char *rowkey, const char *rowtitle, const char *const *dockeys,
    size_t n)
{
	char	*canon;
	int	 same;

	if (lkey == NULL || rowkey == NULL || it->link == NULL ||
	    strcmp(it->key, it->link) != 0 || strcmp(rowkey, it->key) == 0)
		return (0);
	if (rowtitle == NULL ? it->title != NULL : it->title == NULL ||
	    strcmp(rowtitle, it->title) != 0)
		return (0);
	if (dedup_count(dockeys, n, rowkey) != 0)
		return (0);
	canon = url_canonical(rowkey);
	same = canon != NULL && strcmp(canon, lkey) == 0;
	free(canon);
	return (same);
}
