/*
 * fuzz_discover.c: libFuzzer target for discover.c, which reads any page
 * a user points feedctl add at.  Besides crashes it checks that every URL
 * found is absolute http(s), normalised, and found once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "discover.h"
#include "text.h"
#include "url.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	**urls, **labels, *again;
	size_t	  n, i, j;

	(void)discover_is_html(NULL, (const char *)data, size);
	n = discover_links((const char *)data, size,
	    "https://example.org/blog/post.html", &urls, &labels);
	for (i = 0; i < n; i++) {
		/* A label is one line of valid UTF-8. */
		if (labels[i] == NULL || strchr(labels[i], '\n') != NULL ||
		    text_utf8_valid(labels[i], strlen(labels[i]), NULL) !=
		    strlen(labels[i]))
			abort();
		if (strncmp(urls[i], "http://", 7) != 0 &&
		    strncmp(urls[i], "https://", 8) != 0)
			abort();
		if ((again = url_normalize(NULL, urls[i], 0)) == NULL ||
		    strcmp(again, urls[i]) != 0)
			abort();
		free(again);
		for (j = 0; j < i; j++)
			if (strcmp(urls[i], urls[j]) == 0)
				abort();
	}
	discover_free(urls, n);
	discover_free(labels, n);
	return (0);
}
