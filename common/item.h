/*
 * item.h: the records a feed document parses to (feedd-protocol(7) "RECORDS"), and
 * the dedup key of an item.  Every string is owned by its record; NULL means
 * the field is missing and prints as JSON null.
 */
#ifndef FEEDD_ITEM_H
#define FEEDD_ITEM_H

#include <stddef.h>
#include <stdint.h>

#define DATE_NONE	INT64_MIN	/* a missing or unparseable date */

enum feed_format {
	FEED_FORMAT_UNKNOWN = 0,
	FEED_FORMAT_RSS090,
	FEED_FORMAT_RSS091,
	FEED_FORMAT_RSS092,
	FEED_FORMAT_RSS10,
	FEED_FORMAT_RSS20,
	FEED_FORMAT_ATOM03,
	FEED_FORMAT_ATOM10,
	FEED_FORMAT_JSONFEED10,
	FEED_FORMAT_JSONFEED11,
	FEED_FORMAT_RSS093,
	FEED_FORMAT_RSS094
};

struct feed_enclosure {
	char	*url;
	char	*type;
	int64_t	 length;	/* bytes, -1 when unknown */
	int64_t	 duration;	/* seconds (itunes:duration), -1 when unknown */
};

/* Keys longer than this are stored as "sha256:" and the hex digest. */
#define FEED_KEY_MAX	2048

struct feed_item {
	char			*key;	/* dedup key: see feed_item_key() */
	char			*oldkey;	/* the key before enclosures */
	char			*guid;
	char			*title;
	char			*link;
	char			*link_v1;	/* as an older feedd kept it */
	char			*title_v1;	/* likewise, where it differs */
	char			*text_v1;	/* summary, else content, so */
	char			*author;
	int64_t			 published;	/* seconds since the epoch, UTC */
	int64_t			 updated;	/* or DATE_NONE */
	char			*summary;
	char			*content;
	char			**categories;
	size_t			 ncategories;
	struct feed_enclosure	*enclosures;
	size_t			 nenclosures;
	char			*image;		/* itunes:image, media:thumbnail */
	int64_t			 episode;	/* itunes:episode, or -1 */
	int64_t			 season;	/* itunes:season, or -1 */
	char			*base;		/* xml:base for the content */
};

/* What the feed says about how often to poll it; the scheduler reads it. */
struct feed_hints {
	int64_t		ttl;		/* RSS <ttl>, seconds, or -1 */
	int64_t		update_period;	/* sy:updatePeriod / updateFrequency, s */
	uint32_t	skip_hours;	/* bit N: skip hour N (UTC), RSS skipHours */
	uint8_t		skip_days;	/* bit N: skip weekday N, 0 = Sunday */
};

struct feed_doc {
	enum feed_format	 format;
	char			*title;
	char			*link;
	char			*subtitle;
	char			*id;
	char			*language;
	char			*author;
	char			*self;		/* the feed's own URL, if it says */
	int64_t			 updated;
	struct feed_hints	 hints;
	struct feed_item	**items;	/* in document order */
	size_t			 nitems;
	char			**warnings;	/* what was recovered or cut */
	size_t			 nwarnings;
	int			 broken;	/* cut by an error: items kept */
};

const char		*feed_format_name(enum feed_format);
struct feed_item	*feed_item_new(void);
void			 feed_item_add_category(struct feed_item *, const char *);
struct feed_enclosure	*feed_item_add_enclosure(struct feed_item *,
			    const char *, const char *, int64_t);
char			*feed_item_key(const struct feed_item *, const char *);
char			*feed_item_key_v1(const struct feed_item *);
void			 feed_item_set_key(struct feed_item *, const char *);
void			 feed_item_free(struct feed_item *);
struct feed_doc		*feed_doc_new(void);
void			 feed_doc_add_item(struct feed_doc *, struct feed_item *);
void			 feed_doc_add_warning(struct feed_doc *, const char *, ...)
			    __attribute__((__format__(__printf__, 2, 3)));
void			 feed_doc_free(struct feed_doc *);

#endif /* FEEDD_ITEM_H */
