/*
 * entities.c: lookups in the generated HTML entity table.
 */
#include <stdlib.h>
#include <string.h>

#include "entities.h"

struct entity_key {
	const char	*name;
	size_t		 len;
};

static int
entities_cmp(const void *k, const void *e)
{
	const struct entity_key	*key = k;
	const struct entity	*ent = e;
	int			 r;

	r = strncmp(key->name, ent->name, key->len);
	if (r != 0)
		return (r);
	return (ent->name[key->len] == '\0' ? 0 : -1);
}

/* Returns the code point of entity "name" (not NUL-terminated), or 0. */
uint32_t
entities_lookup(const char *name, size_t len)
{
	struct entity_key	 key = { name, len };
	const struct entity	*e;

	if (len == 0 || memchr(name, '\0', len) != NULL)
		return (0);
	e = bsearch(&key, entities_html, entities_html_count,
	    sizeof(*entities_html), entities_cmp);
	return (e != NULL ? e->cp : 0);
}
