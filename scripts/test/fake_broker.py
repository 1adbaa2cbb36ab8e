#!/usr/bin/env python3
"""A FAKE neo4j-access broker and GitLab stand-in, for testing scripts/neo4j-access.sh only.

It is a test double, not the broker: tokens are unsigned, nothing is verified, no Neo4j user is created. It
speaks the v1 wire contract the job-side script relies on (the broker's HTTP API in docs/operating.md), so the script's
behaviour (retries, refusals, secret hygiene, self-revoke) can be tested without Java or Neo4j.

Behaviour is chosen by the token's claims and the request:
  aud "wrong"             -> 401 token_audience
  ref_protected "false"   -> 403 denied (problem+json naming rule and condition, with a trace and a hint)
  job_id "busy-N"         -> 503 with Retry-After: 1 for the first N exchanges of that token
  job_id "limited-N"      -> 429 with Retry-After: 1 for the first N exchanges of that token
  job_id "proxy"          -> 503 as an HTML page, the way a proxy answers when the broker is down
  job_id "garbage"        -> 200 whose body tries to inject a command
  a body asking for a target other than "demo" -> 403 scope_widening (exchange and explain)
  POST /v1/policy/what-if with a YAML body: 400 bad_request when it holds "target: prod"; else a report whose
                          newly_denied is the number of lines holding "deny" (GET /-/fake/what-if shows what it got)
  otherwise               -> 200 dotenv credentials (password contains a quote, to test quoting)
Self-revoke (POST /v1/leases/{id}/revoke, or DELETE /v1/leases/{id}) answers 404 not_found for another job's token.

  python3 fake_broker.py PORT   (prints "ready" once listening)
"""
import base64
import json
import secrets
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LEASES = {}  # id -> {"state", "token", "password", "body"}
BUSY = {}  # jti -> 503s served
USED_JTI = set()
WHAT_IF = {}  # the last what-if request: its window, content type and body


def b64(obj):
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def claims_of(token):
    try:
        part = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except Exception:
        return None


class Handler(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        sys.stderr.write("fake-broker: " + (fmt % args) + "\n")

    def send(self, status, body=b"", ctype="text/plain", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def problem(self, status, code, title, detail, **extra):
        doc = {"type": "https://neo4j-access.example/problems/" + code, "title": title, "status": status,
               "code": code, "detail": detail, **extra}
        headers = [("Retry-After", "1")] if status in (429, 503) else []
        self.send(status, json.dumps(doc).encode(), "application/problem+json", headers)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def token(self):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            self.problem(401, "token_missing", "No ID token", "Send the job's ID token as a Bearer token.")
            return None, None
        tok = auth[7:]
        claims = claims_of(tok)
        if claims is None:
            self.problem(401, "token_malformed", "Malformed token", "The token is not a JWT.")
            return None, None
        return tok, claims

    def do_GET(self):
        if self.path == "/-/fake/leases":
            view = {k: {"state": v["state"], "body": v["body"]} for k, v in LEASES.items()}
            self.send(200, json.dumps(view).encode(), "application/json")
        elif self.path == "/-/fake/what-if":
            self.send(200, json.dumps(WHAT_IF).encode(), "application/json")
        else:
            self.send(404)

    def do_POST(self):
        body = self.body()
        if self.path == "/-/standin/id_token":
            now = int(time.time())
            claims = {"iss": "https://gitlab.example.com", "aud": "neo4j-access", "project_path": "demo/app",
                      "ref_protected": "true", "job_id": "1", "jti": str(uuid.uuid4()), "iat": now, "exp": now + 300}
            claims.update(json.loads(body or b"{}"))
            tok = b64({"alg": "RS256", "kid": "fake"}) + "." + b64(claims) + "." + secrets.token_urlsafe(32)
            self.send(200, tok.encode())
            return
        tok, claims = self.token()
        if tok is None:
            return
        if claims.get("aud") == "wrong":
            self.problem(401, "token_audience", "Wrong audience",
                         "The token's aud does not name this broker's audience for the instance.")
            return
        if self.path.startswith("/v1/policy/what-if"):
            self.what_if(body)
            return
        requested = json.loads(body) if body else {}
        if self.path.startswith("/v1/leases/") and self.path.endswith("/revoke"):
            self.revoke(tok, self.path[len("/v1/leases/"):-len("/revoke")])
            return
        if requested.get("target", "demo") != "demo":
            self.problem(403, "scope_widening", "Scope widening",
                         "The request asks for target '%s', but rule 'demo-protected' grants only 'demo'."
                         % requested["target"])
            return
        if self.path == "/v1/explain":
            allowed = claims.get("ref_protected") == "true"
            doc = {"allowed": allowed, "rule": "demo-protected" if allowed else None,
                   "summary": None if allowed else "condition ref_protected of rule demo-protected did not hold",
                   "trace": [{"rule": "demo-protected", "conditions": [
                       {"name": "ref_protected", "expected": "true", "actual": claims.get("ref_protected"),
                        "source": "token", "held": allowed}]}]}
            self.send(200, json.dumps(doc).encode(), "application/json")
            return
        if self.path != "/v1/exchange":
            self.send(404)
            return
        if body and self.headers.get("Content-Type") != "application/json":
            self.problem(400, "bad_request", "Bad request", "A body must be JSON.")
            return
        job = str(claims.get("job_id", ""))
        if job == "proxy":
            self.send(503, b"<html><head><title>503 Service Unavailable</title></head>\n<body>nginx</body></html>\n",
                      "text/html")
            return
        for prefix, status, code in (("busy-", 503, "gitlab_unavailable"), ("limited-", 429, "rate_limited")):
            if job.startswith(prefix):
                served = BUSY.get(claims["jti"], 0)
                if served < int(job[len(prefix):]):
                    BUSY[claims["jti"]] = served + 1
                    self.problem(status, code, "Unavailable" if status == 503 else "Too many requests",
                                 "GitLab could not be reached." if status == 503 else "Slow down.")
                    return
        if claims.get("ref_protected") != "true":
            self.problem(403, "denied", "Access denied",
                         "No rule allows this job. Closest rule 'demo-protected': condition ref_protected "
                         "expected \"true\" but was \"false\" (from the token).",
                         hint="Run the job on a protected branch or tag.",
                         trace=[{"rule": "demo-protected", "matched": False, "conditions": [
                             {"name": "ref_protected", "expected": "true", "actual": "false", "source": "token",
                              "held": False}]}])
            return
        if claims["jti"] in USED_JTI:
            self.problem(401, "token_replayed", "Token replayed", "This ID token was already exchanged.")
            return
        USED_JTI.add(claims["jti"])
        lease = str(uuid.uuid4())
        password = "pw'" + secrets.token_urlsafe(24)
        LEASES[lease] = {"state": "active", "token": tok, "password": password,
                         "body": json.loads(body) if body else None}
        annotations = json.dumps({"neo4j-access": [{"external_link": {
            "label": "Neo4j access: demo (full), 10 min", "url": "http://fake/v1/leases/" + lease}}]})

        def q(v):
            return "'" + v.replace("'", "'\\''") + "'"

        lines = [
            "NEO4J_URI=" + q("neo4j://127.0.0.1:7687"),
            "NEO4J_DATABASE=" + q("neo4j"),
            "NEO4J_USERNAME=" + q("nacc_1_" + job),
            "NEO4J_PASSWORD=" + q(password),
            "NEO4J_ACCESS_LEASE_ID=" + q(lease),
            "NEO4J_ACCESS_EXPIRES_AT=" + q("2030-01-01T00:10:00Z"),
            "NEO4J_ACCESS_SUMMARY_URL=" + q("http://fake/v1/leases/" + lease),
            "NEO4J_ACCESS_ANNOTATIONS=" + q(annotations),
        ]
        if job == "garbage":
            lines.insert(0, "touch /tmp/neo4j-access-pwned")
            lines.insert(0, "NEO4J_URI='x'; touch /tmp/neo4j-access-pwned")
            lines.append("EVIL=$(touch /tmp/neo4j-access-pwned)")
        self.send(200, ("\n".join(lines) + "\n").encode())

    def what_if(self, body):
        text = body.decode()
        WHAT_IF.update(path=self.path, ctype=self.headers.get("Content-Type"), body=text)
        if "target: prod" in text:
            self.problem(400, "bad_request", "Bad request",
                         "The candidate policy is not valid: rule 'deploys' field 'grant.target': unknown target 'prod'")
            return
        denied = sum(1 for line in text.splitlines() if "deny" in line)
        headline = "%d allowed -> denied, 0 denied -> allowed, 1 grants changed, 0 undetermined, 9 unchanged" % denied
        table = ("candidate sha256 0123456789ab against the policy in force sha256 ba9876543210\n"
                 "%d decisions of the last 7 days: %s\n\n"
                 "CHANGE             PROJECT        RULE NOW -> CANDIDATE  DETAIL  JOBS  SAMPLE JOBS\n"
                 "allowed -> denied  main:demo/app  deploys -> (none)      -       %4d  11, 12\n") % (
            denied + 10, headline, denied)
        doc = {"newly_denied": denied, "newly_allowed": 0, "grants_changed": 1, "undetermined": 0, "unchanged": 9,
               "groups": [{"project": "demo/app", "change": "allowed_to_denied", "jobs": denied}],
               "headline": headline, "table": table}
        self.send(200, json.dumps(doc).encode(), "application/json")

    def do_DELETE(self):
        tok, claims = self.token()
        if tok is not None:
            self.revoke(tok, self.path.rsplit("/", 1)[-1] if self.path.startswith("/v1/leases/") else None)

    def revoke(self, tok, lease_id):
        lease = LEASES.get(lease_id)
        if lease is None or claims_of(lease["token"]).get("job_id") != claims_of(tok).get("job_id"):
            self.problem(404, "not_found", "No such lease", "No lease with that id belongs to this job.")
            return
        lease["state"] = "revoked"
        self.send(204)


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    print("ready", flush=True)
    server.serve_forever()
