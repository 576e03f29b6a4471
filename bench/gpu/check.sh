#!/usr/bin/env bash
# The prepared GPU check of the LocalEngine (bench/gpu/README.md).
#
#   bench/gpu/check.sh pack [--provider cuda|cpu] [--out DIR]
#       Here (with .NET): a self-contained linux-x64 publish of bench/gpu/GpuCheck; with --provider cuda (default) the
#       native ONNX Runtime is replaced by Microsoft.ML.OnnxRuntime.Gpu.Linux's (restored only in this step, into a
#       throw-away project outside the repository), then tar | zstd -15 --long=27, split into parts of at most 60 MB.
#       Writes DIR/gpucheck.tar.zst.part-NN, DIR/check.sh and DIR/tools/ (a zstd for machines without one).
#
#   check.sh run [--provider cuda|cpu] [--parts DIR] [--size 0.5b|small|tiny] [--tokens N] [--out FILE] [--work DIR]
#       There (no .NET, no registry): reassembles and unpacks the parts, puts the CUDA 13 libraries found inside the
#       Python packages on LD_LIBRARY_PATH, runs the check and writes every result into one file (default
#       gpu-check-results.md beside the parts).
set -euo pipefail

ORT_GPU_VERSION=1.32.0
PART_SIZE=57M  # 59.8 MB: parts of at most 60 MB (decimal) as well as 60 MiB

usage() {
  sed -n '2,15p' "$0" >&2
  exit 2
}

[ $# -ge 1 ] || usage
verb=$1
shift
provider=cuda
out=
parts=
size=
tokens=
work=
while [ $# -gt 0 ]; do
  case $1 in
    --provider) provider=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --parts) parts=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --tokens) tokens=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) usage ;;
  esac
done
case $provider in cuda|cpu) ;; *) usage ;; esac

pack() {
  local repo
  repo=$(cd "$(dirname "$0")/../.." && pwd)
  out=${out:-$repo/artifacts/gpu-check}
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' EXIT
  mkdir -p "$out"
  rm -f "$out"/gpucheck.tar.zst.part-*

  echo "== publish (self-contained linux-x64)"
  dotnet publish "$repo/bench/gpu/GpuCheck/Agents.LocalEngine.GpuCheck.csproj" -c Release -r linux-x64 --self-contained \
    -p:PublishSingleFile=false -p:DebugType=none -o "$stage/app" --nologo -v q

  if [ "$provider" = cuda ]; then
    echo "== restore Microsoft.ML.OnnxRuntime.Gpu.Linux $ORT_GPU_VERSION (outside the repository's build)"
    # A throw-away project in the stage folder: no Directory.Packages.props above it, so it names its own version.
    mkdir -p "$stage/ortgpu"
    cat > "$stage/ortgpu/OrtGpu.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageReference Include="Microsoft.ML.OnnxRuntime.Gpu.Linux" Version="$ORT_GPU_VERSION" /></ItemGroup>
</Project>
EOF
    dotnet restore "$stage/ortgpu/OrtGpu.csproj" --packages "$stage/pkgs" --nologo -v q
    local native="$stage/pkgs/microsoft.ml.onnxruntime.gpu.linux/$ORT_GPU_VERSION/runtimes/linux-x64/native"
    [ -f "$native/libonnxruntime_providers_cuda.so" ] || { echo "no CUDA provider in $native" >&2; exit 1; }
    # The CPU runtime's libonnxruntime.so is replaced by the GPU build (it holds the CPU provider too); the TensorRT
    # provider is left out (not used, and large).
    for f in "$native"/*.so*; do
      case $(basename "$f") in *tensorrt*) continue ;; esac
      cp -f "$f" "$stage/app/"
    done
  fi

  cp "$0" "$stage/check.sh"
  echo "provider=$provider" > "$stage/app/PACKED_FOR"
  echo "== compress and split"
  tar -C "$stage" -cf - app check.sh | zstd -15 --long=27 -T0 -q -c > "$stage/gpucheck.tar.zst"
  (cd "$out" && split -b "$PART_SIZE" -d "$stage/gpucheck.tar.zst" gpucheck.tar.zst.part-)
  cp "$0" "$out/check.sh"
  # A zstd for a machine without one (it needs only libc, libz, liblzma and liblz4 from the base system).
  mkdir -p "$out/tools"
  cp "$(command -v zstd)" "$out/tools/zstd"
  ls -l "$out"
  echo "Copy $out (every part, check.sh, tools/) to the GPU machine and run: bash check.sh run --provider $provider"
}

decompress() {
  local here=$1
  if command -v zstd >/dev/null 2>&1; then
    zstd -d --long=27 -q -c
  elif [ -x "$here/tools/zstd" ] && "$here/tools/zstd" --version >/dev/null 2>&1; then
    "$here/tools/zstd" -d --long=27 -q -c
  elif python3 -c 'import compression.zstd' 2>/dev/null; then
    python3 -c 'import sys, compression.zstd as z; sys.stdout.buffer.write(z.decompress(sys.stdin.buffer.read(), options={z.DecompressionParameter.window_log_max: 27}))'
  elif python3 -c 'import zstandard' 2>/dev/null; then
    python3 -c 'import sys, zstandard; zstandard.ZstdDecompressor(max_window_size=2**27).copy_stream(sys.stdin.buffer, sys.stdout.buffer)'
  else
    echo "no zstd: neither the zstd command, tools/zstd, Python's compression.zstd nor the zstandard module" >&2
    return 1
  fi
}

# Folders inside Python packages (and the usual CUDA places) that hold the CUDA 13 runtime libraries.
cuda_library_dirs() {
  {
    find / -xdev \( -name 'libcudart.so.13*' -o -name 'libcublas.so.13*' -o -name 'libcublasLt.so.13*' \
      -o -name 'libcudnn.so.9*' -o -name 'libcufft.so.1*' -o -name 'libcurand.so.10*' -o -name 'libnvrtc.so.13*' \) \
      2>/dev/null | grep -v /stubs/ | xargs -r -n1 dirname
    # The driver's libcuda.so.1, where the loader does not know it already.
    if ! ldconfig -p 2>/dev/null | grep -q 'libcuda.so.1 '; then
      find / -xdev -name 'libcuda.so.1' 2>/dev/null | grep -v /stubs/ | xargs -r -n1 dirname
    fi
  } | sort -u | tr '\n' ':'
}

run() {
  local here
  here=$(cd "$(dirname "$0")" && pwd)
  parts=${parts:-$here}
  out=${out:-$parts/gpu-check-results.md}
  work=${work:-$(mktemp -d)}
  local t0=$SECONDS
  echo "== unpack into $work"
  cat "$parts"/gpucheck.tar.zst.part-* | decompress "$here" | tar -C "$work" -xf -
  local app="$work/app"
  local log="$out.log"
  : > "$log"
  local gpu_name=none bandwidth=
  if [ "$provider" = cuda ]; then
    local dirs
    dirs=$(cuda_library_dirs)
    export LD_LIBRARY_PATH="$app:${dirs}${LD_LIBRARY_PATH:-}"
    echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH" | tee -a "$log"
    if command -v nvidia-smi >/dev/null 2>&1; then
      gpu_name=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)
      nvidia-smi | tee -a "$log" || true
    fi
    echo "== missing libraries of the CUDA provider (none expected):" | tee -a "$log"
    (ldd "$app/libonnxruntime_providers_cuda.so" | grep 'not found' || echo none) | tee -a "$log"
    # HBM bandwidth of the GPU, for the floor: H100 SXM 3.35 TB/s, H100 PCIe 2.0 TB/s, H200 4.8 TB/s.
    case $gpu_name in
      *H200*) bandwidth=4800 ;;
      *H100*PCIe*) bandwidth=2000 ;;
      *H100*) bandwidth=3350 ;;
      *A100*) bandwidth=2039 ;;
    esac
  fi
  local args=(--provider "$provider" --out "$out" --work "$work/models" --gpu-name "$gpu_name")
  [ -n "$size" ] && args+=(--size "$size")
  [ -n "$tokens" ] && args+=(--tokens "$tokens")
  [ -n "$bandwidth" ] && args+=(--bandwidth-gbs "$bandwidth")
  echo "== $app/Agents.LocalEngine.GpuCheck ${args[*]}"
  local rc=0
  "$app/Agents.LocalEngine.GpuCheck" "${args[@]}" 2>&1 | tee -a "$log" || rc=$?
  {
    echo
    echo "check.sh: unpack and run took $((SECONDS - t0)) s, exit code $rc; console log in $(basename "$log")."
  } >> "$out"
  echo "results: $out"
  return $rc
}

case $verb in
  pack) pack ;;
  run) run ;;
  *) usage ;;
esac
