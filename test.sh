#!/usr/bin/env bash
# Runs every test of Agentry: the one command README.md gives and .ci/run calls.
# It needs only the .NET SDK; anything else a test needs is installed here.
set -euo pipefail
cd "$(dirname "$0")"

# Build everything first: `dotnet test` builds only the test projects and what they reference, and the
# benchmarks must keep compiling too.
dotnet build Agentry.slnx --configuration Release
dotnet test Agentry.slnx --configuration Release --no-build "$@"
