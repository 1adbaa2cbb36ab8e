#!/bin/sh
# neo4j-access job-side client: the single source of the shell that templates/*.yml run on the runner.
#
# A CI/CD component ships only YAML, so scripts/render-templates copies this file verbatim into one hidden helper
# job per template (.neo4j-access-client), whose script writes it to a temp file; the steps run it with `sh`, so
# `set -eu` and every helper stay out of the job's own script. The build fails when a template has drifted.
#
#   neo4j-access.sh exchange EXPORT_FILE   trade the job's ID token for Neo4j credentials (before_script); in
#                                          explain mode print the decision instead and exit 3 (nothing issued)
#   neo4j-access.sh revoke                 give the lease back now (after_script)
#   neo4j-access.sh explain                print what the broker would grant this job, issuing nothing
#   neo4j-access.sh check-policy           validate the policy file with the broker's jar, as the broker would
#   neo4j-access.sh what-if                ask the broker what the policy file would change on recorded decisions
#
# Reads the NEO4J_ACCESS_* variables that the templates set from their inputs, and the ID token from
# NEO4J_ACCESS_ID_TOKEN (the job's `id_tokens:` entry). Needs sh, awk sed grep tr dd cut head date mktemp mkdir
# chmod dirname rm sleep (BusyBox's do), and one HTTP client: curl, GNU wget, python3 or node, in that order.
#
# Secrets: the ID token and the password are never printed, never passed on a command line (other processes
# can read argv), and never traced (no `set -x`). Everything printed from an answer is redacted of the token.
set -eu

say() { printf 'neo4j-access: %s\n' "$*" >&2; }
die() {
  say "$@"
  exit 1
}
# An indented continuation of the message above it.
more() { printf '%s\n' "$*" | redact | sed 's/^/neo4j-access:   /' >&2; }

# The hidden job whose steps run (the template passes it) and the one this job extends (a template variable).
steps_of=${NEO4J_ACCESS_STEPS_OF:-.neo4j-access}
project_dir=${CI_PROJECT_DIR:-$PWD}
# A runner that names a directory the job does not see (a job forced into a shell) leaves the job where it starts.
[ -d "$project_dir" ] || project_dir=$PWD
state_dir=$project_dir/.neo4j-access
annotations_file=$project_dir/neo4j-access-annotations.json
max_wait=30
explained=3

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# Print stdin with the ID token replaced, so that no broker or proxy answer can put it into the job log.
redact() {
  awk 'BEGIN { t = ENVIRON["NEO4J_ACCESS_ID_TOKEN"] }
    { if (length(t) > 8) while ((i = index($0, t)) > 0) $0 = substr($0, 1, i - 1) "[REDACTED]" substr($0, i + length(t)); print }'
}

# The checks before any call fail by setting $why and returning 1, so that revoke can say why it could not run.
refuse() {
  why=$*
  return 1
}

# The job must extend the hidden job: !reference alone brings its steps but not its variables and id_tokens.
check_extends() {
  [ -z "${NEO4J_ACCESS_HIDDEN_JOB+set}" ] || return 0
  refuse "this job runs the steps of $steps_of (through !reference) but does not extend it, so it has none of its
  variables (broker_url, audience, ...) and no id_tokens entry. Add to the job:
    extends: $steps_of
  and keep the !reference lines in its before_script and after_script."
}

# The broker's base URL, checked after GitLab expanded variables in it, with the rules of the broker_url input.
load_broker() {
  broker=${NEO4J_ACCESS_BROKER_URL:-}
  case $broker in
  '')
    refuse "broker_url is empty. Its default is the CI/CD variable NEO4J_ACCESS_URL, which is not set for this job:
  set NEO4J_ACCESS_URL once in the group's or project's Settings > CI/CD > Variables, or give the component the input
    broker_url: https://neo4j-access.example.com"
    return
    ;;
  \$*)
    refuse "broker_url is '$broker', a CI/CD variable that is not defined for this job: define it in Settings > CI/CD > Variables, or give the input broker_url a URL."
    return
    ;;
  esac
  # Before anything prints the URL: a user name or password in it is refused without echoing it.
  authority=${broker#*://}
  authority=${authority%%/*}
  case $authority in
  *@*)
    refuse "broker_url must not hold a user name or password; the job authenticates with its ID token."
    return
    ;;
  esac
  printf '%s\n' "$broker" | grep -Eq '^[A-Za-z][A-Za-z0-9+.-]*://[]A-Za-z0-9._~:/?#@!&()*+,;=%[-]+$' ||
    { refuse "broker_url '$broker' is not a URL: it holds a space, a quote or another character that a URL cannot."; return; }
  case $broker in
  https://?*) ;;
  http://?*)
    if [ "${NEO4J_ACCESS_ALLOW_INSECURE_HTTP:-false}" != true ]; then
      refuse "broker_url '$broker' is plain http, so the job's ID token would travel in clear text.
  Use the broker's https:// URL. Only for a broker on the runner's own network (a service container, a test),
  give the component the input allow_insecure_http: true."
      return
    fi
    ;;
  *)
    refuse "broker_url '$broker' is not an http(s) URL; expected e.g. https://neo4j-access.example.com."
    return
    ;;
  esac
  case $authority in
  '' | :*) refuse "broker_url '$broker' names no host." ;;
  *) broker=${broker%/} ;;
  esac
}

# The job's ID token. An empty variable is the common misconfiguration: a job that replaced id_tokens.
load_token() {
  token=${NEO4J_ACCESS_ID_TOKEN:-}
  case $token in
  '')
    refuse "the ID token variable NEO4J_ACCESS_ID_TOKEN is empty or unset, so there is nothing to exchange.
  The job must keep the id_tokens entry of $steps_of (GitLab 15.7+):
    id_tokens:
      NEO4J_ACCESS_ID_TOKEN:
        aud: ${NEO4J_ACCESS_AUDIENCE:-neo4j-access}"
    ;;
  # A JWT is base64url parts and dots; anything else (a newline, a quote) could also break the client configs.
  *[!A-Za-z0-9._-]*) refuse "NEO4J_ACCESS_ID_TOKEN is not a JWT (expected three base64url parts separated by dots)." ;;
  esac
}

# Indent JSON for a human, without jq: a line per member, strings left intact. Truncated at 20 kB.
pretty_json() {
  dd bs=20000 count=1 2>/dev/null | redact | awk '
    BEGIN { d = 0; ins = 0; esc = 0; o = "" }
    function nl() { o = o "\n"; for (k = 0; k < d; k++) o = o "  " }
    { line = $0
      for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (ins) { o = o c; if (esc) esc = 0; else if (c == "\\") esc = 1; else if (c == "\"") ins = 0; continue }
        if (c == "\"") { ins = 1; o = o c }
        else if (c == "{" || c == "[") { d++; o = o c; nl() }
        else if (c == "}" || c == "]") { d--; nl(); o = o c }
        else if (c == ",") { o = o c; nl() }
        else if (c == ":") o = o ": "
        else if (c != " " && c != "\t" && c != "\r") o = o c
      }
    }
    END { print o }'
}

# The first member named $1 in the JSON on stdin: a string unescaped, a list of strings or a scalar as written.
json_field() {
  awk -v k="$1" '{ s = s $0 "\n" }
    END {
      i = index(s, "\"" k "\""); if (!i) exit
      r = substr(s, i + length(k) + 2); if (!sub(/^[ \t\r\n]*:[ \t\r\n]*/, "", r)) exit
      c = substr(r, 1, 1)
      if (c == "[") { if (match(r, /^\[[^]]*\]/)) print substr(r, 1, RLENGTH); exit }
      if (c != "\"") { if (match(r, /^[^],}\n]*/)) print substr(r, 1, RLENGTH); exit }
      o = ""
      for (j = 2; j <= length(r); j++) {
        c = substr(r, j, 1)
        if (c == "\\") { j++; c = substr(r, j, 1); if (c == "n") c = "\n"; else if (c == "t") c = "  "; o = o c; continue }
        if (c == "\"") break
        o = o c
      }
      print o
    }'
}

# The value of response header $1 (the last one, for answers after a 100 Continue).
header() {
  awk -v n="$1" 'BEGIN { n = tolower(n) ":" }
    { sub(/\r$/, "") }
    tolower($1) == n { v = $0; sub(/^[^:]*:[ \t]*/, "", v) }
    END { print v }' "$tmp/headers"
}

# The claims a person needs to see why a token was refused, decoded from its payload here: never the token.
token_facts() {
  printf '%s' "$token" | LC_ALL=C awk -F. '
    function b64(s,   a, p, i, c, v, n, byte, o) {
      a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
      p[0] = 1; for (i = 1; i < 8; i++) p[i] = p[i - 1] * 2 # BusyBox awk may lack the ^ operator
      v = 0; n = 0; o = ""
      for (i = 1; i <= length(s); i++) {
        c = index(a, substr(s, i, 1)) - 1; if (c < 0) continue
        v = v * 64 + c; n += 6
        if (n >= 8) { n -= 8; byte = int(v / p[n]); v -= byte * p[n]; o = o sprintf("%c", byte) }
      }
      return o
    }
    { print b64($2) }' >"$tmp/claims"
  aud=$(json_field aud <"$tmp/claims")
  iss=$(json_field iss <"$tmp/claims")
  printf 'the ID token (NEO4J_ACCESS_ID_TOKEN) says: aud %s, iss %s, issued %s, expires %s; now is %s\n' \
    "${aud:-(none)}" "${iss:-(none)}" "$(utc "$(json_field iat <"$tmp/claims")")" \
    "$(utc "$(json_field exp <"$tmp/claims")")" "$(date -u '+%Y-%m-%d %H:%M:%S UTC')"
}

# A Unix time as a readable UTC time (civil-from-days arithmetic, so no date(1) extension is needed).
utc() {
  case $1 in
  '') printf '(none)' ;;
  *[!0-9]* | ???????????*) printf '%s' "$1" ;;
  *) awk -v t="$1" 'BEGIN {
      d = int(t / 86400); s = t - d * 86400; z = d + 719468; era = int(z / 146097); doe = z - era * 146097
      yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
      y = yoe + era * 400; doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100)); mp = int((5 * doy + 2) / 153)
      dd = doy - int((153 * mp + 2) / 5) + 1; m = mp < 10 ? mp + 3 : mp - 9; if (m <= 2) y++
      printf "%04d-%02d-%02d %02d:%02d:%02d UTC", y, m, dd, int(s / 3600), int((s % 3600) / 60), s % 60 }' ;;
  esac
}

# The HTTP client this image has. BusyBox wget does not count: it takes headers only on its command line, where
# other processes could read the ID token.
pick_client() {
  if command -v curl >/dev/null 2>&1; then
    client=curl
  elif command -v wget >/dev/null 2>&1 && wget --version 2>/dev/null | grep -q 'GNU Wget'; then
    client=wget
  elif command -v python3 >/dev/null 2>&1; then
    client=python3
  elif command -v node >/dev/null 2>&1; then
    client=node
  else
    client=
  fi
}

# The one-line install of curl for this image's package manager, and where it goes.
install_advice() {
  if command -v apk >/dev/null 2>&1; then
    line='apk add --no-cache curl'
  elif command -v apt-get >/dev/null 2>&1; then
    line='apt-get update && apt-get install -y --no-install-recommends curl ca-certificates'
  elif command -v microdnf >/dev/null 2>&1; then
    line='microdnf install -y curl'
  elif command -v dnf >/dev/null 2>&1; then
    line='dnf install -y curl'
  elif command -v yum >/dev/null 2>&1; then
    line='yum install -y curl'
  else
    line='<install curl with this image'\''s package manager>'
  fi
  busybox_note=
  ! command -v wget >/dev/null 2>&1 || busybox_note="
  (this image's wget is BusyBox's, which takes headers only on its command line, where other processes could
  read the ID token.)"
  printf '%s\n' "this image has no HTTP client that neo4j-access can use: it needs curl, GNU wget, python3 or node.$busybox_note
  Install curl before the component's step, in the job's before_script:
    before_script:
      - $line
      - !reference [$steps_of, before_script]
  or use an image that has one of them."
}

# The Python and Node clients: POST to argv[1] with Accept argv[2] and the body in the file argv[3] (or none) of
# Content-Type argv[6], the token from the environment; body to argv[4], headers to argv[5]; print the status, 000
# when the broker could not be reached. Like curl here, neither follows a redirect (the token must not go elsewhere).
py_client='import os, sys, urllib.request, urllib.error
url, accept, body, out, hdr, ctype = sys.argv[1:7]
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args): return None
req = urllib.request.Request(url, data=open(body, "rb").read() if body else None, method="POST")
req.add_header("Authorization", "Bearer " + os.environ["NEO4J_ACCESS_ID_TOKEN"])
req.add_header("Accept", accept)
if body: req.add_header("Content-Type", ctype)
try:
    res = urllib.request.build_opener(NoRedirect).open(req, timeout=60)
except urllib.error.HTTPError as e:
    res = e
except Exception:
    print("000"); sys.exit(0)
with open(hdr, "w") as f:
    f.write("".join("%s: %s\n" % kv for kv in res.headers.items()))
with open(out, "wb") as f:
    f.write(res.read())
print("%03d" % (getattr(res, "status", None) or res.code))'
node_client='const fs = require("fs");
const [url, accept, body, out, hdr, ctype] = process.argv.slice(1);
const u = new URL(url);
const data = body ? fs.readFileSync(body) : Buffer.alloc(0);
const headers = { Authorization: "Bearer " + process.env.NEO4J_ACCESS_ID_TOKEN, Accept: accept, "Content-Length": data.length };
if (body) headers["Content-Type"] = ctype;
const req = require(u.protocol === "https:" ? "https" : "http").request(u, { method: "POST", headers, timeout: 60000 }, (res) => {
  const chunks = [];
  res.on("data", (c) => chunks.push(c));
  res.on("end", () => {
    fs.writeFileSync(out, Buffer.concat(chunks));
    fs.writeFileSync(hdr, Object.entries(res.headers).map(([k, v]) => k + ": " + v + "\n").join(""));
    process.stdout.write(String(res.statusCode));
  });
});
req.on("timeout", () => req.destroy(new Error("timeout")));
req.on("error", () => process.stdout.write("000"));
req.end(data);'

# post URL ACCEPT BODY_FILE [CONTENT_TYPE] (BODY_FILE empty for no body; CONTENT_TYPE application/json unless given):
# sets $status (000 when the broker could not be reached); the answer's body lands in $tmp/body and its headers in
# $tmp/headers. curl and wget read the Authorization header from a 0600 file.
post() {
  : >"$tmp/body"
  : >"$tmp/headers"
  ctype=${4:-application/json}
  case $client in
  curl)
    printf 'header = "Authorization: Bearer %s"\n' "$token" >"$tmp/client.conf"
    u=$1 a=$2
    if [ -n "${3:-}" ]; then set -- --data-binary "@$3" -H "Content-Type: $ctype"; else set --; fi
    status=$(curl -sS -K "$tmp/client.conf" -X POST -H "Accept: $a" -o "$tmp/body" -D "$tmp/headers" \
      -w '%{http_code}' --connect-timeout 10 --max-time 60 "$@" "$u" 2>"$tmp/client.err") || status=000
    ;;
  wget)
    printf 'header = Authorization: Bearer %s\n' "$token" >"$tmp/client.conf"
    u=$1 a=$2
    if [ -n "${3:-}" ]; then set -- --body-file="$3" --header="Content-Type: $ctype"; else set --; fi
    wget --config="$tmp/client.conf" -q -S --content-on-error --max-redirect=0 -t 1 -T 60 -O "$tmp/body" \
      --header="Accept: $a" --method=POST "$@" "$u" 2>"$tmp/headers" || true
    status=$(awk '$1 ~ /^HTTP\// { s = $2 } END { printf "%03d", s + 0 }' "$tmp/headers")
    ;;
  python3) status=$(python3 -c "$py_client" "$1" "$2" "${3:-}" "$tmp/body" "$tmp/headers" "$ctype" 2>"$tmp/client.err") || status=000 ;;
  node) status=$(node -e "$node_client" "$1" "$2" "${3:-}" "$tmp/body" "$tmp/headers" "$ctype" 2>"$tmp/client.err") || status=000 ;;
  esac
  rm -f "$tmp/client.conf"
  case $status in [0-9][0-9][0-9]) ;; *) status=000 ;; esac
}

# What the broker answered, for a person: a problem's status, code, title, detail and hint; anything else (a
# proxy's HTML page) as "not a broker answer" with its status and first line.
answer() {
  code=
  json=false
  ! header Content-Type | grep -qi json || json=true
  if $json && [ -n "$(json_field code <"$tmp/body")" ]; then
    code=$(json_field code <"$tmp/body")
    title=$(json_field title <"$tmp/body")
    printf 'HTTP %s %s%s\n' "$status" "$code" "${title:+ - $title}" | redact
    detail=$(json_field detail <"$tmp/body")
    hint=$(json_field hint <"$tmp/body")
    [ -z "$detail" ] || printf '%s\n' "$detail" | redact | sed 's/^/  /'
    [ -z "$hint" ] || printf '%s\n' "hint: $hint" | redact | sed 's/^/  /'
  elif $json && [ ! -s "$tmp/body" ]; then
    # GNU wget drops the body of a 401 answer.
    printf 'HTTP %s with an empty body (Content-Type %s)\n' "$status" "$(header Content-Type | redact)"
  else
    first=$(tr -d '\r' <"$tmp/body" | grep -v '^[[:space:]]*$' | head -n 1 | cut -c 1-120 | redact)
    printf 'HTTP %s, not a broker answer (Content-Type %s)%s\n' "$status" "$(header Content-Type | redact)" \
      "${first:+, first line: $first}"
    location=$(header Location)
    [ -z "$location" ] || printf '  it redirects to %s: set broker_url to the broker'\''s own base URL\n' "$location"
  fi
}

# request URL ACCEPT BODY_FILE [CONTENT_TYPE]: post with bounded retries on 429/502/503/504 and connection failures, waiting as
# long as Retry-After asks (in seconds, at most $max_wait) or 2, 4, 8... seconds without one. Sets $retries.
request() {
  retries=0
  while :; do
    post "$@"
    case $status in
    000 | 429 | 502 | 503 | 504) ;;
    *) return 0 ;;
    esac
    [ "$retries" -lt $((max_attempts - 1)) ] || return 0
    retries=$((retries + 1))
    wait=$(header Retry-After)
    case $wait in
    '' | *[!0-9]*) wait=$((1 << retries)) ;;
    esac
    [ "$wait" -le "$max_wait" ] || wait=$max_wait
    if [ "$status" = 000 ]; then
      say "could not reach $broker; retrying in ${wait}s (attempt $retries of $max_attempts)"
    else
      say "POST $1 answered $(answer | head -n 1); retrying in ${wait}s (attempt $retries of $max_attempts)"
    fi
    sleep "$wait"
  done
}

# One line on what to change, by the broker's code.
advice() {
  case $1 in
  token_audience) echo "Set the component input audience to the audience the broker requires for this GitLab instance." ;;
  token_issuer_unknown) echo "The broker trusts no GitLab instance with this iss: ask its operator to add this instance, or check that broker_url is the broker for this GitLab." ;;
  token_expired | token_too_old) echo "ID tokens are short-lived: exchange at the start of the job (before_script), and retry the job for a fresh token." ;;
  token_not_yet_valid) echo "The runner's or the broker's clock is off: check their time synchronisation." ;;
  token_replayed) echo "Each ID token is exchanged once: retry the job for a new token, and run the exchange step once per job." ;;
  token_* | status_401) echo "Keep the id_tokens entry of $steps_of and do not overwrite NEO4J_ACCESS_ID_TOKEN; check that the broker trusts this GitLab instance." ;;
  denied) echo "Change the job (ref, environment, ...) or ask the policy's owners for a rule; run it with NEO4J_ACCESS_EXPLAIN=true to see the whole trace." ;;
  scope_widening) echo "Ask for no more than the policy grants: lower or remove the target, database, roles or ttl input (NEO4J_ACCESS_TARGET, ...)." ;;
  bad_request) echo "Fix the request the detail names (the target, database, roles or ttl input)." ;;
  rate_limited | *_unavailable) echo "Retry the job later, or raise the input retry_attempts; if it persists, tell the broker's operator." ;;
  not_found) echo "Check that broker_url is the broker's base URL (without a path)." ;;
  status_502 | status_503 | status_504) echo "Something in front of the broker answered (a proxy or load balancer): the broker is probably down; retry the job later, or tell its operator." ;;
  *) echo "Check that broker_url ($broker) is a neo4j-access broker speaking API v1." ;;
  esac
}

# Explain a failed call and fail: what was called, what the broker answered, and what to change.
failed() {
  what=$1 url=$2
  if [ "$status" = 000 ]; then
    say "$what failed: POST $url could not be reached after $max_attempts attempts."
    [ ! -s "$tmp/client.err" ] || more "$(head -n 3 "$tmp/client.err")"
    die "Check broker_url and that the runner can reach the broker (proxy, firewall, DNS)."
  fi
  answer >"$tmp/answer"
  case $status in
  429 | 502 | 503 | 504)
    times="$retries times"
    [ "$retries" != 1 ] || times="once"
    say "$what failed: the broker at $broker is unavailable, retried $times."
    ;;
  *) say "$what refused: POST $url" ;;
  esac
  say "the broker answered $(head -n 1 "$tmp/answer")"
  sed 1d "$tmp/answer" | sed 's/^/neo4j-access: /' >&2
  case $code:$status in token_* | *:401) more "$(token_facts)" ;; esac
  die "$(advice "${code:-status_$status}")"
}

# A JSON string member for the request body. Inputs are checked by the templates' regexes; check again here
# because a job may override the variables, and the values are not escaped.
member() {
  case $2 in
  *[!A-Za-z0-9._:-]*) die "$1 may only contain letters, digits and . _ : - (got '$2')." ;;
  esac
  body="${body:+$body,}\"$1\":\"$2\""
}

# The narrowing the job asks for (target, database, roles, ttl): $body, written to $body_file (empty for none).
narrowing() {
  body=
  [ -z "${NEO4J_ACCESS_TARGET:-}" ] || member target "$NEO4J_ACCESS_TARGET"
  [ -z "${NEO4J_ACCESS_DATABASE:-}" ] || member database "$NEO4J_ACCESS_DATABASE"
  if [ -n "${NEO4J_ACCESS_TTL:-}" ]; then
    # Exactly the broker's rule, so that a wrong unit fails here with a clear message.
    printf '%s\n' "$NEO4J_ACCESS_TTL" | grep -Eq '^[1-9][0-9]{0,5}[smh]$' ||
      die "ttl '$NEO4J_ACCESS_TTL' is not a lifetime the broker accepts: a whole number of seconds, minutes or hours
  without leading zero, at most 6 digits, e.g. 90s, 15m or 1h (for a day write 24h)."
    member ttl "$NEO4J_ACCESS_TTL"
  fi
  if [ -n "$(printf '%s' "${NEO4J_ACCESS_ROLES:-}" | tr -d ' ,')" ]; then
    roles=
    old_ifs=$IFS
    IFS=,
    for r in $NEO4J_ACCESS_ROLES; do
      r=$(printf '%s' "$r" | tr -d ' ')
      [ -n "$r" ] || continue
      case $r in *[!A-Za-z0-9._-]*) die "role '$r' may only contain letters, digits and . _ -." ;; esac
      roles="${roles:+$roles,}\"$r\""
    done
    IFS=$old_ifs
    body="${body:+$body,}\"roles\":[$roles]"
  fi
  body_file=
  [ -z "$body" ] || { body_file=$tmp/request.json && printf '{%s}' "$body" >"$body_file"; }
}

# Everything a call needs: the job extends the hidden job, a valid broker URL, a token, an HTTP client.
prepare() {
  check_extends && load_broker && load_token || return
  max_attempts=${NEO4J_ACCESS_RETRY_ATTEMPTS:-5}
  case $max_attempts in
  '' | *[!0-9]* | 0) refuse "retry_attempts must be a whole number of at least 1 (got '$max_attempts')."; return ;;
  esac
  pick_client
  [ -n "$client" ] || refuse "$(install_advice)"
}

# A job directory may be reused (shell runners, a retried job): never upload or revoke an earlier job's lease.
forget_stale() {
  if [ -f "$state_dir/lease" ]; then
    say "removed the lease record of an earlier job left in $state_dir ($(sed -n 's/^lease_id=//p' "$state_dir/lease")); it is not this job's."
    stale_password=$(sed -n 's/^password_file=//p' "$state_dir/lease")
    [ -z "$stale_password" ] || rm -f "$stale_password"
  fi
  rm -rf "$state_dir"
  rm -f "$annotations_file"
}

# GitLab's collapsible log section around what stdin prints.
folded() {
  now=$(date +%s 2>/dev/null) || now=0
  case $now in *[!0-9]*) now=0 ;; esac
  printf '\033[0Ksection_start:%s:neo4j_access_trace[collapsed=true]\r\033[0K%s\n' "$now" "$1"
  pretty_json
  printf '\033[0Ksection_end:%s:neo4j_access_trace\r\033[0K\n' "$now"
}

explain() {
  prepare || die "$why"
  forget_stale
  narrowing
  url=$broker/v1/explain
  say "explain mode: asking $url what this job would be granted${body:+ for {$body\}}; nothing is issued."
  request "$url" application/json "$body_file"
  case $status in
  2??)
    if [ "$(json_field allowed <"$tmp/body")" = true ]; then
      say "this job WOULD be granted access by rule '$(json_field rule <"$tmp/body")'."
      verdict=granted
    else
      say "this job would be DENIED: $(json_field summary <"$tmp/body" | redact)"
      verdict=denied
    fi
    ;;
  400 | 403)
    answer >"$tmp/answer"
    case $code in
    scope_widening | bad_request)
      say "this job's request would be refused: the broker answered $(head -n 1 "$tmp/answer")"
      sed 1d "$tmp/answer" | sed 's/^/neo4j-access: /' >&2
      more "$(advice "$code")"
      verdict=denied
      ;;
    *) failed explain "$url" ;;
    esac
    ;;
  *) failed explain "$url" ;;
  esac
  folded "neo4j-access: the broker's decision and trace" <"$tmp/body" >&2
  if [ "$verdict" = denied ] && [ "${NEO4J_ACCESS_EXPLAIN_FAIL_ON_DENIAL:-false}" = true ]; then
    die "explain_fail_on_denial is set, so a job that would be refused fails."
  fi
}

exchange() {
  out=${1:?usage: neo4j-access.sh exchange EXPORT_FILE}
  if [ "${NEO4J_ACCESS_EXPLAIN:-false}" = true ]; then
    explain
    exit $explained
  fi
  prepare || die "$why"
  forget_stale
  narrowing
  url=$broker/v1/exchange
  [ -z "$body" ] || say "requesting a narrowed grant: {$body}"
  request "$url" text/plain "$body_file"
  case $status in 2??) ;; *) failed "credential exchange" "$url" ;; esac

  # Keep only the lines we expect, in the exact shape NAME='value' (a quote inside written as '\''), so that
  # sourcing the answer can never run anything.
  q="'"
  names='NEO4J_URI|NEO4J_DATABASE|NEO4J_USERNAME|NEO4J_PASSWORD|NEO4J_ACCESS_LEASE_ID|NEO4J_ACCESS_EXPIRES_AT|NEO4J_ACCESS_SUMMARY_URL|NEO4J_ACCESS_ANNOTATIONS'
  tr -d '\r' <"$tmp/body" | grep -E "^($names)=$q([^$q]|$q\\\\$q$q)*$q\$" >"$tmp/dotenv" || true
  NEO4J_URI='' NEO4J_USERNAME='' NEO4J_PASSWORD='' NEO4J_ACCESS_LEASE_ID='' NEO4J_DATABASE=''
  NEO4J_ACCESS_EXPIRES_AT='' NEO4J_ACCESS_SUMMARY_URL='' NEO4J_ACCESS_ANNOTATIONS=''
  # shellcheck disable=SC1091
  . "$tmp/dotenv"
  for n in NEO4J_URI NEO4J_USERNAME NEO4J_PASSWORD NEO4J_ACCESS_LEASE_ID; do
    eval "v=\${$n}"
    [ -n "$v" ] || die "POST $url answered HTTP $status without $n: is $broker a neo4j-access broker speaking API v1?"
  done
  case $NEO4J_ACCESS_LEASE_ID in *[!A-Za-z0-9._-]*) die "the broker answered an unexpected lease id." ;; esac

  # Record the lease first, so that the after_script revokes it even if a later step here fails.
  password_file=${NEO4J_ACCESS_CREDENTIALS_FILE:-}
  [ -n "$password_file" ] || password_file=$(mktemp)
  (umask 077 && mkdir -p "$state_dir" && : >"$state_dir/lease")
  printf 'lease_id=%s\npassword_file=%s\nexpires_at=%s\n' "$NEO4J_ACCESS_LEASE_ID" "$password_file" \
    "$NEO4J_ACCESS_EXPIRES_AT" >"$state_dir/lease"

  mkdir -p "$(dirname "$password_file")"
  (umask 077 && : >"$password_file")
  chmod 600 "$password_file"
  printf '%s' "$NEO4J_PASSWORD" >"$password_file"

  if [ "${NEO4J_ACCESS_ANNOTATIONS_ENABLED:-true}" = true ] && [ -n "$NEO4J_ACCESS_ANNOTATIONS" ]; then
    printf '%s\n' "$NEO4J_ACCESS_ANNOTATIONS" >"$annotations_file"
  fi

  # The job's shell sources $out (mode 0600, removed right after) to get the variables.
  (umask 077 && : >"$out")
  {
    grep -v '^NEO4J_ACCESS_ANNOTATIONS=' "$tmp/dotenv" | sed 's/^/export /'
    printf "export NEO4J_ACCESS_PASSWORD_FILE='%s'\n" "$(printf '%s' "$password_file" | sed "s/'/'\\\\''/g")"
  } >"$out"

  say "granted lease $NEO4J_ACCESS_LEASE_ID: user $NEO4J_USERNAME on $NEO4J_URI${NEO4J_DATABASE:+ (database $NEO4J_DATABASE)}${NEO4J_ACCESS_EXPIRES_AT:+ until $NEO4J_ACCESS_EXPIRES_AT}"
  [ -z "$NEO4J_ACCESS_SUMMARY_URL" ] || say "what was granted and why: $NEO4J_ACCESS_SUMMARY_URL"
  say "exported NEO4J_URI, NEO4J_DATABASE, NEO4J_USERNAME, NEO4J_PASSWORD; password also in \$NEO4J_ACCESS_PASSWORD_FILE"
}

# The lease is always given back or its record removed, and what happened is said: a record left behind would be
# revoked by the next job in a reused directory, with the wrong token.
revoke() {
  if [ ! -f "$state_dir/lease" ]; then
    say "no lease to revoke (none was issued, or it was revoked already)."
    return 0
  fi
  lease_id=$(sed -n 's/^lease_id=//p' "$state_dir/lease")
  password_file=$(sed -n 's/^password_file=//p' "$state_dir/lease")
  expires_at=$(sed -n 's/^expires_at=//p' "$state_dir/lease")
  later="the broker revokes it when GitLab reports the job finished, or at its expiry${expires_at:+ ($expires_at)}"
  # The password is useless once revoked, but a shell runner keeps /tmp: remove it first.
  [ -z "$password_file" ] || rm -f "$password_file"
  rm -rf "$state_dir"
  case $lease_id in '' | *[!A-Za-z0-9._-]*) die "the lease record in $state_dir was damaged (removed); $later." ;; esac
  if ! prepare; then
    say "could not revoke lease $lease_id now; $later. Why:"
    more "$why"
    return 0
  fi
  max_attempts=3
  url=$broker/v1/leases/$lease_id/revoke
  request "$url" application/json ""
  answer >"$tmp/answer"
  case $status:$code in
  2??:*) say "revoked lease $lease_id; its credentials no longer work." ;;
  404:not_found)
    say "lease $lease_id was NOT revoked: the broker answered $(head -n 1 "$tmp/answer")"
    more "The ID token in NEO4J_ACCESS_ID_TOKEN is not from the job that was granted the lease, so the broker refuses to let it revoke the lease; $later."
    more "$(token_facts)"
    ;;
  000:*) say "could not revoke lease $lease_id now: POST $url could not be reached; $later." ;;
  *)
    say "could not revoke lease $lease_id now: POST $url answered $(head -n 1 "$tmp/answer"); $later."
    sed 1d "$tmp/answer" | sed 's/^/neo4j-access: /' >&2
    ;;
  esac
}

# The policy file a policy repository's job checks, relative to the project directory.
load_policy_file() {
  policy_file=${NEO4J_ACCESS_POLICY_FILE:-policy.yml}
  [ -f "$policy_file" ] || die "policy_file '$policy_file' is not a file in $PWD: set the input policy_file to the policy's path in this repository."
}

# Validates the policy with the broker's own jar, offline: what the broker would refuse to load fails here.
check_policy() {
  load_policy_file
  jar=${NEO4J_ACCESS_JAR:-/deployments/quarkus-run.jar}
  command -v java >/dev/null 2>&1 || die "java is not on this image's PATH: run the job in the broker's container image (input image), or in an image with Java 17 and the input jar."
  [ -f "$jar" ] || die "the broker's jar '$jar' is not in this image: run the job in the broker's container image (input image), or set the input jar to the path of its quarkus-run.jar."
  set -- policy check "$policy_file"
  if [ -n "${NEO4J_ACCESS_TARGETS_FILE:-}" ]; then
    [ -f "$NEO4J_ACCESS_TARGETS_FILE" ] || die "targets_file '$NEO4J_ACCESS_TARGETS_FILE' is not a file in $PWD."
    set -- "$@" --targets "$NEO4J_ACCESS_TARGETS_FILE"
  fi
  say "checking $policy_file as the broker would load it (java -jar $jar $*)"
  if java -jar "$jar" "$@" >"$tmp/check" 2>&1; then
    sed 's/^/neo4j-access: /' "$tmp/check" >&2
    return 0
  else
    checked=$?
  fi
  sed 's/^/neo4j-access: /' "$tmp/check" >&2
  case $checked in
  1) die "the broker would refuse this policy: fix the rule and field named above." ;;
  *) die "the policy could not be checked: describe the broker's targets in the input targets_file (see the broker's docs, 'policy check')." ;;
  esac
}

# Asks the broker what the policy file would change on the decisions it recorded, prints the table, writes the
# report and an annotation, and fails above max_new_denials.
what_if() {
  prepare || die "$why"
  load_policy_file
  window=${NEO4J_ACCESS_WHAT_IF_WINDOW:-7d}
  printf '%s\n' "$window" | grep -Eq '^[1-9][0-9]{0,3}[dh]$' ||
    die "window '$window' is not one the broker accepts: whole days or hours up to 30 days, e.g. 7d or 36h."
  max_new=${NEO4J_ACCESS_MAX_NEW_DENIALS:-0}
  case $max_new in '' | *[!0-9]*) die "max_new_denials must be a whole number (got '$max_new')." ;; esac
  url="$broker/v1/policy/what-if?window=$window"
  say "what-if: asking $broker what $policy_file would change on the decisions of the last $window"
  request "$url" application/json "$policy_file" application/yaml
  case $status in 2??) ;; *) failed "what-if" "$url" ;; esac
  report=$project_dir/neo4j-access-what-if
  redact <"$tmp/body" >"$report.json"
  json_field table <"$tmp/body" | redact >"$report.txt"
  cat "$report.txt" >&2
  headline=$(json_field headline <"$tmp/body" | redact)
  newly_denied=$(json_field newly_denied <"$tmp/body")
  case $newly_denied in '' | *[!0-9]*) die "POST $url answered HTTP $status without newly_denied: is $broker a neo4j-access broker speaking API v1?" ;; esac
  if [ -n "${CI_JOB_URL:-}" ]; then
    label=$(printf 'what-if of %s: %s' "$policy_file" "$headline" | sed 's/[\\"]//g' | cut -c 1-250)
    printf '{"neo4j-access what-if":[{"external_link":{"label":"%s","url":"%s"}},{"external_link":{"label":"what-if report (JSON)","url":"%s"}}]}\n' \
      "$label" "$CI_JOB_URL/artifacts/file/neo4j-access-what-if.txt" "$CI_JOB_URL/artifacts/file/neo4j-access-what-if.json" >"$annotations_file"
  fi
  say "report: $report.txt and $report.json"
  if [ "$newly_denied" -gt "$max_new" ]; then
    die "$newly_denied recorded decision(s) would go from allowed to denied, more than max_new_denials ($max_new) allows. If that is intended, raise max_new_denials for this merge request."
  fi
  say "$newly_denied decision(s) would go from allowed to denied: within max_new_denials ($max_new)."
}

case ${1:-} in
exchange)
  shift
  exchange "$@"
  ;;
revoke) revoke ;;
explain) explain ;;
check-policy) check_policy ;;
what-if) what_if ;;
*) die "usage: neo4j-access.sh exchange EXPORT_FILE | revoke | explain | check-policy | what-if" ;;
esac
