#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the .deb from a configured build folder, installs it with apt on this machine, runs both programs
# from the installed paths, checks that the desktop files are where a desktop looks, and removes it again.
#   packaging/linux/check-deb.sh BUILD_DIR
set -euo pipefail
build="$(cd "$1" && pwd)"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo -n) # installing a package needs root; never prompt inside a test
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && cpack --config "$build/CPackConfig.cmake" -G DEB >cpack.log 2>&1) || {
    cat "$work/cpack.log"
    exit 1
}
deb="$(ls "$work"/cachewise_*.deb)"
echo "built $(basename "$deb")"
dpkg-deb --field "$deb" Package Version Depends
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >"$work/apt.log" 2>&1 || {
    cat "$work/apt.log"
    exit 1
}
trap '"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq cachewise >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
/usr/bin/cachewise --version
/usr/bin/cachewise-cli --version
app_id="$(sed -n 's/^set(CACHEWISE_APP_ID "\(.*\)")$/\1/p' "$(dirname "$0")/../../CMakeLists.txt")"
for f in /usr/share/applications/"$app_id".desktop /usr/share/metainfo/"$app_id".metainfo.xml \
    /usr/share/icons/hicolor/scalable/apps/"$app_id".svg /usr/share/icons/hicolor/256x256/apps/"$app_id".png \
    /usr/lib/systemd/user/cachewise.service; do
    if ! dpkg -S "$f" >/dev/null 2>&1; then
        echo "not installed by the package: $f" >&2
        exit 1
    fi
done
echo "the .deb installs and both programs run from /usr/bin"
