/* knet_probe: drives lib/ike_net.c and the IKE parts of lib/kernel_xfrm.c
 * for the lab (tests/lab/scenarios/15-ike-plumbing.sh), one subcommand per
 * kernel behaviour to prove. Output is one line per event, for grep. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <linux/xfrm.h>

#include "ike_net.h"
#include "kernel.h"
#include "util.h"

static const char usage_text[] =
"usage: knet_probe COMMAND ...\n"
"  listen [-6] [--natt] [--echo] [-c COUNT] [-t SECS] VRF PORT\n"
"  send [-6] [--natt] [--plain] [--sport P] [--wait SECS] VRF LOCAL PEER PORT MSG\n"
"  keepalive [--sport P] VRF PEER PORT\n"
"  spi-alloc SRC DST REQID IF_ID\n"
"  sa [--update] [--encap SPORT,DPORT] [--life SB,HB,SS,HS] [--replay N]\n"
"     SRC DST SPI REQID IF_ID KEYHEX        (rfc4106(gcm(aes)), 128-bit ICV)\n"
"  sa-get DST SPI\n"
"  sp LOCAL PEER REQID IF_ID               (IPv4 any <-> any, in/out/fwd)\n"
"  mon SECS [COUNT]\n"
"  resolve VRF NAME [4|6]\n"
"  dns-serve VRF ADDR SECS\n"
"VRF '-' is the default VR; MSG 'hex:...' is raw bytes.\n";

static void
usage(void)
{
	fputs(usage_text, stderr);
	exit(2);
}

static void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void
die(const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "knet_probe: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static const char *
vrf_arg(const char *s)
{
	return strcmp(s, "-") == 0 ? "" : s;
}

static unsigned long long
num(const char *s)
{
	char	*end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *s == '\0' || *end != '\0')
		die("not a number: %s", s);
	return v;
}

/* An address into a 16-byte buffer; its family. */
static int
addr(const char *s, unsigned char *a)
{
	memset(a, 0, 16);
	if (inet_pton(AF_INET, s, a) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, s, a) == 1)
		return AF_INET6;
	die("not an address: %s", s);
}

static void
sockaddr_of(const char *s, uint16_t port, struct sockaddr_storage *ss)
{
	unsigned char a[16];
	int	 family = addr(s, a);

	memset(ss, 0, sizeof(*ss));
	ss->ss_family = (sa_family_t)family;
	if (family == AF_INET) {
		memcpy(&((struct sockaddr_in *)ss)->sin_addr, a, 4);
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	} else {
		memcpy(&((struct sockaddr_in6 *)ss)->sin6_addr, a, 16);
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	}
}

static const char *
ss_text(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char	 a[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, ntohs(s6->sin6_port));
	} else if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, ntohs(s4->sin_port));
	} else
		snprintf(buf, len, "?");
	return buf;
}

/* MSG: text, or hex:... bytes. */
static size_t
payload(const char *msg, uint8_t *buf, size_t cap)
{
	long	 n;

	if (strncmp(msg, "hex:", 4) == 0) {
		if ((n = hex_decode(msg + 4, buf, cap)) < 0)
			die("bad hex: %s", msg);
		return (size_t)n;
	}
	if (strlen(msg) > cap)
		die("too long: %s", msg);
	memcpy(buf, msg, strlen(msg));
	return strlen(msg);
}

static void
print_data(const uint8_t *buf, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		putchar(buf[i] >= 0x20 && buf[i] < 0x7f ? buf[i] : '.');
}

/* ---- UDP ---- */

static int
wait_in(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) > 0;
}

static int
listen_loop(int fd, int natt, int echo, long count, time_t end)
{
	struct sockaddr_storage from, to;
	uint8_t	 buf[65536];
	char	 f[64], t[64];
	ssize_t	 n;

	while (count != 0 && time(NULL) < end) {
		if (!wait_in(fd, 200))
			continue;
		n = ike_net_recv(fd, natt, buf, sizeof(buf), &from, &to);
		if (n == -1 && errno == EAGAIN)
			continue;
		if (n == -1)
			die("recv: %s", strerror(errno));
		if (n == 0) {
			printf("dropped\n");
			fflush(stdout);
			continue;
		}
		printf("recv from=%s to=%s len=%zd data=",
		    ss_text(&from, f, sizeof(f)), ss_text(&to, t, sizeof(t)), n);
		print_data(buf, (size_t)n);
		putchar('\n');
		fflush(stdout);
		if (echo && ike_net_send(fd, natt, &to, &from, buf,
		    (size_t)n) == -1)
			die("echo: %s", strerror(errno));
		if (count > 0)
			count--;
	}
	return 0;
}

static int
cmd_listen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "natt", no_argument, NULL, 'N' },
		{ "echo", no_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 } };
	char	 err[256];
	int	 c, family = AF_INET, natt = 0, echo = 0, fd;
	long	 count = -1, secs = 30;

	while ((c = getopt_long(argc, argv, "6c:t:", opts, NULL)) != -1) {
		switch (c) {
		case '6': family = AF_INET6; break;
		case 'N': natt = 1; break;
		case 'e': echo = 1; break;
		case 'c': count = (long)num(optarg); break;
		case 't': secs = (long)num(optarg); break;
		default: usage();
		}
	}
	if (argc - optind != 2)
		usage();
	fd = ike_net_open(family, (uint16_t)num(argv[optind + 1]),
	    vrf_arg(argv[optind]), natt, err, sizeof(err));
	if (fd == -1)
		die("%s", err);
	printf("listening %s %s\n", argv[optind], argv[optind + 1]);
	fflush(stdout);
	return listen_loop(fd, natt, echo, count, time(NULL) + secs);
}

/* A socket without ike_net's bypass policy: the negative control. */
static int
plain_socket(int family, const char *vrf, uint16_t sport)
{
	struct sockaddr_storage ss;
	int	 fd, one = 1;

	if ((fd = socket(family, SOCK_DGRAM, 0)) == -1)
		die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (*vrf != '\0' && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, vrf,
	    (socklen_t)strlen(vrf) + 1) == -1)
		die("SO_BINDTODEVICE: %s", strerror(errno));
	sockaddr_of(family == AF_INET ? "0.0.0.0" : "::", sport, &ss);
	if (bind(fd, (struct sockaddr *)&ss, family == AF_INET ?
	    sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6)) == -1)
		die("bind: %s", strerror(errno));
	return fd;
}

static void
send_wait(int fd, int natt, long secs)
{
	struct sockaddr_storage from, to;
	uint8_t	 buf[65536];
	char	 f[64], t[64];
	ssize_t	 n;

	if (!wait_in(fd, (int)secs * 1000)) {
		printf("no reply\n");
		exit(1);
	}
	if ((n = ike_net_recv(fd, natt, buf, sizeof(buf), &from, &to)) <= 0)
		die("reply: %s", n == 0 ? "dropped" : strerror(errno));
	printf("reply from=%s to=%s len=%zd data=", ss_text(&from, f,
	    sizeof(f)), ss_text(&to, t, sizeof(t)), n);
	print_data(buf, (size_t)n);
	putchar('\n');
}

static int
cmd_send(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "natt", no_argument, NULL, 'N' },
		{ "plain", no_argument, NULL, 'p' },
		{ "sport", required_argument, NULL, 's' },
		{ "wait", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 } };
	struct sockaddr_storage from, to;
	uint8_t	 buf[4096];
	char	 err[256];
	int	 c, family = AF_INET, natt = 0, plain = 0, fd;
	long	 sport = -1, secs = 0;
	size_t	 len;

	while ((c = getopt_long(argc, argv, "6", opts, NULL)) != -1) {
		switch (c) {
		case '6': family = AF_INET6; break;
		case 'N': natt = 1; break;
		case 'p': plain = 1; break;
		case 's': sport = (long)num(optarg); break;
		case 'w': secs = (long)num(optarg); break;
		default: usage();
		}
	}
	if (argc - optind != 5)
		usage();
	if (sport < 0)
		sport = (long)num(argv[optind + 3]);
	sockaddr_of(argv[optind + 1], 0, &from);
	sockaddr_of(argv[optind + 2], (uint16_t)num(argv[optind + 3]), &to);
	len = payload(argv[optind + 4], buf, sizeof(buf));
	if (plain)
		fd = plain_socket(family, vrf_arg(argv[optind]),
		    (uint16_t)sport);
	else if ((fd = ike_net_open(family, (uint16_t)sport,
	    vrf_arg(argv[optind]), natt, err, sizeof(err))) == -1)
		die("%s", err);
	if (ike_net_send(fd, natt, &from, &to, buf, len) == -1)
		die("send: %s", strerror(errno));
	printf("sent %zu bytes\n", len);
	if (secs > 0)
		send_wait(fd, natt, secs);
	return 0;
}

static int
cmd_keepalive(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sport", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 } };
	struct sockaddr_storage to;
	char	 err[256];
	int	 c, fd;
	long	 sport = IKE_NET_PORT_NATT;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 's')
			usage();
		sport = (long)num(optarg);
	}
	if (argc - optind != 3)
		usage();
	sockaddr_of(argv[optind + 1], (uint16_t)num(argv[optind + 2]), &to);
	fd = ike_net_open(to.ss_family, (uint16_t)sport,
	    vrf_arg(argv[optind]), 1, err, sizeof(err));
	if (fd == -1)
		die("%s", err);
	if (ike_net_keepalive(fd, &to) == -1)
		die("keepalive: %s", strerror(errno));
	printf("sent keepalive\n");
	return 0;
}

/* ---- XFRM ---- */

static struct kernel *
kopen(void)
{
	struct kerr	 e;
	struct kernel	*k;

	if ((k = kernel_open(&e)) == NULL)
		die("%s", e.msg);
	return k;
}

static int
cmd_spi_alloc(int argc, char **argv)
{
	unsigned char	 src[16], dst[16];
	struct kerr	 e;
	uint32_t	 spi;
	int		 family;

	if (argc != 5)
		usage();
	family = addr(argv[1], src);
	addr(argv[2], dst);
	if (kernel_spi_alloc(kopen(), family, src, dst, IPPROTO_ESP,
	    (uint32_t)num(argv[3]), (uint32_t)num(argv[4]), &spi, &e) == -1)
		die("%s", e.msg);
	printf("spi=0x%08x\n", spi);
	return 0;
}

static void
sa_life(const char *s, struct ksa *sa)
{
	unsigned long long v[4];

	if (sscanf(s, "%llu,%llu,%llu,%llu", &v[0], &v[1], &v[2], &v[3]) != 4)
		die("--life SOFT_BYTES,HARD_BYTES,SOFT_SECS,HARD_SECS: %s", s);
	sa->soft_bytes = v[0];
	sa->hard_bytes = v[1];
	sa->soft_secs = v[2];
	sa->hard_secs = v[3];
}

static void
sa_opts(int argc, char **argv, struct ksa *sa)
{
	static const struct option opts[] = {
		{ "update", no_argument, NULL, 'u' },
		{ "encap", required_argument, NULL, 'E' },
		{ "life", required_argument, NULL, 'l' },
		{ "replay", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 } };
	unsigned	 sp, dp;
	int		 c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'u': sa->update = 1; break;
		case 'E':
			if (sscanf(optarg, "%u,%u", &sp, &dp) != 2)
				die("--encap SPORT,DPORT: %s", optarg);
			sa->encap_sport = (uint16_t)sp;
			sa->encap_dport = (uint16_t)dp;
			break;
		case 'l': sa_life(optarg, sa); break;
		case 'r': sa->replay_win = (uint32_t)num(optarg); break;
		default: usage();
		}
	}
}

static int
cmd_sa(int argc, char **argv)
{
	struct ksa	 sa;
	struct kerr	 e;
	long		 n;

	memset(&sa, 0, sizeof(sa));
	sa_opts(argc, argv, &sa);
	if (argc - optind != 6)
		usage();
	sa.family = addr(argv[optind], sa.saddr);
	addr(argv[optind + 1], sa.daddr);
	sa.proto = IPPROTO_ESP;
	sa.spi = (uint32_t)num(argv[optind + 2]);
	sa.reqid = (uint32_t)num(argv[optind + 3]);
	sa.if_id = (uint32_t)num(argv[optind + 4]);
	sa.aead = 1;
	str_copy(sa.enc_alg, "rfc4106(gcm(aes))", sizeof(sa.enc_alg));
	if ((n = hex_decode(argv[optind + 5], sa.enc_key,
	    sizeof(sa.enc_key))) != 20)
		die("KEYHEX: 20 bytes (AES-128 key and salt): %s",
		    argv[optind + 5]);
	sa.enc_len = (size_t)n;
	sa.icv_bits = 128;
	if (kernel_sa_add(kopen(), &sa, &e) == -1)
		die("%s", e.msg);
	ksa_clear(&sa);
	printf("%s spi=0x%08x\n", sa.update ? "updated" : "added", sa.spi);
	return 0;
}

static int
cmd_sa_get(int argc, char **argv)
{
	unsigned char	 dst[16];
	struct ksa	 sa;
	struct kerr	 e;
	int		 family, rc;

	if (argc != 3)
		usage();
	family = addr(argv[1], dst);
	rc = kernel_sa_get(kopen(), family, dst, (uint32_t)num(argv[2]),
	    IPPROTO_ESP, &sa, &e);
	if (rc == -1)
		die("%s", e.msg);
	if (rc == 0)
		die("no SA %s", argv[2]);
	printf("spi=0x%08x reqid=%u if_id=%u alg=%s encap=%u,%u "
	    "life=%llu,%llu,%llu,%llu replay_win=%u\n", sa.spi, sa.reqid,
	    sa.if_id, sa.enc_alg[0] != '\0' ? sa.enc_alg : "none",
	    sa.encap_sport, sa.encap_dport,
	    (unsigned long long)sa.soft_bytes,
	    (unsigned long long)sa.hard_bytes,
	    (unsigned long long)sa.soft_secs,
	    (unsigned long long)sa.hard_secs, sa.replay_win);
	ksa_clear(&sa);
	return 0;
}

static int
cmd_sp(int argc, char **argv)
{
	static const int dirs[] = { XFRM_POLICY_OUT, XFRM_POLICY_IN,
	    XFRM_POLICY_FWD };
	unsigned char	 local[16], peer[16];
	struct kernel	*k;
	struct ksp	 sp;
	struct kerr	 e;
	size_t		 i;

	if (argc != 5)
		usage();
	k = kopen();
	for (i = 0; i < nitems(dirs); i++) {
		memset(&sp, 0, sizeof(sp));
		sp.family = AF_INET;
		sp.dir = dirs[i];
		sp.tmpl_family = addr(argv[1], local);
		addr(argv[2], peer);
		/* the template: outer addresses in the packet's direction */
		memcpy(sp.tmpl_saddr, dirs[i] == XFRM_POLICY_OUT ? local : peer,
		    16);
		memcpy(sp.tmpl_daddr, dirs[i] == XFRM_POLICY_OUT ? peer : local,
		    16);
		sp.tmpl_proto = IPPROTO_ESP;
		sp.reqid = (uint32_t)num(argv[3]);
		sp.if_id = (uint32_t)num(argv[4]);
		if (kernel_sp_update(k, &sp, &e) == -1)
			die("%s", e.msg);
	}
	printf("policies if_id=%s\n", argv[4]);
	return 0;
}

static void
mon_print(const struct kevent *ev, void *arg)
{
	char	 s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	char	 ss[INET6_ADDRSTRLEN] = "-", sd[INET6_ADDRSTRLEN] = "-";

	(*(long *)arg)++;
	inet_ntop(ev->family, ev->saddr, s, sizeof(s));
	inet_ntop(ev->family, ev->daddr, d, sizeof(d));
	if (ev->sel_family != 0) {
		inet_ntop(ev->sel_family, ev->sel_saddr, ss, sizeof(ss));
		inet_ntop(ev->sel_family, ev->sel_daddr, sd, sizeof(sd));
	}
	if (ev->type == KEVENT_ACQUIRE)
		printf("acquire if_id=%u reqid=%u src=%s dst=%s sel=%s->%s "
		    "sel_proto=%u proto=%u policy=%u dir=%d seq=%u\n",
		    ev->if_id, ev->reqid, s, d, ss, sd, ev->sel_proto,
		    ev->proto, ev->policy_index, ev->policy_dir, ev->seq);
	else
		printf("expire %s spi=0x%08x if_id=%u reqid=%u src=%s dst=%s "
		    "proto=%u\n", ev->hard ? "hard" : "soft", ev->spi,
		    ev->if_id, ev->reqid, s, d, ev->proto);
	fflush(stdout);
}

static int
cmd_mon(int argc, char **argv)
{
	struct kernel_mon *m;
	struct kerr	 e;
	time_t		 end;
	long		 count = -1, seen = 0;

	if (argc != 2 && argc != 3)
		usage();
	end = time(NULL) + (time_t)num(argv[1]);
	if (argc == 3)
		count = (long)num(argv[2]);
	if ((m = kernel_mon_open(&e)) == NULL)
		die("%s", e.msg);
	printf("monitoring\n");
	fflush(stdout);
	while (time(NULL) < end && (count < 0 || seen < count)) {
		if (!wait_in(kernel_mon_fd(m), 200))
			continue;
		if (kernel_mon_read(m, mon_print, &seen) == -1)
			printf("error %s\n", strerror(errno));
	}
	kernel_mon_close(m);
	return count < 0 || seen >= count ? 0 : 1;
}

/* ---- names ---- */

static int
cmd_resolve(int argc, char **argv)
{
	struct sockaddr_storage ss;
	char	 err[256], text[64];
	int	 family = AF_UNSPEC;

	if (argc != 3 && argc != 4)
		usage();
	if (argc == 4)
		family = strcmp(argv[3], "6") == 0 ? AF_INET6 : AF_INET;
	if (ike_net_resolve(argv[2], vrf_arg(argv[1]), family, &ss, err,
	    sizeof(err)) == -1)
		die("%s", err);
	printf("resolved %s\n", ss_text(&ss, text, sizeof(text)));
	return 0;
}

/* One answer to a query: the question echoed, and ADDR if the type fits
 * (RFC 1035 4.1). Its length, or 0 to stay silent. */
static size_t
dns_reply(uint8_t *m, size_t n, size_t cap, const unsigned char *a,
    int family)
{
	size_t	 pos = 12, alen = family == AF_INET ? 4 : 16;
	unsigned qtype;

	if (n < 12 || (m[2] & 0x80) != 0 || m[4] != 0 || m[5] != 1)
		return 0;
	while (pos < n && m[pos] != 0 && m[pos] < 64)
		pos += 1 + m[pos];
	if (pos + 5 > n || m[pos] != 0)
		return 0;
	qtype = (unsigned)(m[pos + 1] << 8 | m[pos + 2]);
	pos += 5;
	printf("query type=%u\n", qtype);
	fflush(stdout);
	m[2] = 0x81;	/* QR, RD */
	m[3] = 0x80;	/* RA, NOERROR */
	memset(m + 6, 0, 6);
	if (qtype != (family == AF_INET ? 1u : 28u) || pos + 12 + alen > cap)
		return pos;
	m[7] = 1;	/* ANCOUNT */
	memcpy(m + pos, "\xc0\x0c\x00\x00\x00\x01\x00\x00\x00\x3c", 10);
	m[pos + 3] = (uint8_t)(family == AF_INET ? 1 : 28);
	m[pos + 10] = 0;
	m[pos + 11] = (uint8_t)alen;
	memcpy(m + pos + 12, a, alen);
	return pos + 12 + alen;
}

static int
cmd_dns_serve(int argc, char **argv)
{
	struct sockaddr_storage from;
	socklen_t	 fl;
	unsigned char	 a[16];
	uint8_t		 m[1500];
	time_t		 end;
	ssize_t		 n;
	size_t		 r;
	int		 fd, family;

	if (argc != 4)
		usage();
	family = addr(argv[2], a);
	end = time(NULL) + (time_t)num(argv[3]);
	fd = plain_socket(AF_INET, vrf_arg(argv[1]), 53);
	printf("serving %s\n", argv[2]);
	fflush(stdout);
	while (time(NULL) < end) {
		if (!wait_in(fd, 200))
			continue;
		fl = sizeof(from);
		n = recvfrom(fd, m, sizeof(m), 0, (struct sockaddr *)&from,
		    &fl);
		if (n <= 0)
			continue;
		if ((r = dns_reply(m, (size_t)n, sizeof(m), a, family)) > 0)
			sendto(fd, m, r, 0, (struct sockaddr *)&from, fl);
	}
	return 0;
}

static const struct {
	const char	*name;
	int		(*fn)(int, char **);
} commands[] = {
	{ "listen", cmd_listen },
	{ "send", cmd_send },
	{ "keepalive", cmd_keepalive },
	{ "spi-alloc", cmd_spi_alloc },
	{ "sa", cmd_sa },
	{ "sa-get", cmd_sa_get },
	{ "sp", cmd_sp },
	{ "mon", cmd_mon },
	{ "resolve", cmd_resolve },
	{ "dns-serve", cmd_dns_serve },
};

int
main(int argc, char **argv)
{
	size_t	 i;

	if (argc < 2)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < nitems(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	usage();
	return 2;
}
