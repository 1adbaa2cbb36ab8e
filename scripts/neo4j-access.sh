#!/bin/sh
# neo4j-access job-side client: the single source of the shell that templates/*.yml run on the runner.
#
# A CI/CD component ships only YAML, so scripts/render-templates copies this file verbatim into the templates (a
# heredoc written to a temp file and run with `sh`); the build fails when a template has drifted from it.
# Running in its own `sh` process keeps `set -eu` and every helper out of the job's own script.
#
#   neo4j-access.sh exchange EXPORT_FILE   trade the job's ID token for Neo4j credentials (before_script)
#   neo4j-access.sh revoke                 give the lease back now (after_script)
#   neo4j-access.sh explain                print what the broker would grant, issuing nothing
#
# Reads NEO4J_ACCESS_* variables that the templates set from their inputs, and the ID token from
# NEO4J_ACCESS_ID_TOKEN (the job's `id_tokens:` entry). POSIX sh, curl (or GNU wget), awk, sed; no jq, no bash.
#
# Secrets: the ID token and the password are never printed, never passed on a command line (other processes
# can read argv), and never traced (no `set -x`). Broker answers printed on failure are problem+json, which the
# broker guarantees to be secret-free; the token is redacted from them anyway.
set -eu

say() { printf 'neo4j-access: %s\n' "$*" >&2; }
die() {
  say "$*"
  exit 1
}

broker=${NEO4J_ACCESS_BROKER_URL:-}
[ -n "$broker" ] || die "broker_url is empty: set the component input broker_url (e.g. https://neo4j-access.example.com)."
broker=${broker%/}
project_dir=${CI_PROJECT_DIR:-$PWD}
state_dir=$project_dir/.neo4j-access
# Bounded retries for a busy broker (503 with Retry-After) or one that cannot be reached yet.
max_attempts=${NEO4J_ACCESS_RETRY_ATTEMPTS:-5}
max_wait=30

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# The job's ID token. An empty variable is the common misconfiguration: a job that replaced id_tokens.
load_token() {
  token=${NEO4J_ACCESS_ID_TOKEN:-}
  if [ -z "$token" ]; then
    die "the ID token variable NEO4J_ACCESS_ID_TOKEN is empty or unset, so there is nothing to exchange.
  The job must keep the id_tokens entry of .neo4j-access (GitLab 15.7+):
    id_tokens:
      NEO4J_ACCESS_ID_TOKEN:
        aud: ${NEO4J_ACCESS_AUDIENCE:-neo4j-access}"
  fi
  # A JWT is three base64url parts; anything else (a newline, a quote) could also break the curl config below.
  case $token in
  *[!A-Za-z0-9._-]*) die "NEO4J_ACCESS_ID_TOKEN is not a JWT (expected three base64url parts separated by dots)." ;;
  esac
}

# Print stdin with the ID token replaced, so that no broker or proxy answer can put it into the job log.
redact() {
  awk 'BEGIN { t = ENVIRON["NEO4J_ACCESS_ID_TOKEN"] }
    { if (t != "") while ((i = index($0, t)) > 0) $0 = substr($0, 1, i - 1) "[REDACTED]" substr($0, i + length(t)); print }'
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

# The first string (or scalar) member named $1 in the JSON on stdin; enough for problem+json fields.
json_field() {
  awk -v k="$1" '{ s = s $0 "\n" }
    END {
      i = index(s, "\"" k "\""); if (!i) exit
      r = substr(s, i + length(k) + 2); sub(/^[ \t\r\n]*:[ \t\r\n]*/, "", r)
      if (substr(r, 1, 1) != "\"") { if (match(r, /^[^],}\n]*/)) print substr(r, 1, RLENGTH); exit }
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

# http METHOD URL ACCEPT [BODY_FILE]: sets $status (000 when the broker could not be reached); the answer's body
# lands in $tmp/body and its headers in $tmp/headers. The Authorization header goes through a 0600 config file.
http() {
  : >"$tmp/body"
  : >"$tmp/headers"
  if command -v curl >/dev/null 2>&1; then
    printf 'header = "Authorization: Bearer %s"\n' "$token" >"$tmp/client.conf"
    if [ -n "${4:-}" ]; then
      set -- "$1" "$2" "$3" --data-binary "@$4" -H "Content-Type: application/json"
    else
      set -- "$1" "$2" "$3"
    fi
    m=$1 u=$2 a=$3
    shift 3
    status=$(curl -sS -K "$tmp/client.conf" -X "$m" -H "Accept: $a" -o "$tmp/body" -D "$tmp/headers" \
      -w '%{http_code}' --connect-timeout 10 --max-time 60 "$@" "$u") || status=000
  elif command -v wget >/dev/null 2>&1; then
    # GNU wget only (--method, --config, --content-on-error); BusyBox wget cannot send DELETE or read a config file.
    wget --version 2>/dev/null | grep -q 'GNU Wget' ||
      die "curl is not installed and this wget is not GNU wget; install curl in the job's image (e.g. apk add curl)."
    printf 'header = Authorization: Bearer %s\n' "$token" >"$tmp/client.conf"
    if [ -n "${4:-}" ]; then
      set -- "$1" "$2" "$3" --body-file="$4" --header="Content-Type: application/json"
    else
      set -- "$1" "$2" "$3"
    fi
    m=$1 u=$2 a=$3
    shift 3
    wget --config="$tmp/client.conf" -q -S --content-on-error -t 1 -T 60 -O "$tmp/body" --method="$m" \
      --header="Accept: $a" "$@" "$u" 2>"$tmp/headers" || true
    status=$(awk '$1 ~ /^HTTP\// { s = $2 } END { printf "%03d", s + 0 }' "$tmp/headers")
  else
    die "neither curl nor wget is installed in the job's image; neo4j-access needs one of them."
  fi
  rm -f "$tmp/client.conf"
}

# request METHOD URL ACCEPT [BODY_FILE]: http with bounded retries on 502/503/504/429 and on connection failures,
# waiting as long as Retry-After asks (in seconds, at most $max_wait) or 2, 4, 8… seconds without one.
request() {
  attempt=1
  while :; do
    http "$@"
    case $status in
    000 | 429 | 502 | 503 | 504) ;;
    *) return 0 ;;
    esac
    [ "$attempt" -lt "$max_attempts" ] || return 0
    wait=$(awk 'tolower($1) == "retry-after:" { v = $2 } END { sub(/\r/, "", v); print v }' "$tmp/headers")
    case $wait in
    '' | *[!0-9]*) wait=$((1 << attempt)) ;;
    esac
    [ "$wait" -le "$max_wait" ] || wait=$max_wait
    if [ "$status" = 000 ]; then
      say "could not reach $broker; retrying in ${wait}s (attempt $attempt of $max_attempts)"
    else
      say "broker answered HTTP $status ($(json_field code <"$tmp/body")); retrying in ${wait}s (attempt $attempt of $max_attempts)"
    fi
    sleep "$wait"
    attempt=$((attempt + 1))
  done
}

# Explain a non-2xx answer: the problem's code, title and detail (which names the rule and condition that
# failed), then the whole problem document, then fail.
refused() {
  what=$1
  if [ "$status" = 000 ]; then
    die "$what failed: the broker at $broker could not be reached after $max_attempts attempts."
  fi
  code=$(json_field code <"$tmp/body")
  title=$(json_field title <"$tmp/body")
  detail=$(json_field detail <"$tmp/body")
  say "$what refused: HTTP $status${code:+ $code}${title:+ - $title}"
  [ -z "$detail" ] || printf '%s\n' "$detail" | redact | sed 's/^/neo4j-access:   /' >&2
  say "the broker's answer (problem+json, no secrets):"
  pretty_json <"$tmp/body" >&2
  exit 1
}

# A JSON string member for the exchange body. Inputs are checked by the templates' regexes; check again here
# because the values are not escaped.
member() {
  case $2 in
  *[!A-Za-z0-9._:-]*) die "$1 may only contain letters, digits and . _ : - (got '$2')." ;;
  esac
  body="${body:+$body,}\"$1\":\"$2\""
}

exchange() {
  out=${1:?usage: neo4j-access.sh exchange EXPORT_FILE}
  load_token
  body=
  [ -z "${NEO4J_ACCESS_TARGET:-}" ] || member target "$NEO4J_ACCESS_TARGET"
  [ -z "${NEO4J_ACCESS_DATABASE:-}" ] || member database "$NEO4J_ACCESS_DATABASE"
  [ -z "${NEO4J_ACCESS_TTL:-}" ] || member ttl "$NEO4J_ACCESS_TTL"
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
  if [ -n "$body" ]; then
    printf '{%s}' "$body" >"$tmp/request.json"
    say "requesting a narrowed grant: {$body}"
    request POST "$broker/v1/exchange" text/plain "$tmp/request.json"
  else
    request POST "$broker/v1/exchange" text/plain
  fi
  case $status in 2??) ;; *) refused "credential exchange" ;; esac

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
    [ -n "$v" ] || die "the broker answered HTTP $status without $n; is $broker a neo4j-access broker speaking API v1?"
  done
  case $NEO4J_ACCESS_LEASE_ID in *[!A-Za-z0-9._-]*) die "the broker answered an unexpected lease id." ;; esac

  # Record the lease first, so that the after_script revokes it even if a later step here fails.
  password_file=${NEO4J_ACCESS_CREDENTIALS_FILE:-}
  [ -n "$password_file" ] || password_file=$(mktemp)
  (umask 077 && mkdir -p "$state_dir" && : >"$state_dir/lease")
  {
    printf 'lease_id=%s\n' "$NEO4J_ACCESS_LEASE_ID"
    printf 'password_file=%s\n' "$password_file"
  } >"$state_dir/lease"

  mkdir -p "$(dirname "$password_file")"
  (umask 077 && : >"$password_file")
  chmod 600 "$password_file"
  printf '%s' "$NEO4J_PASSWORD" >"$password_file"

  if [ "${NEO4J_ACCESS_ANNOTATIONS_ENABLED:-true}" = true ] && [ -n "$NEO4J_ACCESS_ANNOTATIONS" ]; then
    printf '%s\n' "$NEO4J_ACCESS_ANNOTATIONS" >"$project_dir/neo4j-access-annotations.json"
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

revoke() {
  if [ ! -f "$state_dir/lease" ]; then
    say "no lease to revoke (none was issued, or it was revoked already)."
    return 0
  fi
  lease_id=$(sed -n 's/^lease_id=//p' "$state_dir/lease")
  password_file=$(sed -n 's/^password_file=//p' "$state_dir/lease")
  # The password is useless once revoked, but a shell runner keeps /tmp: remove it first.
  [ -z "$password_file" ] || rm -f "$password_file"
  case $lease_id in '' | *[!A-Za-z0-9._-]*) die "the lease record in $state_dir is damaged; the broker revokes the lease when the job ends." ;; esac
  if [ -z "${NEO4J_ACCESS_ID_TOKEN:-}" ]; then
    say "cannot revoke lease $lease_id now: NEO4J_ACCESS_ID_TOKEN is empty. The broker revokes it when the job ends or its TTL runs out."
    return 0
  fi
  load_token
  max_attempts=3
  request DELETE "$broker/v1/leases/$lease_id" application/json
  case $status in
  2??) say "revoked lease $lease_id; its Neo4j user is gone." ;;
  404 | 410) say "lease $lease_id was already revoked." ;;
  *)
    # Not fatal: the job's result must not depend on clean-up, and the broker still revokes the lease when
    # GitLab reports the job finished, or at the lease's TTL.
    say "could not revoke lease $lease_id now (HTTP $status); the broker revokes it when the job ends or at its TTL."
    [ "$status" = 000 ] || pretty_json <"$tmp/body" >&2
    ;;
  esac
  rm -rf "$state_dir"
}

explain() {
  load_token
  request POST "$broker/v1/explain" application/json
  case $status in 2??) ;; *) refused "explain" ;; esac
  if [ "$(json_field allowed <"$tmp/body")" = true ]; then
    say "this job WOULD be granted access."
  else
    say "this job would be DENIED."
  fi
  say "decision and trace (nothing was issued):"
  pretty_json <"$tmp/body"
}

case ${1:-} in
exchange)
  shift
  exchange "$@"
  ;;
revoke) revoke ;;
explain) explain ;;
*) die "usage: neo4j-access.sh exchange EXPORT_FILE | revoke | explain" ;;
esac
