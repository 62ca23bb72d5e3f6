/*
 * json.h: records to JSON (jansson), in the shapes of feedd-protocol(7): every
 * field present, null when missing, dates RFC 3339 UTC.
 */
#ifndef FEEDD_JSON_H
#define FEEDD_JSON_H

#include <jansson.h>
#include <stdint.h>

struct buf;
struct feed_doc;
struct feed_item;

json_t	*json_date(int64_t);
json_t	*json_feed_item(const struct feed_item *);
void	 json_feed_item_write(struct buf *, const struct feed_item *);
json_t	*json_feed_doc(const struct feed_doc *);

#endif /* FEEDD_JSON_H */
