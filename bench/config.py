#!/usr/bin/env python3
"""Benchmark of the configuration path: how fast sectund commits commands
(each one an fsync'd SQLite transaction) and prints large configurations.

usage: bench/config.py [BUILDDIR] [N]   (default: build/werror, 1000)
Prints figures; asserts nothing."""
import os
import socket
import subprocess
import sys
import tempfile
import time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(top, "build", "werror")
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000


class Session:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(path)
        self.f = self.s.makefile("rb")
        self.s.sendall(b"SECTUN/1 batch\n")

    def run(self, line):
        self.s.sendall(line.encode() + b"\n")
        status, length = self.f.readline().split()
        out = self.f.read(int(length))
        if status != b"0":
            raise SystemExit("%s: %s" % (line, out.decode()))
        return out


def timed(label, count, fn):
    t0 = time.perf_counter()
    fn()
    dt = time.perf_counter() - t0
    print("%-44s %7d in %7.3f s  %9.1f /s  %7.3f ms each" %
          (label, count, dt, count / dt, 1000 * dt / count))


work = tempfile.mkdtemp(prefix="sectun-bench-")
sock = os.path.join(work, "cli.sock")
pid = os.path.join(work, "pid")
subprocess.run([os.path.join(build, "daemon", "sectund"), "--no-kernel", "--db",
                os.path.join(work, "db", "sectun.db"), "--socket", sock,
                "--pidfile", pid], check=True)
try:
    s = Session(sock)
    s.run("configure terminal")
    s.run("ipsec transform-set ts transform esp-aes256-gcm")
    timed("virtual-router NAME table N (commit each)", n, lambda: [
        s.run("virtual-router b%d table %d" % (i, 1000 + i)) for i in range(n)])

    def tunnels():
        for i in range(n):
            s.run("interface tunnel ipsec:t%d" % i)
            s.run("tunnel destination 198.51.%d.%d" % (i // 250, i % 250 + 1))
            s.run("tunnel transform-set ts")
            s.run("exit")
    timed("tunnels (4 commands each, commit each)", n, tunnels)
    timed("ip route into a tunnel (commit each)", n, lambda: [
        s.run("ip route 10.%d.%d.0/24 tunnel ipsec:t%d" % (i // 250, i % 250, i))
        for i in range(n)])
    s.run("end")
    lines = []
    timed("show running-config (%d tunnels)" % n, 1,
          lambda: lines.append(s.run("show running-config")))
    print("running-config: %d lines, %d bytes" %
          (lines[0].count(b"\n"), len(lines[0])))
    timed("show ipsec tunnel (%d tunnels)" % n, 1,
          lambda: s.run("show ipsec tunnel"))
    print("database: %d bytes" % os.path.getsize(os.path.join(work, "db", "sectun.db")))
finally:
    with open(pid) as f:
        os.kill(int(f.read()), 15)
    time.sleep(0.2)
    subprocess.run(["rm", "-rf", work])
