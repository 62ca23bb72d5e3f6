/*
 * url.h: URL handling through curl_url: relative references resolved
 * against a base (xml:base, the document URL).
 */
#ifndef FEEDD_URL_H
#define FEEDD_URL_H

int	 url_is_absolute(const char *);
char	*url_resolve(const char *, const char *);

#endif /* FEEDD_URL_H */
