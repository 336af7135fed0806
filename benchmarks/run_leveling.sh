#!/bin/sh
# Full leveling benchmarks, one after the other (2 shared cores: never in parallel).
# Usage: benchmarks/run_leveling.sh OUTDIR   (from the repository root)
set -u
OUT=${1:-var/bench-leveling}
PY=${PY:-python}
DATA=${PSPLIB:-/work/shared/data/psplib}
mkdir -p "$OUT"
export PYTHONPATH=src
$PY -m pmo.bench.portfolio_leveling --time-limits 30 120 --workers 2 --full-model > "$OUT/portfolio.txt" 2> "$OUT/portfolio.err"
$PY -m pmo.bench.rcpsp "$DATA/j30" --time-limit 10 --workers 2 > "$OUT/j30-cpsat.csv" 2> "$OUT/j30-cpsat.err"
$PY -m pmo.bench.rcpsp "$DATA/j60" --time-limit 10 --workers 2 > "$OUT/j60-cpsat.csv" 2> "$OUT/j60-cpsat.err"
for set in j30 j60; do
  $PY -m pmo.bench.rcpsp "$DATA/$set" --heuristic-only > "$OUT/$set-heuristic.csv" 2> "$OUT/$set-heuristic.err"
done
echo done > "$OUT/DONE"
