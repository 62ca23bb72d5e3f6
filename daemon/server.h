/*
 * server.h: the Unix socket: listening (or systemd's socket), one
 * buffered connection per client, newline-delimited JSON-RPC 2.0 framing.
 * What each method does is rpc.c's business.
 */
#ifndef FEEDD_SERVER_H
#define FEEDD_SERVER_H

#include <stddef.h>
#include <sys/types.h>

#include <jansson.h>

#include "proto.h"

struct event_base;
struct server;
struct server_conn;

#define RPC_DEFERRED		1	/* the handler answers later */

/*
 * Handles one request: returns 0 with "*result" set, or an error code
 * with "*message" (allocated) set.
 */
typedef int (*server_request_cb)(struct server_conn *, const char *,
    json_t *, json_t *, json_t **, char **, void *);

/* A connection is going away: forget everything that points at it. */
typedef void (*server_gone_cb)(struct server_conn *, void *);

struct server_opts {
	const char	*path;
	unsigned int	 mode;		/* socket_mode */
	const char	*group;		/* socket_group, or NULL */
	size_t		 max_line;	/* bytes per request line */
};

int		 server_check(const struct server_opts *, char **);
int		 server_check_path(const struct server_opts *, char **);
struct server	*server_new(struct event_base *, const struct server_opts *,
		    server_request_cb, void *, char **);
void		 server_set_gone(struct server *, server_gone_cb, void *);
void		 server_send(struct server_conn *, json_t *);
void		 server_send_text(struct server_conn *, const char *, size_t);
void		 server_answer(struct server_conn *, json_t *, json_t *, int,
		    const char *);
void		 server_answer_text(struct server_conn *, json_t *,
		    const char *, size_t);
void		 server_conn_set_data(struct server_conn *, void *,
		    void (*)(void *));
void		*server_conn_get_data(const struct server_conn *);
size_t		 server_conn_backlog(const struct server_conn *);
void		 server_conn_close(struct server_conn *);
uid_t		 server_conn_uid(const struct server_conn *);
size_t		 server_clients(const struct server *);
void		 server_free(struct server *);

#endif /* FEEDD_SERVER_H */
