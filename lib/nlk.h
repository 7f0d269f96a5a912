/* nlk: netlink requests over libnl sockets, always acknowledged, with the
 * kernel's own error text (extended ACK) kept for the operator. */
#ifndef SECTUN_NLK_H
#define SECTUN_NLK_H

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#define KERR_LEN	256

/* A kernel refusal: -errno and "what: strerror [kernel's extack text]". */
struct kerr {
	int	 code;
	char	 msg[KERR_LEN];
};

/* Called for each data message of a reply (a dump's entries). */
typedef int (*nlk_cb)(struct nlmsghdr *h, void *arg);

struct nl_sock *nlk_open(int protocol, struct kerr *e);
/* Send m (freed here) and read its whole answer: a dump's entries or a
 * single reply go to cb; returns 0, or -1 with e filled. Requests that are
 * not dumps or gets are sent with NLM_F_ACK. */
int	 nlk_request(struct nl_sock *sk, struct nl_msg *m, nlk_cb cb,
	    void *arg, struct kerr *e, const char *what);
/* Wipe (messages may carry keys) and free; NULL is fine. */
void	 nlk_msg_free(struct nl_msg *m);
/* Fill e from a local failure (no kernel answer). */
int	 nlk_fail(struct kerr *e, int code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
