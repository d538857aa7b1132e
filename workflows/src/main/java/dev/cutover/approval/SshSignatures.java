package dev.cutover.approval;

import java.util.List;

/** Verifies signatures in the format of {@code ssh-keygen -Y sign} (OpenSSH PROTOCOL.sshsig). */
public final class SshSignatures {
  /** The namespace approvals are signed in: a signature made for anything else cannot approve. */
  public static final String APPROVAL_NAMESPACE = "cutover-approval";

  /** The namespace {@code cutover start} signs in. */
  public static final String START_NAMESPACE = "cutover-start";

  private SshSignatures() {}

  /**
   * Verifies an armored "-----BEGIN SSH SIGNATURE-----" (ssh-keygen -Y sign) over message, against
   * the signers; reasons: not a signature (malformed), wrong namespace, unlisted key, signature
   * does not match (forged or tampered), signer's namespaces option excludes it, key type
   * unsupported.
   */
  public static SignatureCheck verify(
      String armored, byte[] message, String namespace, List<AllowedSigner> signers) {
    throw new UnsupportedOperationException("not yet");
  }
}
