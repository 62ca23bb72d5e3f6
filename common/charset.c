/*
 * charset.c: expat decodes UTF-8, UTF-16, ISO-8859-1 and US-ASCII itself.
 * Every other charset iconv knows (windows-125x, ISO-8859-2..16, KOI8-R/U,
 * Shift_JIS, EUC-JP, GBK, Big5 ...) is turned into the byte map expat's
 * unknown-encoding handler asks for, probing iconv once per byte value.
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "charset.h"
#include "text.h"
#include "xmalloc.h"

struct charset_conv {
	iconv_t		cd;
	signed char	len[256];	/* sequence length by lead byte */
};

/* Windows-1252 0x80-0x9f; 0 marks the five bytes it leaves undefined. */
static const uint16_t cp1252_high[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

static int	charset_iconv_one(iconv_t, const char *, size_t, uint32_t *);
static int	charset_convert_cb(void *, const char *);
static void	charset_release_cb(void *);

/*
 * Another spelling of a charset name: numeric code pages ("866" is CP866),
 * underscores for hyphens ("windows_1252"), the "cs" names of the IANA
 * registry and Python's aliases ("macroman", "cp_is").  Returns -1 when
 * there is none.
 */
static int
charset_alias(const char *label, char *out, size_t outlen)
{
	static const struct {
		const char	*alias;
		const char	*name;
	} aliases[] = {
		{ "mac", "MACINTOSH" },
		{ "macroman", "MACINTOSH" },
		{ "mac-roman", "MACINTOSH" },
		{ "x-mac-roman", "MACINTOSH" },
		{ "maccentraleurope", "MAC-CENTRALEUROPE" },
		{ "mac-latin2", "MAC-CENTRALEUROPE" },
		{ "x-mac-ce", "MAC-CENTRALEUROPE" },
		{ "maccyrillic", "MAC-CYRILLIC" },
		{ "x-mac-cyrillic", "MAC-CYRILLIC" },
		{ "maciceland", "MAC-IS" },
		{ "macukraine", "MACUKRAINIAN" },
		{ "cp-is", "CP861" },
		{ "ibm-is", "CP861" },
	};
	char	name[CHARSET_LABEL_MAX], *d;
	size_t	i, len;

	if ((len = strlen(label)) == 0 || len >= sizeof(name) ||
	    len + 3 >= outlen)
		return (-1);
	for (i = 0; i <= len; i++) {
		name[i] = (char)tolower((unsigned char)label[i]);
		if (name[i] == '_')
			name[i] = '-';
	}
	for (i = 0; i < sizeof(aliases) / sizeof(*aliases); i++) {
		if (strcmp(name, aliases[i].alias) == 0) {
			snprintf(out, outlen, "%s", aliases[i].name);
			return (0);
		}
	}
	d = name;
	if (strncmp(d, "csibm", 5) == 0 || strncmp(d, "cspc", 4) == 0)
		d += strcspn(d, "0123456789");
	/* Code pages have at most five digits. */
	if (*d != '\0' && strlen(d) <= 5 && strspn(d, "0123456789") ==
	    strlen(d)) {
		snprintf(out, outlen, "CP%.5s", d);
		return (0);
	}
	snprintf(out, outlen, "%s", name);
	return (strcmp(name, label) != 0 ? 0 : -1);
}

/*
 * Maps a charset label (from HTTP or the XML declaration) to the name the
 * parser should use.  US-ASCII becomes UTF-8 (a superset, and documents
 * that say ASCII often are UTF-8); ISO-8859-1 becomes windows-1252, as
 * browsers read it (WHATWG Encoding), so curly quotes in 0x80-0x9f are not
 * lost.  "latin1" is set for both, so fields get charset_fix_latin1().
 * Returns -1 for a label iconv does not know.
 */
int
charset_normalize(const char *label, char *out, size_t outlen, int *latin1)
{
	static const char *const ascii[] = { "us-ascii", "ascii",
	    "ansi_x3.4-1968", "iso646-us", "us", NULL };
	static const char *const l1[] = { "iso-8859-1", "iso8859-1",
	    "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819",
	    "windows-1252", "cp1252", "x-cp1252", "iso-ir-100", NULL };
	static const char *const utf8[] = { "utf-8", "utf8",
	    "unicode-1-1-utf-8", NULL };
	const char *const	*p;
	char			 alias[CHARSET_LABEL_MAX];
	iconv_t			 cd;

	*latin1 = 0;
	if (strlen(label) >= outlen)
		return (-1);
	for (p = utf8; *p != NULL; p++)
		if (strcasecmp(label, *p) == 0)
			goto utf8;
	for (p = ascii; *p != NULL; p++)
		if (strcasecmp(label, *p) == 0)
			goto utf8;
	for (p = l1; *p != NULL; p++) {
		if (strcasecmp(label, *p) == 0) {
			*latin1 = 1;
			snprintf(out, outlen, "%s", "windows-1252");
			return (0);
		}
	}
	if ((cd = iconv_open("UTF-32LE", label)) == (iconv_t)-1) {
		/* Names readers accept and iconv does not, as iconv has them. */
		if (charset_alias(label, alias, sizeof(alias)) != 0)
			return (-1);
		return (charset_normalize(alias, out, outlen, latin1));
	}
	iconv_close(cd);
	snprintf(out, outlen, "%s", label);
	return (0);
utf8:
	snprintf(out, outlen, "%s", "UTF-8");
	return (0);
}

/* Converts one whole character; 0 on success, else -1 with errno. */
static int
charset_iconv_one(iconv_t cd, const char *in, size_t len, uint32_t *cp)
{
	unsigned char	 out[8];
	char		*ip = (char *)(uintptr_t)in, *op = (char *)out;
	size_t		 il = len, ol = sizeof(out);

	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
		return (-1);
	if (il != 0 || sizeof(out) - ol != 4) {
		errno = EILSEQ;
		return (-1);
	}
	*cp = (uint32_t)out[0] | (uint32_t)out[1] << 8 |
	    (uint32_t)out[2] << 16 | (uint32_t)out[3] << 24;
	return (0);
}

/*
 * Length of the multi-byte sequences lead byte "b" starts, found by asking
 * iconv which trail bytes complete it; 0 when none do.
 */
static int
charset_probe_length(iconv_t cd, unsigned char b)
{
	char		seq[4];
	uint32_t	cp;
	int		t, u;

	seq[0] = (char)b;
	for (t = 0x30; t < 0x100; t++) {
		seq[1] = (char)t;
		if (charset_iconv_one(cd, seq, 2, &cp) == 0)
			return (2);
	}
	/* EUC-JP's 0x8f lead: three bytes, both trails in 0xa1-0xfe. */
	for (t = 0xa1; t < 0xff; t += 7) {
		for (u = 0xa1; u < 0xff; u += 7) {
			seq[1] = (char)t;
			seq[2] = (char)u;
			if (charset_iconv_one(cd, seq, 3, &cp) == 0)
				return (3);
		}
	}
	return (0);
}

/*
 * expat's XML_UnknownEncodingHandler (XML_SetUnknownEncodingHandler).
 * Single-byte charsets map every byte; bytes a charset leaves undefined
 * map to the same code point, as ISO-8859-1 would, so a stray byte costs a
 * character, not the feed.
 */
int
charset_unknown_encoding_cb(void *data, const XML_Char *name,
    XML_Encoding *info)
{
	struct charset_conv	*cv;
	uint32_t		 cp;
	char			 c;
	int			 b, multi = 0, n;

	cv = xcalloc(1, sizeof(*cv));
	if ((cv->cd = iconv_open("UTF-32LE", name)) == (iconv_t)-1) {
		free(cv);
		return (XML_STATUS_ERROR);
	}
	for (b = 0; b < 256; b++) {
		c = (char)b;
		/*
		 * expat needs ASCII where XML syntax lives; like browsers
		 * (WHATWG), read 0x5c as a backslash even in Shift_JIS.
		 */
		if (b < 0x80) {
			info->map[b] = b;
			cv->len[b] = 1;
		} else if (charset_iconv_one(cv->cd, &c, 1, &cp) == 0) {
			info->map[b] = (int)cp;
			cv->len[b] = 1;
		} else if (errno == EINVAL &&
		    (n = charset_probe_length(cv->cd, (unsigned char)b)) != 0) {
			info->map[b] = -n;
			cv->len[b] = (signed char)n;
			multi = 1;
		} else {
			/* Undefined: as ISO-8859-1 would read it. */
			info->map[b] = b;
			cv->len[b] = 1;
		}
	}
	if (!multi) {
		/* Every byte mapped: no per-character calls needed. */
		iconv_close(cv->cd);
		free(cv);
		info->data = NULL;
		info->convert = NULL;
		info->release = NULL;
		return (XML_STATUS_OK);
	}
	info->data = cv;
	info->convert = charset_convert_cb;
	info->release = charset_release_cb;
	return (XML_STATUS_OK);
}

static int
charset_convert_cb(void *data, const char *s)
{
	struct charset_conv	*cv = data;
	uint32_t		 cp;
	int			 n = cv->len[(unsigned char)*s];

	if (n < 2 || charset_iconv_one(cv->cd, s, (size_t)n, &cp) != 0)
		return (0xfffd);
	return ((int)cp);
}

static void
charset_release_cb(void *data)
{
	struct charset_conv	*cv = data;

	iconv_close(cv->cd);
	free(cv);
}

/*
 * A document that says ISO-8859-1 or windows-1252 but is UTF-8 decodes to
 * mojibake ("CafÃ©").  Undo it where that is certain: the text maps back
 * to windows-1252 bytes one for one, and those bytes are valid UTF-8 with
 * at least one multi-byte sequence.  Returns "s" or its replacement (the
 * caller's string is freed).
 */
char *
charset_fix_latin1(char *s)
{
	const unsigned char	*u = (const unsigned char *)s;
	unsigned char		*raw, *r;
	size_t			 len = strlen(s), i;
	uint32_t		 cp;
	int			 multi, b, n, any = 0;

	for (i = 0; i < len; i++)
		if (u[i] >= 0x80)
			any = 1;
	if (!any)
		return (s);
	r = raw = xmalloc(len + 1);
	for (i = 0; i < len; i += (size_t)n) {
		if (u[i] < 0x80) {
			*r++ = u[i];
			n = 1;
			continue;
		}
		if ((u[i] & 0xe0) == 0xc0 && i + 1 < len) {
			cp = (uint32_t)(u[i] & 0x1f) << 6 | (u[i + 1] & 0x3f);
			n = 2;
		} else if ((u[i] & 0xf0) == 0xe0 && i + 2 < len) {
			cp = (uint32_t)(u[i] & 0x0f) << 12 |
			    (uint32_t)(u[i + 1] & 0x3f) << 6 | (u[i + 2] & 0x3f);
			n = 3;
		} else
			goto keep;
		if (cp >= 0xa0 && cp <= 0xff)
			*r++ = (unsigned char)cp;
		else if (cp >= 0x80 && cp <= 0x9f && cp1252_high[cp - 0x80] == 0)
			*r++ = (unsigned char)cp;
		else {
			for (b = 0; b < 32; b++)
				if (cp1252_high[b] == cp)
					break;
			if (b == 32)
				goto keep;
			*r++ = (unsigned char)(0x80 + b);
		}
	}
	*r = '\0';
	if (text_utf8_valid((char *)raw, (size_t)(r - raw), &multi) !=
	    (size_t)(r - raw) || !multi)
		goto keep;
	free(s);
	return ((char *)raw);
keep:
	free(raw);
	return (s);
}
