/*
 * fuzz_opml.c: libFuzzer target for OPML import (daemon/opml.c), which
 * parses XML that clients send over the socket.  Besides crashes and
 * leaks it checks that what was imported exports to OPML that imports
 * back to as many subscriptions, with the same feed URLs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opml.h"
#include "store.h"

#define FUZZ_MAX_INPUT	(256 * 1024)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct opml_outline	 *v, *w;
	struct store_feed	 *feeds, **fp;
	size_t			  n, m, i;
	char			 *cause = NULL, *out;

	if (size > FUZZ_MAX_INPUT)
		return (0);
	if (opml_parse((const char *)data, size, &v, &n, &cause) != 0) {
		if (cause == NULL)
			abort();	/* a failure must say why */
		free(cause);
		return (0);
	}
	feeds = calloc(n + 1, sizeof(*feeds));
	fp = calloc(n + 1, sizeof(*fp));
	if (feeds == NULL || fp == NULL)
		abort();
	for (i = 0; i < n; i++) {
		if (v[i].url == NULL)
			abort();	/* an outline is a feed URL */
		feeds[i].url = v[i].url;
		feeds[i].title = v[i].title;
		feeds[i].tags = v[i].tags;
		feeds[i].ntags = v[i].ntags;
		fp[i] = &feeds[i];
	}
	out = opml_write(fp, n);
	if (opml_parse(out, strlen(out), &w, &m, &cause) != 0)
		abort();	/* an export must import */
	if (m != n)
		abort();
	for (i = 0; i < n; i++)
		if (strcmp(v[i].url, w[i].url) != 0)
			abort();
	opml_outlines_free(w, m);
	opml_outlines_free(v, n);
	free(out);
	free(feeds);
	free(fp);
	return (0);
}
