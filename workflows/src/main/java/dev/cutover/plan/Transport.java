package dev.cutover.plan;

/** How the worker reaches a host. */
public enum Transport {
  @Doc("Processes run on the worker's own machine.")
  LOCAL,
  @Doc("Commands run over SSH; the host key is always verified.")
  SSH
}
