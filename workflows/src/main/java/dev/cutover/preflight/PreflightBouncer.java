package dev.cutover.preflight;

import dev.cutover.plan.Host;
import dev.cutover.steps.pgswitch.PgBouncerSpec;

/**
 * A PgBouncer a step holds clients at (pg-switch): preflight logs in to its admin console, finds
 * the entry there and in the config file, and checks the file can be replaced.
 *
 * @param step the step, for messages
 * @param host the plan host PgBouncer runs on, resolved
 * @param adminPasswordRef the admin password's secret reference ({@code env:...}), never a value;
 *     {@code null} for none
 * @param sudo whether the step reads and writes the file through sudo
 */
public record PreflightBouncer(
    String step, PgBouncerSpec bouncer, Host host, String adminPasswordRef, boolean sudo) {}
