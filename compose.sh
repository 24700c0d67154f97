#!/usr/bin/env bash
# The old script's entry point, kept compatible (README, "Old script compatibility"):
#
#   compose.sh USERNAME PASSWORD NOVACLIENT_VERSION OPENSTACK_PROJECT AUTH_URL
#
# Loads the usage of OPENSTACK_PROJECT up to now with `os-metrics run` (the embedded PostgreSQL under
# ./data, or the server of $OS_METRICS_DB_URL), then writes, like the old script, for yesterday (UTC):
#   output/os_metrics.csv              one row per server and window (the old CSV columns first)
#   output/os_metrics_YYYYMMDD.json    the old JSON document, one line (YYYYMMDD = today, UTC)
# A PASSWORD of - reads $OS_PASSWORD instead, so the password is not visible in the process list.
# The password never goes on a java command line: os-metrics reads it from the environment.
#
# Optional environment: OS_USER_DOMAIN_NAME, OS_PROJECT_DOMAIN_NAME (default "Default"), OS_REGION_NAME,
# OS_INTERFACE, OS_CACERT; OS_METRICS_DB_URL (+ _USER, _PASSWORD); OS_METRICS_WINDOW (window grid of a new
# database, default 1d, like the old daily files); OS_METRICS_OUTPUT_DIR (default ./output next to this
# script); OS_METRICS_JAR (default target/os-metrics.jar, built with Maven when missing); JAVA, JAVA_OPTS
# (os-metrics runs through bin/os-metrics, the launcher: a bounded JVM, JAVA_OPTS to override).
set -euo pipefail

usage() {
  cat >&2 <<'USAGE'
usage: compose.sh USERNAME PASSWORD NOVACLIENT_VERSION OPENSTACK_PROJECT AUTH_URL
  USERNAME            OpenStack user name (domain: $OS_USER_DOMAIN_NAME, default "Default")
  PASSWORD            the password, or - to read it from $OS_PASSWORD (recommended)
  NOVACLIENT_VERSION  compute API version: 2.1 (os-metrics negotiates the microversion) or a microversion to force
  OPENSTACK_PROJECT   project name (domain: $OS_PROJECT_DOMAIN_NAME, default "Default")
  AUTH_URL            Keystone URL, e.g. https://keystone.example.org:5000
example: OS_PASSWORD=... bash compose.sh mparra - 2.1 srcpoll https://keystone.example.org:5000
USAGE
  exit 2
}

fail() {
  echo "compose.sh: $2" >&2
  exit "$1"
}

[[ $# -eq 5 ]] || usage
username=$1
nova_version=$3
project=$4
auth_url=$5
[[ -n $username && -n $project && -n $auth_url ]] || usage

if [[ $2 == - ]]; then
  [[ -n ${OS_PASSWORD:-} ]] || fail 3 "PASSWORD is '-' but OS_PASSWORD is not set: export OS_PASSWORD first"
else
  OS_PASSWORD=$2
fi
set -- # drop the arguments (and the password among them) from this shell's positional parameters

# NOVACLIENT_VERSION was the novaclient API version, 2.1 in practice: the v2.1 API, in which os-metrics
# negotiates the best microversion itself (2.40+ pages large projects). A finer microversion is forced,
# unless OS_COMPUTE_API_VERSION already says which.
if [[ $nova_version =~ ^2(\.[01])?$ ]]; then
  :
elif [[ $nova_version =~ ^2\.[0-9]+$ ]]; then
  export OS_COMPUTE_API_VERSION=${OS_COMPUTE_API_VERSION:-$nova_version}
else
  fail 2 "NOVACLIENT_VERSION '$nova_version' is not a compute API version such as 2.1"
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jar=${OS_METRICS_JAR:-$here/target/os-metrics.jar}
output=${OS_METRICS_OUTPUT_DIR:-$here/output}

if [[ ! -f $jar ]]; then
  command -v mvn >/dev/null 2>&1 || fail 2 "$jar is missing and Maven (mvn) is not installed to build it"
  echo "compose.sh: building $jar" >&2
  (cd "$here" && mvn -q -B package -DskipTests) || fail 1 "the build failed (run: mvn -B package -DskipTests)"
fi

# The identity, through the environment only (never on a command line).
unset OS_CLOUD OS_PROJECT_ID OS_USER_ID OS_USER_DOMAIN_ID OS_PROJECT_DOMAIN_ID OS_APPLICATION_CREDENTIAL_ID \
  OS_APPLICATION_CREDENTIAL_NAME OS_APPLICATION_CREDENTIAL_SECRET OS_TOKEN
export OS_AUTH_TYPE=v3password
export OS_AUTH_URL=$auth_url
export OS_USERNAME=$username
export OS_PASSWORD
export OS_PROJECT_NAME=$project
export OS_USER_DOMAIN_NAME=${OS_USER_DOMAIN_NAME:-Default}
export OS_PROJECT_DOMAIN_NAME=${OS_PROJECT_DOMAIN_NAME:-Default}

# Yesterday, UTC, like the old script's default window [today - 1 day, today).
now=$(date -u +%s)
today_start=$((now - now % 86400))
day() {
  date -u -d "@$1" "+$2" 2>/dev/null || date -u -r "$1" "+$2"
}
from=$(day $((today_start - 86400)) %Y-%m-%d)
to=$(day "$today_start" %Y-%m-%d)
stamp=$(day "$now" %Y%m%d)

export OS_METRICS_JAR=$jar
os_metrics() {
  sh "$here/bin/os-metrics" "$@"
}

# Load up to now; a first run starts at yesterday 00:00 UTC. The grid is chosen here by OS_METRICS_WINDOW, so a
# refusal of the grid names that variable where os-metrics itself names its flag --window.
# stderr goes through sed; stdout is captured: its first line is the key of the cloud the run loaded
# (--print-cloud-key), the rest (the summary) is printed as it is. The script exits with the run's own code.
run_status=0
run_output=$({ os_metrics run --print-cloud-key --window "${OS_METRICS_WINDOW:-1d}" \
    --initial-lookback "$((now - today_start + 86400))s" \
    2>&1 1>&3 3>&- | sed -u 's/--window \([0-9][0-9]*[smhd]\)/OS_METRICS_WINDOW=\1/g' >&2; } 3>&1) || run_status=$?
cloud=$(printf '%s\n' "$run_output" | sed -n 1p)
printf '%s\n' "$run_output" | sed 1d
[[ $run_status -eq 0 ]] || exit "$run_status"
[[ -n $cloud ]] || fail 1 "os-metrics run did not print the cloud's key"

# Only this cloud's rows: the database may hold others (another cloud, a demo), whose rows would be added
# to the CSV and a second document to the JSON file.
mkdir -p "$output"
os_metrics export --report server_usage --from "$from" --to "$to" --project "$project" --cloud "$cloud" \
  --format csv --out "$output/os_metrics.csv" --quiet
os_metrics export --report tenant_usage_document --from "$from" --to "$to" --project "$project" \
  --cloud "$cloud" --format jsonl --out "$output/os_metrics_$stamp.json" --quiet
echo "compose.sh: wrote $output/os_metrics.csv and $output/os_metrics_$stamp.json ($from..$to UTC)"
