#!/usr/bin/env bash
# Builds the Teams app package (the zip you upload in Teams: Apps -> Manage your apps -> Upload
# an app) from manifest.json and the two icons, with your bot's ids filled in.
#
#   TEAMS_APP_ID=<Microsoft App ID of your Azure Bot> TEAMS_HOST=<public host name> \
#     deploy/teams/package.sh [OUTPUT.zip]          (default: build/okr-coach-teams.zip)
#
# TEAMS_APP_ID is the same Microsoft App ID okr-coach itself is configured with. Optional:
# TEAMS_MANIFEST_ID=<GUID> gives the Teams app package an id of its own (e.g. a second install
# in one tenant). Needs bash, sed and python3 (for its zipfile module); nothing is downloaded.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
output="${1:-build/okr-coach-teams.zip}"
guid='^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'

fail() {
  echo "teams-package: $*" >&2
  exit 2
}

[[ -n "${TEAMS_APP_ID:-}" ]] ||
  fail "set TEAMS_APP_ID to the Microsoft App ID of your Azure Bot (a GUID; see docs/teams.md)"
[[ "$TEAMS_APP_ID" =~ $guid ]] ||
  fail "TEAMS_APP_ID must be a GUID like 0f8fad5b-d9cb-469f-a165-70867728950e"
[[ -n "${TEAMS_HOST:-}" ]] ||
  fail "set TEAMS_HOST to the public host name that reaches okr-coach (e.g. okr.example.com)"
# A bare host name: it goes into https:// URLs and validDomains.
[[ "$TEAMS_HOST" =~ ^[A-Za-z0-9.-]+(:[0-9]+)?$ ]] ||
  fail "TEAMS_HOST must be a host name without scheme or path, e.g. okr.example.com"
if [[ -n "${TEAMS_MANIFEST_ID:-}" ]]; then
  [[ "$TEAMS_MANIFEST_ID" =~ $guid ]] || fail "TEAMS_MANIFEST_ID must be a GUID"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

sed -e "s/YOUR-MICROSOFT-APP-ID/${TEAMS_APP_ID}/g" -e "s/YOUR-HOST/${TEAMS_HOST}/g" \
  "$here/manifest.json" >"$work/manifest.json"
if [[ -n "${TEAMS_MANIFEST_ID:-}" ]]; then
  python3 - "$work/manifest.json" "$TEAMS_MANIFEST_ID" <<'PY'
import json, sys
path, app_id = sys.argv[1], sys.argv[2]
with open(path) as f:
    manifest = json.load(f)
manifest["id"] = app_id
with open(path, "w") as f:
    json.dump(manifest, f, indent=2)
    f.write("\n")
PY
fi
cp "$here/color.png" "$here/outline.png" "$work/"

mkdir -p "$(dirname "$output")"
rm -f "$output"
# Teams wants the three files at the root of the zip, not inside a folder.
(cd "$work" && python3 -m zipfile -c package.zip manifest.json color.png outline.png)
mv "$work/package.zip" "$output"
echo "teams-package: wrote $output"
