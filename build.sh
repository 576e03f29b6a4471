#!/usr/bin/env bash
# Build script: `./build.sh test` installs what the tests need, then runs `dotnet test Agents.sln`.
#   ./build.sh            build the solution
#   ./build.sh test [ARGS]  install the test prerequisites (Debian chromium, redis-server), then dotnet test Agents.sln [ARGS]
#   ./build.sh setup      only install the test prerequisites
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian packages the tests run for real: Chromium (Playwright drives it through ExecutablePath and never downloads
# one) and redis-server (the Orleans cluster tests start their own on a loopback port).
ensure_package() {
  local path="$1" package="$2" why="$3"
  if [ -x "$path" ]; then
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "build.sh: $why need $path (Debian package $package), and this machine has no apt-get." >&2
    echo "build.sh: install it with your package manager so that $path exists (a link is fine), then rerun." >&2
    return 1
  fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo"
    else
      echo "build.sh: $why need Debian's $package at $path, and installing it needs root." >&2
      echo "build.sh: run 'sudo apt-get install -y $package' (or rerun this script as root), then rerun './build.sh test'." >&2
      return 1
    fi
  fi
  echo "build.sh: installing Debian $package for $why"
  if [ -z "${apt_updated:-}" ]; then
    $sudo apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$package" >/dev/null
  if [ ! -x "$path" ]; then
    echo "build.sh: apt-get finished but $path is still missing." >&2
    return 1
  fi
}

ensure_test_packages() {
  ensure_package /usr/bin/chromium chromium "the browser tests"
  ensure_package /usr/bin/redis-server redis-server "the Orleans cluster tests"
}

command="${1:-build}"
[ $# -gt 0 ] && shift

case "$command" in
  build)
    dotnet build Agents.sln "$@"
    ;;
  setup)
    ensure_test_packages
    ;;
  test)
    ensure_test_packages
    dotnet test Agents.sln "$@"
    ;;
  -h|--help|help)
    sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
    ;;
  *)
    echo "build.sh: unknown command '$command' (use build, setup or test)" >&2
    exit 2
    ;;
esac
