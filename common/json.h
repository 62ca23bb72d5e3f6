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

/*
 * The same JSON written straight into a buffer, byte for byte as
 * json_dumps() writes the trees above (with JSON_COMPACT when the flag
 * says so), for the paths where building a tree per record costs more
 * than the rest of the work: a page of items, "feedctl parse".
 */
#define JSON_WRITE_COMPACT	0x1	/* "," and ":" without spaces */
#define JSON_WRITE_OPEN		0x2	/* the record's "}" is left out: the
					   caller adds members and closes it */
#define JSON_WRITE_FIRST	0x4	/* json_write_key(): the first member */

void	 json_feed_item_write(struct buf *, const struct feed_item *, int);
void	 json_write_key(struct buf *, const char *, int);
void	 json_write_str(struct buf *, const char *);
void	 json_write_int(struct buf *, int64_t);
void	 json_write_date(struct buf *, int64_t);
json_t	*json_feed_doc(const struct feed_doc *);

#endif /* FEEDD_JSON_H */
