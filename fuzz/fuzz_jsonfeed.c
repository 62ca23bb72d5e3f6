/*
 * fuzz_jsonfeed.c: libFuzzer target for the streaming JSON Feed reader.
 * Besides crashes and leaks it checks that chunking never changes the
 * result (the last byte picks a chunk size, so seeds are plain
 * documents), and holds the reader to a second, independent JSON parser:
 * a document jansson reads as a JSON Feed must parse whole, unbroken,
 * with one item for each object in its "items" (up to the cap).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-parse.h"

#define FUZZ_MAX_INPUT	(256 * 1024)
#define FUZZ_MAX_ITEMS	50

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* What jansson says: the number of items a JSON Feed has, else -1. */
static long
fuzz_oracle(const uint8_t *data, size_t size)
{
	json_error_t	 err;
	json_t		*root, *items, *v;
	const char	*version;
	size_t		 i;
	long		 n = 0;

	/*
	 * A raw NUL byte is never JSON (RFC 8259: not whitespace, and
	 * escaped as \u0000 inside strings), but jansson's reader lets one
	 * through after a number: no verdict on such input.
	 */
	if (memchr(data, '\0', size) != NULL)
		return (-1);
	root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES |
	    JSON_ALLOW_NUL, &err);
	if (root == NULL)
		return (-1);
	version = json_string_value(json_object_get(root, "version"));
	if (!json_is_object(root) || version == NULL ||
	    strncmp(version, "https://jsonfeed.org/version/1", 30) != 0) {
		json_decref(root);
		return (-1);
	}
	items = json_object_get(root, "items");
	json_array_foreach(items, i, v)
		if (json_is_object(v) && n < FUZZ_MAX_ITEMS)
			n++;
	json_decref(root);
	return (n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_opts	 opts;
	struct feed_doc		*doc;
	char			*cause, *whole, *chunked;
	size_t			 chunk;
	long			 want;

	if (size < 1 || size > FUZZ_MAX_INPUT || data[0] != '{')
		return (0);
	chunk = 1 + (data[size - 1] % 64) * (data[size - 1] & 0x80 ? 97 : 1);

	memset(&opts, 0, sizeof(opts));
	opts.base = "https://example.org/feed.json";
	opts.max_items = FUZZ_MAX_ITEMS;
	opts.max_field = 4096;
	/* Deeper than jansson goes (2048), so the oracle holds. */
	opts.max_depth = 4096;

	doc = parse_buffer(data, size, &opts, &cause);
	want = fuzz_oracle(data, size);
	if (want >= 0 && (doc == NULL || doc->broken ||
	    doc->nitems != (size_t)want))
		abort();	/* jansson reads a feed the reader does not */
	whole = fuzz_dump(doc, cause);
	chunked = fuzz_chunked(data, size, chunk, &opts);

	if ((whole == NULL) != (chunked == NULL) ||
	    (whole != NULL && strcmp(whole, chunked) != 0))
		abort();	/* chunking changed the result */
	free(whole);
	free(chunked);
	return (0);
}
