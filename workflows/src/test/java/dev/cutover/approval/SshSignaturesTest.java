package dev.cutover.approval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.RealTools;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approvals signed by the real {@code ssh-keygen -Y sign}, as {@code cutover approve} makes them,
 * judged as the gate judges them: the genuine ones are accepted, and each way of cheating is
 * refused with its own reason.
 */
@RealTools
class SshSignaturesTest {
  private static final String WORKFLOW = "cutover-shop";
  private static final String RUN = "4f7c1b52-9a0e-4c55-8d7e-1f6a2b3c4d5e";
  private static final String GATE = "go-downtime";
  private static final Instant SIGNED_AT = Instant.parse("2026-12-07T01:00:00Z");
  private static final Instant NOW = SIGNED_AT.plusSeconds(30);

  @TempDir static Path dir;

  private static SshKeygen keygen;
  private static Path alice;
  private static Path bob;
  private static Path carol;
  private static Path mallory;
  private static AllowedSigner aliceLine;
  private static AllowedSigner bobLine;
  private static AllowedSigner carolLine;
  private static List<AllowedSigner> approvers;

  @BeforeAll
  static void keys() throws Exception {
    keygen = new SshKeygen(dir);
    alice = keygen.newKey("alice", "ed25519");
    bob = keygen.newKey("bob", "rsa", "-b", "3072");
    carol = keygen.newKey("carol", "ecdsa", "-b", "256");
    mallory = keygen.newKey("mallory", "ed25519");
    aliceLine = AllowedSigner.parse(keygen.allowedSignersLine("alice@example.com", alice));
    bobLine = AllowedSigner.parse(keygen.allowedSignersLine("bob@example.com", bob));
    carolLine = AllowedSigner.parse(keygen.allowedSignersLine("carol@example.com", carol));
    approvers = List.of(aliceLine, bobLine, carolLine);
  }

  private static ApprovalClaim claim(String by) {
    return new ApprovalClaim(
        WORKFLOW, RUN, GATE, "presync green, support warned", by, "n-" + by, SIGNED_AT);
  }

  private static String signed(Path key, ApprovalClaim claim) throws Exception {
    return keygen.sign(key, SshSignatures.APPROVAL_NAMESPACE, claim.signedText());
  }

  private static ApprovalVerdict judge(ApprovalClaim claim, String signature) {
    return ApprovalJudge.judge(claim, signature, approvers, WORKFLOW, RUN, GATE, Set.of(), NOW);
  }

  @Test
  void anEd25519ApprovalIsAccepted() throws Exception {
    // given alice's approval signed with her ed25519 key
    ApprovalClaim claim = claim("alice@example.com");
    String signature = signed(alice, claim);

    // when the gate judges it
    ApprovalVerdict verdict = judge(claim, signature);

    // then it counts, as alice, with the fingerprint ssh-keygen prints for her key
    assertThat(verdict.accepted()).as(verdict.reason()).isTrue();
    assertThat(verdict.principal()).isEqualTo("alice@example.com");
    assertThat(verdict.fingerprint()).isEqualTo(keygen.fingerprint(alice));
  }

  @Test
  void anRsaApprovalIsAccepted() throws Exception {
    ApprovalClaim claim = claim("bob@example.com");

    ApprovalVerdict verdict = judge(claim, signed(bob, claim));

    assertThat(verdict.accepted()).as(verdict.reason()).isTrue();
    assertThat(verdict.principal()).isEqualTo("bob@example.com");
    assertThat(verdict.fingerprint()).isEqualTo(keygen.fingerprint(bob));
  }

  @Test
  void anEcdsaApprovalIsAccepted() throws Exception {
    ApprovalClaim claim = claim("carol@example.com");

    ApprovalVerdict verdict = judge(claim, signed(carol, claim));

    assertThat(verdict.accepted()).as(verdict.reason()).isTrue();
    assertThat(verdict.fingerprint()).isEqualTo(keygen.fingerprint(carol));
  }

  @Test
  void aSignatureOverTheSha256HashIsAccepted() throws Exception {
    // given a signature made with -O hashalg=sha256 (ssh-keygen's default is sha512)
    ApprovalClaim claim = claim("bob@example.com");
    String signature =
        keygen.sign(bob, SshSignatures.APPROVAL_NAMESPACE, claim.signedText(), "hashalg=sha256");

    assertThat(judge(claim, signature).accepted()).isTrue();
  }

  @Test
  void aSignatureByAnotherKeyClaimingAListedKeyIsRefusedAsForged() throws Exception {
    // given mallory signs alice's approval and puts alice's public key in the signature
    ApprovalClaim claim = claim("alice@example.com");
    String forged = withPublicKey(signed(mallory, claim), aliceLine.keyBlob());

    // when it is judged, then alice's key did not make it
    ApprovalVerdict verdict = judge(claim, forged);
    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason()).startsWith(SshSignatures.NO_MATCH).contains("alice@example.com");
  }

  @Test
  void aSignatureWithAFlippedByteIsRefused() throws Exception {
    ApprovalClaim claim = claim("alice@example.com");
    byte[] blob = blob(signed(alice, claim));
    blob[blob.length - 1] ^= 0x01; // the last byte of the ed25519 signature itself

    ApprovalVerdict verdict = judge(claim, armor(blob));

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason()).startsWith(SshSignatures.NO_MATCH);
  }

  @Test
  void anRsaSignatureWithAFlippedByteIsRefused() throws Exception {
    ApprovalClaim claim = claim("bob@example.com");
    byte[] blob = blob(signed(bob, claim));
    blob[blob.length - 7] ^= 0x40;

    ApprovalVerdict verdict = judge(claim, armor(blob));

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason()).startsWith(SshSignatures.NO_MATCH);
  }

  @Test
  void aChangedCommentIsRefusedAsTampered() throws Exception {
    // given alice signed one comment, and the request carries another
    ApprovalClaim signedClaim = claim("alice@example.com");
    String signature = signed(alice, signedClaim);
    ApprovalClaim sent =
        new ApprovalClaim(
            WORKFLOW,
            RUN,
            GATE,
            "skip the checks",
            "alice@example.com",
            "n-alice@example.com",
            SIGNED_AT);

    ApprovalVerdict verdict = judge(sent, signature);

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason()).startsWith(SshSignatures.NO_MATCH).contains("text was changed");
  }

  @Test
  void aSignatureInAnotherNamespaceIsRefused() throws Exception {
    // given alice signed the very text, but for another purpose (-n other)
    ApprovalClaim claim = claim("alice@example.com");
    String signature = keygen.sign(alice, "other", claim.signedText());

    ApprovalVerdict verdict = judge(claim, signature);

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason())
        .startsWith(SshSignatures.WRONG_NAMESPACE)
        .contains("'other'", "-n cutover-approval");
  }

  @Test
  void aStartSignatureCannotApprove() throws Exception {
    ApprovalClaim claim = claim("alice@example.com");
    String signature = keygen.sign(alice, SshSignatures.START_NAMESPACE, claim.signedText());

    assertThat(judge(claim, signature).reason()).startsWith(SshSignatures.WRONG_NAMESPACE);
  }

  @Test
  void anUnlistedKeyIsRefused() throws Exception {
    // given mallory, who is no approver, signs honestly with her own key
    ApprovalClaim claim = claim("mallory@example.com");

    ApprovalVerdict verdict = judge(claim, signed(mallory, claim));

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.principal()).isNull();
    assertThat(verdict.reason())
        .startsWith(SshSignatures.UNLISTED_KEY)
        .contains(keygen.fingerprint(mallory));
  }

  @Test
  void aListedApproverOutsideTheGatesListIsRefused() throws Exception {
    // given carol is an approver of the plan but not of this gate
    ApprovalClaim claim = claim("carol@example.com");

    ApprovalVerdict verdict =
        ApprovalJudge.judge(
            claim,
            signed(carol, claim),
            List.of(aliceLine, bobLine),
            WORKFLOW,
            RUN,
            GATE,
            Set.of(),
            NOW);

    assertThat(verdict.reason()).startsWith(SshSignatures.UNLISTED_KEY);
  }

  @Test
  void anApprovalReplayedOnAnotherRunIsRefused() throws Exception {
    // given alice approved the gate in run RUN, and the same approval is sent to a later run
    ApprovalClaim claim = claim("alice@example.com");
    String signature = signed(alice, claim);

    ApprovalVerdict verdict =
        ApprovalJudge.judge(
            claim, signature, approvers, WORKFLOW, "another-run", GATE, Set.of(), NOW);

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason())
        .startsWith(ApprovalJudge.ELSEWHERE)
        .contains("run " + RUN, "not gate '" + GATE + "' of run another-run");
  }

  @Test
  void anApprovalReplayedOnAnotherGateIsRefused() throws Exception {
    ApprovalClaim claim = claim("alice@example.com");
    String signature = signed(alice, claim);

    ApprovalVerdict verdict =
        ApprovalJudge.judge(
            claim, signature, approvers, WORKFLOW, RUN, "retire-old", Set.of(), NOW);

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason())
        .startsWith(ApprovalJudge.ELSEWHERE)
        .contains("signed for gate '" + GATE + "'", "not gate 'retire-old'");
  }

  @Test
  void anApprovalWithTheRunChangedInTheRequestIsRefusedAsTampered() throws Exception {
    // given the request says another run than the one alice signed for
    ApprovalClaim claim = claim("alice@example.com");
    String signature = signed(alice, claim);
    ApprovalClaim sent =
        new ApprovalClaim(
            WORKFLOW, "another-run", GATE, claim.comment(), claim.by(), claim.nonce(), SIGNED_AT);

    ApprovalVerdict verdict =
        ApprovalJudge.judge(
            sent, signature, approvers, WORKFLOW, "another-run", GATE, Set.of(), NOW);

    assertThat(verdict.reason()).startsWith(SshSignatures.NO_MATCH);
  }

  @Test
  void aNonceSeenBeforeOnTheGateIsRefused() throws Exception {
    ApprovalClaim claim = claim("alice@example.com");
    String signature = signed(alice, claim);

    ApprovalVerdict verdict =
        ApprovalJudge.judge(
            claim, signature, approvers, WORKFLOW, RUN, GATE, Set.of(claim.nonce()), NOW);

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason()).startsWith(ApprovalJudge.REPLAYED).contains(claim.nonce());
  }

  @Test
  void anApprovalSignedTooLongAgoIsRefusedAsExpired() throws Exception {
    ApprovalClaim claim = claim("alice@example.com");
    String signature = signed(alice, claim);
    Instant later = SIGNED_AT.plus(ApprovalJudge.MAX_AGE).plus(Duration.ofSeconds(1));

    ApprovalVerdict verdict =
        ApprovalJudge.judge(claim, signature, approvers, WORKFLOW, RUN, GATE, Set.of(), later);

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason()).startsWith(ApprovalJudge.EXPIRED);
    // and just inside the bound it still counts
    Instant inTime = SIGNED_AT.plus(ApprovalJudge.MAX_AGE);
    assertThat(
            ApprovalJudge.judge(claim, signature, approvers, WORKFLOW, RUN, GATE, Set.of(), inTime)
                .accepted())
        .isTrue();
  }

  @Test
  void anApprovalSignedInTheFutureIsRefused() throws Exception {
    ApprovalClaim claim = claim("alice@example.com");
    Instant before = SIGNED_AT.minus(ApprovalJudge.MAX_SKEW).minusSeconds(1);

    ApprovalVerdict verdict =
        ApprovalJudge.judge(
            claim, signed(alice, claim), approvers, WORKFLOW, RUN, GATE, Set.of(), before);

    assertThat(verdict.reason()).startsWith(ApprovalJudge.FUTURE);
  }

  @Test
  void anApprovalNamingAnotherApproverThanItsKeyIsRefused() throws Exception {
    // given bob signs with his own key an approval that says it is alice's
    ApprovalClaim claim = claim("alice@example.com");

    ApprovalVerdict verdict = judge(claim, signed(bob, claim));

    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason())
        .startsWith(ApprovalJudge.NOT_THE_SIGNER)
        .contains("'alice@example.com'", "key of bob@example.com");
  }

  @Test
  void aKeyLimitedToOtherNamespacesCannotApprove() throws Exception {
    // given alice's line lets her key sign only starts
    AllowedSigner startOnly =
        AllowedSigner.parse(
            keygen
                .allowedSignersLine("alice@example.com", alice)
                .replaceFirst(" ", " namespaces=\"cutover-start\" "));
    ApprovalClaim claim = claim("alice@example.com");

    ApprovalVerdict verdict =
        ApprovalJudge.judge(
            claim, signed(alice, claim), List.of(startOnly), WORKFLOW, RUN, GATE, Set.of(), NOW);

    assertThat(verdict.reason()).startsWith(SshSignatures.NAMESPACE_EXCLUDED);
  }

  @Test
  void aKeyPastItsValidBeforeCannotApprove() throws Exception {
    AllowedSigner expired =
        AllowedSigner.parse(
            keygen
                .allowedSignersLine("alice@example.com", alice)
                .replaceFirst(" ", " valid-before=\"20261201Z\" "));
    ApprovalClaim claim = claim("alice@example.com");

    ApprovalVerdict verdict =
        ApprovalJudge.judge(
            claim, signed(alice, claim), List.of(expired), WORKFLOW, RUN, GATE, Set.of(), NOW);

    assertThat(verdict.reason())
        .startsWith(ApprovalJudge.KEY_NOT_VALID)
        .contains("until 2026-12-01T00:00:00Z");
  }

  @Test
  void aStartClaimIsVerifiedInItsOwnNamespace() throws Exception {
    // given alice signs the start of a run
    StartClaim start = new StartClaim(WORKFLOW, "ab".repeat(32), "alice@example.com", "s1", NOW);
    byte[] text = start.signedText().getBytes(StandardCharsets.UTF_8);
    String signature = keygen.sign(alice, SshSignatures.START_NAMESPACE, start.signedText());

    // then it verifies as a start, and not as an approval
    SignatureCheck check =
        SshSignatures.verify(signature, text, SshSignatures.START_NAMESPACE, approvers);
    assertThat(check.valid()).as(check.reason()).isTrue();
    assertThat(check.signer()).isEqualTo(aliceLine);
    assertThat(
            SshSignatures.verify(signature, text, SshSignatures.APPROVAL_NAMESPACE, approvers)
                .reason())
        .startsWith(SshSignatures.WRONG_NAMESPACE);
  }

  @Test
  void theFingerprintIsWhatSshKeygenPrints() throws Exception {
    assertThat(aliceLine.fingerprint()).isEqualTo(keygen.fingerprint(alice));
    assertThat(bobLine.fingerprint()).isEqualTo(keygen.fingerprint(bob));
    assertThat(carolLine.fingerprint()).isEqualTo(keygen.fingerprint(carol));
  }

  /** The SSHSIG blob of an armored signature. */
  static byte[] blob(String armored) {
    String body =
        armored
            .strip()
            .replace(SshSignatures.BEGIN, "")
            .replace(SshSignatures.END, "")
            .replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }

  static String armor(byte[] blob) {
    return SshSignatures.BEGIN
        + "\n"
        + Base64.getMimeEncoder(70, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(blob)
        + "\n"
        + SshSignatures.END
        + "\n";
  }

  /** The signature with its public key field replaced: what a forger would send. */
  static String withPublicKey(String armored, byte[] publicKey) {
    ByteBuffer in = ByteBuffer.wrap(blob(armored));
    byte[] magic = new byte[6];
    in.get(magic);
    int version = in.getInt();
    byte[] oldKey = field(in);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(magic);
    out.writeBytes(ByteBuffer.allocate(4).putInt(version).array());
    writeField(out, publicKey);
    out.writeBytes(Arrays.copyOfRange(in.array(), in.position(), in.limit()));
    assertThat(oldKey).isNotEqualTo(publicKey);
    return armor(out.toByteArray());
  }

  private static byte[] field(ByteBuffer in) {
    byte[] b = new byte[in.getInt()];
    in.get(b);
    return b;
  }

  private static void writeField(ByteArrayOutputStream out, byte[] b) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
    out.writeBytes(b);
  }
}
