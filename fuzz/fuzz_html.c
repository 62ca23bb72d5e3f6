/*
 * fuzz_html.c: libFuzzer target for html.c, the content pipeline.  Any
 * bytes must sanitise and render without a crash, and the sanitised
 * HTML is a fixed point: sanitising it again gives it back unchanged (a
 * difference means the output parses into a tree the allow-list did not
 * see).  The first line of the input is the base URL.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "text.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data, *nl;
	char		*base = NULL, *html, *text, *again;
	struct buf	 b = { NULL, 0, 0 };

	if ((nl = memchr(s, '\n', size)) != NULL && nl - s < 200) {
		base = strndup(s, (size_t)(nl - s));
		size -= (size_t)(nl - s) + 1;
		s = nl + 1;
	}
	html_content(s, size, base, 60, HTML_TEXT_LINKS, &html, &text);
	again = html_sanitize(html, strlen(html), base);
	if (strcmp(html, again) != 0) {
		fprintf(stderr, "not a fixed point:\n%s\n---\n%s\n", html,
		    again);
		abort();
	}
	text_html_to_text(&b, s, size);
	free(again);
	free(html);
	free(text);
	free(base);
	buf_free(&b);
	return (0);
}
