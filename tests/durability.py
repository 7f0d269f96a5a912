#!/usr/bin/env python3
"""durability.py: a crash never loses an acknowledged change.

Each round starts sectund -f on the same database (after the previous
round's SIGKILL the stale socket, pid file and hot journal are left as they
are: the daemon must start over them), opens a batch session on the control
socket (ctlproto.h), enters configure terminal and adds virtual routers
"virtual-router dN table T" one at a time, while a timer sends SIGKILL to
the daemon at a random moment. Every command whose reply came back with
status 0 was acknowledged. The daemon is then restarted and every
acknowledged virtual router must be in show running-config; the database
must pass PRAGMA integrity_check.

Run by make check (top_builddir exported). Exit 0 pass, 1 fail, 77 skip.
"""

import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

ROUNDS = 6
HELLO = b"SECTUN/1 batch\n"
STATUS_OK, STATUS_ERROR, STATUS_END = 0, 1, 2

npass = 0
nfail = 0


def check(ok, desc, detail=None):
    global npass, nfail
    if ok:
        npass += 1
        print("ok - " + desc)
    else:
        nfail += 1
        print("not ok - " + desc)
        if detail:
            for line in str(detail).splitlines():
                print("#   " + line)
    sys.stdout.flush()
    return ok


class Lost(Exception):
    """The daemon went away in the middle of a command."""


class Session:
    """A batch session: one command per line, '<status> <len>\\n' + output."""

    def __init__(self, path, timeout=10.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buf = b""
        self.sock.sendall(HELLO)

    def _fill(self):
        try:
            data = self.sock.recv(65536)
        except (ConnectionError, OSError) as e:
            raise Lost(str(e))
        if not data:
            raise Lost("end of stream")
        self.buf += data

    def _line(self):
        while b"\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\n", 1)
        return line

    def _bytes(self, n):
        while len(self.buf) < n:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def run(self, cmd):
        """Returns (status, output) or raises Lost."""
        try:
            self.sock.sendall(cmd.encode() + b"\n")
        except (ConnectionError, OSError) as e:
            raise Lost(str(e))
        hdr = self._line().decode(errors="replace").split()
        if len(hdr) != 2:
            raise Lost("bad reply header %r" % hdr)
        status, length = int(hdr[0]), int(hdr[1])
        return status, self._bytes(length).decode(errors="replace")

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class Daemon:
    def __init__(self, sectund, work, hostname="dur"):
        self.sectund = sectund
        self.db = os.path.join(work, "db", "sectun.db")
        self.sock = os.path.join(work, "cli.sock")
        self.pidfile = os.path.join(work, "sectund.pid")
        self.work = work
        self.hostname = hostname
        self.proc = None
        self.errpath = None
        self.starts = 0

    def start(self):
        self.starts += 1
        self.errpath = os.path.join(self.work, "sectund.%d.err" % self.starts)
        with open(self.errpath, "wb") as err:
            self.proc = subprocess.Popen(
                [self.sectund, "--no-kernel", "-f", "--db", self.db, "--socket", self.sock,
                 "--pidfile", self.pidfile, "--hostname", self.hostname],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=err)
        return self.proc

    def stderr(self):
        try:
            with open(self.errpath, errors="replace") as f:
                return f.read()
        except (OSError, TypeError):
            return ""

    def wait_ready(self, timeout=10.0):
        """Connects once the daemon listens; None if it died or timed out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return None
            try:
                return Session(self.sock)
            except OSError:
                time.sleep(0.01)
        return None

    def terminate(self, timeout=5.0):
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def integrity(db):
    """PRAGMA integrity_check, with the sqlite3 CLI if there is one."""
    if shutil.which("sqlite3"):
        r = subprocess.run(["sqlite3", db, "PRAGMA integrity_check"],
                           capture_output=True, text=True, timeout=30)
        return (r.stdout + r.stderr).strip()
    con = sqlite3.connect(db)
    try:
        return "\n".join(row[0] for row in
                         con.execute("PRAGMA integrity_check"))
    finally:
        con.close()


def running_vrs(session):
    """The dN virtual-router lines of show running-config."""
    status, out = session.run("show running-config")
    if status != STATUS_OK:
        raise Lost("show running-config failed: " + out)
    return {line.strip() for line in out.splitlines()
            if line.strip().startswith("virtual-router d")}


def main():
    builddir = os.environ.get("top_builddir")
    if not builddir:
        print("# top_builddir is not set (run from make check)")
        return 77
    sectund = os.path.join(builddir, "daemon", "sectund")
    if not os.access(sectund, os.X_OK):
        print("# %s is not built" % sectund)
        return 77

    work = tempfile.mkdtemp(prefix="sectun-durability.")
    d = Daemon(sectund, work)
    acked = []		# every acknowledged command, all rounds
    sent = set()		# every command sent, acknowledged or not
    n = 0
    t0 = time.monotonic()
    try:
        for rnd in range(1, ROUNDS + 1):
            # the writer: until SIGKILL at a random moment
            delay = random.uniform(0.05, 1.0)
            proc = d.start()
            timer = threading.Timer(delay, proc.send_signal, [signal.SIGKILL])
            timer.start()
            round_acked = 0
            rejected = []
            s = d.wait_ready(timeout=delay + 10.0)
            if s is not None:
                try:
                    st, out = s.run("configure terminal")
                    if st != STATUS_OK:
                        rejected.append(("configure terminal", st, out))
                    else:
                        deadline = time.monotonic() + 10.0
                        while time.monotonic() < deadline:
                            n += 1
                            cmd = "virtual-router d%d table %d" % (n, 999 + n)
                            sent.add(cmd)
                            st, out = s.run(cmd)
                            if st == STATUS_OK:
                                acked.append(cmd)
                                round_acked += 1
                            else:
                                rejected.append((cmd, st, out))
                                break
                except Lost:
                    pass
                finally:
                    s.close()
            timer.join()
            rc = proc.wait(timeout=10)
            check(rc == -signal.SIGKILL,
                  "round %d: the daemon was killed by SIGKILL after %.2f s"
                  % (rnd, delay), "exit status %s\n%s" % (rc, d.stderr()))
            check(not rejected,
                  "round %d: no valid command was refused" % rnd,
                  "\n".join("%s -> status %d: %s" % r for r in rejected))

            # restart over the stale socket, pid file and journal
            proc = d.start()
            s = d.wait_ready(timeout=10.0)
            if not check(s is not None,
                         "round %d: the daemon restarts after SIGKILL "
                         "without cleanup" % rnd,
                         "exit status %s\n%s" % (proc.poll(), d.stderr())):
                d.kill()
                break
            try:
                present = running_vrs(s)
            except Lost as e:
                present = set()
                check(False, "round %d: show running-config" % rnd, e)
            finally:
                s.close()
            missing = [c for c in acked if c not in present]
            found = len(acked) - len(missing)
            print("# round %d: killed after %.2f s, acknowledged %d "
                  "(total %d), found %d of %d, present %d"
                  % (rnd, delay, round_acked, len(acked), found, len(acked),
                     len(present)))
            check(not missing,
                  "round %d: all %d acknowledged virtual routers are present"
                  % (rnd, len(acked)),
                  "lost %d: %s" % (len(missing), ", ".join(missing[:10])))
            phantom = sorted(present - sent)
            check(not phantom,
                  "round %d: no virtual router that was never sent" % rnd,
                  ", ".join(phantom[:10]))
            rc = d.terminate()
            check(rc == 0, "round %d: SIGTERM stops the restarted daemon "
                  "with status 0" % rnd,
                  "exit status %s\n%s" % (rc, d.stderr()))
            res = integrity(d.db)
            check(res == "ok", "round %d: PRAGMA integrity_check says ok"
                  % rnd, res)
        print("# %d rounds, %d commands acknowledged, %.1f s"
              % (ROUNDS, len(acked), time.monotonic() - t0))
    finally:
        d.kill()
        shutil.rmtree(work, ignore_errors=True)

    print("%d passed, %d failed" % (npass, nfail))
    return 0 if nfail == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
