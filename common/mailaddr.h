/*
 * mailaddr.h: the mailboxes a mail notifier's "from" and "to" name, read
 * the way RFC 5322 3.4 writes them ("addr", "Name <addr>", "\"Name, Jr.\"
 * <addr>"), so feedd --check-config refuses what would break a header and
 * mail.c writes each part in the form its header needs.
 */
#ifndef FEEDD_MAILADDR_H
#define FEEDD_MAILADDR_H

#include <stddef.h>

#define MAILADDR_DOMAIN	0x1	/* the address must be local@domain */

struct mailaddr {
	char	*name;		/* the display name, unquoted; NULL: none */
	char	*addr;		/* without its angle brackets */
};

int	 mailaddr_parse(const char *, size_t, int, struct mailaddr *,
	    const char **);
int	 mailaddr_list(const char *, int, struct mailaddr **, size_t *,
	    const char **);
void	 mailaddr_clear(struct mailaddr *);
void	 mailaddr_free_list(struct mailaddr *, size_t);

#endif /* FEEDD_MAILADDR_H */
