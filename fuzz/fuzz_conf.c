/*
 * fuzz_conf.c: libFuzzer target for the configuration loader: any text
 * gives a whole configuration or one "PATH:LINE: message", never a crash
 * or a leak.  A notifier's match is also run on the text itself: any
 * pattern on any bytes returns, within its limits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "match.h"

#define FUZZ_MAX_INPUT	(64 * 1024)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf	*c;
	struct match	*m;
	char		*text, *cause = NULL;
	size_t		 i;

	if (size > FUZZ_MAX_INPUT)
		return (0);
	if ((text = malloc(size + 1)) == NULL)
		return (0);
	memcpy(text, data, size);
	text[size] = '\0';
	c = conf_load_string(text, "/fuzz/feedd.conf", &cause);
	if (c == NULL && (cause == NULL ||
	    strncmp(cause, "/fuzz/feedd.conf:", 17) != 0))
		abort();	/* every error names the file */
	for (i = 0; c != NULL && i < c->nnotifiers; i++) {
		if (c->notifiers[i].match == NULL)
			continue;
		/* conf.c compiled it: it compiles. */
		if ((m = match_new(c->notifiers[i].match, &cause)) == NULL)
			abort();
		if (match_text(m, text, size) < -1)
			abort();
		match_free(m);
	}
	conf_free(c);
	free(cause);
	free(text);
	return (0);
}
