package dev.cutover.workflow;

import io.temporal.common.context.ContextPropagator;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.Map;

/**
 * Puts a {@link StepFact} on an activity as the header {@link StepFact#HEADER}, through the
 * activity's options: whoever runs the workflow (the worker, a test environment, the demo) records
 * it, with no interceptor to register. A header is part of no command Temporal compares on replay,
 * so histories recorded before it replay unchanged. Options' propagators replace the worker's for
 * that activity; cutover configures none.
 */
final class StepFactHeader implements ContextPropagator {
  private final StepFact fact;

  StepFactHeader(StepFact fact) {
    this.fact = fact;
  }

  @Override
  public String getName() {
    return StepFact.HEADER;
  }

  @Override
  public Map<String, io.temporal.api.common.v1.Payload> serializeContext(Object context) {
    return context == null
        ? Map.of()
        : Map.of(
            StepFact.HEADER,
            DefaultDataConverter.STANDARD_INSTANCE.toPayload(context).orElseThrow());
  }

  /** Activities do not read it: the fact is for the history. */
  @Override
  public Object deserializeContext(Map<String, io.temporal.api.common.v1.Payload> header) {
    return null;
  }

  @Override
  public Object getCurrentContext() {
    return fact;
  }

  @Override
  public void setCurrentContext(Object context) {
    // nothing to restore: the fact belongs to one activity
  }
}
