#!/usr/bin/env bash
# The e2e tests drive Debian's Chromium, never a browser downloaded by a test tool (this network
# reaches only the npm registry and Debian's packages). Installs it when it is missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "Chromium is missing: run 'apt-get install chromium' as root, then run the tests again." >&2
  exit 1
fi
echo "Installing Debian's chromium for the e2e tests…"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
