package dev.cutover.worker;

import dev.cutover.attempts.AttemptErrorsInterceptor;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.ssh.SshConnections;
import dev.cutover.hosts.ssh.SshSettings;
import dev.cutover.preflight.PreflightActivitiesImpl;
import dev.cutover.secrets.SecretMaskingInterceptor;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.cron.CronActivitiesImpl;
import dev.cutover.steps.dns.DnsActivitiesImpl;
import dev.cutover.steps.http.HttpCheckActivitiesImpl;
import dev.cutover.steps.maintenance.MaintenanceActivitiesImpl;
import dev.cutover.steps.notify.NotifyActivitiesImpl;
import dev.cutover.steps.pgdatabase.PgDatabaseActivitiesImpl;
import dev.cutover.steps.pgswitch.PgSwitchActivitiesImpl;
import dev.cutover.steps.postgres.PgSessions;
import dev.cutover.steps.postgres.PostgresActivitiesImpl;
import dev.cutover.steps.proxy.ProxySwitchActivitiesImpl;
import dev.cutover.steps.put.PutActivitiesImpl;
import dev.cutover.steps.reboot.RebootActivitiesImpl;
import dev.cutover.steps.rsync.RsyncActivitiesImpl;
import dev.cutover.steps.run.RunActivitiesImpl;
import dev.cutover.steps.service.ServiceActivitiesImpl;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The worker's one list of activities: each {@code @Bean} below whose class implements an activity
 * interface is registered on the cutover task queue by {@link ActivityRegistration}; nothing else
 * names them. A new kind's activities are one more {@code @Bean} method here.
 */
@Configuration
public class ActivitiesConfiguration {

  /** Registers the activity beans of this class on the cutover worker before it starts. */
  @Bean
  public ActivityRegistration activityRegistration(
      ListableBeanFactory beans, WorkerFactory workers) {
    return new ActivityRegistration(beans, workers);
  }

  @Bean
  public SecretResolver secretResolver() {
    return new SecretResolver();
  }

  /**
   * Masks every secret of a plan in what any of its activities hands back (results, failures,
   * heartbeats) and in the output the shells keep; the Temporal starter adds it to the worker.
   * Ordered last: the SDK wraps interceptors in list order, so the last is the outermost, and every
   * other interceptor's heartbeats and failures (the attempt errors carried forward) pass through
   * it.
   */
  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE)
  public SecretMaskingInterceptor secretMaskingInterceptor(SecretResolver secrets) {
    return new SecretMaskingInterceptor(secrets);
  }

  /** One connection per host for the whole worker; closed when the worker stops. */
  @Bean(destroyMethod = "close")
  public SshConnections sshConnections(
      SecretResolver secrets,
      @Value("${cutover.ssh.identity-files:}") String identityFiles,
      @Value("${cutover.ssh.known-hosts:}") String knownHosts,
      @Value("${cutover.ssh.connect-timeout:5s}") Duration connectTimeout,
      @Value("${cutover.ssh.keep-alive:15s}") Duration keepAlive) {
    List<Path> keys = names(identityFiles).stream().map(Path::of).toList();
    return new SshConnections(
        new SshSettings(
            keys, knownHosts.isBlank() ? null : Path.of(knownHosts), connectTimeout, keepAlive),
        secrets);
  }

  @Bean
  public HostShells hostShells(
      SshConnections ssh, @Value("${cutover.run.pass-env:}") String passEnv) {
    return new HostShells(ssh, names(passEnv));
  }

  @Bean
  public RunActivitiesImpl runActivities(SecretResolver secrets, HostShells shells) {
    return new RunActivitiesImpl(secrets, shells);
  }

  @Bean
  public RsyncActivitiesImpl rsyncActivities(HostShells shells) {
    return new RsyncActivitiesImpl(shells);
  }

  @Bean
  public ServiceActivitiesImpl serviceActivities(HostShells shells) {
    return new ServiceActivitiesImpl(shells);
  }

  @Bean
  public CronActivitiesImpl cronActivities(HostShells shells) {
    return new CronActivitiesImpl(shells);
  }

  @Bean
  public MaintenanceActivitiesImpl maintenanceActivities(HostShells shells) {
    return new MaintenanceActivitiesImpl(shells);
  }

  @Bean
  public PutActivitiesImpl putActivities(HostShells shells, SecretResolver secrets) {
    return new PutActivitiesImpl(shells, secrets);
  }

  /**
   * Opens database sessions (JDBC from the worker, or psql on a host) with passwords resolved here
   * only.
   */
  @Bean
  public PgSessions pgSessions(HostShells shells, SecretResolver secrets) {
    return new PgSessions(shells, secrets);
  }

  @Bean
  public PostgresActivitiesImpl postgresActivities(PgSessions sessions, HostShells shells) {
    return new PostgresActivitiesImpl(sessions, shells);
  }

  /**
   * pg-database: the owner's password resolved here only, sent to the server as a SCRAM verifier.
   */
  @Bean
  public PgDatabaseActivitiesImpl pgDatabaseActivities(
      PgSessions sessions, SecretResolver secrets) {
    return new PgDatabaseActivitiesImpl(sessions, secrets);
  }

  @Bean
  public PgSwitchActivitiesImpl pgSwitchActivities(PgSessions sessions, SecretResolver secrets) {
    return new PgSwitchActivitiesImpl(sessions, secrets);
  }

  @Bean
  public RebootActivitiesImpl rebootActivities(HostShells shells) {
    return new RebootActivitiesImpl(shells);
  }

  /**
   * DNS records by RFC 2136 (TSIG secrets resolved here only) or in hosts files over the hosts'
   * transport.
   */
  @Bean
  public DnsActivitiesImpl dnsActivities(SecretResolver secrets, HostShells shells) {
    return new DnsActivitiesImpl(secrets, shells);
  }

  @Bean
  public ProxySwitchActivitiesImpl proxySwitchActivities(HostShells shells) {
    return new ProxySwitchActivitiesImpl(shells);
  }

  /** http and tls checks, trusting the worker's default trust store. */
  @Bean
  public HttpCheckActivitiesImpl httpCheckActivities(SecretResolver secrets) {
    return new HttpCheckActivitiesImpl(secrets);
  }

  @Bean
  public PreflightActivitiesImpl preflightActivities(
      HostShells shells, PgSessions pgSessions, SecretResolver secrets) {
    return new PreflightActivitiesImpl(shells, pgSessions, secrets);
  }

  /** Webhook and e-mail notifications, with the URL and SMTP credentials resolved here only. */
  @Bean
  public NotifyActivitiesImpl notifyActivities(SecretResolver secrets) {
    return new NotifyActivitiesImpl(secrets);
  }

  /**
   * Every failed attempt's error reaches the history, for the report (the spring starter registers
   * worker interceptors it finds as beans).
   */
  @Bean
  @Order(0)
  public AttemptErrorsInterceptor attemptErrorsInterceptor() {
    return new AttemptErrorsInterceptor();
  }

  private static Set<String> names(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(","))
        .map(String::trim)
        .filter(n -> !n.isEmpty())
        .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
  }
}
