package dev.cutover.plan;

import java.util.List;

@Doc("E-mail over SMTP for notifications.")
public record Email(
    @Required @Doc("The SMTP server's name or address.") String host,
    @Doc("The SMTP server's port (default 587, the submission port).") Integer port,
    @Doc(
            "Require STARTTLS before authenticating and sending (default true); false only for a relay on a trusted network.")
        Boolean startTls,
    @Doc(
            "Name of the secret (under secrets) holding the SMTP user name; with passwordSecret, or neither for a server that needs no login.")
        String userSecret,
    @Doc("Name of the secret (under secrets) holding the SMTP password.") String passwordSecret,
    @Required @Doc("The sender's address, like cutover@example.org.") String from,
    @Required @Doc("The recipients' addresses.") List<String> to) {

  public Email {
    to = to == null ? List.of() : List.copyOf(to);
  }

  public boolean startTlsOrDefault() {
    return startTls == null || startTls;
  }
}
