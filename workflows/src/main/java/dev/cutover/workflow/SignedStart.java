package dev.cutover.workflow;

import dev.cutover.approval.StartClaim;

/**
 * Who starts a migration, as {@code cutover start} sends it in the input: the identity the client
 * claims and, with {@code --sign-with}, the claim and its {@code ssh-keygen -Y sign} signature
 * (namespace {@code cutover-start}), which the workflow verifies against the plan's approvers.
 *
 * @param by the identity the starting client claims
 * @param claim what was signed; {@code null} for an unsigned start
 * @param signature the armored signature over {@code claim.signedText()}; {@code null} unsigned
 */
public record SignedStart(String by, StartClaim claim, String signature) {}
