#!/usr/bin/env bash
# Build script: `./build.sh test` installs what the tests need, then runs `dotnet test Agents.sln`.
#   ./build.sh            build the solution
#   ./build.sh test [ARGS]  install the test prerequisites (Debian chromium), then dotnet test Agents.sln [ARGS]
#   ./build.sh setup      only install the test prerequisites
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

chromium_path=/usr/bin/chromium

# Real Chromium for the browser tests: Playwright drives it through ExecutablePath and never downloads one.
ensure_chromium() {
  if [ -x "$chromium_path" ]; then
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "build.sh: the browser tests need Chromium at $chromium_path, and this machine has no apt-get." >&2
    echo "build.sh: install Chromium with your package manager so that $chromium_path exists (a link is fine), then rerun." >&2
    return 1
  fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo"
    else
      echo "build.sh: the browser tests need Debian's chromium at $chromium_path, and installing it needs root." >&2
      echo "build.sh: run 'sudo apt-get install -y chromium' (or rerun this script as root), then rerun './build.sh test'." >&2
      return 1
    fi
  fi
  echo "build.sh: installing Debian chromium for the browser tests"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  if [ ! -x "$chromium_path" ]; then
    echo "build.sh: apt-get finished but $chromium_path is still missing." >&2
    return 1
  fi
}

command="${1:-build}"
[ $# -gt 0 ] && shift

case "$command" in
  build)
    dotnet build Agents.sln "$@"
    ;;
  setup)
    ensure_chromium
    ;;
  test)
    ensure_chromium
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
