#!/usr/bin/env bash
# Every end-to-end scenario, in order; .ci/run calls this as root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
bash ./temporal-dev.sh
bash ./ssh-move.sh
bash ./pg-move.sh
bash ./traffic-move.sh
bash ./full-move.sh
bash ./fleet-move.sh
bash ./production.sh
bash ./upgrade.sh
