/*
 * charset.h: character sets beyond expat's own four, through iconv, and
 * the repair of text whose declared charset lied.
 */
#ifndef FEEDD_CHARSET_H
#define FEEDD_CHARSET_H

#include <expat.h>

#define CHARSET_LABEL_MAX	64

int	 charset_normalize(const char *, char *, size_t, int *);
int	 charset_unknown_encoding_cb(void *, const XML_Char *, XML_Encoding *);
char	*charset_fix_latin1(char *);

#endif /* FEEDD_CHARSET_H */
