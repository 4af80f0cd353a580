#!/usr/bin/env bash
# Set up chainkg on a fresh Debian machine.
#   bash scripts/install.sh          the package and what `chainkg build` needs (CJK fonts for the chain maps;
#                                    pango for WeasyPrint, which sets the `chainkg report` PDF)
#   bash scripts/install.sh --test   also the test tools: headless Chromium, poppler-utils (pdftoppm/pdftotext
#                                    read the brief's PDF in tests), test extras, SPARQL servers
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

debs=(fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
[ "$want_test" = 1 ] && debs+=(chromium poppler-utils)
missing=()
for deb in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || missing+=("$deb")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Virtuoso for tests/test_servers.py (issue 6). Preseed the dba password so the install never prompts; Debian's
# post-install cannot start the service in a container, and the tests start their own on loopback anyway.
# Where it cannot be installed (no apt, no network), those tests skip and everything else still runs.
if [ "$want_test" = 1 ] && ! command -v virtuoso-t >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  printf '%s\n' \
    "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password dba" \
    "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password dba" | $sudo debconf-set-selections
  ( $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      virtuoso-opensource >/dev/null ) || echo "install.sh: Virtuoso not installed; its server tests will skip" >&2
fi

if [ "$want_test" = 1 ]; then
  python3 -m pip install -q -e '.[test]'
else
  python3 -m pip install -q -e .
fi
echo "chainkg installed: $(chainkg --version)"
