/*
 * peers.h: what the other nodes on a shared database commit, heard on
 * the loop (store_listen_*(): PostgreSQL's LISTEN on a connection of its
 * own, which never blocks the loop): new items, for watchers; host
 * slots freed, for the poller waiting on a host at max_per_host; and
 * feeds added or changed, for the poller to arm.
 * Nothing on a database one node has to itself: peers_new() is NULL.
 */
#ifndef FEEDD_PEERS_H
#define FEEDD_PEERS_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
struct peers;

/* Items up to "max" were committed (0: any cursor may be behind). */
typedef void	(*peers_items_cb)(int64_t, void *);
/* Host slots were freed: a key each, or "all" (any host may have). */
typedef void	(*peers_hosts_cb)(const uint32_t *, size_t, int, void *);
/* Feeds were added or their schedules changed (or may have been). */
typedef void	(*peers_feeds_cb)(void *);

struct peers	*peers_new(struct event_base *, const char *);
void		 peers_on_items(struct peers *, peers_items_cb, void *);
void		 peers_on_hosts(struct peers *, peers_hosts_cb, void *);
void		 peers_on_feeds(struct peers *, peers_feeds_cb, void *);
void		 peers_free(struct peers *);

#endif /* FEEDD_PEERS_H */
