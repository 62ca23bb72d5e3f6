/*
 * rules.h: [rule "NAME"] sections: new items dropped, kept only when
 * they match, or stored read, by pattern on chosen fields, for every feed
 * or the feeds and tags named.
 */
#ifndef FEEDD_RULES_H
#define FEEDD_RULES_H

#include <stdint.h>

#include <jansson.h>

struct conf;
struct rules;
struct store_feed;
struct store_route;

struct rules_stats {
	uint64_t	dropped;	/* by drop, or not kept by keep */
	uint64_t	marked_read;
	uint64_t	limit_hits;	/* a match gave up: taken as none */
};

struct rules	*rules_new(void);
void		 rules_set_conf(struct rules *, const struct conf *);
int		 rules_filter(const struct store_route *, void *);
json_t		*rules_explain(struct rules *, const struct store_feed *);
void		 rules_get_stats(struct rules *, struct rules_stats *);
void		 rules_free(struct rules *);

#endif /* FEEDD_RULES_H */
