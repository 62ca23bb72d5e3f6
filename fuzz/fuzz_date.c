/*
 * fuzz_date.c: libFuzzer target for date.c.  Besides looking for crashes it
 * checks that every date read can be written and read back unchanged, and
 * that an RFC 822 date reads the same with a comment after it (which takes
 * it off the fixed-layout fast path and through the general reader).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

#define FUZZ_DATE_MAX	256	/* date.c refuses RFC 822 text over 128 */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	 s[FUZZ_DATE_MAX + 1];
	char	 buf[DATE_RFC3339_LEN];
	char	 commented[FUZZ_DATE_MAX + sizeof(" (c)")];
	int64_t	 t, t2, raw;

	if (size > FUZZ_DATE_MAX)
		return (0);
	memcpy(s, data, size);
	s[size] = '\0';

	/* date.c reads at most 128 bytes of RFC 822: keep room for " (c)". */
	if (date_parse_rfc822(s, &t) == 0 && strlen(s) <= 120) {
		snprintf(commented, sizeof(commented), "%s (c)", s);
		if (date_parse_rfc822(commented, &t2) != 0 || t2 != t)
			abort();
	}
	(void)date_parse_rfc3339(s, &t);
	if (date_parse(s, &t) == 0 &&
	    date_format_rfc3339(t, buf, sizeof(buf)) != NULL) {
		/*
		 * Years 0000-9999 come back as RFC 3339, which must read as
		 * the same instant.
		 */
		if (strlen(buf) == sizeof("2024-07-09T00:56:00Z") - 1 &&
		    (date_parse(buf, &t2) != 0 || t2 != t))
			abort();
	}

	/* Any 64-bit time must format or fail cleanly. */
	if (size >= sizeof(raw)) {
		memcpy(&raw, data, sizeof(raw));
		(void)date_format_rfc3339(raw, buf, sizeof(buf));
		(void)date_format_rfc3339(raw, buf, 8);
	}
	return (0);
}
