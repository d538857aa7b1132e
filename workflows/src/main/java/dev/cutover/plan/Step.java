package dev.cutover.plan;

import dev.cutover.steps.dns.DnsRecordType;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One typed step. Common fields come first; the rest belong to the step kinds that use them (see
 * docs/plan.md, one section per kind), and the validator refuses a field on a kind that does not use it.
 */
@Doc("One step of a phase.")
public record Step(
    @Doc("Unique name of the step in the plan; operators decide on it by this name. Required except in undo.") String name,
    @Required @Doc("The kind of step.") StepKind kind,
    @Doc("Name of the host the step acts on (from hosts).") String host,
    @Doc("Free text shown in status, the UI and reports.") String description,
    @Doc("Longest time one attempt may take (default 10m).") Duration timeout,
    @Doc("Retry policy for the step's attempts.") Retry retry,
    @Doc("What to do when the retries are spent: ask (default), abort or continue.") OnFailure onFailure,
    @Doc("The step that reverts this one when the migration is aborted before the point of no return. service, cron, maintenance and put steps undo themselves without one.")
        Step undo,
    @Doc("After this step starts, abort no longer undoes finished steps: it stops and holds.")
        Boolean pointOfNoReturn,
    @Doc("Run through `sudo -n` on the host (default: the host's sudo).") Boolean sudo,
    @Doc("run: the command, passed to sh -c exactly as written. service: a custom command that performs the action instead of systemctl.")
        String command,
    @Doc("run: working directory.") String cwd,
    @Doc("run: environment variables with literal values.") Map<String, String> env,
    @Doc("run: environment variables whose values come from named secrets.") Map<String, String> secretEnv,
    @Doc("wait: how long to wait.") Duration duration,
    @Doc("rsync, cron: the host to copy from. pg-copy, pg-replicate, pg-verify: the database (from databases) to copy from.") String from,
    @Doc("rsync, cron: the host to copy to. pg-copy, pg-replicate, pg-verify: the database to copy to.") String to,
    @Doc("rsync: the directory to copy, on the from host; its contents are copied.") String source,
    @Doc("rsync: the directory to copy into, on the to host.") String target,
    @Doc("rsync: patterns to leave out, relative to source (rsync --exclude).") List<String> excludes,
    @Doc("rsync: delete files on the target that are not in the source (default false).") Boolean delete,
    @Doc("rsync: keep partly sent files so a retry resumes them (default true).") Boolean partial,
    @Doc("rsync: transfer rate limit in KiB per second.") Integer bwlimit,
    @Doc("rsync: run rsync on the to host, pulling from the from host (default: run on the from host and push).")
        Boolean pull,
    @Doc("rsync: private key file on the host that runs rsync, for its connection to the other host (default: that user's own ssh keys).")
        String identity,
    @Doc("service: the systemd unit, like app.service.") String unit,
    @Doc("service: start, stop, restart, enable or disable. maintenance: on or off. pg-replicate: start (default in prepare, lower-ttl and presync) or finish (default later).")
        String action,
    @Doc("service: a command that exits 0 while the service runs (enable, disable: while it is enabled), with a custom command. maintenance: a command that exits 0 while the page is on.")
        String check,
    @Doc("service: how long the unit may take to reach its state (default 60s).") Duration settle,
    @Doc("cron: the user whose crontab moves.") String user,
    @Doc("cron: replace a different crontab already on the to host (default false: stop before changing anything).")
        Boolean replace,
    @Doc("put, maintenance: the file's absolute path on the host.") String path,
    @Doc("put, maintenance: the file's content (literal text, recorded in the history).") String content,
    @Doc("put: name of the secret (under secrets) whose value is the file's content; it never enters the history.")
        String contentSecret,
    @Doc("put: the file's mode in octal, like 0644 (quote it in YAML).") String mode,
    @Doc("put: the file's owner, user or user:group.") String owner,
    @Doc("put: keep the previous file's backup (PATH.cutover-MIGRATION-RUN-STEP.bak) or absent marker once the migration has completed (default false: they are removed then).")
        Boolean keepBackup,
    @Doc("maintenance: the command that turns the page on (instead of a file).") String onCommand,
    @Doc("maintenance: the command that turns the page off.") String offCommand,
    @Doc("sql, pg-connections: the database (from databases) to act on.") String database,
    @Doc("pg-copy: parallel jobs for dump and restore (default 1: one streamed, atomic restore).") Integer jobs,
    @Doc("pg-copy, pg-replicate: leave object ownership out (pg_restore --no-owner); objects then belong to the target's user or role.")
        Boolean noOwner,
    @Doc("pg-copy, pg-replicate: leave grants out (pg_restore --no-privileges).") Boolean noPrivileges,
    @Doc("pg-copy, pg-replicate: the role the restore runs as and that owns the objects (pg_restore --role).") String role,
    @Doc("pg-copy: schemas to copy (default all).") List<String> schemas,
    @Doc("pg-copy, pg-verify: tables to leave out, as schema.table.") List<String> excludeTables,
    @Doc("pg-replicate: the publication's name on the from database (default cutover_MIGRATION_FROM_TO).") String publication,
    @Doc("pg-replicate: the subscription's name on the to database, also its slot's name (default as the publication).")
        String subscription,
    @Doc("pg-replicate, pg-verify: tables to replicate or compare, as schema.table (default all).") List<String> tables,
    @Doc("pg-replicate start: copy the schema to the to database first (default true).") Boolean copySchema,
    @Doc("pg-replicate finish: copy sequence values, which logical replication does not carry (default true).")
        Boolean copySequences,
    @Doc("pg-replicate finish: then replicate back from the to database to the from database without an initial copy, so a rollback after go-live loses nothing.")
        Boolean reverse,
    @Doc("pg-verify: compare a checksum of every table's content as well as its row count (default true).") Boolean checksums,
    @Doc("sql: the query (recorded in the history: no secrets in it).") String query,
    @Doc("sql: how many rows the query must return.") Integer expectRows,
    @Doc("sql: what the first column of the first row must be, as text.") String expectValue,
    @Doc("pg-connections: roles whose connections do not count.") List<String> ignoreUsers,
    @Doc("pg-connections: application names whose connections do not count.") List<String> ignoreApplications,
    @Doc("pg-connections: terminate the clients still connected instead of waiting for them to leave (default false).")
        Boolean terminate,
    @Doc("pg-connections: with terminate, how long clients get to leave first (default: terminate at once).") Duration terminateAfter,
    @Doc("pg-connections: how often connections are counted (default 2s). dns-ttl, dns-set: how often the servers are asked while waiting for the new answer (default 1s).") Duration interval,
    @Doc("dns-ttl, dns-set: the entry (from dns) that holds the record.") String dns,
    @Doc("dns-ttl, dns-set: the record's name, absolute (www.example.org) or relative to the zone (www, @); for hosts-file, the host name as the file lists it.")
        String record,
    @Doc("dns-ttl, dns-set: the record's type: A (default), AAAA or CNAME.") DnsRecordType type,
    @Doc("dns-ttl: the TTL to set. dns-set: the TTL to set with the new value (default: keep the record's TTL).") Duration ttl,
    @Doc("dns-set: the record's new value: an address, or a name for CNAME.") String value,
    @Doc("proxy-switch: the nginx site file on the host, like /etc/nginx/sites-available/app; its content is kept and put back by the undo.")
        String site,
    @Doc("proxy-switch: the link in sites-enabled that must point to the site (created if missing).") String enabledLink,
    @Doc("proxy-switch: the server_name values the site answers.") List<String> serverNames,
    @Doc("proxy-switch: the listen values, like 80 or \"443 ssl\" (default 80).") List<String> listen,
    @Doc("proxy-switch: the certificate file on the host, for ssl listeners.") String certificate,
    @Doc("proxy-switch: the certificate's key file on the host, for ssl listeners.") String certificateKey,
    @Doc("proxy-switch: where to proxy to, like https://10.0.0.2 (default http:// and the to host's address).") String upstream,
    @Doc("proxy-switch: the name sent to the upstream in the Host header and SNI (default: the client's Host header).") String upstreamHost,
    @Doc("proxy-switch: the upstream read timeout (default nginx's). http: how long the request may take (default 10s).") Duration readTimeout,
    @Doc("proxy-switch: the command that checks nginx's configuration (default nginx -t).") String testCommand,
    @Doc("proxy-switch: the command that reloads nginx (default systemctl reload nginx under systemd, else nginx -s reload).") String reloadCommand,
    @Doc("http, tls: the URL to check, like https://www.example.org/health (tls uses its host and port).") String url,
    @Doc("http: the status the response must have (default 200).") Integer expectStatus,
    @Doc("http: a regular expression the body must contain a match for.") String expectBody,
    @Doc("http, tls: connect to another address for a host name, keeping the real Host header and SNI: {www.example.org: new} sends the request to the new host's address before DNS moves. A value is a host (from hosts) or an address.")
        Map<String, String> resolve,
    @Doc("http: request headers with literal values.") Map<String, String> headers,
    @Doc("http: request headers whose values come from named secrets.") Map<String, String> secretHeaders,
    @Doc("http: follow redirects (default false: the first response counts).") Boolean followRedirects,
    @Doc("tls: how many days the certificate must still be valid (default 14).") Integer validDays,
    @Doc("notify: the text sent (recorded in the history: no secrets in it); the description, or the step's name, is its title.")
        String message) {

  public Step {
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    secretEnv = secretEnv == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(secretEnv));
    excludes = excludes == null ? List.of() : List.copyOf(excludes);
    schemas = schemas == null ? List.of() : List.copyOf(schemas);
    excludeTables = excludeTables == null ? List.of() : List.copyOf(excludeTables);
    tables = tables == null ? List.of() : List.copyOf(tables);
    ignoreUsers = ignoreUsers == null ? List.of() : List.copyOf(ignoreUsers);
    serverNames = serverNames == null ? List.of() : List.copyOf(serverNames);
    listen = listen == null ? List.of() : List.copyOf(listen);
    resolve = resolve == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(resolve));
    headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    secretHeaders = secretHeaders == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(secretHeaders));
    ignoreApplications = ignoreApplications == null ? List.of() : List.copyOf(ignoreApplications);
  }

  public OnFailure onFailureOrDefault() {
    if (onFailure != null) {
      return onFailure;
    }
    // An undeliverable notification is reported, never a reason to stop the migration.
    return kind == StepKind.NOTIFY ? OnFailure.CONTINUE : OnFailure.ASK;
  }

  public boolean isPointOfNoReturn() {
    return Boolean.TRUE.equals(pointOfNoReturn);
  }

  /** The same step under another name, without undo or point of no return: how an undo runs. */
  public Step asUndo(String undoName) {
    return new Step(undoName, kind, host, description, timeout, retry, onFailure, null, null, sudo, command, cwd, env, secretEnv,
        duration, from, to, source, target, excludes, delete, partial, bwlimit, pull, identity, unit, action, check, settle, user,
        replace, path, content, contentSecret, mode, owner, keepBackup, onCommand, offCommand, database, jobs, noOwner, noPrivileges, role,
        schemas, excludeTables, publication, subscription, tables, copySchema, copySequences, reverse, checksums, query,
        expectRows, expectValue, ignoreUsers, ignoreApplications, terminate, terminateAfter, interval, dns, record, type, ttl,
        value, site, enabledLink, serverNames, listen, certificate, certificateKey, upstream, upstreamHost, readTimeout,
        testCommand, reloadCommand, url, expectStatus, expectBody, resolve, headers, secretHeaders, followRedirects, validDays,
        message);
  }

  /** A run step, as tests and the demo build them. */
  public static Step run(String name, String host, String command) {
    return new Step(name, StepKind.RUN, host, null, null, null, null, null, null, null, command, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null,
        null);
  }

  /** Where the step acts, for status and messages: its host or database, or "old -> new" for a copy between two. */
  public String placeText() {
    if (host != null) {
      return host;
    }
    if (database != null) {
      return database;
    }
    if (dns != null) {
      return dns + (record == null ? "" : " " + record);
    }
    if (url != null) {
      return url;
    }
    return from != null && to != null ? from + " -> " + to : null;
  }

  /** Whether the step acts on databases (from the plan's databases) rather than hosts. */
  public boolean onDatabases() {
    return kind != null && kind.onDatabases();
  }

  /** The hosts the step acts on by name, for status and preflight; a database step names databases instead. */
  public List<String> hosts() {
    List<String> names = new java.util.ArrayList<>();
    if (onDatabases()) {
      return names;
    }
    for (String h : new String[] {host, from, to}) {
      if (h != null && !names.contains(h)) {
        names.add(h);
      }
    }
    return names;
  }
}
