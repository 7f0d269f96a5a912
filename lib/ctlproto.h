/* ctlproto: the control socket's protocol between sectun and sectund.
 *
 * The client opens with one line: CTL_HELLO_INTERACTIVE or CTL_HELLO_BATCH.
 * Interactive: then a raw terminal byte stream both ways (libcli's editor).
 * Batch: the client sends one command per line ("\n"); for each the daemon
 * answers "<status> <length>\n" followed by <length> bytes of output, where
 * status is CTL_STATUS_OK, CTL_STATUS_ERROR or CTL_STATUS_END.
 * Blank lines and lines starting with "!" are comments: OK, no output. */
#ifndef SECTUN_CTLPROTO_H
#define SECTUN_CTLPROTO_H

#define CTL_HELLO_INTERACTIVE	"SECTUN/1 interactive"
#define CTL_HELLO_BATCH		"SECTUN/1 batch"
#define CTL_LINE_MAX		4096
#define CTL_IDLE_TIMEOUT	1800	/* seconds without input end a session */
#define CTL_STATUS_OK		0
#define CTL_STATUS_ERROR	1
#define CTL_STATUS_END		2	/* the command ended the session */
#define CTL_DEFAULT_SOCKET	"/run/sectun/cli.sock"
#define CTL_DEFAULT_DB		"/var/lib/sectun/sectun.db"
#define CTL_DEFAULT_PIDFILE	"/run/sectun/sectund.pid"

#endif
