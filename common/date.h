/*
 * date.h: the dates feeds carry.  RFC 822/2822 as found in the wild and
 * RFC 3339 / ISO 8601 / W3CDTF are read; RFC 3339 in UTC is written, and
 * how far a date is from now ("5m ago") for people.
 */
#ifndef FEEDD_DATE_H
#define FEEDD_DATE_H

#include <stddef.h>
#include <stdint.h>

#define DATE_RFC3339_LEN	sizeof("-292277022657-01-27T08:29:52Z")

int	date_parse(const char *, int64_t *);
int	date_parse_rfc822(const char *, int64_t *);
int	date_parse_rfc3339(const char *, int64_t *);
char	*date_format_rfc3339(int64_t, char *, size_t);
char	*date_relative(int64_t, int64_t, char *, size_t);

#endif /* FEEDD_DATE_H */
