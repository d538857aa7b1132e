package dev.cutover.plan;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * What a {@link StepSpec} validates itself with: the plan to look names up in, the step's envelope
 * and phase, and {@link #report} for a problem at a field of the step (the loader turns the path
 * into FILE:LINE:COL). The helpers hold the checks several kinds share, worded once.
 */
public final class SpecCheck {
  private final Plan plan;
  private final Step step;
  private final PhaseName phase;
  private final boolean undo;
  private final String path;
  private final BiConsumer<String, String> report;
  private final Map<Object, Object> shared;

  /**
   * @param path the step's path in the plan, like {@code phases.prepare.steps[0]}
   * @param shared one map for the whole plan's validation, for checks across steps of a kind
   */
  public SpecCheck(
      Plan plan,
      Step step,
      PhaseName phase,
      boolean undo,
      String path,
      BiConsumer<String, String> report,
      Map<Object, Object> shared) {
    this.plan = plan;
    this.step = step;
    this.phase = phase;
    this.undo = undo;
    this.path = path;
    this.report = report;
    this.shared = shared;
  }

  public Plan plan() {
    return plan;
  }

  public Step step() {
    return step;
  }

  /** The phase the step is in (an undo: the phase of the step it undoes). */
  public PhaseName phase() {
    return phase;
  }

  /** Whether the step is another step's undo. */
  public boolean isUndo() {
    return undo;
  }

  /** The step's path in the plan. */
  public String path() {
    return path;
  }

  /** A problem at a field of the step ({@code null} or empty: the step itself). */
  public void report(String field, String message) {
    report.accept(field == null || field.isEmpty() ? path : path + "." + field, message);
  }

  /**
   * State one kind keeps across the plan's steps while it is validated (steps come in plan order).
   */
  @SuppressWarnings("unchecked")
  public <T> T shared(Class<?> owner, Supplier<T> initial) {
    return (T) shared.computeIfAbsent(owner, k -> initial.get());
  }

  /** A required field: missing or blank is reported at the step. */
  public void require(String field, Object value, String why) {
    if (value == null || (value instanceof String text && text.isBlank())) {
      report(
          null,
          "missing field '" + field + "': a " + step.kind().yamlName() + " step needs " + why);
    }
  }

  public void absolute(String field, String value) {
    if (value != null && !value.startsWith("/")) {
      report(field, "'" + value + "' must be an absolute path");
    }
  }

  public void positive(String field, Duration d) {
    if (d != null && (d.isZero() || d.isNegative())) {
      report(field, "must be longer than zero");
    }
  }

  public void hostRef(String field, String name) {
    if (name != null && !plan.hosts().containsKey(name)) {
      report(field, "unknown host '" + name + "'; " + knownHosts());
    }
  }

  public void databaseRef(String field, String name) {
    if (name != null && !plan.databases().containsKey(name)) {
      report(
          field,
          "unknown database '"
              + name
              + "'; "
              + (plan.databases().isEmpty()
                  ? "this plan declares no databases"
                  : "databases in this plan: "
                      + String.join(", ", new TreeSet<>(plan.databases().keySet()))));
    }
  }

  /**
   * A secret named by the step; the value is never repeated: an operator may have pasted the secret
   * itself.
   */
  public boolean secretKnown(String name) {
    return plan.secrets().containsKey(name);
  }

  public String declaredSecrets() {
    return plan.secrets().isEmpty()
        ? " (the plan declares none)"
        : " (declared: " + String.join(", ", new TreeSet<>(plan.secrets().keySet())) + ")";
  }

  public String knownHosts() {
    return plan.hosts().isEmpty()
        ? "this plan declares no hosts"
        : "hosts in this plan: " + String.join(", ", new TreeSet<>(plan.hosts().keySet()));
  }

  /**
   * A file cutover writes, renames or removes (put's file, maintenance's flag file): an absolute
   * path that names one file, spelled the one way, so that its backup and undo act on that file.
   */
  public void filePath(String field, String value) {
    if (value == null) {
      return;
    }
    if (value.isBlank()) {
      report(
          field, "the path is empty; give the absolute path of the file, like /etc/app/app.conf");
    } else if (!value.startsWith("/")) {
      report(field, "'" + value + "' must be an absolute path");
    } else if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      report(
          field,
          "the path holds a control character (a line break?); a file path is one line of printable characters");
    } else if (value.endsWith("/") || value.endsWith("/.") || value.endsWith("/..")) {
      report(
          field,
          "'"
              + value
              + "' names a directory; give the path of the file itself, like /etc/app/app.conf");
    } else if (value.contains("/../") || value.contains("/./") || value.contains("//")) {
      report(
          field,
          "'"
              + value
              + "' has '.', '..' or empty parts; write the path plainly, like /etc/app/app.conf");
    }
  }

  /** A URL with a host; null (after reporting) when it is not one. */
  public URI url(String field, String value) {
    try {
      URI uri = new URI(value);
      if (uri.getHost() == null) {
        report(
            field, "'" + value + "' is not a URL with a host, like https://www.example.org/health");
        return null;
      }
      return uri;
    } catch (URISyntaxException e) {
      report(field, "'" + value + "' is not a URL: " + e.getReason());
      return null;
    }
  }
}
