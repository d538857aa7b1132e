package dev.cutover.steps.http;

/**
 * A TLS check.
 *
 * @param step the step's name in the plan
 * @param name the server name, sent as SNI, that the certificate must cover
 * @param port the port ({@code null} for 443)
 * @param address the address to connect to instead of resolving {@code name}; {@code null} to
 *     resolve it
 * @param minDaysValid how many days the certificate must still be valid for
 */
public record TlsCheckRequest(
    String step, String name, Integer port, String address, int minDaysValid) {}
