#!/usr/bin/env bash
# Student pilots of the distillation issue: short runs on a subset, same seed, one change each,
# K = 8 averaging over the balanced M = 4 partition of the quick teacher. Each run keeps its
# learning curve (manifest.json history) and its offline failure table; resumable like any run.
#
#   nohup scripts/pilots.sh ../shared/datasets/cifar-100-binary >> artifacts/pilots/pilots.log 2>&1 &
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-${WEARNET_DATA:?give the CIFAR-100 binary directory as the first argument or in WEARNET_DATA}}"
W="node packages/cli/bin/wearnet.js"
P=artifacts/pilots
TRAIN=${PILOT_TRAIN:-8000}
TEST=${PILOT_TEST:-2000}
EPOCHS=${PILOT_EPOCHS:-4}
mkdir -p "$P"
pilot() { # name [distil flags]
  local name=$1; shift
  [ -f "$P/$name/manifest.json" ] && return 0
  echo "== $(date -u +%FT%TZ) pilot $name: $*"
  $W distil --teacher artifacts/teacher-quick --partition artifacts/partitions/balanced-4-of-8.json --method averaging \
    --devices 8 --data "$DATA" --limit-train "$TRAIN" --limit-test "$TEST" --epochs "$EPOCHS" --seed 1 \
    --out "$P/$name" "$@" >> "$P/$name.log" 2>&1
}
pilot plain-16-32-64 --student plain:16,32,64
pilot plain-24-48-96 --student plain:24,48,96
pilot plain-16-32-64-x122 --student plain:16,32,64/1,2,2
pilot wrn-12-24-48 --student wrn:12,24,48
pilot plain-16-32-64-lr0.1 --student plain:16,32,64 --lr 0.1
echo "== $(date -u +%FT%TZ) pilots done"
