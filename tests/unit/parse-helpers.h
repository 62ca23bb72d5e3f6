/*
 * parse-helpers.h: what the parser tests share: feeding a document in
 * chunks as the fetcher would, the contract's comparison (json_feed_doc
 * with sorted keys), warning lookup, and reading fixtures.  Included, not
 * linked: each test binary links one module at a time.  Include it after
 * <cmocka.h>: the fixture readers fail the test.
 */
#ifndef FEEDD_TEST_PARSE_HELPERS_H
#define FEEDD_TEST_PARSE_HELPERS_H

#include <stdio.h>
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

/* FEEDD_FIXTURES, else tests/fixtures (running from the top of the tree). */
static inline char *
fixture_path(const char *name)
{
	const char	*dir;
	char		*path;

	dir = getenv("FEEDD_FIXTURES");
	if (dir == NULL || *dir == '\0')
		dir = "tests/fixtures";
	if (asprintf(&path, "%s/%s", dir, name) < 0)
		fail_msg("asprintf");
	return (path);
}

/* A whole file, NUL-terminated past "*len"; -1 if it cannot be read. */
static inline int
read_path(const char *path, char **data, size_t *len)
{
	FILE	*f;
	char	*d = NULL, *nd;
	size_t	 n = 0, cap = 0, r;

	if ((f = fopen(path, "rb")) == NULL)
		return (-1);
	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			if ((nd = realloc(d, cap + 1)) == NULL) {
				free(d);
				fclose(f);
				return (-1);
			}
			d = nd;
		}
		r = fread(d + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		free(d);
		fclose(f);
		return (-1);
	}
	fclose(f);
	d[n] = '\0';
	*data = d;
	*len = n;
	return (0);
}

/* A fixture's bytes; the test fails when it cannot be read. */
static inline char *
read_fixture(const char *name, size_t *len)
{
	char	*path = fixture_path(name), *data = NULL;

	if (read_path(path, &data, len) != 0)
		fail_msg("cannot read fixture %s (set FEEDD_FIXTURES)", path);
	free(path);
	return (data);
}

#endif /* FEEDD_TEST_PARSE_HELPERS_H */
