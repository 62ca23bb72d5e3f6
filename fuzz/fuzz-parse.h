/*
 * fuzz-parse.h: what the parser targets share: a document printed for
 * comparison, and the same document parsed in chunks of one size.
 */
#ifndef FEEDD_FUZZ_PARSE_H
#define FEEDD_FUZZ_PARSE_H

#include <stdint.h>

#include <jansson.h>

#include "item.h"
#include "json.h"
#include "parse.h"

/* The document as sorted compact JSON, or the cause when there is none. */
static char *
fuzz_dump(struct feed_doc *doc, char *cause)
{
	json_t	*j;
	char	*s;

	if (doc == NULL)
		return (cause);
	j = json_feed_doc(doc);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(j);
	feed_doc_free(doc);
	return (s);
}

/* fuzz_dump() of the bytes parsed "chunk" at a time. */
static char *
fuzz_chunked(const uint8_t *data, size_t size, size_t chunk,
    const struct parse_opts *opts)
{
	struct parser	*p;
	struct feed_doc	*doc;
	char		*cause;
	size_t		 off, n;

	p = parse_new(opts);
	for (off = 0; off < size; off += n) {
		n = size - off < chunk ? size - off : chunk;
		if (parse_feed(p, data + off, n) != 0)
			break;
	}
	doc = parse_finish(p, &cause);
	parse_free(p);
	return (fuzz_dump(doc, cause));
}

#endif /* FEEDD_FUZZ_PARSE_H */
