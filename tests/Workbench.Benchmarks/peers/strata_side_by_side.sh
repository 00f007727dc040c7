#!/bin/sh
# The strata benchmark beside its PyTorch peer on the issue's batch (B=8 H=16 n=1024 d=64, 2 threads): the peer
# for both masks, then StrataBenchmarks (BenchmarkDotNet, every mask × thread count), then the peer again, so a
# change in machine load between the two shows up. Usage: strata_side_by_side.sh
# Needs Debian's python3-torch (/usr/bin/python3); peers come from $WORKBENCH_SHARED/peers (default ../shared/peers
# beside the repository).
set -e
root=$(cd "$(dirname "$0")/../../.." && pwd)
peers=${WORKBENCH_SHARED:-$root/../shared}/peers
peer() { for mask in none causal; do /usr/bin/python3 "$peers/strata_torch.py" 8 16 1024 64 "$mask" 2; done; }
peer
dotnet run -c Release --project "$root/tests/Workbench.Benchmarks" -- --filter "*StrataBenchmarks*" 2>&1 | grep -E "^\|"
peer
