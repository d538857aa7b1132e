package dev.cutover.plan;

@Doc("A host the plan acts on.")
public record Host(
    @Doc("How the worker reaches the host (default local).") Transport transport,
    @Doc("Address of the host (name or IP); for local hosts, informational.") String address,
    @Doc("User to act as (ssh: the login user; default root).") String user,
    @Doc("Port (ssh; default 22).") Integer port,
    @Doc("Free text shown in preview and status.") String description,
    @Doc(
            "ssh: private key file on the worker's machine (default: the worker's cutover.ssh.identity-files, else ~/.ssh/id_ed25519, id_ecdsa, id_rsa).")
        String identityFile,
    @Doc("ssh: name of the secret (under secrets) holding the key's passphrase.")
        String passphraseSecret,
    @Doc(
            "ssh: known_hosts file on the worker's machine to check the host key against (default: the worker's cutover.ssh.known-hosts, else ~/.ssh/known_hosts).")
        String knownHosts,
    @Doc(
            "ssh: the host key's fingerprint as `ssh-keygen -lf` prints it (SHA256:...); when set, it is the only key accepted.")
        String hostKey,
    @Doc("ssh: name of another ssh host of the plan to connect through (a bastion).") String jump,
    @Doc(
            "Run every step on this host through `sudo -n` (no password prompt: sudo must allow it), unless the step says otherwise.")
        Boolean sudo,
    @Derived Host jumpHost,
    @Derived String passphraseRef) {

  public static final int SSH_PORT = 22;

  public Transport transportOrDefault() {
    return transport == null ? Transport.LOCAL : transport;
  }

  public int portOrDefault() {
    return port == null ? SSH_PORT : port;
  }

  public String userOrDefault() {
    return user == null ? "root" : user;
  }

  /** Whether commands on this host run through sudo: a step's own setting wins over the host's. */
  public boolean sudoFor(Boolean stepSetting) {
    return stepSetting != null ? stepSetting : Boolean.TRUE.equals(sudo);
  }

  public boolean usesSsh() {
    return transportOrDefault() == Transport.SSH;
  }

  /** A local host, as tests and the demo write them. */
  public static Host local(String description) {
    return new Host(
        Transport.LOCAL,
        null,
        null,
        null,
        description,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** This host with the parts that live elsewhere in the plan filled in, as activities need it. */
  public Host resolved(Host jumpDefinition, String passphraseReference) {
    return new Host(
        transport,
        address,
        user,
        port,
        description,
        identityFile,
        passphraseSecret,
        knownHosts,
        hostKey,
        jump,
        sudo,
        jumpDefinition,
        passphraseReference);
  }
}
