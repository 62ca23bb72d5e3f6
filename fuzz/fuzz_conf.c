/*
 * fuzz_conf.c: libFuzzer target for the configuration loader: any text
 * gives a whole configuration or one "PATH:LINE: message", never a crash
 * or a leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

#define FUZZ_MAX_INPUT	(64 * 1024)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf	*c;
	char		*text, *cause = NULL;

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
	conf_free(c);
	free(cause);
	free(text);
	return (0);
}
