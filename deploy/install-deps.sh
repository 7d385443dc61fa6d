#!/usr/bin/env bash
# Installs the Debian 12 packages OKR Coach builds and tests with — only those missing.
# Idempotent: with everything present it touches nothing and does not run `apt-get update`.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libboost1.81-dev libboost-url1.81-dev
  nlohmann-json3-dev
  libsqlitecpp-dev libsqlite3-dev
  libspdlog-dev
  libjemalloc-dev
  catch2
  libssl-dev
  libcli11-dev
  libhowardhinnant-date-dev
  ccache
  curl
  tzdata
  # make fuzz (tests/fuzz): clang and its runtime libraries, which hold libFuzzer. GCC's own
  # AddressSanitizer, UBSan and ThreadSanitizer runtimes (make test-asan, test-tsan) come with
  # build-essential.
  clang libclang-rt-14-dev
)
# The browser tests of the web page (tests/e2e) need node, npm and Debian's chromium. Image
# builds that only compile set OKR_SKIP_BROWSER_DEPS=1 to leave them out.
# A machine that already has node and npm (e.g. from another repository) keeps them: Debian's
# npm cannot be installed beside a newer nodejs.
if [ "${OKR_SKIP_BROWSER_DEPS:-0}" != "1" ]; then
  packages+=(chromium)
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
e2e_dir="$here/../tests/e2e"

# playwright-core, pinned by tests/e2e/package-lock.json; only when it is not there yet.
install_browser_driver() {
  if [ "${OKR_SKIP_BROWSER_DEPS:-0}" = "1" ] || [ ! -f "$e2e_dir/package-lock.json" ]; then
    return 0
  fi
  if [ -d "$e2e_dir/node_modules/playwright-core" ]; then
    return 0
  fi
  echo "install-deps: installing the browser test driver (npm ci in tests/e2e)"
  (cd "$e2e_dir" && npm ci --no-audit --no-fund --loglevel=error)
}

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  install_browser_driver
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: apt-get is not available; install these Debian 12 packages by hand: ${missing[*]}" >&2
  exit 1
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
  else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_browser_driver
echo "install-deps: done"
