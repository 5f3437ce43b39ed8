#!/usr/bin/env bash
# Install a Debian package unless a command it provides is already on PATH.
#   scripts/apt-ensure.sh COMMAND PACKAGE
# Waits for another apt/dpkg run to finish instead of failing on the lock.
set -euo pipefail

cmd=${1:?usage: apt-ensure.sh COMMAND PACKAGE}
pkg=${2:?usage: apt-ensure.sh COMMAND PACKAGE}

command -v "$cmd" >/dev/null 2>&1 && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-ensure: '$cmd' is missing and this is not a Debian-like system; install '$pkg' yourself." >&2
  exit 1
fi

sudo=
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "apt-ensure: need root (or sudo) to install '$pkg'." >&2; exit 1; }
  sudo=sudo
fi

# apt-get update takes the lists lock, which DPkg::Lock::Timeout does not always cover:
# wait (up to 10 minutes) while another apt-get or dpkg is running.
for _ in $(seq 1 600); do
  pgrep -x apt-get >/dev/null 2>&1 || pgrep -x dpkg >/dev/null 2>&1 || break
  sleep 1
done

apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
echo "apt-ensure: installing $pkg (for '$cmd')"
$sudo "${apt[@]}" update
$sudo "${apt[@]}" install -y "$pkg"
command -v "$cmd" >/dev/null 2>&1 || { echo "apt-ensure: '$pkg' installed but '$cmd' is still not on PATH." >&2; exit 1; }
