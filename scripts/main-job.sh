#!/usr/bin/env bash
# The main job run by setup.sh. Grows with the project.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "main job: nothing to run yet"
