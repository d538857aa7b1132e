package dev.cutover.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * allowed_signers lines as git and ssh-keygen write them. The keys under {@code approval/} were
 * made by ssh-keygen; the fingerprints below are what {@code ssh-keygen -l -E sha256} printed for
 * them.
 */
class AllowedSignerTest {
  static final String ALICE = pub("alice.pub");
  static final String BOB = pub("bob.pub");
  static final String CAROL = pub("carol.pub");

  static String pub(String name) {
    try (InputStream in = AllowedSignerTest.class.getResourceAsStream("/approval/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The key type and base64 of a .pub file, without its comment. */
  static String key(String pub) {
    String[] parts = pub.split(" ");
    return parts[0] + " " + parts[1];
  }

  @Test
  void aLineWithAComment() {
    AllowedSigner signer = AllowedSigner.parse("alice@example.com " + ALICE + " alice's laptop");

    assertThat(signer.principal()).isEqualTo("alice@example.com");
    assertThat(signer.keyType()).isEqualTo("ssh-ed25519");
    assertThat(signer.publicKeyBase64()).isEqualTo(ALICE.split(" ")[1]);
    assertThat(signer.namespaces()).isEmpty();
    assertThat(signer.validAfter()).isNull();
    assertThat(signer.validBefore()).isNull();
  }

  @Test
  void fingerprintsAreWhatSshKeygenPrints() {
    assertThat(AllowedSigner.parse("a " + ALICE).fingerprint())
        .isEqualTo("SHA256:ze1Z+kLLeiYob6H/XQz5Yo8u3RwrfXAJVub8OOATRTE");
    assertThat(AllowedSigner.parse("b " + BOB).fingerprint())
        .isEqualTo("SHA256:WLo72FBcsmyEGmIPUhb5e9QkE6yzyiU86LT5Z/W6hMA");
    assertThat(AllowedSigner.parse("c " + CAROL).fingerprint())
        .isEqualTo("SHA256:wfClSjmcXRLzOOywDBuLH7c6OJtAEawwElnkZmZlabY");
  }

  @Test
  void theFirstOfSeveralPrincipalsNamesTheApprover() {
    assertThat(
            AllowedSigner.parse("carol@example.com,carol@corp.example " + key(CAROL)).principal())
        .isEqualTo("carol@example.com");
  }

  @Test
  void optionsBetweenTheNamesAndTheKey() {
    AllowedSigner signer =
        AllowedSigner.parse(
            "bob@example.com namespaces=\"cutover-approval,git\",valid-after=\"202612012200Z\","
                + "valid-before=\"20271231235959Z\" "
                + key(BOB));

    assertThat(signer.namespaces()).containsExactly("cutover-approval", "git");
    assertThat(signer.validAfter()).isEqualTo(Instant.parse("2026-12-01T22:00:00Z"));
    assertThat(signer.validBefore()).isEqualTo(Instant.parse("2027-12-31T23:59:59Z"));
    assertThat(signer.allowsNamespace("cutover-approval")).isTrue();
    assertThat(signer.allowsNamespace("cutover-start")).isFalse();
    assertThat(signer.validAt(Instant.parse("2026-12-01T21:59:59Z"))).isFalse();
    assertThat(signer.validAt(Instant.parse("2026-12-01T22:00:00Z"))).isTrue();
    assertThat(signer.validAt(Instant.parse("2028-01-01T00:00:00Z"))).isFalse();
  }

  @Test
  void namespacesArePatternListsAsInSshKeygen() {
    AllowedSigner signer =
        AllowedSigner.parse("a namespaces=\"cutover-*,!cutover-start\" " + key(ALICE));

    assertThat(signer.allowsNamespace("cutover-approval")).isTrue();
    assertThat(signer.allowsNamespace("cutover-start")).isFalse();
    assertThat(signer.allowsNamespace("git")).isFalse();
  }

  @Test
  void aDateAloneIsMidnightUtc() {
    AllowedSigner signer = AllowedSigner.parse("a valid-after=\"20261207Z\" " + key(ALICE));

    assertThat(signer.validAfter()).isEqualTo(Instant.parse("2026-12-07T00:00:00Z"));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | an empty line or a comment is no approver",
        "# alice | an empty line or a comment is no approver",
        "alice@example.com | no key",
        "alice@example.com ssh-ed25519 | no key after the key type ssh-ed25519",
        "\"alice smith\" KEY | quoted principals are not supported",
        ",alice KEY | the principal (the approver's name) is empty",
        "al?ce KEY | is a pattern",
        "a namespaces=cutover-approval KEY | needs its value in double quotes",
        "a namespaces=\"cutover-approval KEY | no closing quote",
        "a namespaces=\"x\",namespaces=\"y\" KEY | option namespaces is given twice",
        "a namespaces=\"x\"y KEY | expected a comma after its value",
        "a namespaces=\"x,,y\" KEY | has an empty entry",
        "a valid-before KEY | option valid-before needs a value",
        "a valid-before=\"2026-12-01T00:00:00Z\" KEY | is not a time cutover reads",
        "a valid-before=\"20261301Z\" KEY | is not a time cutover reads",
        "a valid-before=\"202612011Z\" KEY | is not a time cutover reads",
        "a cert-authority KEY | cert-authority is not supported",
        "a no-touch-required KEY | unknown option 'no-touch-required'",
        "a sk-ssh-ed25519@openssh.com AAAA | key type 'sk-ssh-ed25519@openssh.com' is not supported",
        "a ssh-ed25519 AAAAC3Nza*C1lZDI1NTE5 | not valid base64",
        "a ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIM/TYyITmA4BQh8YWH7gkevhPcoYD54W4YZ3FScKB1B | truncated",
        "a ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAAA== | an ssh-ed25519 key of 0 bytes, not 32",
        "a ssh-ed25519 AAAAB3NzaC1yc2E= | not a valid ssh-ed25519 key: truncated",
      })
  void aLineCutoverCannotUseIsRefusedWithItsReason(String line, String reason) {
    String text = line.replace("KEY", key(ALICE));

    assertThatThrownBy(() -> AllowedSigner.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void aKeyOfAnotherTypeThanTheLineSaysIsRefused() {
    String line = "a ssh-ed25519 " + BOB.split(" ")[1];

    assertThatThrownBy(() -> AllowedSigner.parse(line))
        .hasMessage("the key is an ssh-rsa key but the line says ssh-ed25519");
  }

  @Test
  void anOverlongLineIsRefusedBeforeItIsRead() {
    String line = "a " + key(ALICE) + " " + "x".repeat(AllowedSigner.MAX_LINE);

    assertThatThrownBy(() -> AllowedSigner.parse(line)).hasMessageContaining("at most 4096");
  }

  @Test
  void aSignerMadeWithoutBoundsIsValidAlways() {
    AllowedSigner signer =
        new AllowedSigner("a", "ssh-ed25519", ALICE.split(" ")[1], List.of("cutover-approval"));

    assertThat(signer.validAt(Instant.EPOCH)).isTrue();
    assertThat(signer).isEqualTo(AllowedSigner.parse("a namespaces=\"cutover-approval\" " + ALICE));
  }
}
