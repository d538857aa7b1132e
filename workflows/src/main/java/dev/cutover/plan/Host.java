package dev.cutover.plan;

@Doc("A host the plan acts on.")
public record Host(
    @Doc("How the worker reaches the host (default local).") Transport transport,
    @Doc("Address of the host (name or IP); for local hosts, informational.") String address,
    @Doc("User to act as.") String user,
    @Doc("Port (ssh).") Integer port,
    @Doc("Free text shown in preview and status.") String description) {

  public Transport transportOrDefault() {
    return transport == null ? Transport.LOCAL : transport;
  }
}
