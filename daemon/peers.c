/*
 * peers.c: the other nodes' commits, heard on the loop (peers.h).
 */
#include <stdlib.h>
#include <sys/time.h>

#include <event2/event.h>

#include "peers.h"
#include "store.h"
#include "xmalloc.h"

struct peers {
	struct event_base	*base;
	struct store_listen	*listen;
	struct event		*ev;
	peers_items_cb		 items_cb;
	void			*items_arg;
	peers_hosts_cb		 hosts_cb;
	void			*hosts_arg;
	peers_feeds_cb		 feeds_cb;
	void			*feeds_arg;
};

static void	peers_arm(struct peers *);

static void
peers_cb(evutil_socket_t fd, short what, void *arg)
{
	struct peers	*pe = arg;
	uint32_t	*hosts;
	size_t		 n;
	int64_t		 max;
	int		 all;

	/* Every notification waiting is read: one call for all. */
	if (store_listen_step(pe->listen, (what & EV_TIMEOUT) != 0, &max) > 0 &&
	    pe->items_cb != NULL)
		pe->items_cb(max, pe->items_arg);
	n = store_listen_hosts(pe->listen, &hosts, &all);
	if ((n > 0 || all) && pe->hosts_cb != NULL)
		pe->hosts_cb(hosts, n, all, pe->hosts_arg);
	free(hosts);
	if (store_listen_feeds(pe->listen) && pe->feeds_cb != NULL)
		pe->feeds_cb(pe->feeds_arg);
	peers_arm(pe);
}

/* Waits for what the listener wants: its socket changes as it
 * reconnects, so the event is set anew each time. */
static void
peers_arm(struct peers *pe)
{
	struct timeval	 tv;
	int64_t		 secs;
	int		 want, fd;
	short		 events = 0;

	want = store_listen_want(pe->listen, &secs);
	if ((fd = store_listen_fd(pe->listen)) != -1) {
		if (want & STORE_LISTEN_READ)
			events |= EV_READ;
		if (want & STORE_LISTEN_WRITE)
			events |= EV_WRITE;
	}
	event_del(pe->ev);
	event_assign(pe->ev, pe->base, events != 0 ? fd : -1, events,
	    peers_cb, pe);
	tv.tv_sec = (time_t)(secs > 0 ? secs : 0);
	tv.tv_usec = 0;
	event_add(pe->ev, secs >= 0 || events == 0 ? &tv : NULL);
}

/* Starts hearing the other nodes on "database"; NULL for sqlite's. */
struct peers *
peers_new(struct event_base *base, const char *database)
{
	struct peers		*pe;
	struct store_listen	*l;

	if ((l = store_listen_new(database)) == NULL)
		return (NULL);
	pe = xcalloc(1, sizeof(*pe));
	pe->base = base;
	pe->listen = l;
	pe->ev = event_new(base, -1, 0, peers_cb, pe);
	peers_arm(pe);
	return (pe);
}

void
peers_on_items(struct peers *pe, peers_items_cb cb, void *arg)
{
	if (pe == NULL)
		return;
	pe->items_cb = cb;
	pe->items_arg = arg;
}

void
peers_on_hosts(struct peers *pe, peers_hosts_cb cb, void *arg)
{
	if (pe == NULL)
		return;
	pe->hosts_cb = cb;
	pe->hosts_arg = arg;
}

void
peers_on_feeds(struct peers *pe, peers_feeds_cb cb, void *arg)
{
	if (pe == NULL)
		return;
	pe->feeds_cb = cb;
	pe->feeds_arg = arg;
}

void
peers_free(struct peers *pe)
{
	if (pe == NULL)
		return;
	event_free(pe->ev);
	store_listen_free(pe->listen);
	free(pe);
}
