# Shared by scripts/demo and scripts/test: install what is missing, configure, build.
# shellcheck shell=bash

RSOFLOW_PACKAGES=(cmake make g++ pkg-config libpoco-dev libboost-dev libspdlog-dev
  libsqlite3-dev libssl-dev libgtest-dev libgmock-dev libbenchmark-dev libjemalloc-dev
  libgraphviz-dev sqlite3 curl jq chromium chromium-driver python3-selenium)
# chromium, chromium-driver and python3-selenium run the browser journeys (tests/browser/) with
# Debian's /usr/bin/python3; they also take the app's screenshots (scripts/screenshots).

ensure_packages() {
  local missing=()
  for p in "${RSOFLOW_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "rsoflow needs these Debian packages: ${missing[*]}" >&2
    echo "install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "==> installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
}

# configure_and_build BUILD_DIR [TARGET] [extra cmake args...]
configure_and_build() {
  local dir=$1 target=${2:-all}
  shift 2 || shift $#
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    local launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" "$@" >/dev/null
  fi
  cmake --build "$dir" --target "$target" -j2
}
