package io.neo4jaccess.lease;

import static io.neo4jaccess.api.ErrorCode.DENIED;
import static io.neo4jaccess.api.ErrorCode.GITLAB_UNAVAILABLE;
import static io.neo4jaccess.api.ErrorCode.STATE_UNAVAILABLE;
import static io.neo4jaccess.api.ErrorCode.TARGET_UNAVAILABLE;
import static io.neo4jaccess.api.ErrorCode.TOKEN_REPLAYED;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neo4jaccess.api.BrokerException;
import io.neo4jaccess.policy.Decision;
import io.neo4jaccess.policy.Grant;
import io.neo4jaccess.policy.PolicyService;
import io.neo4jaccess.target.Neo4jTarget;
import io.neo4jaccess.target.Targets;
import io.neo4jaccess.token.GitLabClaims;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One exchange, after the token is verified: decide, record, create the user, activate. The lease
 * is written before the user exists and the user is dropped again if activation fails, so no user
 * survives without a record.
 */
@ApplicationScoped
public class ExchangeService {

  private static final Logger LOG = Logger.getLogger(ExchangeService.class);

  private final PolicyService policy;
  private final LeaseStore store;
  private final Targets targets;
  private final ObjectMapper json;
  private final Clock clock;

  /** What a successful exchange hands back; the password exists only here and in the reply. */
  public record Issued(Lease lease, String password, String clientUri, boolean rolesEnforced) {}

  @Inject
  public ExchangeService(
      PolicyService policy, LeaseStore store, Targets targets, ObjectMapper json, Clock clock) {
    this.policy = policy;
    this.store = store;
    this.targets = targets;
    this.json = json;
    this.clock = clock;
  }

  /** Evaluates the policy without issuing anything or consuming the token. */
  public Decision explain(GitLabClaims claims) {
    return policy.decide(claims);
  }

  public Issued exchange(GitLabClaims claims, ScopeRequest request) {
    JobIdentity job = JobIdentity.of(claims);
    Decision decision = policy.decide(claims);
    if (!decision.allowed()) {
      refuse(claims, job, decision);
    }
    Grant grant = request.narrow(decision.grant());
    Neo4jTarget target = targets.get(grant.target()).orElseThrow();
    Instant now = clock.instant();
    Lease lease =
        new Lease(
            Credentials.leaseId(),
            "issuing",
            job.instance(),
            job.projectId(),
            job.projectPath(),
            job.pipelineId(),
            job.jobId(),
            job.ref(),
            job.sha(),
            job.userLogin(),
            job.environment(),
            decision.rule(),
            grant.target(),
            grant.database(),
            Credentials.username(target.userPrefix(), job.projectId(), job.jobId()),
            grant.roles(),
            now,
            now.plus(grant.ttl()),
            null,
            null);
    boolean fresh =
        state(
            () ->
                store.beginIssuing(
                    job, claims.jti(), claims.expiresAt(), lease, record(decision, null, now)));
    if (!fresh) {
      throw new BrokerException(TOKEN_REPLAYED, "This ID token was already exchanged.");
    }
    String password = Credentials.password();
    try {
      target.createUser(lease.username(), password, grant.roles());
    } catch (RuntimeException e) {
      LOG.warnf(e, "user creation failed: lease=%s target=%s", lease.id(), target.name());
      state(
          () -> {
            store.markFailed(lease.id(), job.instance(), claims.jti(), "user creation failed");
            return null;
          });
      throw new BrokerException(
          TARGET_UNAVAILABLE, "The Neo4j target could not create the user.", e);
    }
    boolean activated;
    try {
      activated = store.markActive(lease.id());
    } catch (RuntimeException e) {
      undo(target, lease);
      throw new BrokerException(STATE_UNAVAILABLE, "The lease could not be recorded.", e);
    }
    if (!activated) {
      // The sweeper took this lease for abandoned (issuing longer than stuck-grace) and drops its
      // user, maybe before CREATE USER ran: the credentials would be dead, or alive without a live
      // lease. Drop the user (again), give the token back, and let the job retry.
      LOG.warnf("lease abandoned while issuing, not handed out: lease=%s", lease.id());
      undo(target, lease);
      state(
          () -> {
            store.releaseJti(job.instance(), claims.jti());
            return null;
          });
      throw new BrokerException(
          STATE_UNAVAILABLE, "The lease was given up before it became active; retry.");
    }
    LOG.infof(
        "lease issued: lease=%s project=%d job=%d rule=%s target=%s user=%s expires=%s",
        lease.id(),
        job.projectId(),
        job.jobId(),
        lease.rule(),
        lease.target(),
        lease.username(),
        lease.expiresAt());
    return new Issued(lease, password, target.clientUri(), target.edition().enterprise());
  }

  /** Drops a user whose lease could not be activated; if that fails the reconciler will. */
  private void undo(Neo4jTarget target, Lease lease) {
    try {
      target.revokeUser(lease.username());
    } catch (RuntimeException dropFailed) {
      LOG.errorf(dropFailed, "could not drop user of unrecorded lease: lease=%s", lease.id());
    }
  }

  private void refuse(GitLabClaims claims, JobIdentity job, Decision decision) {
    if (state(() -> store.jtiUsed(claims.instance(), claims.jti()))) {
      throw new BrokerException(TOKEN_REPLAYED, "This ID token was already exchanged.");
    }
    String code = decision.gitlabUnavailable() ? GITLAB_UNAVAILABLE.code() : DENIED.code();
    state(
        () -> {
          store.recordDecision(job, record(decision, code, clock.instant()));
          return null;
        });
    Map<String, Object> extensions = new LinkedHashMap<>();
    extensions.put("closest_rule", decision.closest() == null ? null : decision.closest().rule());
    if (policy.tracesVisible()) {
      extensions.put("trace", decision.trace());
    }
    throw new BrokerException(
        decision.gitlabUnavailable() ? GITLAB_UNAVAILABLE : DENIED,
        decision.denialSummary(),
        extensions,
        null);
  }

  private LeaseStore.DecisionRecord record(Decision decision, String code, Instant at) {
    try {
      return new LeaseStore.DecisionRecord(
          UUID.randomUUID().toString(),
          at,
          decision.allowed(),
          code,
          decision.allowed() ? decision.rule() : closestRule(decision),
          json.writeValueAsString(decision.trace()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("decision trace not serialisable", e);
    }
  }

  private static String closestRule(Decision decision) {
    return decision.closest() == null ? null : decision.closest().rule();
  }

  private static <T> T state(java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (StateUnavailableException e) {
      throw new BrokerException(STATE_UNAVAILABLE, "The broker's state store is unavailable.", e);
    }
  }
}
