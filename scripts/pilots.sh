#!/usr/bin/env bash
# Student pilots of the distillation issue: short runs on a subset (the first PILOT_TRAIN training
# images, PILOT_EPOCHS epochs, seed 1), one change each, K = 8 averaging over the balanced M = 4
# partition of the quick teacher, all on the same precomputed teacher targets (PILOT_VIEWS views)
# and the plain-op student engine. Each run keeps its learning curve (manifest.json history) and its
# offline failure table; every step is skipped when done and resumes when interrupted.
#
#   nohup scripts/pilots.sh ../shared/datasets/cifar-100-binary >> artifacts/pilots/pilots.log 2>&1 &
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-${WEARNET_DATA:?give the CIFAR-100 binary directory as the first argument or in WEARNET_DATA}}"
W="node packages/cli/bin/wearnet.js"
P=artifacts/pilots
TRAIN=${PILOT_TRAIN:-10000}
TEST=${PILOT_TEST:-2000}
EPOCHS=${PILOT_EPOCHS:-4}
VIEWS=${PILOT_VIEWS:-4}
TARGETS=${PILOT_TARGETS:-runs/targets-pilot-$TRAIN-v$VIEWS}
mkdir -p "$P"
if [ ! -f "$TARGETS/view-$(printf %03d $((VIEWS - 1))).bin" ]; then
  echo "== $(date -u +%FT%TZ) teacher targets for the pilots: $TRAIN images x $VIEWS views"
  $W teacher-targets --teacher artifacts/teacher-quick --data "$DATA" --limit-train "$TRAIN" --views "$VIEWS" --out "$TARGETS"
fi
pilot() { # name [distil flags]
  local name=$1; shift
  [ -f "$P/$name/manifest.json" ] && return 0
  echo "== $(date -u +%FT%TZ) pilot $name: $*"
  $W distil --teacher artifacts/teacher-quick --partition artifacts/partitions/balanced-4-of-8.json --method averaging \
    --devices 8 --data "$DATA" --limit-train "$TRAIN" --limit-test "$TEST" --epochs "$EPOCHS" --seed 1 --targets "$TARGETS" \
    --out "$P/$name" "$@" >> "$P/$name.log" 2>&1
  echo "== $(date -u +%FT%TZ) pilot $name done"
}
pilot p-plain-16-32-64 --student plain:16,32,64
pilot p-plain-24-48-96 --student plain:24,48,96
pilot p-plain-16-32-64-x122 --student plain:16,32,64/1,2,2
pilot p-wrn-12-24-48 --student wrn:12,24,48
pilot p-plain-16-32-64-lr0.1 --student plain:16,32,64 --lr 0.1
echo "== $(date -u +%FT%TZ) pilots done"
