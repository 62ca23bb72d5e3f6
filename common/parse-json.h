/*
 * parse-json.h: JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1)
 * into the same records as RSS and Atom.
 */
#ifndef FEEDD_PARSE_JSON_H
#define FEEDD_PARSE_JSON_H

#include <stddef.h>

struct feed_doc;
struct parse_opts;

int	parse_json(const char *, size_t, const struct parse_opts *,
	    struct feed_doc *, size_t *, char **);

#endif /* FEEDD_PARSE_JSON_H */
