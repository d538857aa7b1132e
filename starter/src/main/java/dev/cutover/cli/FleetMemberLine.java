package dev.cutover.cli;

/**
 * A member in flight as its own status query tells it, beside what the fleet knows of it.
 *
 * @param nextAction what moves the member on, from its status ({@code cutover decide ...}); empty
 *     for a shared gate, which the fleet approves
 * @param unanswered why the member's status could not be read, or {@code null}
 */
record FleetMemberLine(
    String service,
    String workflowId,
    String state,
    String phase,
    String step,
    String waitingFor,
    String nextAction,
    String unanswered) {}
