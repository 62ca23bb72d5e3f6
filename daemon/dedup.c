/*
 * dedup.c: keys, content hashes and the GUID-storm rule.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dedup.h"
#include "item.h"
#include "store.h"

/*
 * The key an item is stored under.  Normally the parser's (guid, else
 * link, else a hash: DESIGN.md "Deduplication"); for a feed whose GUIDs
 * proved worthless, its canonical link ("canon") when it has one.
 */
const char *
dedup_key(const struct feed_item *it, const char *canon, int mode)
{
	if (mode == STORE_KEYS_LINK && canon != NULL)
		return (canon);
	return (it->key);
}

static uint64_t
dedup_mix(uint64_t h, const void *p, size_t len)
{
	const unsigned char	*u = p;
	size_t			 i;

	for (i = 0; i < len; i++) {
		h ^= u[i];
		h *= 0x100000001b3ULL;
	}
	/* A separator, so ("ab", "c") and ("a", "bc") differ. */
	h ^= 0xff;
	h *= 0x100000001b3ULL;
	return (h);
}

static uint64_t
dedup_mix_str(uint64_t h, const char *s)
{
	return (dedup_mix(h, s != NULL ? s : "", s != NULL ? strlen(s) : 0));
}

/*
 * FNV-1a over every field a reader sees, to tell an edited item from an
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
	}
	return ((int64_t)h);
}

/*
 * A GUID storm: most of a document's items are new by key but already
 * known by link, so the feed is minting new GUIDs for old items.
 */
int
dedup_is_storm(size_t nitems, size_t nnew, size_t known_by_link)
{
	if (nitems < DEDUP_STORM_MIN || nnew > nitems)
		return (0);
	return (known_by_link * 2 > nitems);
}
