/*
 * sockflood.c: many clients at once, for the protocol abuse tests:
 *
 *	sockflood SOCKET N [burst]
 *
 * opens N connections, sends a "status" request on each, and waits for
 * every answer (10 s at most); prints "N answered" and exits 0 when all
 * were, 1 otherwise.  With "burst" the connections do not block: one the
 * listen backlog has no room for fails (EAGAIN) instead of waiting, as a
 * crowd of event-driven clients sees it.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	static const char	 req[] =
	    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"status\"}\n";
	struct sockaddr_un	 sun;
	struct pollfd		*pfd;
	struct rlimit		 rl;
	char			 buf[4096];
	int			 n, i, answered = 0, left, type = SOCK_STREAM;
	time_t			 end;

	if ((argc != 3 && (argc != 4 || strcmp(argv[3], "burst") != 0)) ||
	    strlen(argv[1]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "usage: sockflood SOCKET N [burst]\n");
		return (2);
	}
	if (argc == 4)
		type |= SOCK_NONBLOCK;
	n = atoi(argv[2]);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)n + 16) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, argv[1]);
	pfd = calloc((size_t)n, sizeof(*pfd));
	for (i = 0; i < n; i++) {
		if ((pfd[i].fd = socket(AF_UNIX, type, 0)) == -1 ||
		    connect(pfd[i].fd, (struct sockaddr *)&sun,
		    sizeof(sun)) == -1) {
			fprintf(stderr, "connect %d: %s\n", i + 1,
			    strerror(errno));
			return (1);
		}
		pfd[i].events = POLLIN;
	}
	for (i = 0; i < n; i++)
		if (write(pfd[i].fd, req, sizeof(req) - 1) !=
		    (ssize_t)sizeof(req) - 1)
			perror("write");
	end = time(NULL) + 10;
	for (left = n; left > 0 && time(NULL) < end; ) {
		if (poll(pfd, (nfds_t)n, 200) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			if (pfd[i].fd < 0 || !(pfd[i].revents & POLLIN))
				continue;
			if (read(pfd[i].fd, buf, sizeof(buf)) > 0 &&
			    strstr(buf, "\"result\"") != NULL)
				answered++;
			close(pfd[i].fd);
			pfd[i].fd = -1;
			left--;
		}
	}
	printf("%d answered\n", answered);
	free(pfd);
	return (answered == n ? 0 : 1);
}
