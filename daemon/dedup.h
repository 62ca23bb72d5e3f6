/*
 * dedup.h: the pure part of deduplication: which key an item is stored
 * under, whether a known item changed, and when a feed's GUIDs cannot be
 * trusted.  No I/O; the store asks, this answers.
 */
#ifndef FEEDD_DEDUP_H
#define FEEDD_DEDUP_H

#include <stddef.h>
#include <stdint.h>

struct feed_item;

/* Fewer items than this never count as a GUID storm. */
#define DEDUP_STORM_MIN		4

const char	*dedup_key(const struct feed_item *, const char *, int);
int64_t		 dedup_hash(const struct feed_item *);
int		 dedup_is_storm(size_t, size_t, size_t);
size_t		 dedup_repeats(struct feed_item *const *, size_t,
		    const char *const *, int, unsigned char *);
const char	**dedup_link_keys(char *const *, size_t);
void		 dedup_order(struct feed_item *const *, size_t *, size_t);
const char	**dedup_doc_keys(struct feed_item *const *, size_t);
int		 dedup_link_moved(const struct feed_item *, const char *,
		    const char *, const char *, const char *const *, size_t);

#endif /* FEEDD_DEDUP_H */
