package io.neo4jaccess.exchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neo4jaccess.exchange.ExchangeRefused.Reason;
import io.neo4jaccess.gateway.GatewayLauncher;
import io.neo4jaccess.gitlab.CiJob;
import io.neo4jaccess.lease.Decisions;
import io.neo4jaccess.lease.Enforcement;
import io.neo4jaccess.lease.Lease;
import io.neo4jaccess.lease.LeaseRepository;
import io.neo4jaccess.lease.Secrets;
import io.neo4jaccess.lease.UsedJtis;
import io.neo4jaccess.neo4j.Neo4jTarget;
import io.neo4jaccess.neo4j.Targets;
import io.neo4jaccess.policy.Access;
import io.neo4jaccess.policy.Decision;
import io.neo4jaccess.policy.Disclosure;
import io.neo4jaccess.policy.EvidenceJson;
import io.neo4jaccess.policy.Grant;
import io.neo4jaccess.policy.PolicyService;
import io.neo4jaccess.state.StateUnavailable;
import io.neo4jaccess.token.GitLabClaims;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One exchange, after the token is verified: decide, record, create the user, activate. The lease
 * is written before the user exists and the user is dropped again if activation fails, so no user
 * survives without a record. On a pooled gateway target there is no user: the lease is recorded
 * active, with its password's hash, in one commit.
 */
@ApplicationScoped
public class ExchangeService {

  private static final Logger LOG = Logger.getLogger(ExchangeService.class);

  private final PolicyService policy;
  private final LeaseRepository leases;
  private final UsedJtis jtis;
  private final Decisions decisions;
  private final Targets targets;
  private final GatewayLauncher gateways;
  private final ObjectMapper json;
  private final Clock clock;

  @Inject
  public ExchangeService(
      PolicyService policy,
      LeaseRepository leases,
      UsedJtis jtis,
      Decisions decisions,
      Targets targets,
      GatewayLauncher gateways,
      ObjectMapper json,
      Clock clock) {
    this.policy = policy;
    this.leases = leases;
    this.jtis = jtis;
    this.decisions = decisions;
    this.targets = targets;
    this.gateways = gateways;
    this.json = json;
    this.clock = clock;
  }

  /** Evaluates the policy without issuing anything or consuming the token. */
  public Decision explain(GitLabClaims claims) {
    return policy.explain(claims);
  }

  /** What callers are told of a decision. */
  public Disclosure disclosure() {
    return policy.disclosure();
  }

  public Issued exchange(GitLabClaims claims, ScopeRequest request) {
    CiJob job = claims.job();
    Decision decision = policy.decide(claims);
    if (!decision.allowed()) {
      refuse(claims, decision);
    }
    Grant grant = request.narrow(decision.grant());
    Neo4jTarget target = targets.get(grant.target()).orElseThrow();
    Instant now = clock.instant();
    String password = Secrets.password();
    String hash = target.pooled() ? Secrets.sha256(password) : null;
    Lease lease = lease(job, decision.rule(), grant, target, requested(request), now, hash);
    if (!leases.beginIssuing(
        lease, claims.jti(), claims.expiresAt(), record(decision, null, now))) {
      throw replayed();
    }
    if (!lease.granted().pooled()) {
      // A pooled lease is written active in that one commit: the gateway logs its sessions in on
      // a login of the broker's, so there is no user to create.
      createUser(target, lease, password, claims);
      activate(target, lease, claims);
    }
    LOG.infof(
        "lease issued: lease=%s project=%d job=%d rule=%s target=%s user=%s expires=%s",
        lease.id(),
        job.project().id(),
        job.id(),
        lease.granted().rule(),
        lease.granted().target(),
        lease.granted().username(),
        lease.times().expiresAt());
    return new Issued(lease, password, clientUri(target));
  }

  /** What holds the job to its grant: the gateway, the server's roles, or nothing. */
  private static Enforcement enforcement(Neo4jTarget target, Grant grant) {
    if (target.gateway()) {
      return Enforcement.GATEWAY;
    }
    return target.edition().enterprise() && grant.access() == Access.ROLES
        ? Enforcement.ROLES
        : Enforcement.NONE;
  }

  /** Jobs of a gateway target connect to the gateway, never to the server. */
  private String clientUri(Neo4jTarget target) {
    if (!target.gateway()) {
      return target.clientUri();
    }
    return gateways
        .clientUri(target.name())
        .orElseThrow(() -> new IllegalStateException("no gateway runs for " + target.name()));
  }

  /**
   * The exchange without its effects, so that the first job after a start finds the code loaded and
   * run and the statements planned: the policy decides (without asking GitLab), and for each target
   * a lease's issuing and activation are written in a transaction that is rolled back and its
   * user's creation is planned ({@code EXPLAIN}). No user is created and no token is consumed.
   *
   * @param claims a verified rehearsal token's claims, never a job's
   */
  void rehearse(GitLabClaims claims) {
    Decision decision = policy.rehearse(claims);
    Instant now = clock.instant();
    Decisions.Record recorded = record(decision, decision.allowed() ? null : Reason.DENIED, now);
    for (Neo4jTarget target : targets.all()) {
      Grant grant =
          new Grant(
              target.name(),
              target.limits().defaultDatabase(),
              target.limits().enforcesRoles() ? Access.ROLES : Access.FULL,
              List.of(),
              false,
              false,
              Duration.ofMinutes(1));
      // A pooled target's lease is written as its exchanges write it: active, with a hash, no user.
      String hash = target.pooled() ? Secrets.sha256(Secrets.password()) : null;
      Lease lease = lease(claims.job(), "rehearsal", grant, target, null, now, hash);
      leases.rehearseIssuing(lease, claims.jti(), claims.expiresAt(), recorded);
      if (target.pooled()) {
        continue;
      }
      try {
        target.rehearseCreateUser(
            lease.granted().username(), Secrets.password(), grant.database(), grant.roles());
      } catch (RuntimeException e) {
        // A target that cannot plan it now is no reason to stay unready: its own check says
        // whether it is reachable, and the first job's user is created as ever.
        LOG.debugf("user creation not rehearsed: target=%s cause=%s", target.name(), e.getClass());
      }
    }
  }

  private static Lease lease(
      CiJob job,
      String rule,
      Grant grant,
      Neo4jTarget target,
      String requested,
      Instant now,
      String passwordSha256) {
    return Lease.issued(
        Secrets.leaseId(),
        job,
        new Lease.Granted(
            rule,
            grant.target(),
            grant.database(),
            Secrets.username(target.userPrefix(), job.project().id(), job.id()),
            grant.roles(),
            grant.access(),
            grant.schema(),
            grant.remoteCsv(),
            enforcement(target, grant),
            passwordSha256),
        now,
        now.plus(grant.ttl()),
        requested);
  }

  /** The narrowing as recorded on the lease: what the job sent, or null when it sent nothing. */
  private String requested(ScopeRequest request) {
    if (request.equals(ScopeRequest.NONE)) {
      return null;
    }
    try {
      return json.writer().writeValueAsString(request);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("request not serialisable", e);
    }
  }

  private void createUser(Neo4jTarget target, Lease lease, String password, GitLabClaims claims) {
    try {
      target.createUser(
          lease.granted().username(),
          password,
          lease.granted().database(),
          lease.granted().roles());
    } catch (RuntimeException e) {
      LOG.warnf(e, "user creation failed: lease=%s target=%s", lease.id(), target.name());
      leases.markFailed(lease.id(), claims.instance(), claims.jti(), "user creation failed");
      throw new ExchangeRefused(
          Reason.TARGET_UNAVAILABLE, "The Neo4j target could not create the user.", Map.of(), e);
    }
  }

  private void activate(Neo4jTarget target, Lease lease, GitLabClaims claims) {
    boolean activated;
    try {
      activated = leases.markActive(lease.id());
    } catch (RuntimeException e) {
      undo(target, lease);
      throw e instanceof StateUnavailable down ? down : new StateUnavailable(e);
    }
    if (!activated) {
      // The sweeper took this lease for abandoned (issuing longer than stuck-grace) and drops its
      // user, maybe before CREATE USER ran: the credentials would be dead, or alive without a live
      // lease. Drop the user (again), give the token back, and let the job retry.
      LOG.warnf("lease abandoned while issuing, not handed out: lease=%s", lease.id());
      undo(target, lease);
      jtis.release(claims.instance(), claims.jti());
      throw new ExchangeRefused(
          Reason.ABANDONED, "The lease was given up before it became active; retry.");
    }
  }

  /** Drops a user whose lease could not be activated; if that fails the reconciler will. */
  private static void undo(Neo4jTarget target, Lease lease) {
    RuntimeException failed =
        target.revokeUsers(List.of(lease.granted().username())).get(lease.granted().username());
    if (failed != null) {
      LOG.errorf(failed, "could not drop user of unrecorded lease: lease=%s", lease.id());
    }
  }

  private void refuse(GitLabClaims claims, Decision decision) {
    if (jtis.used(claims.instance(), claims.jti())) {
      throw replayed();
    }
    Reason reason = decision.gitlabUnavailable() ? Reason.GITLAB_UNAVAILABLE : Reason.DENIED;
    decisions.recordDenial(claims.job(), claims.jti(), record(decision, reason, clock.instant()));
    Disclosure disclosure = policy.disclosure();
    throw new ExchangeRefused(
        reason, disclosure.summary(decision), disclosure.denial(decision), null);
  }

  private static ExchangeRefused replayed() {
    return new ExchangeRefused(Reason.TOKEN_REPLAYED, "This ID token was already exchanged.");
  }

  /** The decision as recorded: outcome, rule, trace, the policy that made it, and on what. */
  private Decisions.Record record(Decision decision, Reason refusal, Instant at) {
    try {
      return new Decisions.Record(
          UUID.randomUUID().toString(),
          at,
          decision.allowed(),
          refusal == null ? null : refusal.name().toLowerCase(java.util.Locale.ROOT),
          decision.allowed()
              ? decision.rule()
              : decision.closest() == null ? null : decision.closest().rule(),
          json.writeValueAsString(decision.trace()),
          new Decisions.Policy(
              decision.version().sha256(),
              decision.version().declared(),
              EvidenceJson.write(decision.evidence())));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("decision trace not serialisable", e);
    }
  }
}
