/*
 * opml.h: OPML 2.0 subscription lists (http://opml.org/spec2.opml):
 * outlines with xmlUrl in, feeds out, and newsboat's urls file in.
 * Folder paths and the "category" attribute both become tags, so an
 * export imports back without loss.
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
	unsigned int twin_of;	/* the line of the same URL's first outline */
	char	*problem;	/* why it cannot be imported, or NULL */
};

int	 opml_parse(const char *, size_t, struct opml_outline **, size_t *,
	    char **);
int	 opml_parse_urls(const char *, size_t, struct opml_outline **,
	    size_t *, char **);
int	 opml_parse_any(const char *, size_t, struct opml_outline **,
	    size_t *, char **);
void	 opml_outlines_free(struct opml_outline *, size_t);
char	*opml_write(struct store_feed **, size_t);

#endif /* FEEDD_OPML_H */
