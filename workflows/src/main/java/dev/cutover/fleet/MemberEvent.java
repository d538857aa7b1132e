package dev.cutover.fleet;

/**
 * A member's message to its fleet (signal {@link FleetNames#SIGNAL_MEMBER_EVENT}).
 *
 * @param workflowId the member's workflow id, which names the service
 * @param phase the member's phase as in plans
 * @param gate the gate for {@link MemberEventKind#AT_GATE}
 * @param step the blocked step for {@link MemberEventKind#BLOCKED}
 * @param detail the error of a blocked step, clipped by the member
 */
public record MemberEvent(
    String workflowId,
    MemberEventKind kind,
    String phase,
    String gate,
    String step,
    String detail) {}
