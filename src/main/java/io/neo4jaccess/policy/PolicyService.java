package io.neo4jaccess.policy;

import io.neo4jaccess.gitlab.CiJob;
import io.neo4jaccess.gitlab.Fact;
import io.neo4jaccess.gitlab.GitLabConfig;
import io.neo4jaccess.gitlab.ProtectionFacts;
import io.neo4jaccess.token.GitLabClaims;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** The loaded policy. Loading happens at start, so a bad policy stops the broker from starting. */
@Startup
@ApplicationScoped
public class PolicyService {

  private static final Logger LOG = Logger.getLogger(PolicyService.class);

  private final Policy policy;
  private final ProtectionFacts facts;
  private final Disclosure disclosure;

  @Inject
  PolicyService(
      PolicyConfig config, TargetCatalog targets, ProtectionFacts facts, GitLabConfig gitlab) {
    this.facts = facts;
    this.disclosure = new Disclosure(config.traces());
    PolicyLoader loader = new PolicyLoader(targets::limits, gitlab.instances().keySet());
    if (config.file().isPresent() == config.inline().isPresent()) {
      throw new PolicyException("set exactly one of broker.policy.file and broker.policy.inline");
    }
    this.policy =
        config.file().map(loader::load).orElseGet(() -> loader.parse(config.inline().get()));
    LOG.infof(
        "policy loaded: source=%s rules=%d",
        config.file().map(String::valueOf).orElse("inline"), policy.rules().size());
  }

  public Decision decide(GitLabClaims claims) {
    return PolicyEvaluator.evaluate(policy, claims, facts);
  }

  /**
   * The decision for {@code claims} with every GitLab fact unavailable: the evaluation as an
   * exchange runs it, for a rehearsal that must make no GitLab call.
   */
  public Decision rehearse(GitLabClaims claims) {
    return PolicyEvaluator.evaluate(policy, claims, NoFacts.INSTANCE);
  }

  /** What callers are told of a decision, as {@code broker.policy.traces} says. */
  public Disclosure disclosure() {
    return disclosure;
  }

  /** GitLab as a rehearsal sees it: no fact is available, and nothing is asked. */
  private enum NoFacts implements ProtectionFacts {
    INSTANCE;

    private static final String WHY = "rehearsal";

    @Override
    public Fact<Boolean> refProtected(CiJob job) {
      return Fact.unavailable(WHY);
    }

    @Override
    public Fact<Boolean> environmentProtected(CiJob job) {
      return Fact.unavailable(WHY);
    }

    @Override
    public Fact<Integer> deployersAccessLevel(CiJob job) {
      return Fact.unavailable(WHY);
    }

    @Override
    public Fact<Integer> requiredApprovals(CiJob job) {
      return Fact.unavailable(WHY);
    }

    @Override
    public Fact<String> environmentTier(CiJob job) {
      return Fact.unavailable(WHY);
    }

    @Override
    public Fact<String> environmentState(CiJob job) {
      return Fact.unavailable(WHY);
    }

    @Override
    public void invalidate(String instance, long projectId) {
      // nothing is cached
    }
  }
}
