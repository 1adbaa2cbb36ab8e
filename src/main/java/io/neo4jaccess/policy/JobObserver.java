package io.neo4jaccess.policy;

import io.neo4jaccess.gitlab.CiJob;
import io.neo4jaccess.gitlab.Fact;
import io.neo4jaccess.gitlab.ProtectionFacts;
import io.neo4jaccess.token.GitLabClaims;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads what each condition compares with, from the verified token and, for the verified
 * conditions, from GitLab's API now. Where the token and GitLab must agree, both are shown.
 */
final class JobObserver {

  /**
   * Pipeline sources that never run a fork's code in the parent project (GitLab docs,
   * ci/pipelines/merge_request_pipelines.md#use-with-forked-projects): merge request pipelines can,
   * and so can {@code parent_pipeline}, as a fork's merge request pipeline may trigger a child
   * pipeline, which runs the fork's code too.
   */
  private static final Set<String> NEVER_FROM_FORK =
      Set.of("push", "web", "schedule", "api", "trigger", "pipeline");

  /**
   * The only environment action that creates a deployment, which is what a protected environment's
   * deployer and approval rules hold back: since GitLab 18.0 jobs with {@code action: prepare},
   * {@code verify} or {@code access} run without approval (GitLab issue 390025), and {@code stop}
   * deploys nothing. No action in the token means {@code start}.
   */
  private static final String DEPLOYS = "start";

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
      case "environment_protected" -> deploying(this::environmentProtected);
      case "deployers" ->
          deploying(() -> withEnvironment(() -> deployers(facts.deployersAccessLevel(job))));
      case "required_approvals" ->
          deploying(() -> withEnvironment(() -> gitlab(facts.requiredApprovals(job))));
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

  /**
   * Where they differ, the token's value is a fork's whose code runs in the job's project (GitLab
   * 18.2.2+ puts the fork in {@code project_*} of a fork's merge request pipeline): the trace then
   * names the fork and the project by path, whichever anchor it is.
   */
  private Observation both(Object tokenValue, Object jobValue) {
    if (jobValue == null || jobValue.equals(tokenValue)) {
      return new Observation(List.of(tokenValue), tokenValue, "token", null, null);
    }
    return new Observation(List.of(tokenValue, jobValue), forkShown(), "token", null, null);
  }

  private String forkShown() {
    return "fork " + claims.projectPath() + ", running in " + claims.runningProjectPath();
  }

  /** True when GitLab's claims say the job runs a fork's code (18.4+; false when they cannot). */
  static boolean fromFork(GitLabClaims claims) {
    return claims.jobProjectId() != null && claims.jobProjectId() != claims.projectId();
  }

  /** True when the job creates a deployment: no environment action, or {@code start}. */
  static boolean deploys(CiJob job) {
    String action = job.environment() == null ? null : job.environment().action();
    return action == null || DEPLOYS.equals(action);
  }

  private Observation fork() {
    if (claims.jobProjectId() != null) {
      boolean fork = fromFork(claims);
      return new Observation(fork, fork ? forkShown() : false, "token", null, null);
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

  /** Reads a condition about a deployment only for a job that deploys; any other fails. */
  private Observation deploying(Supplier<Observation> read) {
    if (!deploys(job)) {
      return Observation.failed(
          "environment_action "
              + job.environment().action()
              + ": not a deployment, so GitLab holds the job for no deployer or approval rule",
          "token");
    }
    return read.get();
  }

  private Observation withEnvironment(Supplier<Observation> read) {
    if (claims.environment() == null) {
      return Observation.failed("no environment", "token");
    }
    return read.get();
  }

  /** The lowest level allowed to deploy, shown by name ({@code developer}) rather than number. */
  private static Observation deployers(Fact<Integer> fact) {
    Observation o = gitlab(fact);
    return fact.available()
        ? new Observation(o.value(), AccessLevel.of(fact.value()), o.source(), null, null)
        : o;
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
