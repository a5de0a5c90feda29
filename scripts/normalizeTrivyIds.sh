#!/usr/bin/env bash
# Rewrites Trivy references to Trivy's own spelling (`KSV-0017`, `DS-0002`, `KCV-0001`) in rules/.
# Trivy renamed its ids; suppressions written in any spelling still match (references.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
grep -rlE "trivy:(KSV|DS|KCV)[0-9]" rules | while read -r f; do
  perl -pi -e 's/trivy:(KSV|DS|KCV)0*([0-9]+)\b/sprintf("trivy:%s-%04d", $1, $2)/ge' "$f"
done
