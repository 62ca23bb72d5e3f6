/*
 * fuzz_parse.c: libFuzzer target for the feed parser.  Besides crashes and
 * leaks it checks the parser's promise that chunking never changes the
 * result: the first byte picks a chunk size (and whether a server's
 * charset comes with the document), and the document parsed in
 * chunks must print exactly as the same document parsed whole.  An
 * item's content base, when it has one, is an absolute http(s) URL other
 * than its link.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-parse.h"

#define FUZZ_MAX_INPUT	(256 * 1024)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_opts	 opts;
	struct feed_doc		*doc;
	struct feed_item	*it;
	char			*cause, *whole, *chunked;
	size_t			 chunk, i;
	uint8_t			 first;

	if (size < 1 || size > FUZZ_MAX_INPUT)
		return (0);
	first = data[0];
	chunk = 1 + (first % 64) * (first & 0x80 ? 97 : 1);
	data++;
	size--;

	memset(&opts, 0, sizeof(opts));
	opts.base = "https://example.org/feed/";
	opts.max_items = 50;
	opts.max_field = 4096;
	opts.max_depth = 64;
	/* A server's single-byte charset, which a document in UTF-8 may
	 * overrule (parse_sniff()): chunked or whole, the same decision. */
	if (first & 0x40)
		opts.charset = "windows-1251";

	doc = parse_buffer(data, size, &opts, &cause);
	for (i = 0; doc != NULL && i < doc->nitems; i++) {
		it = doc->items[i];
		/* A content base is absolute http(s), and never the link. */
		if (it->base == NULL)
			continue;
		if ((strncmp(it->base, "http://", 7) != 0 &&
		    strncmp(it->base, "https://", 8) != 0) ||
		    (it->link != NULL && strcmp(it->base, it->link) == 0))
			abort();
	}
	whole = fuzz_dump(doc, cause);

	chunked = fuzz_chunked(data, size, chunk, &opts);

	if ((whole == NULL) != (chunked == NULL) ||
	    (whole != NULL && strcmp(whole, chunked) != 0))
		abort();	/* chunking changed the result */
	free(whole);
	free(chunked);
	return (0);
}
