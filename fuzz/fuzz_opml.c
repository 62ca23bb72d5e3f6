/*
 * fuzz_opml.c: libFuzzer target for subscription lists (OPML and
 * newsboat's urls file, told apart by content): any text gives feeds or
 * a message, never a crash or a leak; and what it gives, exported as
 * OPML, reads back as the same feeds.  Input is what the socket can
 * carry: UTF-8 (jansson checks it) without NUL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opml.h"
#include "store.h"

#define FUZZ_MAX_INPUT	(64 * 1024)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Whether s[0..len) is UTF-8 with no NUL, as a JSON string would be. */
static int
fuzz_utf8(const uint8_t *s, size_t len)
{
	size_t	i = 0, n, k;

	while (i < len) {
		if (s[i] == 0)
			return (0);
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0 && s[i] >= 0xc2)
			n = 1;
		else if ((s[i] & 0xf0) == 0xe0)
			n = 2;
		else if ((s[i] & 0xf8) == 0xf0 && s[i] <= 0xf4)
			n = 3;
		else
			return (0);
		for (k = 1; k <= n; k++)
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return (0);
		/* Overlong three-byte forms and surrogates. */
		if (n == 2 && ((s[i] == 0xe0 && s[i + 1] < 0xa0) ||
		    (s[i] == 0xed && s[i + 1] >= 0xa0)))
			return (0);
		if (n == 3 && ((s[i] == 0xf0 && s[i + 1] < 0x90) ||
		    (s[i] == 0xf4 && s[i + 1] >= 0x90)))
			return (0);
		i += n + 1;
	}
	return (1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct opml_outline	*v, *w;
	struct store_feed	*f, **fv;
	char			*text, *out, *cause = NULL;
	size_t			 n, nw, i;

	if (size > FUZZ_MAX_INPUT || !fuzz_utf8(data, size))
		return (0);
	if ((text = malloc(size + 1)) == NULL)
		return (0);
	memcpy(text, data, size);
	text[size] = '\0';
	if (opml_parse_any(text, size, &v, &n, &cause) != 0) {
		if (cause == NULL)
			abort();	/* every failure says why */
		free(cause);
		free(text);
		return (0);
	}
	/* Export what was read, as the store would hold it, and read back. */
	f = calloc(n + 1, sizeof(*f));
	fv = calloc(n + 1, sizeof(*fv));
	if (f == NULL || fv == NULL)
		abort();
	for (i = 0; i < n; i++) {
		if (v[i].url == NULL)
			abort();
		f[i].url = v[i].url;
		f[i].title = v[i].title;
		f[i].tags = v[i].tags;
		f[i].ntags = v[i].ntags;
		fv[i] = &f[i];
	}
	out = opml_write(fv, n);
	if (opml_parse(out, strlen(out), &w, &nw, &cause) != 0)
		abort();	/* an export always reads back */
	if (nw != n)
		abort();
	opml_outlines_free(w, nw);
	free(out);
	free(fv);
	free(f);
	opml_outlines_free(v, n);
	free(text);
	return (0);
}
