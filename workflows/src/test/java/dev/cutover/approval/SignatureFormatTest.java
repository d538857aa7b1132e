package dev.cutover.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Signatures without ssh-keygen at hand: two it made once (committed under {@code approval/}), and
 * signatures built here to the letter of PROTOCOL.sshsig for what ssh-keygen will not make (SHA-1,
 * broken framing). SshSignaturesTest signs afresh with the real tool.
 */
class SignatureFormatTest {
  /** The text the committed signatures cover, as ApprovalClaimTest pins it. */
  private static final ApprovalClaim CLAIM =
      new ApprovalClaim(
          "cutover-shop",
          "run-1",
          "go-downtime",
          "presync \"green\"\nsupport warned",
          "alice@example.com",
          "nonce-1",
          Instant.parse("2026-12-07T01:00:00Z"));

  private static final Instant NOW = Instant.parse("2026-12-07T01:00:30Z");
  private static final AllowedSigner ALICE =
      AllowedSigner.parse("alice@example.com " + AllowedSignerTest.ALICE);
  private static final AllowedSigner BOB =
      AllowedSigner.parse("bob@example.com " + AllowedSignerTest.BOB);
  private static final String ALICE_SIG = resource("alice-approval.sig");
  private static final String BOB_SIG = resource("bob-approval.sig");

  private static String resource(String name) {
    try (InputStream in = SignatureFormatTest.class.getResourceAsStream("/approval/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] text(ApprovalClaim claim) {
    return claim.signedText().getBytes(StandardCharsets.UTF_8);
  }

  private static SignatureCheck verify(String armored) {
    return SshSignatures.verify(
        armored, text(CLAIM), SshSignatures.APPROVAL_NAMESPACE, List.of(ALICE, BOB));
  }

  @Test
  void ssh_keygenSignaturesMadeEarlierStillVerify() {
    SignatureCheck alice = verify(ALICE_SIG);
    assertThat(alice.valid()).as(alice.reason()).isTrue();
    assertThat(alice.signer()).isEqualTo(ALICE);

    // bob signed the same text, as though it were his: the key is his, the claim says alice
    SignatureCheck bob = verify(BOB_SIG);
    assertThat(bob.valid()).as(bob.reason()).isTrue();
    assertThat(bob.signer()).isEqualTo(BOB);
    assertThat(
            ApprovalJudge.judge(
                    CLAIM,
                    BOB_SIG,
                    List.of(ALICE, BOB),
                    "cutover-shop",
                    "run-1",
                    "go-downtime",
                    Set.of(),
                    NOW)
                .reason())
        .startsWith(ApprovalJudge.NOT_THE_SIGNER);
  }

  @Test
  void theJudgeAcceptsTheCommittedApprovalAtItsTime() {
    ApprovalVerdict verdict =
        ApprovalJudge.judge(
            CLAIM,
            ALICE_SIG,
            List.of(ALICE),
            "cutover-shop",
            "run-1",
            "go-downtime",
            Set.of(),
            NOW);

    assertThat(verdict)
        .isEqualTo(
            new ApprovalVerdict(
                true,
                "alice@example.com",
                "SHA256:ze1Z+kLLeiYob6H/XQz5Yo8u3RwrfXAJVub8OOATRTE",
                "verified: signed by alice@example.com"));
  }

  @Test
  void aChangedTextDoesNotVerify() {
    ApprovalClaim other =
        new ApprovalClaim(
            CLAIM.workflowId(),
            CLAIM.runId(),
            CLAIM.gate(),
            "presync green",
            CLAIM.by(),
            CLAIM.nonce(),
            CLAIM.signedAt());

    SignatureCheck check =
        SshSignatures.verify(
            ALICE_SIG, text(other), SshSignatures.APPROVAL_NAMESPACE, List.of(ALICE));

    assertThat(check.valid()).isFalse();
    assertThat(check.reason()).startsWith(SshSignatures.NO_MATCH);
  }

  @Test
  void noApprovalWithoutASignature() {
    assertThat(
            ApprovalJudge.judge(
                    CLAIM,
                    null,
                    List.of(ALICE),
                    "cutover-shop",
                    "run-1",
                    "go-downtime",
                    Set.of(),
                    NOW)
                .reason())
        .startsWith(ApprovalJudge.NOT_SIGNED);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | it is empty",
        "just some text | it does not start with -----BEGIN SSH SIGNATURE----- and end with -----END SSH SIGNATURE----- (ssh-keygen -Y sign writes them)",
        "-----BEGIN SSH SIGNATURE-----\\n%%%\\n-----END SSH SIGNATURE----- | its body is not base64",
        "-----BEGIN SSH SIGNATURE-----\\nU1NIU0lH\\n-----END SSH SIGNATURE----- | truncated",
        "-----BEGIN SSH SIGNATURE-----\\nU1NIU0lJAAAAAQ==\\n-----END SSH SIGNATURE----- | no SSHSIG preamble",
      })
  void whatIsNoSignatureIsRefusedAsSuch(String armored, String reason) {
    SignatureCheck check = verify(armored.replace("\\n", "\n"));

    assertThat(check.valid()).isFalse();
    assertThat(check.reason()).isEqualTo(SshSignatures.MALFORMED + ": " + reason);
  }

  @Test
  void anOverlongSignatureIsRefusedUnread() {
    String armored = ALICE_SIG.replace("\n", "\n" + " ".repeat(SshSignatures.MAX_ARMORED));

    assertThat(verify(armored).reason())
        .startsWith(SshSignatures.MALFORMED)
        .contains("at most 8000");
  }

  @Test
  void aLengthThatLiesIsRefusedNotAllocated() {
    // given a public key field that claims 2 GiB
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("SSHSIG".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(ByteBuffer.allocate(4).putInt(1).array());
    out.writeBytes(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());

    assertThat(verify(SshSignaturesTest.armor(out.toByteArray())).reason())
        .isEqualTo(SshSignatures.MALFORMED + ": truncated");
  }

  @Test
  void anotherVersionOrHashOrTrailingBytesAreRefused() {
    byte[] key = ALICE.keyBlob();
    assertThat(verify(sshsig(2, key, "cutover-approval", "sha512", new byte[0])).reason())
        .isEqualTo(SshSignatures.MALFORMED + ": version 2; only version 1 is known");
    assertThat(verify(sshsig(1, key, "cutover-approval", "sha1", new byte[0])).reason())
        .isEqualTo(
            SshSignatures.MALFORMED + ": hash algorithm 'sha1'; only sha256 and sha512 are known");
    byte[] blob = SshSignaturesTest.blob(ALICE_SIG);
    byte[] longer = java.util.Arrays.copyOf(blob, blob.length + 1);
    assertThat(verify(SshSignaturesTest.armor(longer)).reason())
        .isEqualTo(SshSignatures.MALFORMED + ": bytes after the signature");
  }

  @Test
  void anRsaSignatureWithSha1IsRefused() throws Exception {
    // given a valid RSA signature in the old ssh-rsa (SHA-1) format by a listed key
    KeyPair pair = rsa();
    byte[] blob = rsaBlob((RSAPublicKey) pair.getPublic());
    AllowedSigner signer =
        AllowedSigner.parse("old@example.com ssh-rsa " + Base64.getEncoder().encodeToString(blob));
    byte[] message = text(CLAIM);
    Signature sha1 = Signature.getInstance("SHA1withRSA");
    sha1.initSign(pair.getPrivate());
    sha1.update(signedData("cutover-approval", "sha512", message));
    String armored = sshsig(1, blob, "cutover-approval", "sha512", sigBlob("ssh-rsa", sha1.sign()));

    SignatureCheck check =
        SshSignatures.verify(armored, message, SshSignatures.APPROVAL_NAMESPACE, List.of(signer));

    assertThat(check.valid()).isFalse();
    assertThat(check.reason()).startsWith(SshSignatures.UNSUPPORTED).contains("SHA-1 (ssh-rsa)");
    // and the same key's rsa-sha2-256 signature of the same data is good
    Signature sha256 = Signature.getInstance("SHA256withRSA");
    sha256.initSign(pair.getPrivate());
    sha256.update(signedData("cutover-approval", "sha512", message));
    String good =
        sshsig(1, blob, "cutover-approval", "sha512", sigBlob("rsa-sha2-256", sha256.sign()));
    assertThat(
            SshSignatures.verify(good, message, SshSignatures.APPROVAL_NAMESPACE, List.of(signer))
                .valid())
        .isTrue();
  }

  @Test
  void aSignatureOfAnotherKindThanTheKeyIsRefused() {
    // given alice's ed25519 key with a signature that says it is RSA
    String armored =
        sshsig(
            1,
            ALICE.keyBlob(),
            "cutover-approval",
            "sha512",
            sigBlob("rsa-sha2-512", new byte[64]));

    assertThat(verify(armored).reason())
        .isEqualTo(
            SshSignatures.NO_MATCH
                + ": a signature of type rsa-sha2-512 cannot come from an ssh-ed25519 key");
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static byte[] rsaBlob(RSAPublicKey key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SshWire.putString(out, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
    SshWire.putString(out, key.getPublicExponent().toByteArray());
    SshWire.putString(out, key.getModulus().toByteArray());
    return out.toByteArray();
  }

  private static byte[] sigBlob(String format, byte[] signature) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SshWire.putString(out, format.getBytes(StandardCharsets.US_ASCII));
    SshWire.putString(out, signature);
    return out.toByteArray();
  }

  /** PROTOCOL.sshsig section 3, written out independently of the code under test. */
  private static byte[] signedData(String namespace, String hash, byte[] message) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("SSHSIG".getBytes(StandardCharsets.US_ASCII));
    SshWire.putString(out, namespace.getBytes(StandardCharsets.US_ASCII));
    SshWire.putString(out, new byte[0]);
    SshWire.putString(out, hash.getBytes(StandardCharsets.US_ASCII));
    SshWire.putString(
        out,
        MessageDigest.getInstance(hash.equals("sha512") ? "SHA-512" : "SHA-256").digest(message));
    return out.toByteArray();
  }

  private static String sshsig(
      int version, byte[] publicKey, String namespace, String hash, byte[] signature) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("SSHSIG".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(ByteBuffer.allocate(4).putInt(version).array());
    SshWire.putString(out, publicKey);
    SshWire.putString(out, namespace.getBytes(StandardCharsets.US_ASCII));
    SshWire.putString(out, new byte[0]);
    SshWire.putString(out, hash.getBytes(StandardCharsets.US_ASCII));
    SshWire.putString(out, signature);
    return SshSignaturesTest.armor(out.toByteArray());
  }
}
