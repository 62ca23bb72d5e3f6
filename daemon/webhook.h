/*
 * webhook.h: the HTTP request a webhook notifier sends for one item, in
 * each format: json (the item record, HMAC-signed with a secret), slack
 * (also Mattermost), discord, matrix (client-server API, idempotent by
 * transaction id) and ntfy.  Building only: notify-webhook.c sends it.
 */
#ifndef FEEDD_WEBHOOK_H
#define FEEDD_WEBHOOK_H

#include <stddef.h>

struct conf_notify;
struct store_delivery;

struct webhook_req {
	char		 *url;
	const char	 *method;	/* "POST" or "PUT" */
	char		 *body;
	size_t		  len;
	char		**headers;	/* "Name: value", NULL-terminated */
};

int	webhook_build(const struct conf_notify *, const struct store_delivery *,
	    const char *, struct webhook_req *);
void	webhook_req_clear(struct webhook_req *);
char	*webhook_signature(const char *, const char *, size_t);

#endif /* FEEDD_WEBHOOK_H */
