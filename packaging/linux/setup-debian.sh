#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Set-up for Debian 12: installs what is missing (idempotent), builds, and runs the app or the tests.
#   packaging/linux/setup-debian.sh deps    install missing packages only
#   packaging/linux/setup-debian.sh run     deps + release build + start the desktop app (extra args go to it)
#   packaging/linux/setup-debian.sh test    deps + CI build (warnings are errors) + every test with ctest,
#                                           then the headless build and the core suites under ASan + UBSan
#   packaging/linux/setup-debian.sh bench   deps + the benchmarks' peers (wrk, nginx-light) + CI build, then
#                                           every benchmark in tests/bench, each printing its peer
set -euo pipefail

cd "$(dirname "$0")/../.."

PACKAGES=(
    # toolchain
    g++ cmake ninja-build ccache pkg-config file clang-format
    # Qt 6.4 from Debian
    qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libqt6sql6-sqlite qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    qt6-translations-l10n
    # crypto, the SQLite headers for the benchmark's plain-insert ceiling, the product font
    libssl-dev libsqlite3-dev fonts-inter
    # OTLP protobuf (protoc generates the message classes at build time) and gzip bodies
    protobuf-compiler libprotobuf-dev zlib1g-dev
    # the push body's fast JSON reader
    libsimdjson-dev
    # source API keys in the OS keychain; the tests run a private D-Bus session with a throwaway keyring
    qtkeychain-qt6-dev dbus gnome-keyring
    # test peers: promtool and a real Prometheus server that scrapes the listener; a real WebDAV server for
    # sync (Apache from a private loopback config: apache2-bin, not apache2, whose install starts a site on
    # port 80), htpasswd for its users and openssl for its test CA
    prometheus apache2-bin apache2-utils openssl
    # packaging: validators for the desktop and AppStream files, dpkg-shlibdeps for the .deb's dependencies
    desktop-file-utils appstream dpkg-dev
    # reports: pdftotext and pdftoppm read the PDFs back in the tests
    poppler-utils
)

# The benchmarks' peers and drivers, installed only by `bench` (nginx-light is started from a private loopback
# config; on a machine with systemd its package also enables a default site on port 80). Python runs the
# drivers of the app's own benchmarks (window, live chart, soak).
BENCH_PACKAGES=(wrk nginx-light python3)

# Node.js runs the OpenTelemetry SDK test peer; a machine that already has node and npm (any origin) keeps them.
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

install_missing() {
    local missing=()
    for p in "${PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$p")
        fi
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return
    fi
    echo "installing: ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo=(sudo)
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

command="${1:-}"
if [ "$command" = bench ]; then
    PACKAGES+=("${BENCH_PACKAGES[@]}")
fi
shift || true
case "$command" in
deps)
    install_missing
    ;;
run)
    install_missing
    cmake --preset release
    cmake --build --preset release
    exec ./build/release/app/cachewise "$@"
    ;;
bench)
    install_missing
    cmake --preset ci
    cmake --build --preset ci
    tests/bench/bench_push.sh build/ci
    ./build/ci/tests/bench/bench_ingest
    ./build/ci/tests/bench/bench_reads
    ./build/ci/tests/bench/bench_guard
    ./build/ci/tests/bench/bench_models
    tests/bench/bench_window.py --build build/ci
    tests/bench/bench_live.py --build build/ci
    # The soak is an hour; `bench soak SECONDS` sets another length.
    tests/bench/bench_soak.py --build build/ci --seconds "${1:-3600}"
    ;;
test)
    install_missing
    # The test peers' npm packages, exactly as locked.
    npm ci --prefix tests/otel-peer --no-audit --no-fund --loglevel=error
    cmake --preset ci
    cmake --build --preset ci
    ctest --preset ci
    # The headless build: core, the app and the CLI without Qt Widgets.
    cmake --preset nogui
    cmake --build --preset nogui
    # The core suites under AddressSanitizer and UndefinedBehaviorSanitizer.
    cmake --preset asan
    cmake --build --preset asan
    ctest --preset asan
    ;;
*)
    echo "usage: $0 deps|run|test|bench [SOAK_SECONDS]" >&2
    exit 2
    ;;
esac
