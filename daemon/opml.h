/*
 * opml.h: OPML 2.0 subscription lists (http://opml.org/spec2.opml):
 * outlines with xmlUrl in, feeds out.  Nested outlines and the
 * "category" attribute both become tags, so an export imports back
 * without loss.
 */
#ifndef FEEDD_OPML_H
#define FEEDD_OPML_H

#include <stddef.h>

struct store_feed;

struct opml_outline {
	char	*url;		/* xmlUrl, as written */
	char	*title;		/* title, else text */
	char	**tags;
	size_t	 ntags;
	unsigned int line;
};

int	 opml_parse(const char *, size_t, struct opml_outline **, size_t *,
	    char **);
void	 opml_outlines_free(struct opml_outline *, size_t);
char	*opml_write(struct store_feed **, size_t);

#endif /* FEEDD_OPML_H */
