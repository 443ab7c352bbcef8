#!/bin/sh
# Independent check of the hub's OCDS merge: compile the 2025 Contracts Finder set with ocdskit
# (the Open Contracting Partnership's tool, built on ocdsmerge, the reference implementation of
# the OCDS merge routine) and keep the key fields of its compiled releases, which
# crates/hub/tests/ocds_merge.rs compares with the hub's own merge.
#
# usage: bench/hub/ocdskit_check.sh [SHARED_DATA_DIR]     (default ../shared/data)
# writes bench/hub/ocdskit_2025_keyfields.json (committed; rerun to refresh it).
#
# The release schema (OCDS 1.1.5, tag 1__1__5 of github.com/open-contracting/standard,
# commit 4357fa635cf377771fe16f1cd4c441da9bc59d94, Apache-2.0) is passed with --schema
# because ocdsmerge otherwise downloads it; its merge rules (omitWhenMerged, wholeListMerge)
# are the ones the hub applies.
# Run last with ocdskit 1.7.0, ocdsmerge 0.8.0, Python 3.11.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${1:-$here/../../../shared/data}
venv=${OCDSKIT_VENV:-/tmp/ocdskit-venv}
[ -x "$venv/bin/ocdskit" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q ocdskit; }
schema=$(mktemp --suffix .json)
trap 'rm -f "$schema"' EXIT
xz -dc "$here/release-schema-1.1.5.json.xz" > "$schema"
# The exact command compared against:
cat "$data"/procurement/contracts_finder_ocds_2025/*.json \
  | "$venv/bin/ocdskit" compile --schema "$schema" \
  | python3 "$here/keyfields.py" > "$here/ocdskit_2025_keyfields.json"
echo "wrote $here/ocdskit_2025_keyfields.json: $(grep -c '"ocid"' "$here/ocdskit_2025_keyfields.json") compiled releases"
