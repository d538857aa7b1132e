package dev.cutover.steps.dns;

import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Records on RFC 2136 servers (BIND, Knot, PowerDNS...) through dnsjava. Queries go to each server
 * without recursion, over UDP with TCP when an answer is truncated, and count only when the server
 * answers authoritatively (AA). Updates go to the primary (the first server) over TCP, signed with
 * the target's TSIG key, with a prerequisite that the record still is what was read, so a change
 * made by someone else in between is refused by the server instead of overwritten.
 *
 * <p>The TSIG secret is resolved only when an update is signed, and never appears in a message.
 */
final class Rfc2136Records implements DnsRecords {
  private static final Map<String, Name> ALGORITHMS = new LinkedHashMap<>();

  static {
    ALGORITHMS.put("hmac-sha256", TSIG.HMAC_SHA256);
    ALGORITHMS.put("hmac-sha512", TSIG.HMAC_SHA512);
    ALGORITHMS.put("hmac-sha384", TSIG.HMAC_SHA384);
    ALGORITHMS.put("hmac-sha224", TSIG.HMAC_SHA224);
    ALGORITHMS.put("hmac-sha1", TSIG.HMAC_SHA1);
    ALGORITHMS.put("hmac-md5", TSIG.HMAC_MD5);
    ALGORITHMS.put("hmac-md5.sig-alg.reg.int", TSIG.HMAC_MD5);
  }

  private final String step;
  private final DnsTarget target;
  private final SecretResolver secrets;
  private final Duration timeout;
  private final Name zone;
  private List<String> sources;
  private TSIG tsig;

  Rfc2136Records(String step, DnsTarget target, SecretResolver secrets, Duration timeout) {
    this.step = step;
    this.target = target;
    this.secrets = secrets;
    this.timeout = timeout;
    if (target.zone() == null || target.zone().isBlank()) {
      throw invalid("dns entry " + target.name() + " names no zone");
    }
    try {
      this.zone = Name.fromString(target.zone().trim(), Name.root);
    } catch (TextParseException e) {
      throw invalid(
          "zone '" + target.zone() + "' of dns entry " + target.name() + " is not a valid name");
    }
  }

  @Override
  public String zone() {
    return DnsValues.name(zone);
  }

  @Override
  public String absoluteName(String name) {
    String t = name == null ? "" : name.trim();
    if (t.isEmpty() || t.equals("@")) {
      return zone();
    }
    Name n;
    try {
      if (t.endsWith(".")) {
        n = Name.fromString(t);
      } else {
        Name absolute = Name.fromString(t, Name.root);
        n = absolute.subdomain(zone) ? absolute : Name.fromString(t, zone);
      }
    } catch (TextParseException e) {
      throw invalid("record name '" + name + "' is not a valid DNS name");
    }
    if (!n.subdomain(zone)) {
      throw invalid("record name '" + name + "' is not in zone " + zone());
    }
    return DnsValues.name(n);
  }

  @Override
  public synchronized List<String> sources() {
    if (sources == null) {
      sources = target.servers().isEmpty() ? discover() : target.servers();
    }
    return sources;
  }

  @Override
  public List<String> writeSources() {
    return List.of(sources().get(0));
  }

  @Override
  public boolean hasTtl() {
    return true;
  }

  @Override
  public void checkServed(String source) {
    DnsServer server = DnsServer.parse(source, where());
    Message answer = send(server, query(zone, Type.SOA), false, null);
    int rcode = answer.getRcode();
    if (rcode == Rcode.SERVFAIL) {
      throw servfail(server);
    }
    boolean apex =
        answer.getSection(Section.ANSWER).stream()
            .anyMatch(r -> r.getType() == Type.SOA && r.getName().equals(zone));
    if (rcode != Rcode.NOERROR || !answer.getHeader().getFlag(Flags.AA) || !apex) {
      throw notServed(
          server,
          rcode == Rcode.NOERROR && answer.getHeader().getFlag(Flags.AA)
              ? "it answers for a zone above it, not for " + zone() + " itself"
              : answeredHow(answer));
    }
  }

  @Override
  public DnsRrset answer(String source, String name, DnsRecordType type) {
    DnsServer server = DnsServer.parse(source, where());
    Name n = name(name);
    int code = code(type);
    Message answer = send(server, query(n, code), false, null);
    int rcode = answer.getRcode();
    if (rcode == Rcode.SERVFAIL) {
      throw servfail(server);
    }
    if ((rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN)
        || !answer.getHeader().getFlag(Flags.AA)) {
      throw notServed(server, answeredHow(answer));
    }
    List<String> values = new ArrayList<>();
    long ttl = Long.MAX_VALUE;
    for (Record r : answer.getSection(Section.ANSWER)) {
      if (r.getType() == code && r.getName().equals(n)) {
        values.add(text(r));
        ttl = Math.min(ttl, r.getTTL());
      }
    }
    return DnsRrset.of(
        values.stream().distinct().sorted().toList(),
        values.isEmpty() ? null : Duration.ofSeconds(ttl));
  }

  @Override
  public void replace(
      String source, String name, DnsRecordType type, DnsRrset current, DnsRrset wanted) {
    DnsServer server = DnsServer.parse(source, where());
    Name n = name(name);
    int code = code(type);
    Update update = new Update(zone);
    requireState(update, n, code, current);
    if (current.exists()) {
      update.delete(n, code);
    }
    long ttl =
        wanted.ttl() == null ? DnsChanges.NEW_RECORD_TTL.toSeconds() : wanted.ttl().toSeconds();
    for (String value : wanted.values()) {
      update.add(record(n, code, ttl, value));
    }
    checkUpdate(server, send(server, update, true, tsig()), name, type);
    // A server may accept an update and still not apply part of it (RFC 2136 ignores a CNAME
    // added beside other records): the primary must answer what was asked for.
    DnsRrset after = answer(source, name, type);
    if (!after.holds(wanted.values(), wanted.exists() ? Duration.ofSeconds(ttl) : null)) {
      throw ApplicationFailure.newNonRetryableFailure(
          where()
              + ": DNS server "
              + server.text()
              + " accepted the update of "
              + name
              + " "
              + type
              + " but answers "
              + after.describe()
              + " instead of "
              + wanted.describe()
              + (type == DnsRecordType.CNAME
                  ? "; a CNAME cannot share its name with other records"
                  : ""),
          CutoverErrors.STATE_CONFLICT);
    }
  }

  /**
   * Proves that the key may change the record without changing anything: a signed update whose
   * prerequisite is the record as it is and whose only change deletes a value the record does not
   * hold, which is no change (BIND keeps the serial). BIND checks prerequisites before the update
   * policy (as RFC 2136 3.3 orders it), so a prerequisite that fails on purpose would answer
   * NXDOMAIN whatever the key's rights; this update reaches the policy check: NOERROR means the key
   * may change this name and type, REFUSED that it may not, NOTAUTH with a TSIG error that the key
   * itself is refused.
   */
  void checkUpdateRights(String source, String name, DnsRecordType type, DnsRrset current) {
    DnsServer server = DnsServer.parse(source, where());
    Name n = name(name);
    int code = code(type);
    Update update = new Update(zone);
    requireState(update, n, code, current);
    update.delete(record(n, code, 0, valueNotIn(type, current.values())));
    checkUpdate(server, send(server, update, true, tsig()), name, type);
  }

  String keyName() {
    return target.tsigKeyName();
  }

  // --- messages
  // -----------------------------------------------------------------------------------

  /**
   * Prerequisite: the rrset is exactly {@code current} (RFC 2136 2.4.2), or does not exist (2.4.3).
   */
  private void requireState(Update update, Name n, int code, DnsRrset current) {
    if (current.exists()) {
      for (String value : current.values()) {
        update.present(record(n, code, 0, value));
      }
    } else {
      update.absent(n, code);
    }
  }

  private static Message query(Name name, int type) {
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    query.getHeader().unsetFlag(Flags.RD);
    return query;
  }

  private Message send(DnsServer server, Message message, boolean tcp, TSIG key) {
    InetAddress address;
    try {
      address = InetAddress.getByName(server.host());
    } catch (UnknownHostException e) {
      throw ApplicationFailure.newFailure(
          where() + ": DNS server " + server.text() + ": its name does not resolve",
          CutoverErrors.DNS_UNREACHABLE);
    }
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(address, server.port()));
    resolver.setTimeout(timeout);
    resolver.setTCP(tcp);
    if (key != null) {
      resolver.setTSIGKey(key);
    }
    try {
      return resolver.send(message);
    } catch (IOException e) {
      throw ApplicationFailure.newFailure(
          where()
              + ": DNS server "
              + server.text()
              + " did not answer ("
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + "); retried",
          CutoverErrors.DNS_UNREACHABLE);
    }
  }

  private void checkUpdate(DnsServer server, Message answer, String name, DnsRecordType type) {
    TSIGRecord signature = answer.getTSIG();
    int tsigError = signature == null ? Rcode.NOERROR : signature.getError();
    if (tsigError != Rcode.NOERROR) {
      throw keyRefused(server, Rcode.TSIGstring(tsigError) + ": " + tsigMeaning(tsigError));
    }
    int rcode = answer.getRcode();
    if (rcode == Rcode.NOERROR && !answer.isVerified()) {
      throw keyRefused(server, "its answer is not signed with the key");
    }
    String record = name + " " + type;
    switch (rcode) {
      case Rcode.NOERROR -> {}
      case Rcode.NXRRSET, Rcode.YXRRSET, Rcode.NXDOMAIN, Rcode.YXDOMAIN ->
          throw ApplicationFailure.newNonRetryableFailure(
              where()
                  + ": "
                  + record
                  + " changed on DNS server "
                  + server.text()
                  + " since it was read (the update's prerequisite failed: "
                  + Rcode.string(rcode)
                  + "); nothing was changed; someone else is editing this record, read it again and decide",
              CutoverErrors.STATE_CONFLICT);
      case Rcode.REFUSED ->
          throw ApplicationFailure.newNonRetryableFailure(
              where()
                  + ": DNS server "
                  + server.text()
                  + " refused to let key "
                  + keyName()
                  + " change "
                  + record
                  + " (REFUSED): grant the key this name in the zone's update-policy, and make sure the first server is the primary",
              CutoverErrors.DNS_UPDATE_REFUSED);
      case Rcode.NOTIMP ->
          throw ApplicationFailure.newNonRetryableFailure(
              where() + ": DNS server " + server.text() + " does not take dynamic updates (NOTIMP)",
              CutoverErrors.DNS_UPDATE_REFUSED);
      case Rcode.NOTAUTH, Rcode.NOTZONE ->
          throw notServed(server, "the update answered " + Rcode.string(rcode));
      default ->
          throw ApplicationFailure.newFailure(
              where()
                  + ": DNS server "
                  + server.text()
                  + " failed the update of "
                  + record
                  + " ("
                  + Rcode.string(rcode)
                  + "); retried",
              CutoverErrors.DNS_UNREACHABLE);
    }
  }

  private static String tsigMeaning(int error) {
    return switch (error) {
      case Rcode.BADSIG -> "the secret does not match the one the server has for this key";
      case Rcode.BADKEY -> "the server does not know a key of this name and algorithm";
      case Rcode.BADTIME -> "the worker's clock and the server's differ too much";
      default -> "the server refused the signature";
    };
  }

  private synchronized TSIG tsig() {
    if (tsig != null) {
      return tsig;
    }
    if (target.tsigKeyName() == null || target.tsigKeyName().isBlank()) {
      throw invalid(
          "dns entry "
              + target.name()
              + " has no TSIG key: updates are signed, name the key and its secret");
    }
    String algorithmText =
        target.tsigAlgorithm() == null
            ? "hmac-sha256"
            : target.tsigAlgorithm().trim().toLowerCase(Locale.ROOT);
    Name algorithm =
        ALGORITHMS.get(
            algorithmText.endsWith(".")
                ? algorithmText.substring(0, algorithmText.length() - 1)
                : algorithmText);
    if (algorithm == null) {
      throw invalid(
          "TSIG algorithm '"
              + target.tsigAlgorithm()
              + "' of dns entry "
              + target.name()
              + " is not one of "
              + String.join(", ", ALGORITHMS.keySet()));
    }
    Name keyName;
    try {
      keyName = Name.fromString(target.tsigKeyName().trim(), Name.root);
    } catch (TextParseException e) {
      throw invalid("TSIG key name '" + target.tsigKeyName() + "' is not a valid DNS name");
    }
    String secret = secrets.resolve(target.tsigSecretRef());
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.trim());
    } catch (IllegalArgumentException e) {
      throw invalid(
          "the TSIG secret "
              + target.tsigSecretRef()
              + " of key "
              + target.tsigKeyName()
              + " is not base64");
    }
    if (key.length == 0) {
      throw invalid(
          "the TSIG secret "
              + target.tsigSecretRef()
              + " of key "
              + target.tsigKeyName()
              + " is empty");
    }
    tsig = new TSIG(algorithm, keyName, key);
    return tsig;
  }

  // --- discovery
  // ----------------------------------------------------------------------------------

  /** The primary from the zone's SOA, then the other NS targets, through the worker's resolver. */
  private List<String> discover() {
    Record[] soa = lookup(Type.SOA);
    List<String> found = new ArrayList<>();
    found.add(DnsValues.name(((SOARecord) soa[0]).getHost()));
    for (Record ns : lookup(Type.NS)) {
      String host = DnsValues.name(((NSRecord) ns).getTarget());
      if (!found.contains(host)) {
        found.add(host);
      }
    }
    return List.copyOf(found);
  }

  private Record[] lookup(int type) {
    Lookup lookup = new Lookup(zone, type);
    Record[] records = lookup.run();
    if (records == null || records.length == 0) {
      String why =
          where()
              + ": cannot find the servers of zone "
              + zone()
              + " ("
              + Type.string(type)
              + " lookup: "
              + lookup.getErrorString()
              + "); list them under the dns entry's servers";
      throw lookup.getResult() == Lookup.TRY_AGAIN
          ? ApplicationFailure.newFailure(why, CutoverErrors.DNS_UNREACHABLE)
          : ApplicationFailure.newNonRetryableFailure(why, CutoverErrors.DNS_ZONE_NOT_SERVED);
    }
    return records;
  }

  // --- helpers
  // ------------------------------------------------------------------------------------

  private Name name(String absolute) {
    try {
      return Name.fromString(absolute, Name.root);
    } catch (TextParseException e) {
      throw invalid("record name '" + absolute + "' is not a valid DNS name");
    }
  }

  private Record record(Name n, int code, long ttl, String value) {
    try {
      return Record.fromString(
          n, code, DClass.IN, ttl, code == Type.CNAME ? value + "." : value, Name.root);
    } catch (IOException e) {
      throw invalid("'" + value + "' is not a valid " + Type.string(code) + " value");
    }
  }

  /** A value the record does not hold, for an update that changes nothing. */
  private static String valueNotIn(DnsRecordType type, List<String> values) {
    List<String> candidates =
        switch (type) {
          case A -> List.of("0.0.0.0", "0.0.0.1", "0.0.0.2");
          case AAAA -> List.of("100::", "100::1", "100::2");
          case CNAME -> List.of("cutover-preflight-" + UUID.randomUUID() + ".invalid");
        };
    return candidates.stream().filter(c -> !values.contains(c)).findFirst().orElseThrow();
  }

  private static String text(Record r) {
    if (r instanceof ARecord a) {
      return DnsValues.address(a.getAddress().getHostAddress(), org.xbill.DNS.Address.IPv4);
    }
    if (r instanceof AAAARecord aaaa) {
      return DnsValues.ipv6(aaaa.getAddress().getAddress());
    }
    return DnsValues.name(((CNAMERecord) r).getTarget());
  }

  private static int code(DnsRecordType type) {
    return switch (type) {
      case A -> Type.A;
      case AAAA -> Type.AAAA;
      case CNAME -> Type.CNAME;
    };
  }

  private static String answeredHow(Message answer) {
    return "it answered "
        + Rcode.string(answer.getRcode())
        + (answer.getHeader().getFlag(Flags.AA) ? "" : ", not authoritatively");
  }

  private ApplicationFailure servfail(DnsServer server) {
    return ApplicationFailure.newFailure(
        where()
            + ": DNS server "
            + server.text()
            + " answered SERVFAIL for zone "
            + zone()
            + " (it may be loading or transferring the zone); retried",
        CutoverErrors.DNS_UNREACHABLE);
  }

  private ApplicationFailure notServed(DnsServer server, String how) {
    return ApplicationFailure.newNonRetryableFailure(
        where()
            + ": DNS server "
            + server.text()
            + " does not serve zone "
            + zone()
            + " ("
            + how
            + "); check the zone and servers of dns entry "
            + target.name(),
        CutoverErrors.DNS_ZONE_NOT_SERVED);
  }

  private ApplicationFailure keyRefused(DnsServer server, String why) {
    return ApplicationFailure.newNonRetryableFailure(
        where()
            + ": DNS server "
            + server.text()
            + " refused TSIG key "
            + keyName()
            + " ("
            + target.tsigAlgorithm()
            + ", secret "
            + target.tsigSecretRef()
            + "): "
            + why,
        CutoverErrors.DNS_KEY_REFUSED);
  }

  private ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(
        where() + ": " + message, CutoverErrors.INVALID_CONFIG);
  }

  private String where() {
    return "step " + step;
  }
}
