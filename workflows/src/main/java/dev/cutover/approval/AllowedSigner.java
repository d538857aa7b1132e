package dev.cutover.approval;

import java.util.List;

/** One allowed_signers line, parsed. */
public record AllowedSigner(
    String principal, String keyType, String publicKeyBase64, List<String> namespaces) {

  /** "SHA256:" and the unpadded base64 of the SHA-256 of the key blob, as ssh-keygen -l prints. */
  public String fingerprint() {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Parses one allowed_signers line.
   *
   * @throws IllegalArgumentException with the reason the line is refused
   */
  public static AllowedSigner parse(String line) {
    throw new UnsupportedOperationException("not yet");
  }
}
