package dev.cutover.steps.pgswitch;

import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.postgres.PgConnInfo;
import dev.cutover.steps.postgres.PgEndpoint;
import dev.cutover.steps.postgres.PgReplicationParts;
import dev.cutover.steps.postgres.PgReplicationParts.SlotState;
import dev.cutover.steps.postgres.PgReplicationParts.SubscriptionState;
import dev.cutover.steps.postgres.PgSession;
import dev.cutover.steps.postgres.PgSessions;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replication back from the database switched to ({@code to}, publishing) to the one switched
 * from ({@code from}, subscribing), so going back loses nothing written after the switch.
 *
 * <p>It must start exactly at the switch instant: a slot made earlier would also send back the rows
 * the forward replication applies (PostgreSQL 15 has no {@code origin = none}), one made later
 * would miss the first writes. So it is made in two halves. Before the freeze ({@link #prepare})
 * what costs time: the checks, the publication on {@code to}, and the subscription on {@code from},
 * created disabled on a slot that does not exist yet (that costs a connection from {@code from} to
 * {@code to}, to learn the tables). At the instant ({@link #atInstant}) only the slot on {@code
 * to}: one statement, whose consistent point is the instant, holding every write on {@code to} from
 * then on. After the release ({@link #startApplying}) the subscription is enabled and applies them.
 *
 * <p>Every part carries the mark {@code cutover:<step>} and is found again by a retry: the slot of
 * an attempt that never passed the commit point (the forward subscription is still on {@code to})
 * saw the forward replication go on after its instant, so {@link #prepare} drops it; after the
 * commit point it is the instant's and is kept.
 */
public final class ReverseReplication {
  private static final Logger log = LoggerFactory.getLogger(ReverseReplication.class);

  private final PgSessions sessions;
  private final String step;
  private final PgEndpoint to;
  private final String forwardPublication;
  private final String forwardSubscription;
  private final String publication;
  private final String subscription;
  private final String mark;

  /**
   * @param to the database switched to: it publishes the way back
   * @param forwardPublication the forward replication's publication on the database switched from:
   *     the way back publishes the same tables
   * @param forwardSubscription the forward replication's subscription on {@code to}: while it is
   *     there, the commit point was not passed
   * @param publication the way back's publication, on {@code to}
   * @param subscription the way back's subscription, on the database switched from; also its slot's
   *     name on {@code to}
   */
  public ReverseReplication(
      PgSessions sessions,
      String step,
      PgEndpoint to,
      String forwardPublication,
      String forwardSubscription,
      String publication,
      String subscription) {
    this.sessions = sessions;
    this.step = step;
    this.to = to;
    this.forwardPublication = forwardPublication;
    this.forwardSubscription = forwardSubscription;
    this.publication = publication;
    this.subscription = subscription;
    this.mark = PgReplicationParts.MARK + step;
  }

  public String publication() {
    return publication;
  }

  public String subscription() {
    return subscription;
  }

  /** The slot on {@code to}: the subscription's name, as pg-replicate names it. */
  public String slot() {
    return subscription;
  }

  /**
   * Before the freeze: checks both servers, drops the slot of an attempt that did not pass the
   * commit point, makes the publication on {@code to} and the disabled subscription on {@code
   * from}, or finds them made. Refuses (non-retryable) when either server cannot take its part, or
   * the names are taken by a replication that is not this step's.
   *
   * @param fromSession on the database switched from
   * @param toSession on the database switched to
   */
  public void prepare(PgSession fromSession, PgSession toSession) {
    boolean committed = PgReplicationParts.subscription(toSession, forwardSubscription) == null;
    SlotState slot = PgReplicationParts.slot(toSession, slot());
    SubscriptionState sub = PgReplicationParts.subscription(fromSession, subscription);
    if (slot != null && !committed) {
      // Made at an instant the section then undid: the forward replication went on after it.
      if (sub != null && sub.enabled()) {
        PgReplicationParts.disableSubscription(fromSession, subscription);
      }
      PgReplicationParts.dropSlot(toSession, slot());
      log.info(
          "step {}: dropped slot {} on {} left by an attempt that did not switch",
          step,
          slot(),
          toSession.describe());
      slot = null;
    }
    String publicationComment = PgReplicationParts.publicationComment(toSession, publication);
    List<String> tables = PgReplicationParts.publicationTables(fromSession, forwardPublication);
    List<String> problems =
        new ArrayList<>(
            PgReplicationParts.publisherProblems(
                toSession,
                tables == null ? List.of() : tables,
                publicationComment == null,
                slot == null));
    if (sub == null) {
      problems.addAll(PgReplicationParts.subscriberProblems(fromSession));
    } else if (!mark.equals(sub.comment()) || !slot().equals(sub.slot())) {
      problems.add(
          "subscription "
              + subscription
              + " on "
              + fromSession.describe()
              + " is not this step's (comment '"
              + sub.comment()
              + "', slot "
              + sub.slot()
              + "): drop it, or name the replication back otherwise");
    }
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "step "
              + step
              + ": the replication back cannot start at the switch: "
              + String.join("; ", problems),
          CutoverErrors.DB_PREREQUISITE);
    }
    if (publicationComment == null) {
      PgReplicationParts.createPublication(
          toSession, publication, tables == null ? List.of() : tables, mark);
    }
    if (sub == null) {
      String password = sessions.password(to);
      PgReplicationParts.createDisabledSubscription(
          fromSession,
          subscription,
          PgConnInfo.forSubscription(to, password),
          password,
          publication,
          slot(),
          mark);
    }
  }

  /**
   * At the switch instant: the slot on {@code to}, unless this attempt made it already. Returns its
   * consistent point, or {@code null} when it was there.
   */
  public String atInstant(PgSession toSession) {
    if (PgReplicationParts.slot(toSession, slot()) != null) {
      return null;
    }
    return PgReplicationParts.createSlot(toSession, slot());
  }

  /** After the release: the subscription applies what the slot kept; idempotent. */
  public void startApplying(PgSession fromSession) {
    SubscriptionState sub = PgReplicationParts.subscription(fromSession, subscription);
    if (sub == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "step "
              + step
              + ": subscription "
              + subscription
              + " of the replication back is not on "
              + fromSession.describe()
              + " any more: nothing written after the switch reaches it; set it up again",
          CutoverErrors.STATE_CONFLICT);
    }
    if (!sub.enabled()) {
      PgReplicationParts.enableSubscription(fromSession, subscription);
    }
  }

  /**
   * Drops what this step made of the replication back (the subscription, its slot, the publication
   * if it carries the mark); what is gone already is fine.
   */
  public Teardown teardown(PgSession fromSession, PgSession toSession) {
    SubscriptionState sub = PgReplicationParts.subscription(fromSession, subscription);
    boolean subscriptionDropped =
        sub != null
            && mark.equals(sub.comment())
            && PgReplicationParts.dropSubscription(toSession, fromSession, subscription);
    boolean slotDropped =
        (sub == null || subscriptionDropped) && PgReplicationParts.dropSlot(toSession, slot());
    boolean publicationDropped =
        mark.equals(PgReplicationParts.publicationComment(toSession, publication))
            && PgReplicationParts.dropPublication(toSession, publication);
    return new Teardown(subscriptionDropped, slotDropped, publicationDropped);
  }

  /** What a teardown dropped. */
  public record Teardown(boolean subscription, boolean slot, boolean publication) {}
}
