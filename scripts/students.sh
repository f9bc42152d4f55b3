#!/usr/bin/env bash
# The full student runs of the distillation issue (docs/RESULTS.md, "Students worth deploying"):
# teacher targets once, then K = 8 NoNN (nonn-all), averaging M = 4 and M = 2, failure dropout on
# the better averaging layout, K = 4 NoNN and averaging M = 2; each evaluated (zero- and mean-fill,
# expected accuracy under availability) and exported to $BUNDLES/<name> (zero-fill) and
# $BUNDLES/<name>-meanfill (default bundles/deep: the 1/2/2-convolution students). Every step is
# skipped when done and resumes from its last epoch when interrupted, so it runs over several sittings:
#
#   nohup scripts/students.sh ../shared/datasets/cifar-100-binary >> artifacts/students/students.log 2>&1 &
#
# The recipe (chosen by scripts/pilots.sh, docs/RESULTS.md) comes from STUDENT, EPOCHS, LR; the
# teacher targets (about 1.7 GB per view, not committed) go to TARGETS.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${1:-${WEARNET_DATA:?give the CIFAR-100 binary directory as the first argument or in WEARNET_DATA}}"
W="node packages/cli/bin/wearnet.js"
A=artifacts
S=$A/students
STUDENT=${STUDENT:-plain:16,32,64/1,2,2}
EPOCHS=${EPOCHS:-10}
LR=${LR:-0.05}
VIEWS=${VIEWS:-4}
TARGETS=${TARGETS:-runs/targets-teacher-quick-v$VIEWS}
B=${BUNDLES:-bundles/deep}
mkdir -p "$S"
step() { echo "== $(date -u +%FT%TZ) $*"; }

if [ ! -f "$TARGETS/view-$(printf %03d $((VIEWS - 1))).bin" ]; then
  step "teacher targets: 50000 images x $VIEWS views -> $TARGETS"
  $W teacher-targets --teacher "$A/teacher-quick" --data "$DATA" --views "$VIEWS" --out "$TARGETS"
fi

distil() { # name devices partition method [extra flags]
  local name=$1 devices=$2 partition=$3 method=$4; shift 4
  if [ ! -f "$S/$name/manifest.json" ]; then
    step "distil $name ($STUDENT, $EPOCHS epochs, lr $LR)"
    $W distil --teacher "$A/teacher-quick" --partition "$partition" --method "$method" --devices "$devices" \
      --data "$DATA" --student "$STUDENT" --epochs "$EPOCHS" --lr "$LR" --targets "$TARGETS" \
      --out "$S/$name" "$@" >> "$S/$name.log" 2>&1
  fi
  if [ ! -f "$S/$name/evaluation.json" ]; then
    step "evaluate $name"
    $W evaluate --run "$S/$name" --data "$DATA" > "$S/$name/evaluation.md"
  fi
  if [ ! -f "$B/$name/set.json" ]; then
    step "export $name -> $B/$name (zero-fill) and $B/$name-meanfill"
    $W export --run "$S/$name" --out "$B/$name"
    $W export --run "$S/$name" --out "$B/$name-meanfill" --fill mean
  fi
}
distil nonn-8 8 "$A/partitions/nonn-all-8.json" nonn
distil averaging-m4-8 8 "$A/partitions/balanced-4-of-8.json" averaging
distil averaging-m2-8 8 "$A/partitions/balanced-2-of-8.json" averaging
best=$(node -e '
  const f4 = (d) => require(`./${d}/manifest.json`).failures.rows[4].mean;
  process.stdout.write(f4(process.argv[1]) >= f4(process.argv[2]) ? "4" : "2");
' "$S/averaging-m4-8" "$S/averaging-m2-8")
distil "averaging-m$best-8-fd0.5" 8 "$A/partitions/balanced-$best-of-8.json" averaging --failure-dropout 0.5
distil nonn-4 4 "$A/partitions/nonn-all-4.json" nonn
distil averaging-m2-4 4 "$A/partitions/balanced-2-of-4.json" averaging
step "students done"
