#!/usr/bin/env bash
# Re-checks the CUDA backend on a GPU node that has no .NET SDK: bit-identity with the CPU backend on the test suite's
# grid (`workbench sample-check --backend cuda`, the body of CudaBackendTests), then the issue's throughput figures.
#
# Here (with the SDK):
#   dotnet publish src/Workbench.Cli -c Release -r linux-x64 --self-contained true -p:PublishSingleFile=true \
#     -p:EnableCompressionInSingleFile=true -o out/wb                       # ≈ 40 MB
# On the node (the device tool carries out/wb):
#   bash tests/Workbench.Benchmarks/peers/cuda_recheck.sh out/wb/workbench
# Exit status: that of sample-check (0 only if every configuration is equal).
set -uo pipefail
WB=${1:-out/wb/workbench}
echo "== $(date -u +%FT%TZ) $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || echo 'no nvidia-smi')"
"$WB" sample-check --backend cuda
check=$?
rate() { grep -o '"samples_per_second": *[0-9.eE+-]*' | sed 's/.*: *//'; }
for spec in "4 8 none 2e10" "8 16 causal 5e9"; do
  set -- $spec
  for seed in 1 2 3; do
    cuda=$("$WB" sample --tokens "$1" --head-dim "$2" --mask "$3" --samples "$4" --seed "$seed" --backend cuda --json | rate)
    echo "n=$1 d_h=$2 mask=$3 seed=$seed cuda samples/s: $cuda"
  done
  cpu=$("$WB" sample --tokens "$1" --head-dim "$2" --mask "$3" --samples 2e8 --seed 1 --backend cpu --json | rate)
  echo "n=$1 d_h=$2 mask=$3 cpu (all cores) samples/s: $cpu"
done
exit $check
