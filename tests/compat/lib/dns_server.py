# A DNS server for the tests of domain ownership verification (orgd serve --dns-server): answers
# UDP queries on 127.0.0.1 from a JSON file that is read again for every query, so a test can
# change the records while orgd runs. Debian's python3-dnslib; loopback only.
#
# Usage: dns_server.py PORT RECORDS.json     (PORT 0: a free one)
# Prints "listening on 127.0.0.1:PORT" on stdout once it answers; stops on SIGTERM or SIGINT.
#
# RECORDS.json maps a name (case-insensitive, a trailing dot optional) to its records:
#   {"_orgd-verification.acme.test": ["orgd-domain-verification=abc"],      TXT records
#    "acme.test": {"TXT": ["v=spf1 -all"], "A": ["127.0.0.1"]},             TXT and A records
#    "broken.test": {"rcode": "SERVFAIL"},                                   this answer code
#    "silent.test": {"silent": true}}                                        no answer at all
# A listed name without records of the asked type answers NOERROR with none (NODATA); any other
# name answers NXDOMAIN. A TXT value longer than 255 bytes is split into character-strings.
import json
import signal
import sys

from dnslib import QTYPE, RCODE, RR, TXT, A, DNSError
from dnslib.server import BaseResolver, DNSLogger, DNSServer

TTL = 5


def normalize(name):
    return str(name).rstrip(".").lower()


class FileResolver(BaseResolver):
    def __init__(self, path):
        self.path = path

    def load(self):
        with open(self.path, encoding="utf-8") as f:
            data = json.load(f)
        return {normalize(k): ({"TXT": v} if isinstance(v, list) else v) for k, v in data.items()}

    def resolve(self, request, handler):
        reply = request.reply()
        qname = request.q.qname
        qtype = QTYPE[request.q.qtype]
        try:
            records = self.load()
        except (OSError, ValueError) as e:
            print(f"dns_server: cannot read {self.path}: {e}", file=sys.stderr, flush=True)
            reply.header.rcode = RCODE.SERVFAIL
            return reply
        entry = records.get(normalize(qname))
        if entry is None:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        if entry.get("silent"):
            raise DNSError(f"{qname} is silent: not answering")
        if "rcode" in entry:
            reply.header.rcode = getattr(RCODE, entry["rcode"])
            return reply
        if qtype == "TXT":
            for value in entry.get("TXT", []):
                raw = value.encode("utf-8")
                chunks = [raw[i:i + 255] for i in range(0, len(raw), 255)] or [b""]
                reply.add_answer(RR(qname, QTYPE.TXT, rdata=TXT(chunks), ttl=TTL))
        elif qtype == "A":
            for value in entry.get("A", []):
                reply.add_answer(RR(qname, QTYPE.A, rdata=A(value), ttl=TTL))
        return reply


def main():
    if len(sys.argv) != 3:
        print("usage: dns_server.py PORT RECORDS.json", file=sys.stderr)
        sys.exit(2)
    port, path = int(sys.argv[1]), sys.argv[2]
    logger = DNSLogger(log="-request,-reply,-truncated",
                       logf=lambda s: print(s, file=sys.stderr, flush=True))
    # Blocked before the server thread starts (which inherits the mask), for sigwait below.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    server = DNSServer(FileResolver(path), address="127.0.0.1", port=port, logger=logger)
    server.start_thread()
    print(f"listening on 127.0.0.1:{server.server.server_address[1]}", flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    server.server.shutdown()
    server.server.server_close()


if __name__ == "__main__":
    main()
