/*
 * parse-helpers.h: what the parser tests share: feeding a document in
 * chunks as the fetcher would, the contract's comparison (json_feed_doc
 * with sorted keys), and warning lookup.  Included, not linked: each test
 * binary links one module at a time.
 */
#ifndef FEEDD_TEST_PARSE_HELPERS_H
#define FEEDD_TEST_PARSE_HELPERS_H

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "item.h"
#include "json.h"
#include "parse.h"

static inline struct feed_doc *
parse_chunked(const char *data, size_t len, size_t chunk,
    const struct parse_opts *opts, char **cause)
{
	struct parser	*p;
	struct feed_doc	*doc;
	size_t		 off, n;

	p = parse_new(opts);
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		if (parse_feed(p, data + off, n) != 0)
			break;
	}
	doc = parse_finish(p, cause);
	parse_free(p);
	return (doc);
}

static inline char *
dump_doc(const struct feed_doc *doc)
{
	json_t	*j;
	char	*s;

	if ((j = json_feed_doc(doc)) == NULL)
		return (strdup("(json_feed_doc failed)"));
	s = json_dumps(j, JSON_SORT_KEYS);
	json_decref(j);
	return (s);
}

/* Whether a warning contains "sub" (any warning when NULL). */
static inline int
has_warning(const struct feed_doc *doc, const char *sub)
{
	size_t	i;

	for (i = 0; i < doc->nwarnings; i++)
		if (sub == NULL || strstr(doc->warnings[i], sub) != NULL)
			return (1);
	return (0);
}

#endif /* FEEDD_TEST_PARSE_HELPERS_H */
