/* nlk: netlink requests with ACKs and extended error reporting.
 *
 * libnl 3.7 has no extended-ACK API and maps some errnos to "Unspecific
 * failure", so the error callback reads struct nlmsgerr and its
 * NLMSGERR_ATTR_MSG itself (netlink(7), "Extended ACK"). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>

#include <openssl/crypto.h>

#include "nlk.h"
#include "util.h"

struct nlk_call {
	nlk_cb		 cb;
	void		*arg;
	struct kerr	*e;
	const char	*what;
	int		 done;
	int		 single;	/* a get: one data message ends it */
	int		 failed;
};

int
nlk_fail(struct kerr *e, int code, const char *fmt, ...)
{
	va_list	 ap;

	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

struct nl_sock *
nlk_open(int protocol, struct kerr *e)
{
	struct nl_sock *sk;
	int	 one = 1, fd;

	if ((sk = nl_socket_alloc()) == NULL) {
		nlk_fail(e, -ENOMEM, "netlink: out of memory");
		return NULL;
	}
	if (nl_connect(sk, protocol) < 0) {
		nlk_fail(e, -errno, "netlink: cannot connect: %s",
		    strerror(errno));
		nl_socket_free(sk);
		return NULL;
	}
	nl_socket_disable_auto_ack(sk);
	nl_socket_enable_msg_peek(sk);
	fd = nl_socket_get_fd(sk);
	/* the kernel's text for refusals; dumps filtered by the kernel */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	nl_socket_set_buffer_size(sk, 1 << 20, 1 << 20);
	return sk;
}

/* NLMSGERR_ATTR_MSG of an error carrying TLVs (NETLINK_CAP_ACK is set,
 * so the attributes follow struct nlmsgerr directly). */
static const char *
nlk_extack(struct nlmsgerr *err)
{
	struct nlmsghdr *h = (struct nlmsghdr *)((char *)err - NLMSG_HDRLEN);
	struct nlattr	*tb[NLMSGERR_ATTR_MAX + 1];
	struct nlattr	*attrs = (struct nlattr *)(err + 1);
	int		 len;

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	len = (int)h->nlmsg_len - NLMSG_HDRLEN - (int)sizeof(*err);
	if (len <= 0 || nla_parse(tb, NLMSGERR_ATTR_MAX, attrs, len, NULL) < 0)
		return NULL;
	if (tb[NLMSGERR_ATTR_MSG] == NULL)
		return NULL;
	return nla_get_string(tb[NLMSGERR_ATTR_MSG]);
}

static int
nlk_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	struct nlk_call *c = arg;
	const char *text = nlk_extack(err);

	c->done = c->failed = 1;
	c->e->code = err->error;
	if (text != NULL && *text != '\0')
		snprintf(c->e->msg, sizeof(c->e->msg), "%s: %s (%s)", c->what,
		    strerror(-err->error), text);
	else
		snprintf(c->e->msg, sizeof(c->e->msg), "%s: %s", c->what,
		    strerror(-err->error));
	return NL_STOP;
}

static int
nlk_ack_cb(struct nl_msg *m, void *arg)
{
	((struct nlk_call *)arg)->done = 1;
	return NL_STOP;
}

static int
nlk_valid_cb(struct nl_msg *m, void *arg)
{
	struct nlk_call *c = arg;

	if (c->cb != NULL && c->cb(nlmsg_hdr(m), c->arg) == -1) {
		/* keep reading to the end, so the socket stays in step */
		if (!c->failed)
			nlk_fail(c->e, -EPROTO, "%s: unexpected reply",
			    c->what);
		c->failed = 1;
	}
	if (c->single)
		c->done = 1;
	return c->single ? NL_STOP : NL_OK;
}

void
nlk_msg_free(struct nl_msg *m)
{
	if (m == NULL)
		return;
	OPENSSL_cleanse(nlmsg_hdr(m), nlmsg_hdr(m)->nlmsg_len);
	nlmsg_free(m);
}

int
nlk_request(struct nl_sock *sk, struct nl_msg *m, nlk_cb cb, void *arg,
    struct kerr *e, const char *what)
{
	struct nlk_call	 c = { .cb = cb, .arg = arg, .e = e, .what = what };
	struct nlmsghdr	*h = nlmsg_hdr(m);
	struct nl_cb	*ncb;
	int		 rc;

	/* NLM_F_DUMP is two bits, and NLM_F_EXCL / NLM_F_REPLACE reuse them
	 * in new-object requests: a dump has both */
	if ((h->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP) {
		if (cb == NULL)
			h->nlmsg_flags |= NLM_F_ACK;
		else
			c.single = 1;
	}
	if ((ncb = nl_cb_clone(nl_socket_get_cb(sk))) == NULL) {
		nlk_msg_free(m);
		return nlk_fail(e, -ENOMEM, "%s: out of memory", what);
	}
	nl_cb_err(ncb, NL_CB_CUSTOM, nlk_err_cb, &c);
	nl_cb_set(ncb, NL_CB_ACK, NL_CB_CUSTOM, nlk_ack_cb, &c);
	nl_cb_set(ncb, NL_CB_FINISH, NL_CB_CUSTOM, nlk_ack_cb, &c);
	nl_cb_set(ncb, NL_CB_VALID, NL_CB_CUSTOM, nlk_valid_cb, &c);
	rc = nl_send_auto(sk, m);
	nlk_msg_free(m);	/* it may have carried keys */
	if (rc < 0) {
		nl_cb_put(ncb);
		return nlk_fail(e, -EIO, "%s: cannot send: %s", what,
		    nl_geterror(rc));
	}
	while (!c.done) {
		rc = nl_recvmsgs(sk, ncb);
		if (rc < 0 && !c.done) {
			nl_cb_put(ncb);
			return nlk_fail(e, -EIO, "%s: %s", what,
			    nl_geterror(rc));
		}
	}
	nl_cb_put(ncb);
	return c.failed ? -1 : 0;
}
