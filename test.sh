#!/usr/bin/env bash
# Runs every test of Agentry: the one command README.md gives and .ci/run calls.
# It needs only the .NET SDK; anything else a test needs is installed here.
set -euo pipefail
cd "$(dirname "$0")"

dotnet test Agentry.slnx --configuration Release "$@"
