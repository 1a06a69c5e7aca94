#!/usr/bin/env python3
"""Misbehaving CLP/1 clients on Python's ssl module, driven by the Swift tests (loopback only).

Usage: hostile.py MODE PORT CAFILE ...   (a password comes from the CASELINE_PASSWORD environment variable)
  noread USER COUNT SECONDS COMMAND...
        log in, send COUNT copies of COMMAND pipelined, never read an answer, stay connected SECONDS;
        prints "sent BYTES of TOTAL" once sending stops (the server stopped reading, or all was sent)
  storm USER COUNT SPREAD_MS
        open COUNT connections spread over SPREAD_MS; each that completes TLS logs in and creates API
        tokens one after another until the server says goodbye; prints one JSON line per connection:
        {"tls": bool, "bye": code or null, "ok": [tags answered OK], "sent": n, "error": text or null}
"""
import json
import os
import socket
import ssl
import sys
import threading
import time

mode, port, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3]
password = os.environ.get("CASELINE_PASSWORD", "").replace("\\", "\\\\").replace('"', '\\"')


def context():
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def login(sock, stream, user):
    sock.sendall(('l1 LOGIN %s "%s"\r\n' % (user, password)).encode("utf-8"))
    while True:
        line = stream.readline()
        if not line:
            raise SystemExit("closed during LOGIN")
        if line.startswith(b"l1 "):
            if not line.startswith(b"l1 OK"):
                raise SystemExit("login failed: %r" % line)
            return


if mode == "noread":
    user, count, seconds = sys.argv[4], int(sys.argv[5]), float(sys.argv[6])
    command = " ".join(sys.argv[7:])
    sock = context().wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10),
                                 server_hostname="localhost")
    stream = sock.makefile("rb")
    stream.readline()
    login(sock, stream, user)
    payload = b"".join(("x%d %s\r\n" % (i, command)).encode("utf-8") for i in range(count))
    sock.settimeout(0.2)
    sent, stalled_since, deadline = 0, None, time.time() + seconds
    while sent < len(payload) and time.time() < deadline:
        try:
            sent += sock.send(payload[sent:sent + 16384])
            stalled_since = None
        except (socket.timeout, ssl.SSLWantWriteError):
            stalled_since = stalled_since or time.time()
            if time.time() - stalled_since > 2:
                break
    print("sent %d of %d" % (sent, len(payload)), flush=True)
    # Never read; keep the connection open until told to stop.
    while time.time() < deadline:
        time.sleep(0.1)

elif mode == "storm":
    user, count, spread = sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
    results = [None] * count

    def client(index):
        outcome = {"tls": False, "bye": None, "ok": [], "sent": 0, "error": None}
        try:
            time.sleep(spread / 1000.0 * index / max(1, count))
            sock = context().wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=20),
                                         server_hostname="localhost")
            outcome["tls"] = True
            stream = sock.makefile("rb")
            first = stream.readline()
            if first.startswith(b"* BYE"):
                outcome["bye"] = first.split(b"[")[1].split(b"]")[0].decode() if b"[" in first else ""
                results[index] = outcome
                return
            sock.sendall(('l1 LOGIN %s "%s"\r\n' % (user, password)).encode("utf-8"))
            n = 0
            pending = "l1"
            sock.sendall(b"")
            while True:
                line = stream.readline()
                if not line:
                    break
                if line.startswith(b"* BYE"):
                    outcome["bye"] = line.split(b"[")[1].split(b"]")[0].decode() if b"[" in line else ""
                    continue
                if line.startswith((pending + " ").encode()):
                    if pending != "l1" and line.startswith((pending + " OK").encode()):
                        outcome["ok"].append(pending)
                    if pending == "l1" and not line.startswith(b"l1 OK"):
                        outcome["error"] = "login: %s" % line.decode("utf-8", "replace").strip()
                        break
                    n += 1
                    pending = "w%d_%d" % (index, n)
                    try:
                        sock.sendall(('%s TOKEN CREATE "storm %d %d"\r\n' % (pending, index, n)).encode())
                        outcome["sent"] += 1
                    except OSError:
                        pass
        except Exception as error:  # refused or reset before or during TLS: no session was opened
            outcome["error"] = "%s: %s" % (type(error).__name__, error)
        results[index] = outcome

    threads = [threading.Thread(target=client, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for outcome in results:
        print(json.dumps(outcome), flush=True)
else:
    raise SystemExit("unknown mode " + mode)
