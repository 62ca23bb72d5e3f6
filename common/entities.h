/*
 * entities.h: the HTML named entities real feeds use without declaring
 * them (&nbsp;, &eacute;, &mdash; ...).
 */
#ifndef FEEDD_ENTITIES_H
#define FEEDD_ENTITIES_H

#include <stddef.h>
#include <stdint.h>

struct entity {
	const char	*name;
	uint32_t	 cp;	/* Unicode code point */
};

extern const struct entity	entities_html[];
extern const size_t		entities_html_count;

uint32_t	entities_lookup(const char *, size_t);

#endif /* FEEDD_ENTITIES_H */
