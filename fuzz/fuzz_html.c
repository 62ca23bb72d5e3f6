/*
 * fuzz_html.c: libFuzzer target for html.c, the content pipeline.  Any
 * bytes must sanitise and render without a crash, and the sanitised
 * HTML is a fixed point: sanitising it again gives it back unchanged (a
 * difference means the output parses into a tree the allow-list did not
 * see), nested no deeper than html.c's limit (256); the one-line text
 * of a summary and of a title, and the guess whether a title is HTML,
 * must not crash either.  The first line of the input is the base URL.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "text.h"

#define FUZZ_MAX_DEPTH	256

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * How deep sanitised HTML nests: its tags are all written out and closed
 * (but br, hr, img and wbr), and its text and attributes hold no '<'.
 */
static size_t
depth(const char *html)
{
	const char	*p = html;
	size_t		 n = 0, max = 0, len;

	while ((p = strchr(p, '<')) != NULL) {
		p++;
		len = strcspn(p, " >");
		if (*p == '/')
			n--;
		else if (!((len == 2 && (strncmp(p, "br", 2) == 0 ||
		    strncmp(p, "hr", 2) == 0)) || (len == 3 &&
		    (strncmp(p, "img", 3) == 0 || strncmp(p, "wbr", 3) == 0))) &&
		    ++n > max)
			max = n;
	}
	return (max);
}

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
	if (depth(html) > FUZZ_MAX_DEPTH) {
		fprintf(stderr, "nested %zu deep:\n%s\n", depth(html), html);
		abort();
	}
	text_html_to_text(&b, s, size);
	text_html_title(&b, s, size);
	(void)text_looks_html(s, size);
	free(again);
	free(html);
	free(text);
	free(base);
	buf_free(&b);
	return (0);
}
