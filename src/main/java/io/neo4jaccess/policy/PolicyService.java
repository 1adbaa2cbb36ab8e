package io.neo4jaccess.policy;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.neo4jaccess.gitlab.CiJob;
import io.neo4jaccess.gitlab.GitLabConfig;
import io.neo4jaccess.gitlab.ProtectionFacts;
import io.neo4jaccess.token.GitLabClaims;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The loaded policy, and its reloads. Loading happens at start, so a bad policy stops the broker
 * from starting; later a policy replaces the loaded one only once it is valid against the live
 * targets and instances, and whoever took the policy before keeps deciding with it: an exchange
 * takes it once ({@link #decide}) and is decided by it to the end.
 */
@Startup
@ApplicationScoped
public class PolicyService {

  private static final Logger LOG = Logger.getLogger(PolicyService.class);
  static final String RELOADS_METRIC = "broker.policy.reloads";
  static final String INFO_METRIC = "broker.policy.info";

  /** What a reload did. */
  public enum Reload {
    APPLIED,
    REFUSED,
    UNCHANGED
  }

  /** A policy in force, since when. */
  public record Loaded(Policy policy, Instant at) {}

  private final PolicyConfig config;
  private final PolicyLoader loader;
  private final ProtectionFacts facts;
  private final Disclosure disclosure;
  private final PolicyRepositories repositories;
  private final MeterRegistry metrics;
  private final Clock clock;
  private volatile Loaded loaded;
  private volatile String refused;
  private Gauge info;

  @Inject
  PolicyService(
      PolicyConfig config,
      TargetCatalog targets,
      ProtectionFacts facts,
      GitLabConfig gitlab,
      MeterRegistry metrics,
      Clock clock) {
    this.config = config;
    this.facts = facts;
    this.metrics = metrics;
    this.clock = clock;
    this.disclosure = new Disclosure(config.traces());
    this.loader = new PolicyLoader(targets::limits, gitlab.instances().keySet());
    this.repositories =
        new PolicyRepositories(
            config.repositories().orElse(List.of()), gitlab.instances().keySet());
    if (config.file().isPresent() == config.inline().isPresent()) {
      throw new PolicyException("set exactly one of broker.policy.file and broker.policy.inline");
    }
    for (Reload outcome : List.of(Reload.APPLIED, Reload.REFUSED)) {
      metrics.counter(RELOADS_METRIC, "outcome", label(outcome));
    }
    Policy first =
        loader.parse(config.file().map(PolicyLoader::read).orElseGet(config.inline()::get));
    install(first);
    LOG.infof(
        "policy loaded: source=%s version=%s rules=%d",
        source(), first.version(), first.rules().size());
  }

  /** The policy in force now. Take it once per decision: a reload may replace it any time. */
  public Policy current() {
    return loaded.policy();
  }

  /** The policy in force and when it took effect. */
  public Loaded loaded() {
    return loaded;
  }

  /** The policy file, or {@code inline}. */
  public String source() {
    return config.file().map(String::valueOf).orElse("inline");
  }

  /**
   * The SHA-256 of the last policy text refused since the loaded one took effect ({@code
   * unreadable} for a file that could not be read), if any.
   */
  public Optional<String> refused() {
    return Optional.ofNullable(refused);
  }

  /** Evaluates the policy in force for a job, recording what it read. */
  public Decision explain(GitLabClaims claims) {
    return PolicyEvaluator.evaluate(current(), claims, facts);
  }

  /**
   * Decides an exchange with the policy in force, and completes the decision's evidence with the
   * job's facts no rule consulted, so that a candidate policy can later be evaluated on it. Only
   * for jobs of projects the policy speaks about: a job of any other project costs no GitLab call.
   */
  public Decision decide(GitLabClaims claims) {
    RecordingFacts seen = new RecordingFacts(facts);
    Decision decision = PolicyEvaluator.evaluate(current(), claims, seen);
    if (!decision.namesTheProject()) {
      return decision;
    }
    seen.readRemaining(claims.job());
    return decision.withEvidence(new Evidence(claims, seen.read()));
  }

  /**
   * Reads, through the fact cache, the GitLab facts an exchange of {@code job} would read, without
   * deciding anything: a job of the same project, ref type and environment then finds them cached.
   *
   * @return false when GitLab did not answer for the job's ref, the fact every job reads
   */
  public boolean readFacts(CiJob job) {
    RecordingFacts seen = new RecordingFacts(facts);
    seen.readRemaining(job);
    return seen.refProtected(job).available();
  }

  /**
   * Reads and validates a candidate policy exactly as a reload would, against the live targets and
   * instances, without loading it.
   *
   * @throws PolicyException naming the rule and field at fault
   */
  public Policy candidate(String yaml) {
    return loader.parse(yaml);
  }

  /** Whether the job of these claims may evaluate candidate policies. */
  public boolean fromPolicyRepository(GitLabClaims claims) {
    return repositories.covers(claims);
  }

  /**
   * The decision for {@code claims} with every GitLab fact unavailable: the evaluation as an
   * exchange runs it, for a rehearsal that must make no GitLab call.
   */
  public Decision rehearse(GitLabClaims claims) {
    // Nothing recorded: every fact is unavailable, and no rule's fact is asked of GitLab.
    return PolicyEvaluator.evaluate(current(), claims, new RecordedFacts(Map.of()));
  }

  /** What callers are told of a decision, as {@code broker.policy.traces} says. */
  public Disclosure disclosure() {
    return disclosure;
  }

  /**
   * Reads the policy file again and loads it if its content changed and it is valid. An invalid one
   * is refused with an error naming its rule and field, once per content unless {@code trigger} is
   * {@code signal} (an operator asking wants the answer again).
   */
  synchronized Reload reload(String trigger) {
    if (config.file().isEmpty()) {
      return Reload.UNCHANGED;
    }
    String text;
    try {
      text = PolicyLoader.read(config.file().get());
    } catch (PolicyException unreadable) {
      return refuse(trigger, "unreadable", unreadable);
    }
    String sha256 = PolicyVersion.sha256(text);
    if (sha256.equals(current().version().sha256())) {
      refused = null;
      return Reload.UNCHANGED;
    }
    try {
      Policy next = loader.parse(text);
      Policy previous = current();
      install(next);
      LOG.infof(
          "policy reloaded: trigger=%s source=%s version=%s rules=%d previous=%s",
          trigger, source(), next.version(), next.rules().size(), previous.version());
      return count(Reload.APPLIED);
    } catch (PolicyException invalid) {
      return refuse(trigger, sha256, invalid);
    }
  }

  private Reload refuse(String trigger, String content, PolicyException why) {
    if (content.equals(refused) && !"signal".equals(trigger)) {
      return Reload.UNCHANGED;
    }
    refused = content;
    LOG.errorf(
        "policy reload refused, the loaded policy %s stays: trigger=%s source=%s: %s",
        current().version(), trigger, source(), why.getMessage());
    return count(Reload.REFUSED);
  }

  private Reload count(Reload outcome) {
    metrics.counter(RELOADS_METRIC, "outcome", label(outcome)).increment();
    return outcome;
  }

  private void install(Policy policy) {
    loaded = new Loaded(policy, clock.instant());
    refused = null;
    if (info != null) {
      metrics.remove(info);
    }
    info =
        Gauge.builder(INFO_METRIC, () -> 1)
            .description("The policy in force: its SHA-256 and declared version")
            .tag("sha256", policy.version().sha256())
            .tag("version", policy.version().declaredOrEmpty())
            .register(metrics);
  }

  private static String label(Reload outcome) {
    return outcome.name().toLowerCase(java.util.Locale.ROOT);
  }
}
