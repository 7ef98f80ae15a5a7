#!/usr/bin/env bash
# SerMlNet set-up: installs everything the project needs, builds it, and runs the main job.
# Idempotent: a second run with nothing changed only re-checks and re-runs the main job.
#
#   ./setup.sh            install + build + main job
#   ./setup.sh --cuda     build against ONNX Runtime's CUDA package (Microsoft.ML.OnnxRuntime.Gpu.Linux, CUDA 13)
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

# 1. Debian packages, only those missing. The engines themselves (TorchSharp/libtorch, ONNX Runtime) come from NuGet.
#    libonnx-dev: onnx.proto for the exporter. python3-onnx/python3-torch/python3-numpy: reference checks and the
#    PyTorch side of the training-step benchmark. clang, zlib1g-dev: Native AOT link of Predict.
#    chromium: renders the HTML report in tests. hyperfine, time: cold start and peak memory in the benchmark scripts.
#    jupyter-nbconvert, jupyter-client, python3-ipykernel: the test suite re-executes notebooks/ser.ipynb headless.
for tool in dotnet npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "setup.sh: '$tool' is not on PATH; install the .NET 10 SDK and Node.js/npm first" >&2; exit 1; }
done
apt_packages=(libonnx-dev python3-onnx python3-torch python3-numpy clang zlib1g-dev chromium hyperfine time
              jupyter-nbconvert jupyter-client python3-ipykernel)
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

# 2. npm packages into an ignored folder (npm/node_modules): onnxruntime-node, the second runtime of the tests.
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

# 3. The notebook's kernel: the .NET Interactive tool from the local manifest (.config/dotnet-tools.json), registered
#    with Jupyter as '.net-csharp' in the user's kernel folder (no root needed). Its kernel.json runs 'dotnet interactive',
#    which resolves through the manifest, so the kernel starts in any folder of the repository (notebooks/ included).
step "dotnet tool restore (dotnet-interactive)"
dotnet tool restore >/dev/null
kernels_dir="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}/kernels"
if [ ! -f "$kernels_dir/.net-csharp/kernel.json" ]; then
  step "register the .NET (C#) Jupyter kernel in $kernels_dir"
  mkdir -p "$kernels_dir"
  DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT=1 dotnet dotnet-interactive jupyter install --path "$kernels_dir" >/dev/null
else
  step ".NET (C#) Jupyter kernel: registered"
fi

# 4. Build (NuGet restores TorchSharp-cpu and ONNX Runtime), then Predict as a Native AOT executable in out/predict-aot/.
ort=()
[ "$want_cuda" -eq 1 ] && ort=(-p:SerMlNetOrtCuda=true)
step "dotnet build (Release${ort[*]:+, ${ort[*]}})"
dotnet build SerMlNet.sln -c Release -nologo -v quiet -clp:ErrorsOnly "${ort[@]}"
step "dotnet publish src/Predict (Native AOT) -> out/predict-aot/Predict"
dotnet publish src/Predict -c Release -nologo -v quiet -clp:ErrorsOnly "${ort[@]}"

# 5. The main job.
if [ "$run_main" -eq 1 ]; then
  step "main job"
  ./scripts/main-job.sh
fi
