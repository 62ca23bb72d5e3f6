/*
 * store-json.h: stored feeds and items as the JSON of feedd-protocol(7)
 * "Records", for the socket API and the tools.
 */
#ifndef FEEDD_STORE_JSON_H
#define FEEDD_STORE_JSON_H

#include <jansson.h>

struct buf;
struct feed_item;
struct store_delivery;
struct store_feed;
struct store_item;

const char	*store_json_feed_status(const struct store_feed *);
const char	*store_json_feed_not_polled(const struct store_feed *);
const char	*store_json_feed_not_polled_reason(const struct store_feed *);
json_t		*store_json_feed(const struct store_feed *);
json_t		*store_json_item(const struct store_item *);
void		 store_json_item_write(struct buf *, const struct store_item *);
json_t		*store_json_delivery(const struct store_delivery *);
void		 store_json_reader(json_t *, const struct feed_item *,
		    const char *, int);

#endif /* FEEDD_STORE_JSON_H */
