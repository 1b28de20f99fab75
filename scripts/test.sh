#!/usr/bin/env bash
# Runs every test on a fresh machine: restores packages, installs what the interop and browser tests
# need, starts the servers they use on 127.0.0.1, and runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Node packages for the interop tests (foreign JOSE/OAuth stacks).
if [ -f tests/interop/package.json ]; then
  (cd tests/interop && npm ci --no-audit --no-fund --loglevel=error)
fi

# Headless Chromium (the Debian package) for the browser tests (tests/Tessera.Browser.Tests).
command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

# Playwright (playwright-core only: it drives the Chromium above and downloads no browser).
if [ -f tests/browser/package.json ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

dotnet restore Tessera.slnx
dotnet build Tessera.slnx --no-restore -c Release
dotnet test Tessera.slnx --no-build -c Release --logger "console;verbosity=minimal"
