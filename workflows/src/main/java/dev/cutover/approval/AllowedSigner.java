package dev.cutover.approval;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One allowed_signers line, parsed: the format of git's {@code gpg.ssh.allowedSignersFile} and of
 * {@code ssh-keygen -Y verify -f} (ssh-keygen(1), "ALLOWED SIGNERS").
 *
 * <p>The line's first principal names the approver: it is what a gate's {@code from} lists and what
 * status and the report show. git allows a comma list of principals for one key; the others are
 * accepted and not used, since one key is one approver however many names it has.
 *
 * @param principal the approver's name, the first principal of the line
 * @param keyType the key type as written, e.g. ssh-ed25519
 * @param publicKeyBase64 the key blob in base64, as written
 * @param namespaces the namespaces the key may sign in ({@code namespaces="..."}); empty: any
 * @param validAfter the key signs nothing before this instant ({@code valid-after}); null: no bound
 * @param validBefore the key signs nothing after this instant ({@code valid-before}); null: no
 *     bound
 */
public record AllowedSigner(
    String principal,
    String keyType,
    String publicKeyBase64,
    List<String> namespaces,
    Instant validAfter,
    Instant validBefore) {

  /**
   * The longest line accepted: an RSA key of 16384 bits (the most ssh-keygen makes) is under 2,800
   * characters of base64; the rest is room for principals, options and a comment.
   */
  public static final int MAX_LINE = 4_096;

  /** The options an allowed_signers line may carry that cutover understands. */
  private static final Set<String> OPTIONS =
      Set.of("namespaces", "valid-after", "valid-before", "cert-authority");

  public AllowedSigner {
    namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
  }

  /** A signer without validity bounds. */
  public AllowedSigner(
      String principal, String keyType, String publicKeyBase64, List<String> namespaces) {
    this(principal, keyType, publicKeyBase64, namespaces, null, null);
  }

  /** "SHA256:" and the unpadded base64 of the SHA-256 of the key blob, as ssh-keygen -l prints. */
  public String fingerprint() {
    return fingerprint(keyBlob());
  }

  static String fingerprint(byte[] blob) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The key blob (SSH wire format). */
  byte[] keyBlob() {
    return Base64.getDecoder().decode(publicKeyBase64);
  }

  /** Whether the line's {@code namespaces} option lets this key sign in {@code namespace}. */
  public boolean allowsNamespace(String namespace) {
    return namespaces.isEmpty() || Patterns.matchesList(namespace, namespaces);
  }

  /** Whether {@code at} lies within the line's {@code valid-after} and {@code valid-before}. */
  public boolean validAt(Instant at) {
    return (validAfter == null || !at.isBefore(validAfter))
        && (validBefore == null || !at.isAfter(validBefore));
  }

  /**
   * Parses one allowed_signers line: {@code principals [options] keytype base64 [comment]}.
   *
   * @throws IllegalArgumentException with the reason the line is refused
   */
  public static AllowedSigner parse(String line) {
    if (line == null || line.isBlank() || line.strip().startsWith("#")) {
      throw new IllegalArgumentException(
          "an empty line or a comment is no approver: write principal, key type and key");
    }
    if (line.length() > MAX_LINE) {
      throw new IllegalArgumentException(
          "the line is " + line.length() + " characters long; at most " + MAX_LINE);
    }
    Tokens tokens = new Tokens(line.strip());
    String principals = tokens.next();
    if (principals.startsWith("\"")) {
      throw new IllegalArgumentException(
          "quoted principals are not supported: name the approver without spaces or quotes");
    }
    String principal = principals.split(",", -1)[0];
    if (principal.isEmpty()) {
      throw new IllegalArgumentException("the principal (the approver's name) is empty");
    }
    if (principal.chars().anyMatch(c -> c == '*' || c == '?' || c == '!')) {
      throw new IllegalArgumentException(
          "principal '"
              + principal
              + "' is a pattern; an approver is one person: write their name, e.g. alice@example.com");
    }
    String token = tokens.next();
    Map<String, String> options = Map.of();
    if (token != null && !looksLikeKeyType(token)) {
      // As ssh-keygen reads the line: what stands between the names and the key is options.
      String after = tokens.peek();
      if (token.contains("=") || (after != null && looksLikeKeyType(after))) {
        options = options(token);
        token = tokens.next();
      }
    }
    if (token == null) {
      throw new IllegalArgumentException("no key: write the key type and the key after the name");
    }
    String keyType = token;
    if (!SshPublicKey.SUPPORTED.contains(keyType)) {
      throw new IllegalArgumentException(
          "key type '"
              + keyType
              + "' is not supported; use one of "
              + String.join(", ", SshPublicKey.SUPPORTED));
    }
    String base64 = tokens.next();
    if (base64 == null) {
      throw new IllegalArgumentException("no key after the key type " + keyType);
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the key is not valid base64: copy it whole from the approver's .pub file");
    }
    SshPublicKey key;
    try {
      key = SshPublicKey.decode(blob);
    } catch (SshWire.Malformed e) {
      throw new IllegalArgumentException(
          "the key is not a valid " + keyType + " key: " + e.getMessage());
    }
    if (!key.type().equals(keyType)) {
      throw new IllegalArgumentException(
          "the key is an " + key.type() + " key but the line says " + keyType);
    }
    List<String> namespaces = List.of();
    if (options.containsKey("namespaces")) {
      namespaces = new ArrayList<>();
      for (String ns : options.get("namespaces").split(",", -1)) {
        if (ns.isBlank()) {
          throw new IllegalArgumentException(
              "namespaces=\"" + options.get("namespaces") + "\" has an empty entry");
        }
        namespaces.add(ns.strip());
      }
    }
    return new AllowedSigner(
        principal,
        keyType,
        base64,
        namespaces,
        time("valid-after", options.get("valid-after")),
        time("valid-before", options.get("valid-before")));
  }

  /** A key type of OpenSSH's naming, known to cutover or not: what ends the options field. */
  private static boolean looksLikeKeyType(String token) {
    return token.startsWith("ssh-")
        || token.startsWith("ecdsa-")
        || token.startsWith("sk-")
        || token.endsWith("@openssh.com");
  }

  /** The options field: {@code name} or {@code name="value"}, separated by commas. */
  private static Map<String, String> options(String field) {
    Map<String, String> options = new LinkedHashMap<>();
    int i = 0;
    while (i < field.length()) {
      int end = i;
      while (end < field.length() && field.charAt(end) != ',' && field.charAt(end) != '=') {
        end++;
      }
      String name = field.substring(i, end).toLowerCase(java.util.Locale.ROOT);
      String value = null;
      i = end;
      if (i < field.length() && field.charAt(i) == '=') {
        if (i + 1 >= field.length() || field.charAt(i + 1) != '"') {
          throw new IllegalArgumentException(
              "option " + name + " needs its value in double quotes, like " + name + "=\"...\"");
        }
        int close = field.indexOf('"', i + 2);
        if (close < 0) {
          throw new IllegalArgumentException("option " + name + " has no closing quote");
        }
        value = field.substring(i + 2, close);
        i = close + 1;
      }
      if (i < field.length()) {
        if (field.charAt(i) != ',') {
          throw new IllegalArgumentException(
              "option " + name + ": expected a comma after its value");
        }
        i++;
      }
      if (name.equals("cert-authority")) {
        throw new IllegalArgumentException(
            "cert-authority is not supported: list each approver's own key");
      }
      if (!OPTIONS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown option '"
                + name
                + "'; an approver's line may have namespaces=\"...\", valid-after=\"...\" and valid-before=\"...\"");
      }
      if (value == null) {
        throw new IllegalArgumentException(
            "option " + name + " needs a value: " + name + "=\"...\"");
      }
      if (options.put(name, value) != null) {
        throw new IllegalArgumentException("option " + name + " is given twice");
      }
    }
    return options;
  }

  /**
   * A valid-after/valid-before time: YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, ending in Z. Without
   * the Z ssh-keygen reads the machine's local time zone, which the workflow does not have: every
   * worker would have to share it for the check to give one answer.
   */
  private static Instant time(String option, String value) {
    if (value == null) {
      return null;
    }
    String bad =
        option
            + "=\""
            + value
            + "\" is not a time cutover reads: write YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS in UTC, ending in Z, e.g. 20261201Z or 202612012200Z";
    if (!value.endsWith("Z") && !value.endsWith("z")) {
      throw new IllegalArgumentException(bad);
    }
    String digits = value.substring(0, value.length() - 1);
    if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(bad);
    }
    try {
      return switch (digits.length()) {
        case 8 ->
            LocalDate.parse(digits, java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC);
        case 12 -> LocalDateTime.parse(digits, Patterns.MINUTES).toInstant(ZoneOffset.UTC);
        case 14 -> LocalDateTime.parse(digits, Patterns.SECONDS).toInstant(ZoneOffset.UTC);
        default -> throw new IllegalArgumentException(bad);
      };
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(bad);
    }
  }

  /** Whitespace-separated tokens; the options token may hold spaces inside double quotes. */
  private static final class Tokens {
    private final String text;
    private int pos;

    Tokens(String text) {
      this.text = text;
    }

    String peek() {
      int at = pos;
      String token = next();
      pos = at;
      return token;
    }

    String next() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
      if (pos >= text.length()) {
        return null;
      }
      int start = pos;
      boolean quoted = false;
      while (pos < text.length() && (quoted || !Character.isWhitespace(text.charAt(pos)))) {
        if (text.charAt(pos) == '"') {
          quoted = !quoted;
        }
        pos++;
      }
      return text.substring(start, pos);
    }
  }
}
