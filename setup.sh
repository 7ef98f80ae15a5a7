#!/usr/bin/env bash
# SerMlNet set-up: installs everything the project needs, builds it, and runs the main job.
# Idempotent: a second run with nothing changed only re-checks and re-runs the main job.
#
#   ./setup.sh            install + build + main job
#   ./setup.sh --cuda     also fetch the ONNX Runtime CUDA provider (npm-cuda/)
#   ./setup.sh --no-run   install + build only
set -euo pipefail
cd "$(dirname "$0")"

want_cuda=0
run_main=1
for arg in "$@"; do
  case "$arg" in
    --cuda) want_cuda=1 ;;
    --no-run) run_main=0 ;;
    *) echo "setup.sh: unknown option '$arg' (use --cuda, --no-run)" >&2; exit 2 ;;
  esac
done

step() { printf '\n== %s\n' "$*"; }

# 1. Debian packages, only those missing.
#    libtorch-dev/cmake/g++: the training engine and our C ABI shim over it.
#    libonnx-dev: onnx.proto for the exporter. python3-onnx/python3-torch/python3-numpy: reference checks.
#    chromium: renders the HTML report in tests. hyperfine, time: cold start and peak memory in the benchmark scripts.
for tool in dotnet npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "setup.sh: '$tool' is not on PATH; install the .NET 10 SDK and Node.js/npm first" >&2; exit 1; }
done
apt_packages=(cmake g++ libtorch-dev libonnx-dev python3-onnx python3-torch python3-numpy chromium hyperfine time)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q "${missing[@]}"
else
  step "Debian packages: all present"
fi

# 2. npm packages into ignored folders (npm/node_modules, npm-cuda/node_modules).
npm_install() {
  local dir=$1
  local stamp="$dir/node_modules/.setup-stamp"
  if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ]; then
    step "npm ci in $dir"
    (cd "$dir" && ONNXRUNTIME_NODE_INSTALL_CUDA=skip npm ci --no-audit --no-fund --loglevel=error)
    touch "$stamp"
  else
    step "npm packages in $dir: up to date"
  fi
}
npm_install npm
[ "$want_cuda" -eq 1 ] && npm_install npm-cuda

# 3. Build: the Torch project builds the native shim with CMake; the Onnx project compiles the ORT C# API sources.
step "dotnet build (Release)"
dotnet build SerMlNet.sln -c Release -nologo -v quiet -clp:ErrorsOnly

# 4. The main job.
if [ "$run_main" -eq 1 ]; then
  step "main job"
  ./scripts/main-job.sh
fi
