#!/usr/bin/env python3
"""Slow readers against a real server: prints the server's resident memory as they read.

N clients each ask for `limit=10000` on a database of synthetic places and then read one
byte a second. Before answers were streamed, 200 such clients on 20,000 places took the
server from 54 MB to 1.4 GB. Now a large answer is streamed from shared feature bytes, only
a bounded number of them are in flight (the others answer 503), and a client that reads
nothing for the write timeout is disconnected.

    cargo build --release
    scripts/slow_readers.py target/release/tsunagari [--places 20000] [--clients 200]
                            [--seconds 60] [--port 18300] [--large-answers 16]

Standard library only; Linux (reads /proc/PID/status).
"""

import argparse
import collections
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def sockets(pid):
    n = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            n += os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
        except OSError:
            pass
    return n


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("binary")
    p.add_argument("--places", type=int, default=20_000)
    p.add_argument("--clients", type=int, default=200)
    p.add_argument("--seconds", type=int, default=60)
    p.add_argument("--port", type=int, default=18300)
    p.add_argument("--large-answers", type=int, default=16,
                   help="passed to serve: large answers in flight at once")
    a = p.parse_args()

    work = tempfile.TemporaryDirectory()
    data = os.path.join(work.name, "places.geojson")
    db = f"sqlite://{os.path.join(work.name, 'slow.db')}"
    with open(data, "wb") as out:
        subprocess.run([a.binary, "generate", "--places", str(a.places), "--seed", "1"],
                       stdout=out, check=True)
    subprocess.run([a.binary, "import", data, "--database", db], check=True,
                   stdout=subprocess.DEVNULL)

    base = f"http://127.0.0.1:{a.port}"
    server = subprocess.Popen(
        [a.binary, "serve", "--no-sample", "--database", db, "--listen", f"127.0.0.1:{a.port}",
         "--large-answers", str(a.large_answers)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit("the server did not start")
        idle = rss_mb(server.pid)
        with urllib.request.urlopen(f"{base}/api/collections/places/items?limit=10000") as r:
            answer = len(r.read())
        print(f"{a.places} places; one limit=10000 answer is {answer / 1e6:.1f} MB; "
              f"server RSS at rest {idle:.0f} MB")

        request = (f"GET /api/collections/places/items?limit=10000 HTTP/1.1\r\n"
                   f"Host: 127.0.0.1\r\n\r\n").encode()
        clients = []
        for _ in range(a.clients):
            s = socket.create_connection(("127.0.0.1", a.port))
            s.sendall(request)
            s.setblocking(False)
            clients.append({"sock": s, "got": b"", "open": True})

        peak = idle
        start = time.monotonic()
        for second in range(1, a.seconds + 1):
            for c in clients:
                if not c["open"]:
                    continue
                try:
                    byte = c["sock"].recv(1)
                    if byte:
                        c["got"] += byte
                    else:
                        c["open"] = False
                except BlockingIOError:
                    pass
                except OSError:
                    c["open"] = False
            rss = rss_mb(server.pid)
            peak = max(peak, rss)
            if second % 5 == 0 or second == a.seconds:
                statuses = collections.Counter(
                    c["got"][9:12].decode() for c in clients if len(c["got"]) >= 12)
                still = sum(c["open"] for c in clients)
                print(f"t={second:3d}s  RSS {rss:6.0f} MB  (peak {peak:.0f})  "
                      f"server sockets {sockets(server.pid)}  "
                      f"client sockets open {still}/{a.clients}  statuses {dict(statuses)}")
            time.sleep(max(0.0, start + second - time.monotonic()))
        print(f"peak RSS with {a.clients} slow readers: {peak:.0f} MB (at rest {idle:.0f} MB)")
        for c in clients:
            c["sock"].close()
        time.sleep(2)
        print(f"RSS after they left: {rss_mb(server.pid):.0f} MB")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
