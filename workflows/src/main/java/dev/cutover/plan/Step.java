package dev.cutover.plan;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Duration;
import java.util.List;

/**
 * One step: the fields every kind has, around the kind's own {@link StepSpec}. In YAML and JSON a
 * step is one flat mapping (the envelope's fields and the spec's side by side, {@code kind} naming
 * the spec), the shape plans, histories and docs/plan.md have always had; {@link StepJsonReader}
 * and {@link StepJsonWriter} keep it so for Temporal's payloads.
 */
@Doc("One step of a phase.")
@JsonSerialize(using = StepJsonWriter.class)
@JsonDeserialize(using = StepJsonReader.class)
public record Step(
    @Doc(
            "Unique name of the step in the plan; operators decide on it by this name. Required except in undo.")
        String name,
    @Required @Doc("The kind of step.") StepKind kind,
    @Doc("Free text shown in status, the UI and reports.") String description,
    @Doc("Longest time one attempt may take (default 10m).") Duration timeout,
    @Doc("Retry policy for the step's attempts.") Retry retry,
    @Doc("What to do when the retries are spent: ask (default), abort or continue.")
        OnFailure onFailure,
    @Doc(
            "The step that reverts this one when the migration is aborted before the point of no return. service, cron, maintenance and put steps undo themselves without one.")
        Step undo,
    @Doc("After this step starts, abort no longer undoes finished steps: it stops and holds.")
        Boolean pointOfNoReturn,
    @Derived @Doc("The kind's own fields, written beside the ones above.") StepSpec spec) {

  /**
   * The name of the checks cutover runs before the first step, shown among the steps: no step of a
   * plan may take it.
   */
  public static final String PREFLIGHT = "preflight";

  /**
   * How a step's undo is named while it runs (status, history, reports): the step's name and this.
   */
  public static final String UNDO_SUFFIX = ".undo";

  /** The name the undo of step {@code name} runs under. */
  public static String undoName(String name) {
    return name + UNDO_SUFFIX;
  }

  /**
   * The step an undo's name belongs to: {@code copy.undo} -> {@code copy}; any other name as it is.
   */
  public static String undoneStep(String name) {
    return name != null && name.endsWith(UNDO_SUFFIX)
        ? name.substring(0, name.length() - UNDO_SUFFIX.length())
        : name;
  }

  /** The envelope's fields: every kind has them, and a spec may not reuse their names. */
  public static final List<String> COMMON =
      List.of(
          "name",
          "kind",
          "description",
          "timeout",
          "retry",
          "onFailure",
          "undo",
          "pointOfNoReturn");

  public OnFailure onFailureOrDefault() {
    if (onFailure != null) {
      return onFailure;
    }
    return spec == null ? OnFailure.ASK : spec.defaultOnFailure();
  }

  public boolean isPointOfNoReturn() {
    return Boolean.TRUE.equals(pointOfNoReturn);
  }

  /** The same step under another name, without undo or point of no return: how an undo runs. */
  public Step asUndo(String undoName) {
    return new Step(undoName, kind, description, timeout, retry, onFailure, null, null, spec);
  }

  /** The spec as the kind's record; a handler asks for its own kind's. */
  public <S extends StepSpec> S spec(Class<S> type) {
    if (!type.isInstance(spec)) {
      throw new IllegalStateException(
          "step '"
              + name
              + "' of kind "
              + kind
              + " has spec "
              + (spec == null ? "null" : spec.getClass().getSimpleName())
              + ", not "
              + type.getSimpleName());
    }
    return type.cast(spec);
  }

  /** The branches the step runs side by side (a parallel group); empty for any other step. */
  public List<Branch> branches() {
    return spec == null ? List.of() : spec.branches();
  }

  /** Whether the step is a group of branches rather than work of its own. */
  public boolean isGroup() {
    return spec != null && spec.groupsBranches();
  }

  /**
   * The step, then the steps of its branches in plan order (branch by branch): every step that runs
   * when this one does, as validate, preflight and status list them.
   */
  public List<Step> withNested() {
    if (!isGroup()) {
      return List.of(this);
    }
    List<Step> all = new java.util.ArrayList<>();
    all.add(this);
    for (Branch branch : branches()) {
      for (Step nested : branch.stepsOrEmpty()) {
        all.addAll(nested.withNested());
      }
    }
    return all;
  }

  /** Every step of a list with the steps nested in its groups, in plan order. */
  public static List<Step> flatten(List<Step> steps) {
    List<Step> all = new java.util.ArrayList<>();
    for (Step step : steps) {
      all.addAll(step.withNested());
    }
    return all;
  }

  /**
   * Where the step acts, for status and messages: its host or database, or "old -> new" for a copy
   * between two.
   */
  public String placeText() {
    return spec == null ? null : spec.placeText();
  }

  /**
   * The hosts the step acts on by name, for status and preflight; a database step names databases
   * instead.
   */
  public List<String> hosts() {
    return spec == null ? List.of() : spec.hosts();
  }
}
