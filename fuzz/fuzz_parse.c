/*
 * fuzz_parse.c: libFuzzer target for the feed parser.  Besides crashes and
 * leaks it checks the parser's promise that chunking never changes the
 * result: the first byte picks a chunk size, and the document parsed in
 * chunks must print exactly as the same document parsed whole.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "item.h"
#include "json.h"
#include "parse.h"

#define FUZZ_MAX_INPUT	(256 * 1024)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_opts	 opts;
	struct parser		*p;
	struct feed_doc		*doc;
	char			*cause, *whole, *chunked;
	size_t			 chunk, off, n;

	if (size < 1 || size > FUZZ_MAX_INPUT)
		return (0);
	chunk = 1 + (data[0] % 64) * (data[0] & 0x80 ? 97 : 1);
	data++;
	size--;

	memset(&opts, 0, sizeof(opts));
	opts.base = "https://example.org/feed/";
	opts.max_items = 50;
	opts.max_field = 4096;
	opts.max_depth = 64;

	doc = parse_buffer(data, size, &opts, &cause);
	whole = fuzz_dump(doc, cause);

	p = parse_new(&opts);
	for (off = 0; off < size; off += n) {
		n = size - off < chunk ? size - off : chunk;
		if (parse_feed(p, data + off, n) != 0)
			break;
	}
	doc = parse_finish(p, &cause);
	parse_free(p);
	chunked = fuzz_dump(doc, cause);

	if ((whole == NULL) != (chunked == NULL) ||
	    (whole != NULL && strcmp(whole, chunked) != 0))
		abort();	/* chunking changed the result */
	free(whole);
	free(chunked);
	return (0);
}
