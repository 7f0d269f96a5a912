#!/usr/bin/env python3
"""Golden transcripts of interactive sessions: help (?), TAB completion and
errors, as a user at a terminal sees them.

Each tests/golden/NAME.in is replayed, line by line, into an interactive
session of a fresh sectund; the bytes that come back are rendered by a small
terminal model (\\r, \\n, backspace) and compared with NAME.out.
In an .in file: escapes such as \\t (TAB), \\r (Enter), \\x15 (^U) are
decoded; nothing is added, so a line to run ends with \\r.
Run with --update to rewrite the .out files (then read them!)."""
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

TOP_SRC = os.environ.get("top_srcdir", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOP_BUILD = os.environ.get("top_builddir", TOP_SRC)
GOLDEN = os.path.join(TOP_SRC, "tests", "golden")


def render(data):
    """Screen text of a byte stream: lines, cursor, overwrite, backspace."""
    lines, cur, col = [], [], 0
    for ch in data.decode("utf-8", "replace"):
        if ch == "\n":
            lines.append("".join(cur).rstrip())
            cur, col = [], 0
        elif ch == "\r":
            col = 0
        elif ch == "\b":
            col = max(0, col - 1)
        elif ch == "\x07":
            continue
        else:
            if col < len(cur):
                cur[col] = ch
            else:
                cur.extend(" " * (col - len(cur)))
                cur.append(ch)
            col += 1
    lines.append("".join(cur).rstrip())
    return "\n".join(lines).rstrip() + "\n"


def read_quiet(sock, quiet=0.25, cap=5.0):
    out, end = b"", time.time() + cap
    sock.settimeout(quiet)
    while time.time() < end:
        try:
            d = sock.recv(65536)
        except socket.timeout:
            break
        if not d:
            break
        out += d
    return out


def run_transcript(sockpath, script):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sockpath)
    s.sendall(b"SECTUN/1 interactive\n")
    data = read_quiet(s)
    for line in script.splitlines():
        if not line or line.startswith("#"):
            continue
        keys = line.encode().decode("unicode_escape").encode("latin-1")
        s.sendall(keys)
        data += read_quiet(s)
    s.close()
    return data


def tty_session(sockpath):
    """The real sectun client on a terminal (a pty): it relays keys and
    screen both ways, and exits 0 when the session ends."""
    import pty
    import select
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(os.path.join(TOP_BUILD, "cli", "sectun"),
                 ["sectun", "--socket", sockpath])

    def read_until(marker, cap=5.0):
        buf, end = b"", time.time() + cap
        while marker not in buf and time.time() < end:
            r, _, _ = select.select([fd], [], [], 0.2)
            if r:
                try:
                    buf += os.read(fd, 65536)
                except OSError:
                    break
        return buf

    seen = read_until(b"r1# ")
    for keys in (b"conf t\r", b"hostname tty1\r", b"end\r"):
        os.write(fd, keys)
        seen += read_until(b"# ")
    os.write(fd, b"show running-config | inc\thostname\r")
    seen += read_until(b"tty1# ")
    os.write(fd, b"exit\r")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    text = render(seen)
    ok = ("r1(config)#" in text and "\nhostname tty1\n" in text
          and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0)
    return ok, text


def main():
    update = "--update" in sys.argv
    work = tempfile.mkdtemp(prefix="sectun-golden-")
    names = sorted(f[:-3] for f in os.listdir(GOLDEN) if f.endswith(".in"))
    passed = failed = 0
    for name in names:
        base = os.path.join(work, name)
        os.makedirs(base)
        sockpath = os.path.join(base, "cli.sock")
        pidfile = os.path.join(base, "pid")
        subprocess.run([os.path.join(TOP_BUILD, "daemon", "sectund"), "--no-kernel", "--db",
                        os.path.join(base, "db", "sectun.db"), "--socket", sockpath,
                        "--pidfile", pidfile, "--hostname", "r1"],
                       check=True, stderr=subprocess.DEVNULL)
        try:
            with open(os.path.join(GOLDEN, name + ".in")) as f:
                raw = run_transcript(sockpath, f.read())
            # encrypted blobs differ on every run (random nonces)
            got = re.sub(r"encrypted [0-9a-f]{32,}", "encrypted BLOB",
                         render(raw))
        finally:
            with open(pidfile) as f:
                os.kill(int(f.read()), 15)
        outpath = os.path.join(GOLDEN, name + ".out")
        if update:
            with open(outpath, "w") as f:
                f.write(got)
            print("updated - %s" % name)
            passed += 1
            continue
        if name == "secrets":   # typed once, echoed once, never again
            for secret in (b"SuperSecret123", b"000102030405060708090a0b0c0d0e0f"):
                n = raw.count(secret)
                print("%s - %s appears %d time(s), only as typed" %
                      ("ok" if n == 1 else "not ok", secret.decode(), n))
                passed, failed = passed + (n == 1), failed + (n != 1)
        with open(outpath) as f:
            want = f.read()
        if got == want:
            print("ok - transcript %s" % name)
            passed += 1
        else:
            print("not ok - transcript %s" % name)
            import difflib
            sys.stdout.writelines(difflib.unified_diff(
                want.splitlines(True), got.splitlines(True), "expected", "got"))
            failed += 1
    # the client itself on a terminal, against one more daemon
    base = os.path.join(work, "tty")
    os.makedirs(base)
    sockpath, pidfile = os.path.join(base, "cli.sock"), os.path.join(base, "pid")
    subprocess.run([os.path.join(TOP_BUILD, "daemon", "sectund"), "--no-kernel", "--db",
                    os.path.join(base, "db", "sectun.db"), "--socket", sockpath,
                    "--pidfile", pidfile, "--hostname", "r1"],
                   check=True, stderr=subprocess.DEVNULL)
    try:
        ok, text = tty_session(sockpath)
    finally:
        with open(pidfile) as f:
            os.kill(int(f.read()), 15)
    if ok:
        print("ok - sectun on a terminal: prompts, editing, filter, exit 0")
        passed += 1
    else:
        print("not ok - sectun on a terminal; the screen was:\n" + text)
        failed += 1
    subprocess.run(["rm", "-rf", work])
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not names else 0


if __name__ == "__main__":
    sys.exit(main())
