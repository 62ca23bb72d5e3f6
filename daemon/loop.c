/*
 * loop.c: the event base every part of the daemon runs on.
 *
 * Precise timers: by default libevent waits in epoll_wait() with a
 * timeout in milliseconds, and on the development machine a 1 ms timer
 * fired after 3.4 ms (curl arms such timers at every step of a
 * transfer); with timerfd it fires after 0.07 ms.
 *
 * A cap on default-priority work: libevent runs every active callback of
 * one priority before it polls again, so a webhook's answer or a
 * writer's commit could wait behind a crowd of feed bodies being parsed.
 * After LOOP_DISPATCH_USEC of them it polls again, and an urgent event
 * that became ready meanwhile runs next (bench/notify: the 90th
 * percentile of an urgent timer's delay during a first poll went from
 * 9-23 ms to 4-7 ms).
 */
#include <sys/time.h>

#include <event2/event.h>

#include "log.h"
#include "loop.h"

#define LOOP_PRIORITIES		2
#define LOOP_DISPATCH_USEC	2000

struct event_base *
loop_new(void)
{
	struct event_config	*cfg;
	struct event_base	*base;
	struct timeval		 tv = { 0, LOOP_DISPATCH_USEC };

	if ((cfg = event_config_new()) == NULL)
		fatalx("loop: event_config_new failed");
	if (event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER) != 0 ||
	    event_config_set_max_dispatch_interval(cfg, &tv, -1,
	    LOOP_PRIO_DEFAULT) != 0)
		fatalx("loop: event_config failed");
	if ((base = event_base_new_with_config(cfg)) == NULL)
		fatalx("loop: event_base_new failed");
	event_config_free(cfg);
	if (event_base_priority_init(base, LOOP_PRIORITIES) != 0)
		fatalx("loop: event_base_priority_init failed");
	return (base);
}
