#!/usr/bin/env bash
# Runs every test of Agentry: the one command README.md gives and .ci/run calls.
# It needs only the .NET SDK; anything else a test needs is installed here.
set -euo pipefail
cd "$(dirname "$0")"

# The MCP tests talk over stdio to a small test server written in Python (tests/McpTestServer).
if ! command -v python3 >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq python3
fi

# The console's end-to-end tests drive Debian's Chromium (Playwright never downloads a browser here).
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && apt-get install -y -qq chromium
fi

# Build everything first: `dotnet test` builds only the test projects and what they reference, and the
# benchmarks must keep compiling too.
dotnet build Agentry.slnx --configuration Release
# The console's unit tests (form generator, event timeline); the server's build above already ran `npm ci` and built it.
(cd src/console && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npx vitest run)
dotnet test Agentry.slnx --configuration Release --no-build "$@"

# The packages a user installs: the SDK and the `agentry` tool pack, and the tool installs from them and runs.
packages=$(mktemp -d)
trap 'rm -rf "$packages"' EXIT
dotnet pack src/Agentry.Client --configuration Release --no-build --output "$packages/nupkg"
dotnet pack src/Agentry.Cli --configuration Release --no-build --output "$packages/nupkg"
dotnet tool install Agentry.Cli --tool-path "$packages/tools" --add-source "$packages/nupkg"
"$packages/tools/agentry" --help >/dev/null
echo "Packaging check passed: Agentry.Client and the agentry tool pack, install and run."
