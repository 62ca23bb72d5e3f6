/*
 * discover.h: feed autodiscovery.  An HTML page names its feeds in
 * <link rel="alternate"> elements; the common paths are where a site
 * that names none usually keeps one.
 */
#ifndef FEEDD_DISCOVER_H
#define FEEDD_DISCOVER_H

#include <stddef.h>

int	 discover_is_html(const char *, const char *, size_t);
size_t	 discover_links(const char *, size_t, const char *, char ***,
	    char ***);
size_t	 discover_common(const char *, char ***);
void	 discover_free(char **, size_t);

#endif /* FEEDD_DISCOVER_H */
