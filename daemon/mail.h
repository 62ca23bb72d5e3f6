/*
 * mail.h: RFC 5322 messages for the mail notifier: one per item, or a
 * digest of several.  UTF-8 throughout: RFC 2047 encoded words in
 * headers, multipart/alternative bodies (text and HTML) in base64.
 */
#ifndef FEEDD_MAIL_H
#define FEEDD_MAIL_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct store_delivery;

struct mail_opts {
	const char	*to;		/* mailaddr.c's list */
	const char	*from;		/* NULL: feedd@HOSTNAME; a name in it
					   replaces the feed's title */
	const char	*notifier;	/* names a digest */
	int64_t		 now;
};

char	*mail_message(const struct mail_opts *,
	    const struct store_delivery *, size_t, int);
void	 mail_header_encode(struct buf *, const char *, size_t);
void	 mail_header_encode_line(struct buf *, const char *, size_t);
char	*mail_message_id(const char *, const char *);

#endif /* FEEDD_MAIL_H */
