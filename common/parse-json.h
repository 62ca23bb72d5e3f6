/*
 * parse-json.h: JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1)
 * into the same records as RSS and Atom, streamed: items go out as their
 * objects end.
 */
#ifndef FEEDD_PARSE_JSON_H
#define FEEDD_PARSE_JSON_H

#include <stddef.h>

struct feed_doc;
struct parse_json;
struct parse_opts;

struct parse_json	*parse_json_new(const struct parse_opts *,
			    struct feed_doc *, size_t *);
int			 parse_json_feed(struct parse_json *, const char *,
			    size_t);
int			 parse_json_finish(struct parse_json *, char **,
			    char **);
void			 parse_json_free(struct parse_json *);

#endif /* FEEDD_PARSE_JSON_H */
