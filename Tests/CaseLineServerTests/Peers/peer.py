#!/usr/bin/env python3
"""An independent CLP/1 peer built on Python's ssl module (OpenSSL), driven by the Swift tests.

Usage: peer.py MODE PORT CAFILE   (the password comes from the CASELINE_PASSWORD environment variable)
  session  log in, PING with Vietnamese text, WHOAMI, LOGOUT; prints every line received
  flood    send PING requests without ever reading; stop when the server stops reading (a send blocks for
           2 s) or after 256 MiB; prints "sent N blocked yes|no"
  tls11    offer only TLS 1.1; prints "refused" if the server refuses the handshake
  plain    speak cleartext; prints "closed" if the server closes without a CLP/1 line
  silent   connect and send nothing; prints how long the server waited before closing
  audit    log in as admin, read AUDIT LIST, recompute every hash as CLP1.md §10.6 describes; prints
           "audit ok N" when every record chains, else the first record that does not
"""
import hashlib
import re
import os
import socket
import ssl
import sys
import time

mode, port, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def connect(context):
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    return context.wrap_socket(raw, server_hostname="localhost")


def verified_context():
    context = ssl.create_default_context(cafile=cafile)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def read_until_tag(stream, tag):
    lines = []
    while True:
        line = stream.readline()
        if not line:
            raise SystemExit("connection closed before %s completed" % tag)
        text = line.decode("utf-8").rstrip("\r\n")
        print(text)
        lines.append(text)
        if text.startswith(tag + " "):
            return lines


if mode == "session":
    sock = connect(verified_context())
    stream = sock.makefile("rb")
    greeting = stream.readline().decode("utf-8")
    print(greeting.rstrip())
    assert greeting.startswith("* GREETING protocol=CLP/1"), greeting
    password = os.environ["CASELINE_PASSWORD"].replace("\\", "\\\\").replace('"', '\\"')
    sock.sendall(('p1 LOGIN lan "%s"\r\n' % password).encode("utf-8"))
    assert read_until_tag(stream, "p1")[-1].startswith("p1 OK")
    # Decomposed Vietnamese in, NFC out.
    sock.sendall('p2 PING "Quang Thua\u0323\u0302n"\r\np3 WHOAMI\r\n'.encode("utf-8"))
    lines = read_until_tag(stream, "p2")
    assert '* PONG' in lines[0] and 'text="Quang Thuận"' in lines[0], lines
    lines = read_until_tag(stream, "p3")
    assert "user=lan" in lines[0], lines
    sock.sendall(b"p4 LOGOUT\r\n")
    lines = read_until_tag(stream, "p4")
    assert lines[0].startswith("* BYE") and lines[-1].startswith("p4 OK"), lines
    print("session ok")
elif mode == "flood":
    sock = connect(verified_context())
    sock.settimeout(2)
    chunk = b"".join(b"f%d PING %s\r\n" % (i, b"x" * 200) for i in range(500))
    sent, blocked = 0, False
    while sent < 256 << 20:
        try:
            sock.sendall(chunk)
            sent += len(chunk)
        except (socket.timeout, TimeoutError):
            blocked = True
            break
    print("sent %d blocked %s" % (sent, "yes" if blocked else "no"))
    sock.close()
elif mode == "tls11":
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.TLSv1_1
    context.maximum_version = ssl.TLSVersion.TLSv1_1
    context.set_ciphers("DEFAULT:@SECLEVEL=0")
    started = time.monotonic()
    try:
        connect(context)
        print("accepted")
    except (ssl.SSLError, ConnectionError) as error:
        print("refused after %.2f s: %s" % (time.monotonic() - started, error))
elif mode == "plain":
    raw = socket.create_connection(("127.0.0.1", port), timeout=5)
    raw.sendall(b"a1 PING\r\n")
    started = time.monotonic()
    received = b""
    try:
        while True:
            data = raw.recv(4096)
            if not data:
                break
            received += data
    except (ConnectionError, socket.timeout):
        pass
    if b"GREETING" in received or b"PONG" in received:
        print("answered in cleartext")
    else:
        print("closed after %.2f s" % (time.monotonic() - started))
elif mode == "silent":
    # Connect and never start TLS: the server must give up after its handshake timeout.
    raw = socket.create_connection(("127.0.0.1", port), timeout=30)
    started = time.monotonic()
    try:
        while raw.recv(4096):
            pass
    except (ConnectionError, socket.timeout):
        pass
    print("closed after %.2f s" % (time.monotonic() - started))
elif mode == "audit":
    sock = connect(verified_context())
    stream = sock.makefile("rb")
    stream.readline()
    password = os.environ["CASELINE_PASSWORD"].replace("\\", "\\\\").replace('"', '\\"')
    sock.sendall(('q1 LOGIN admin "%s"\r\nq2 AUDIT LIST limit=1000\r\n' % password).encode("utf-8"))
    assert read_until_tag(stream, "q1")[-1].startswith("q1 OK")
    records = []
    field = re.compile(r'([a-z-]+)=(?:"((?:[^"\\]|\\.)*)"|(\S+))')
    escapes = {"n": "\n", "r": "\r", "t": "\t"}
    for line in read_until_tag(stream, "q2"):
        if not line.startswith("* AUDIT "):
            continue
        record = {}
        for match in field.finditer(line[len("* AUDIT "):]):
            if match.group(2) is not None:
                record[match.group(1)] = re.sub(r"\\(.)", lambda e: escapes.get(e.group(1), e.group(1)), match.group(2))
            else:
                record[match.group(1)] = match.group(3)
        records.append(record)
    previous = ""
    for record in records:
        material = b""
        for value in [previous, record["seq"], record["at"], record["actor"], record.get("on-behalf-of", ""),
                      record["conn"], record["command"], record["entity"], record["change"]]:
            data = value.encode("utf-8")
            material += str(len(data)).encode() + b":" + data
        digest = hashlib.sha256(material).hexdigest()
        if digest != record["hash"]:
            raise SystemExit("record %s does not chain" % record["seq"])
        previous = digest
    print("audit ok %d" % len(records))
else:
    raise SystemExit("unknown mode " + mode)
