package dev.cutover.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields of one step kind: a record in the kind's unit ({@code dev.cutover.steps.<unit>}),
 * holding only that kind's fields, their defaults and their validation. A {@link Step} is the
 * envelope (name, kind, timeout, retry, undo...) around one spec.
 */
public interface StepSpec {
  /** The hosts the step acts on by name, for status and preflight; a database step names none. */
  default List<String> hosts() {
    return host() == null ? List.of() : List.of(host());
  }

  /**
   * Whether the step runs through sudo on its hosts (null: the host's default); records with a sudo
   * field answer it.
   */
  default Boolean sudo() {
    return null;
  }

  /**
   * Where the step acts, for status and messages (its host, its database, "old -> new"), or null.
   */
  default String placeText() {
    return host();
  }

  /** Both ends of a step between two hosts, each once, for {@link #hosts}. */
  static List<String> between(String one, String other) {
    List<String> names = new ArrayList<>();
    for (String h : new String[] {one, other}) {
      if (h != null && !names.contains(h)) {
        names.add(h);
      }
    }
    return names;
  }

  /** "from -> to" for a step between two places, or null while one is missing. */
  static String fromTo(String from, String to) {
    return from != null && to != null ? from + " -> " + to : null;
  }

  /**
   * The one host the step acts on, for kinds that act on one (records with a host field answer it).
   */
  default String host() {
    return null;
  }

  /**
   * What an activity's summary names after "on": the host of a kind that acts on one, the databases
   * of a database kind; null for kinds between hosts or outside them (rsync, dns, http).
   */
  default String activityPlace() {
    return host();
  }

  /** What happens by default when the step's retries are spent. */
  default OnFailure defaultOnFailure() {
    return OnFailure.ASK;
  }

  /** Whether a step of this kind can be another step's undo (it must change something back). */
  default boolean canUndo() {
    return true;
  }

  /**
   * Whether the step leaves work for the end of the finish phase (dns-ttl: its TTL is put back), so
   * an empty finish is not idle.
   */
  default boolean leavesFinishWork() {
    return false;
  }

  /**
   * The dns entry whose records the step changes, so the entry needs its TSIG key; null for a step
   * that changes none (dns-wait only reads).
   */
  default String changesRecordsOf() {
    return null;
  }

  /**
   * Whether the step reads the TTL it lowers, so a lower-ttl phase with it needs no {@code oldTtl}.
   */
  default boolean readsOldTtl() {
    return false;
  }

  /**
   * The branches a group step runs side by side (kind parallel); none for every other kind. The
   * engine runs them itself, so it never names the kind.
   */
  default List<Branch> branches() {
    return List.of();
  }

  /**
   * Whether the step is a group of branches (kind parallel) rather than work of its own, even when
   * its file gave it no branch.
   */
  default boolean groupsBranches() {
    return false;
  }

  /** How many of {@link #branches} run at once at most; all of them by default. */
  default int branchesAtOnce() {
    return Math.max(1, branches().size());
  }

  /** Reports what is wrong with this step's own fields and their references into the plan. */
  default void validate(SpecCheck check) {}
}
