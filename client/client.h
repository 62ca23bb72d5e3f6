/*
 * client.h: feedctl's side of the socket: find it, connect, send one
 * request line, read lines until the answer with its id comes back.
 * Blocking I/O: feedctl does one thing at a time.
 */
#ifndef FEEDD_CLIENT_H
#define FEEDD_CLIENT_H

#include <jansson.h>

struct client;

typedef void (*client_notify_cb)(json_t *, void *);

char		*client_socket_path(const char *, const char *, char **);
struct client	*client_open(const char *, char **);
int		 client_call(struct client *, const char *, json_t *,
		    json_t **, char **);
int		 client_next(struct client *, json_t **);
void		 client_set_notify(struct client *, client_notify_cb, void *);
void		 client_close(struct client *);

#endif /* FEEDD_CLIENT_H */
