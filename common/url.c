/*
 * url.c: relative references resolved per RFC 3986 section 5 by libcurl's
 * URL API, which already knows every corner of the algorithm.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "url.h"
#include "xmalloc.h"

/* RFC 3986 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
int
url_is_absolute(const char *s)
{
	const char	*p;

	if (!isalpha((unsigned char)*s))
		return (0);
	for (p = s + 1; *p != '\0'; p++) {
		if (*p == ':')
			return (1);
		if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-' &&
		    *p != '.')
			return (0);
	}
	return (0);
}

/*
 * Returns "ref" resolved against "base" (either may be NULL), newly
 * allocated.  A reference that cannot be resolved comes back as it is:
 * a feed's link is worth keeping even when its base is broken.
 */
char *
url_resolve(const char *base, const char *ref)
{
	CURLU	*u;
	char	*out = NULL, *res;

	if (ref == NULL)
		return (base != NULL ? xstrdup(base) : NULL);
	if (url_is_absolute(ref) || base == NULL || *base == '\0')
		return (xstrdup(ref));
	if ((u = curl_url()) == NULL)
		return (xstrdup(ref));
	if (curl_url_set(u, CURLUPART_URL, base,
	    CURLU_NON_SUPPORT_SCHEME | CURLU_PATH_AS_IS) != CURLUE_OK ||
	    curl_url_set(u, CURLUPART_URL, ref,
	    CURLU_NON_SUPPORT_SCHEME | CURLU_ALLOW_SPACE) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, &out, 0) != CURLUE_OK) {
		curl_url_cleanup(u);
		return (xstrdup(ref));
	}
	curl_url_cleanup(u);
	res = xstrdup(out);
	curl_free(out);
	return (res);
}
