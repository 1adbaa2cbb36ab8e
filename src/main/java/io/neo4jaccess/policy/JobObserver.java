package io.neo4jaccess.policy;

import io.neo4jaccess.gitlab.CiJob;
import io.neo4jaccess.gitlab.Fact;
import io.neo4jaccess.gitlab.ProtectionFacts;
import io.neo4jaccess.token.GitLabClaims;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads what each condition compares with, from the verified token and, for the verified
 * conditions, from GitLab's API now. Where the token and GitLab must agree, both are shown.
 */
final class JobObserver {

  /**
   * Pipeline sources that never run a fork's code in the parent project (GitLab docs,
   * ci/pipelines/merge_request_pipelines.md#use-with-forked-projects): only merge request pipelines
   * can.
   */
  private static final Set<String> NEVER_FROM_FORK =
      Set.of("push", "web", "schedule", "api", "trigger", "pipeline", "parent_pipeline");

  private final GitLabClaims claims;
  private final ProtectionFacts facts;
  private final CiJob job;

  JobObserver(GitLabClaims claims, ProtectionFacts facts) {
    this.claims = claims;
    this.facts = facts;
    this.job = claims.job();
  }

  Observation observe(String condition) {
    return switch (condition) {
      // Anchors must hold for the project the token names and the one the job runs in, so a fork
      // (whose path is in project_path for fork MR pipelines) cannot borrow the parent's rules.
      case "project_path" -> both(claims.projectPath(), claims.jobProjectPath());
      case "namespace_path" -> both(claims.namespacePath(), claims.jobNamespacePath());
      case "project_id" -> both(claims.projectId(), claims.jobProjectId());
      case "namespace_id" -> both(claims.namespaceId(), claims.jobNamespaceId());
      case "instance" -> Observation.token(claims.instance());
      case "user_id" -> Observation.token(claims.userId());
      case "fork" -> fork();
      case "user_access_level" -> accessLevelClaim();
      case "ref_protected" -> refProtected();
      case "environment_protected" -> environmentProtected();
      case "deployers" -> withEnvironment(() -> gitlab(facts.deployersAccessLevel(job)));
      case "required_approvals" -> withEnvironment(() -> gitlab(facts.requiredApprovals(job)));
      case "environment_tier" -> withEnvironment(() -> gitlab(facts.environmentTier(job)));
      case "ref" -> Observation.token(claims.ref());
      case "ref_path" -> Observation.token(claims.refPath());
      case "ref_type" -> Observation.token(claims.refType());
      case "environment" -> Observation.token(claims.environment());
      case "deployment_tier" -> Observation.token(claims.deploymentTier());
      case "environment_action" -> Observation.token(claims.environmentAction());
      case "user_login" -> Observation.token(claims.userLogin());
      case "pipeline_source" -> Observation.token(claims.pipelineSource());
      case "runner_environment" -> Observation.token(claims.runnerEnvironment());
      case "project_visibility" -> Observation.token(claims.projectVisibility());
      case "ci_config_ref_uri" -> Observation.token(claims.ciConfigRefUri());
      // PolicyLoader refuses a condition it does not know, so no rule can name another.
      default -> throw new IllegalArgumentException("unknown condition " + condition);
    };
  }

  private static Observation both(Object tokenValue, Object jobValue) {
    if (jobValue == null || jobValue.equals(tokenValue)) {
      return Observation.token(List.of(tokenValue));
    }
    List<Object> values = new ArrayList<>(List.of(tokenValue, jobValue));
    return new Observation(values, values, "token", null, null);
  }

  private Observation fork() {
    if (claims.jobProjectId() != null) {
      return Observation.token(claims.jobProjectId() != claims.projectId());
    }
    if (NEVER_FROM_FORK.contains(claims.pipelineSource())) {
      return Observation.token(false);
    }
    // GitLab before 18.4 does not say where a merge request pipeline's code comes from.
    return Observation.failed("unknown (no job_project_id claim)", "token");
  }

  private Observation accessLevelClaim() {
    String level = claims.userAccessLevel();
    return AccessLevel.named(String.valueOf(level).toLowerCase(Locale.ROOT))
        .map(l -> new Observation(l.value(), l.label(), "token", null, null))
        .orElse(Observation.failed(level == null ? "absent" : level, "token"));
  }

  private Observation refProtected() {
    return agree(claims.refProtected(), facts.refProtected(job));
  }

  private Observation environmentProtected() {
    boolean tokenSays = Boolean.TRUE.equals(claims.environmentProtected());
    if (claims.environment() == null) {
      return Observation.token(false);
    }
    return agree(tokenSays, facts.environmentProtected(job));
  }

  /** The token's claim and GitLab's answer must agree; a disagreement fails, showing both. */
  private static Observation agree(boolean tokenSays, Fact<Boolean> fact) {
    String source = "token+" + source(fact);
    if (!fact.available()) {
      return Observation.unavailable(source, fact.unavailable());
    }
    String shown = "token=" + tokenSays + ", gitlab=" + fact.value();
    if (tokenSays != fact.value()) {
      return Observation.failed(shown, source);
    }
    return new Observation(tokenSays, shown, source, null, null);
  }

  private Observation withEnvironment(java.util.function.Supplier<Observation> read) {
    if (claims.environment() == null) {
      return Observation.failed("no environment", "token");
    }
    return read.get();
  }

  private static Observation gitlab(Fact<?> fact) {
    if (!fact.available()) {
      return Observation.unavailable(source(fact), fact.unavailable());
    }
    return new Observation(fact.value(), fact.value(), source(fact), null, null);
  }

  private static String source(Fact<?> fact) {
    return fact.source() == Fact.Source.CACHE ? "cache" : "gitlab";
  }
}
