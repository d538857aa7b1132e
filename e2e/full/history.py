#!/usr/bin/env python3
"""What the workflow's history says about the full scenario's run (`temporal workflow show -o json`).

usage: history.py HISTORY_JSON KILLED_STEP REPEATED_STEP...

Each activity is named by the step in its input (or its type). Fails (exit 1) unless:
- every scheduled activity completed, once;
- each step asked for each of its activities once (a dns-ttl reads, sets, then waits: three
  types, once each), except the REPEATED_STEPs (presync rounds, monitor checks): no step's
  effect was asked for twice, whatever the worker crash did;
- KILLED_STEP's activity was started again (attempt 2 or more) after its first attempt timed
  out with the worker that ran it, and then completed.
Prints one "figure:" line per retried activity and a summary of the history.
"""
import base64
import collections
import json
import sys
from datetime import datetime


def fail(msg):
    print(f"history: FAILED: {msg}", file=sys.stderr)
    sys.exit(1)


def when(e):
    return datetime.fromisoformat(e["eventTime"].replace("Z", "+00:00")[:26].ljust(26, "0") + "+00:00")


def step_of(attrs):
    try:
        payload = attrs["input"]["payloads"][0]
        value = json.loads(base64.b64decode(payload["data"]))
        if isinstance(value, dict):
            for key in ("step", "stepName", "name"):
                if isinstance(value.get(key), str):
                    return value[key]
    except (KeyError, IndexError, ValueError, TypeError):
        pass
    return attrs["activityType"]["name"]


def main():
    if len(sys.argv) < 3:
        fail(__doc__)
    events = json.load(open(sys.argv[1]))["events"]
    killed, repeated = sys.argv[2], set(sys.argv[3:])
    scheduled = {}
    started, closed = {}, collections.defaultdict(list)
    for e in events:
        t = e["eventType"]
        if t == "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED":
            a = e["activityTaskScheduledEventAttributes"]
            scheduled[e["eventId"]] = (step_of(a), a["activityType"]["name"], when(e))
        elif t == "EVENT_TYPE_ACTIVITY_TASK_STARTED":
            a = e["activityTaskStartedEventAttributes"]
            started[a["scheduledEventId"]] = (a.get("attempt", 1), a.get("lastFailure"), a.get("identity"), when(e))
        elif t.startswith("EVENT_TYPE_ACTIVITY_TASK_") and t != "EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED":
            key = next(k for k in e if k.endswith("EventAttributes"))
            closed[e[key]["scheduledEventId"]].append((t.replace("EVENT_TYPE_ACTIVITY_TASK_", ""), when(e), e[key].get("identity")))

    per_step = collections.Counter(step for step, _, _ in scheduled.values())
    per_activity = collections.Counter((step, kind) for step, kind, _ in scheduled.values())
    twice = {f"{s} {k}": n for (s, k), n in per_activity.items() if n > 1 and s not in repeated}
    if twice:
        fail(f"steps whose activity was scheduled more than once: {twice}")
    for sid, (step, kind, _) in scheduled.items():
        outcome = closed.get(sid, [])
        if [o[0] for o in outcome] != ["COMPLETED"]:
            fail(f"activity {kind} of {step} (event {sid}) closed as {[o[0] for o in outcome] or 'never'}")

    retried = 0
    killed_retry = None
    for sid, (step, kind, at) in scheduled.items():
        attempt, last_failure, identity, started_at = started.get(sid, (1, None, None, None))
        if attempt > 1:
            retried += 1
            _, done_at, done_by = closed[sid][0]
            cause = (last_failure or {}).get("message", "?")
            timeout = (last_failure or {}).get("timeoutFailureInfo", {}).get("timeoutType", "")
            print(f"figure: retried: {step} ({kind}) completed on attempt {attempt} by {done_by}, "
                  f"{(done_at - at).total_seconds():.1f}s after it was scheduled; attempt {attempt - 1} ended: {cause} {timeout}".rstrip())
            if step == killed:
                killed_retry = (attempt, timeout, done_by)
    if killed_retry is None:
        fail(f"{killed} was not retried: the worker kill did not land in it")
    if "HEARTBEAT" not in killed_retry[1] and "START_TO_CLOSE" not in killed_retry[1]:
        fail(f"{killed}'s first attempt did not end by a timeout (the dead worker): {killed_retry}")
    identities = sorted({i for _, _, i, _ in started.values() if i})
    print(f"figure: history: {len(events)} events, {len(scheduled)} activities "
          f"({len(per_step)} steps; repeated by design: "
          + ", ".join(f"{s} x{per_step[s]}" for s in sorted(repeated) if s in per_step)
          + f"), {retried} retried, none completed twice, none scheduled twice; workers: {len(identities)}")


if __name__ == "__main__":
    main()
