#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a command in a private D-Bus session with a throwaway, unlocked GNOME keyring (the Secret Service
# QtKeychain talks to), so tests use the real OS keychain without touching the user's.
set -eu
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache"
dbus-run-session -- sh -c '
    printf "%s" throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec "$@"' with-keyring "$@"
