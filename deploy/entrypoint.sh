#!/usr/bin/env bash
# Container entrypoint for okr-coach.
#
#   entrypoint.sh                      -> okr-coach serve
#   entrypoint.sh --log-level debug    -> okr-coach serve --log-level debug
#   entrypoint.sh migrate | check-config | demo-data | ...  -> that subcommand
#   entrypoint.sh healthcheck          -> GET /healthz on the address serve listens on
#
# Secrets may come as files (Docker/Compose secrets, mounted Kubernetes Secrets): NAME_FILE=/path
# sets NAME to the file's content without its trailing newline, which the configuration would
# otherwise reject as a stray character. The binary is exec'ed, so it receives SIGTERM directly
# and shuts down gracefully. OKR_COACH_BIN overrides the binary's path (the tests use it).
set -euo pipefail

bin="${OKR_COACH_BIN:-/usr/local/bin/okr-coach}"

fail() {
  echo "entrypoint: $*" >&2
  exit 2
}

# NAME_FILE -> NAME for each secret the configuration knows (config/fields.cpp).
for name in SLACK_SIGNING_SECRET SLACK_BOT_TOKEN SLACK_APP_TOKEN SLACK_CLIENT_SECRET OKR_COACH_WEB_TOKEN TEAMS_APP_PASSWORD OKR_COACH_SECRET_KEY; do
  file_var="${name}_FILE"
  file="${!file_var:-}"
  [[ -n "$file" ]] || continue
  if [[ -n "${!name:-}" ]]; then
    fail "both $name and $file_var are set; keep one"
  fi
  [[ -r "$file" ]] || fail "$file_var names $file, which is not a readable file"
  value="$(<"$file")" # $(...) drops the trailing newlines
  value="${value%$'\r'}"
  export "$name=$value"
  unset "$file_var"
done

# The address curl must ask: a wildcard listen address is reached through loopback.
health_url() {
  local listen="${OKR_COACH_LISTEN:-127.0.0.1:8080}"
  local host="${listen%:*}" port="${listen##*:}"
  case "$host" in
    0.0.0.0 | "") host=127.0.0.1 ;;
    "[::]") host="[::1]" ;;
  esac
  echo "http://${host}:${port}/healthz"
}

if [[ "${1:-}" == healthcheck ]]; then
  exec curl --fail --silent --show-error --max-time 4 --output /dev/null "$(health_url)"
fi

# No subcommand, or only options: serve.
if [[ $# -eq 0 || "$1" == -* ]]; then
  set -- serve "$@"
fi

# A volume owned by another user is the usual first-run failure; name it before SQLite does.
case "$1" in
  serve | migrate | demo-data | tick | chat)
    db_dir="$(dirname "${OKR_COACH_DB:-./data/okr-coach.db}")"
    if [[ -d "$db_dir" && ! -w "$db_dir" ]]; then
      fail "the database directory $db_dir is not writable by uid $(id -u); give the volume to that user (e.g. chown -R $(id -u):$(id -g) on the host path)"
    fi
    ;;
esac

[[ -x "$bin" ]] || fail "no okr-coach binary at $bin"
exec "$bin" "$@"
