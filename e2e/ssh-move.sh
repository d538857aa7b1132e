#!/usr/bin/env bash
# End to end over real SSH: two network-namespace hosts with Debian's OpenSSH (e2e/ssh/hosts.sh),
# the Temporal dev server, the worker and the CLI. A plan (e2e/plans/ssh-move.yaml) moves a tree of
# 20,000 files, an app, a crontab and a config from old to new: two presync rounds while files keep
# changing, then maintenance on, stop the app, final sync, a large file whose transfer is cut and
# resumed, cron move, start the app on new, maintenance off. Checks: trees identical by checksum,
# crontab moved, the app runs on new only, the config's secret is not in the history. Also: a
# wrong host key is refused with both fingerprints. Prints one line per figure. Run as root.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# shellcheck source=e2e/lib.sh
source "$ROOT/e2e/lib.sh"
HOSTS=(bash "$ROOT/e2e/ssh/hosts.sh")
DATA=(bash "$ROOT/e2e/ssh/data.sh")
export E2E_SSH_DIR=/tmp/cutover-e2e-ssh   # the plans name keys under this directory
FILES=${E2E_FILES:-20000}

say "building the hosts old and new"
t_hosts=$(date +%s)
"${HOSTS[@]}" up
CLEANUPS+=("${HOSTS[*]} down")
eval "$("${HOSTS[@]}" env)"
t_hosts=$(( $(date +%s) - t_hosts ))

say "laying $FILES files on old, starting its app and a process that keeps changing files"
t_tree=$(date +%s)
"${HOSTS[@]}" exec old bash "$ROOT/e2e/ssh/data.sh" tree /srv/app/data "$FILES"
t_tree=$(( $(date +%s) - t_tree ))
"${HOSTS[@]}" exec old sh -c 'mkdir -p /srv/app/media && head -c 62914560 /dev/urandom > /srv/app/media/video.bin'
"${HOSTS[@]}" ssh old /srv/appctl start
"${HOSTS[@]}" exec old bash "$ROOT/e2e/ssh/data.sh" churn /srv/app/data 600
CLEANUPS+=("${DATA[*]} stop-churn")
ORIGINAL_CRONTAB=$("${HOSTS[@]}" ssh old crontab -u cutoverapp -l)

start_temporal
export E2E_APP_ENV="DATABASE_URL=postgres://app:e2e-app-secret-4711@db/app"
start_worker CUTOVER_SSH_IDENTITY_FILES="$E2E_WORKER_KEY" CUTOVER_SSH_KNOWN_HOSTS="$E2E_KNOWN_HOSTS" \
  E2E_WORKER_KEY_PASSPHRASE="$E2E_WORKER_KEY_PASSPHRASE" E2E_APP_ENV="$E2E_APP_ENV"

say "a host whose key does not match known_hosts is refused, naming both fingerprints"
ID=cutover-e2e-ssh-wrong-key
expect_exit 0 "${CLI[@]}" start e2e/plans/ssh-wrong-key.yaml
wait_for waitingFor decision:preflight
status_json > "$WORK/wrong-key.json"
python3 - "$WORK/wrong-key.json" "$E2E_OLD_FINGERPRINT" <<'PY' || fail "the wrong host key was not reported as expected"
import json, sys
status = json.load(open(sys.argv[1]))
step = next(s for s in status["steps"] if s["name"] == "preflight")
print(step["error"])
assert step["state"] == "BLOCKED", step["state"]
assert "mismatch" in step["error"].lower(), step["error"]
assert sys.argv[2] in step["error"], "presented fingerprint missing"
assert step["error"].count("SHA256:") >= 2, "expected fingerprint missing"
PY
expect_exit 0 "${CLI[@]}" abort "$ID" --reason "wrong host key, as expected"

ID=cutover-e2e-ssh-move
say "the migration: start, two presync rounds while files change"
t_start=$(date +%s)
expect_exit 0 "${CLI[@]}" start e2e/plans/ssh-move.yaml
wait_for waitingFor gate:go-downtime 180
status_json > "$WORK/at-gate.json"
python3 - "$WORK/at-gate.json" <<'PY' || fail "presync rounds or the final sync estimate are missing"
import json, sys
status = json.load(open(sys.argv[1]))
rounds = status["presyncRounds"]
for r in rounds:
    print(f"figure: presync round {r['round']}: {r['changedFiles']} changed, {r['bytesSent']} bytes sent, rsync {r['syncMillis']} ms")
assert len(rounds) == 2 and all(r["changedFiles"] is not None for r in rounds), rounds
assert any("Final sync estimate" in n for n in status["notes"]), status["notes"]
print([n for n in status["notes"] if "Final sync estimate" in n][0])
PY
"${DATA[@]}" stop-churn

say "approving the downtime; the media transfer is cut in the middle and must resume"
expect_exit 0 "${CLI[@]}" approve "$ID" go-downtime --comment "e2e: churn stopped"
cut=""
# sync-media is the only transfer running by then: once its temporary file shows on new, kill the
# ssh connection old opened for it, as a network cut would; new's rsync keeps what it received.
for _ in $(seq 1 400); do
  if "${HOSTS[@]}" exec new sh -c 'ls -a /srv/app/media 2>/dev/null | grep -q "^[.]video[.]bin[.]"'; then
    sleep 1
    "${HOSTS[@]}" exec old pkill -KILL -f '^ssh .*rsync --server' && cut=yes
    break
  fi
  sleep 0.1
done
[[ -n "$cut" ]] || fail "never saw the media rsync running on new"
partial=0
for _ in $(seq 1 20); do
  partial=$("${HOSTS[@]}" exec new sh -c 'du -sb /srv/app/media/.rsync-partial 2>/dev/null | cut -f1' || true)
  [[ "${partial:-0}" -gt 4096 ]] && break
  sleep 0.1
done
say "connection cut; partial data kept on new for the retry: ${partial:-0} bytes"
[[ "${partial:-0}" -gt 4096 ]] || fail "no partial file kept on new after the cut"
wait_for state COMPLETED 240
t_done=$(date +%s)
for _ in $(seq 1 20); do [[ "$(closed_status)" == WORKFLOW_EXECUTION_STATUS_COMPLETED ]] && break; sleep 0.5; done
[[ "$(closed_status)" == WORKFLOW_EXECUTION_STATUS_COMPLETED ]] || fail "workflow not completed: $(closed_status)"
"${CLI[@]}" status "$ID"
status_json > "$WORK/done.json"

say "checking the result on the hosts"
old_sum=$("${HOSTS[@]}" exec old bash "$ROOT/e2e/ssh/data.sh" checksum /srv/app/data 'log.txt')
new_sum=$("${HOSTS[@]}" exec new bash "$ROOT/e2e/ssh/data.sh" checksum /srv/app/data 'log.txt')
[[ "$old_sum" == "$new_sum" ]] || fail "data trees differ: old $old_sum new $new_sum"
media_old=$("${HOSTS[@]}" exec old sha256sum /srv/app/media/video.bin | cut -d' ' -f1)
media_new=$("${HOSTS[@]}" exec new sha256sum /srv/app/media/video.bin | cut -d' ' -f1)
[[ "$media_old" == "$media_new" ]] || fail "the resumed media file differs"
[[ "$("${HOSTS[@]}" ssh new crontab -u cutoverapp -l)" == "$ORIGINAL_CRONTAB" ]] || fail "crontab did not arrive on new"
if "${HOSTS[@]}" ssh old crontab -u cutoverapp -l >/dev/null 2>&1; then fail "crontab still active on old"; fi
"${HOSTS[@]}" ssh new /srv/appctl status >/dev/null || fail "app does not run on new"
if "${HOSTS[@]}" ssh old /srv/appctl status >/dev/null 2>&1; then fail "app still runs on old"; fi
if "${HOSTS[@]}" exec old test -e /srv/app/maintenance.flag; then fail "maintenance page still on"; fi
[[ "$("${HOSTS[@]}" exec new cat /srv/app/app.env)" == "$E2E_APP_ENV" ]] || fail "config not written on new"
[[ "$("${HOSTS[@]}" exec new stat -c %a /srv/app/app.env)" == 600 ]] || fail "config mode is not 600"
temporal workflow show --address "$ADDR" --workflow-id "$ID" -o json > "$WORK/history.json"
if grep -q 'e2e-app-secret-4711' "$WORK/history.json" "$WORK/done.json" "$WORK/worker.log"; then fail "the secret leaked into history, status or log"; fi
python3 - "$WORK/done.json" "$WORK/history.json" <<'PY' || fail "the cut transfer was not retried"
import json, sys
status = json.load(open(sys.argv[1]))
media = next(s for s in status["steps"] if s["name"] == "sync-media")
history = json.load(open(sys.argv[2]))
events = history.get("events", history)
scheduled = {e["eventId"]: e["activityTaskScheduledEventAttributes"] for e in events if "activityTaskScheduledEventAttributes" in e}
started = [e["activityTaskStartedEventAttributes"] for e in events if "activityTaskStartedEventAttributes" in e]
import base64
def decoded(attrs):
    payloads = attrs.get("input", {}).get("payloads", [])
    return " ".join(base64.b64decode(p.get("data", "")).decode("utf-8", "replace") for p in payloads)
attempts = [int(s.get("attempt", 1)) for s in started if '"sync-media"' in decoded(scheduled.get(s["scheduledEventId"], {}))]
print(f"figure: sync-media activity attempts {attempts}: {media['outputTail']}")
assert attempts and max(attempts) >= 2, attempts
d = status["downtime"]
print(f"figure: downtime measured by the workflow {d['measured']}")
PY
t_end=$(date +%s)
echo "figure: hosts up in ${t_hosts}s; tree of $FILES files laid in ${t_tree}s"
echo "figure: ssh migration through the CLI in $((t_done - t_start))s (includes 2 presync rounds 15s apart)"
echo "figure: ssh e2e total $((t_end - t0))s"
say "ssh scenario passed"
