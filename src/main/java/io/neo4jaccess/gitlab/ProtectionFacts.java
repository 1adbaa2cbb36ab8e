package io.neo4jaccess.gitlab;

/**
 * Protection settings as GitLab reports them now, read lazily so that only the facts a policy rule
 * actually needs cost an API call. Implementations cache per instance and project.
 */
public interface ProtectionFacts {

  /** True when a protected branch or tag rule (wildcards included) covers the job's ref now. */
  Fact<Boolean> refProtected(CiJob job);

  /**
   * True when the job's environment is protected at project level, or at group level by its tier.
   * On GitLab Free the endpoints answer 403/404: that is the fact {@code false}, not an error.
   */
  Fact<Boolean> environmentProtected(CiJob job);

  /**
   * The lowest access level allowed to deploy to the environment (30 developer, 40 maintainer, 60
   * admin), from {@code deploy_access_levels}; absent levels (user- or group-only rules) count as
   * the strictest. Unprotected environment: 30 (anyone who can run the job).
   */
  Fact<Integer> deployersAccessLevel(CiJob job);

  /** Approvals required before a deployment to the environment may run (0 when none). */
  Fact<Integer> requiredApprovals(CiJob job);

  /** The environment's tier as GitLab records it ({@code production}, {@code staging}, ...). */
  Fact<String> environmentTier(CiJob job);

  /**
   * The environment's state as GitLab records it ({@code available}, {@code stopping}, {@code
   * stopped}), read as a plain string so that values newer than a client library stay visible.
   */
  default Fact<String> environmentState(CiJob job) {
    return Fact.unavailable("environment state not supported");
  }

  /** Drops every cached fact of a project; called when a webhook says something changed. */
  void invalidate(String instance, long projectId);
}
