package io.neo4jaccess.gitlab;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one protected-environment entry (project level, or group level by tier) says.
 *
 * @param isProtected whether the entry exists
 * @param deployersAccessLevel the lowest role allowed to deploy (30/40/60)
 * @param requiredApprovals approvals needed before a deployment runs
 */
record EnvironmentProtection(boolean isProtected, int deployersAccessLevel, int requiredApprovals) {

  static final int DEVELOPER = 30;
  static final int ADMIN = 60;

  /** Not protected: anyone who may run the job may deploy, nothing to approve. */
  static final EnvironmentProtection NONE = new EnvironmentProtection(false, DEVELOPER, 0);

  /**
   * Reads a protected environment as documented in
   * https://docs.gitlab.com/api/protected_environments/ and
   * https://docs.gitlab.com/api/group_protected_environments/.
   *
   * <p>A {@code deploy_access_levels} entry that names a user or a group grants no role: GitLab
   * fills {@code access_level} there anyway (40 in the documented examples), so it is counted as
   * the strictest level, 60, rather than read as "maintainers may deploy".
   *
   * <p>Approvals: GitLab requires the sum of {@code required_approvals} over all approval rules
   * ({@code Environment#required_approval_count}, see
   * https://gitlab.com/gitlab-org/gitlab/-/issues/444256). Before 17.0 a protected environment
   * could instead carry a single unified {@code required_approval_count}; that is used only when
   * there are no rules.
   */
  static EnvironmentProtection fromJson(JsonNode pe) {
    int deployers = ADMIN;
    for (JsonNode level : pe.path("deploy_access_levels")) {
      boolean namesPrincipal = level.hasNonNull("user_id") || level.hasNonNull("group_id");
      JsonNode accessLevel = level.path("access_level");
      int role = namesPrincipal || !accessLevel.isInt() ? ADMIN : accessLevel.asInt();
      deployers = Math.min(deployers, Math.max(role, DEVELOPER));
    }
    int ruleApprovals = 0;
    for (JsonNode rule : pe.path("approval_rules")) {
      ruleApprovals += rule.path("required_approvals").asInt(1); // GitLab's default is 1
    }
    int approvals = ruleApprovals > 0 ? ruleApprovals : pe.path("required_approval_count").asInt(0);
    return new EnvironmentProtection(true, deployers, approvals);
  }

  /**
   * Both levels apply at once: GitLab lets a user deploy only if every protection covering the
   * environment allows it ({@code Environment#protected_from?}) and counts the approval rules of
   * all of them ({@code associated_approval_rules}), both in
   * https://gitlab.com/gitlab-org/gitlab/-/blob/master/ee/app/models/ee/environment.rb. So the
   * stricter deployer level wins and approvals add up.
   */
  EnvironmentProtection and(EnvironmentProtection other) {
    if (!other.isProtected) {
      return this;
    }
    if (!isProtected) {
      return other;
    }
    return new EnvironmentProtection(
        true,
        Math.max(deployersAccessLevel, other.deployersAccessLevel),
        requiredApprovals + other.requiredApprovals);
  }
}
