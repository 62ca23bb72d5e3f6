/*
 * url.h: URL handling through curl_url: relative references resolved
 * against a base (xml:base, the document URL), and the canonical form
 * that tells two links to the same story apart from two different ones.
 */
#ifndef FEEDD_URL_H
#define FEEDD_URL_H

int	 url_is_absolute(const char *);
char	*url_resolve(const char *, const char *);
char	*url_canonical(const char *);

#endif /* FEEDD_URL_H */
