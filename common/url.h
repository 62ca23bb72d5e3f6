/*
 * url.h: URL handling through curl_url: relative references resolved
 * against a base (xml:base, the document URL), and the canonical form
 * that tells two links to the same story apart from two different ones,
 * and the normal form every stored link and feed URL takes.
 */
#ifndef FEEDD_URL_H
#define FEEDD_URL_H

#define URL_MAILTO	0x1	/* url_normalize: a mailto: URL may stay */
#define URL_FEED	0x2	/* url_normalize: a feed's: no fragment */

int	 url_is_absolute(const char *);
int	 url_has_control(const char *);
char	*url_strip(const char *);
char	*url_resolve(const char *, const char *);
char	*url_normalize(const char *, const char *, int);
char	*url_canonical(const char *);
char	*url_feed(const char *, const char **);
char	*url_escape(const char *);

#endif /* FEEDD_URL_H */
