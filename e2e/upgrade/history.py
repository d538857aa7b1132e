#!/usr/bin/env python3
"""Who did what in a run that crossed a worker upgrade (`temporal workflow show -o json`).

usage: history.py HISTORY_JSON --old PID --new PID [--killed STEP] [--retried STEP]...

A worker's identity is PID@host. Fails (exit 1) unless:
- the released worker (--old) ran the workflow until the upgrade and the new one (--new) from the
  first workflow task after it to the end, and no other worker ran any of it;
- every activity was asked for by the workflow code of the worker then in charge and ran on that
  same worker: asked for by the released code, ran on the released worker; asked for by the new
  code, ran on the new worker. The --killed step's activity is the exception: asked for by the
  released code, its attempt on the dead worker timed out and a later attempt completed on the
  new one;
- the workflow asked for each activity of a step once (an undo's activity counts apart), but for
  a --retried step, which an operator's retry asks for again;
- every activity asked for closed, and none failed but a --retried step's.
Prints what each worker did.
"""
import base64
import collections
import json
import sys


def fail(msg):
    print(f"history: FAILED: {msg}", file=sys.stderr)
    sys.exit(1)


def step_of(attrs):
    """The step an activity belongs to, from its input (a record with a step name), and whether
    it is an undo; the activity type when the input names no step."""
    try:
        value = json.loads(base64.b64decode(attrs["input"]["payloads"][0]["data"]))
    except (KeyError, IndexError, ValueError, TypeError):
        return attrs["activityType"]["name"]
    if isinstance(value, dict):
        for key in ("step", "stepName", "name"):
            if isinstance(value.get(key), str):
                return value[key]
    return attrs["activityType"]["name"]


def parse_args(argv):
    if not argv or argv[0].startswith("-"):
        fail(__doc__)
    opts = {"history": argv[0], "killed": None, "retried": set()}
    i = 1
    while i < len(argv):
        if i + 1 >= len(argv):
            fail(f"{argv[i]} needs a value")
        name, value = argv[i], argv[i + 1]
        if name == "--retried":
            opts["retried"].add(value)
        elif name in ("--old", "--new", "--killed"):
            opts[name[2:]] = value
        else:
            fail(f"unknown argument {name}\n{__doc__}")
        i += 2
    if "old" not in opts or "new" not in opts:
        fail("--old and --new are required")
    return opts


def main():
    opts = parse_args(sys.argv[1:])
    old, new = opts["old"] + "@", opts["new"] + "@"
    events = json.load(open(opts["history"]))["events"]

    def who(identity):
        return "released" if identity.startswith(old) else "new" if identity.startswith(new) else identity

    # Workflow tasks: which worker's code decided; the upgrade is the first one by the new worker.
    task_by = {}
    for e in events:
        a = e.get("workflowTaskCompletedEventAttributes")
        if a is not None:
            task_by[e["eventId"]] = who(a.get("identity", ""))
    order = [task_by[k] for k in sorted(task_by, key=int)]
    if set(order) - {"released", "new"}:
        fail(f"workflow tasks completed by other workers: {sorted(set(order) - {'released', 'new'})}")
    if "new" not in order or "released" not in order:
        fail(f"the run did not cross the upgrade: workflow tasks by {order}")
    first_new = order.index("new")
    if "released" in order[first_new:]:
        fail("the released worker completed a workflow task after the new one had taken over")

    scheduled, started, closed = {}, {}, collections.defaultdict(list)
    for e in events:
        t, eid = e["eventType"], e["eventId"]
        if t == "EVENT_TYPE_ACTIVITY_TASK_SCHEDULED":
            a = e["activityTaskScheduledEventAttributes"]
            scheduled[eid] = (step_of(a), a["activityType"]["name"], task_by.get(a["workflowTaskCompletedEventId"], "?"))
        elif t == "EVENT_TYPE_ACTIVITY_TASK_STARTED":
            a = e["activityTaskStartedEventAttributes"]
            started[a["scheduledEventId"]] = (who(a.get("identity", "")), int(a.get("attempt", 1)))
        elif t.startswith("EVENT_TYPE_ACTIVITY_TASK_") and t not in ("EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED",):
            attrs = next(v for k, v in e.items() if k.endswith("EventAttributes"))
            closed[attrs["scheduledEventId"]].append(t.removeprefix("EVENT_TYPE_ACTIVITY_TASK_"))

    asked = collections.Counter((step, kind) for step, kind, _ in scheduled.values())
    twice = {k: n for k, n in asked.items() if n > 1 and k[0] not in opts["retried"]}
    if twice:
        fail(f"activities asked for more than once: {twice}")
    per_worker = collections.defaultdict(list)
    for sid, (step, kind, by) in scheduled.items():
        ends = closed.get(sid, [])
        if len(ends) != 1:
            fail(f"{step} ({kind}) closed {len(ends)} times: {ends}")
        if ends[0] != "COMPLETED" and step not in opts["retried"]:
            fail(f"{step} ({kind}) ended {ends[0]}")
        ran_on, attempt = started.get(sid, ("?", 0))
        if step == opts["killed"]:
            if by != "released" or ran_on != "new" or attempt < 2:
                fail(f"the killed step {step} was asked for by the {by} code and completed on {ran_on}, attempt {attempt}:"
                     " the released code, then attempt 2 or later on the new worker expected")
            print(f"history: {step} asked for by the released worker, completed by attempt {attempt} on the new worker")
        elif by != ran_on:
            fail(f"{step} ({kind}) was asked for by the {by} worker's code and ran on {ran_on}")
        per_worker[ran_on].append(step)
    if opts["killed"] and opts["killed"] not in [s for s, _, _ in scheduled.values()]:
        fail(f"no activity of the killed step {opts['killed']}")
    for w in ("released", "new"):
        print(f"history: the {w} worker ran {len(per_worker[w])} activities: {', '.join(per_worker[w])}")


if __name__ == "__main__":
    main()
