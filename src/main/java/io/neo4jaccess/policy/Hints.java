package io.neo4jaccess.policy;

import io.neo4jaccess.token.GitLabClaims;
import java.util.Set;

/**
 * One line on what to change when a condition fails, for the job's log. {@link #of} names values
 * (the rule's and the job's) and is shown only with traces on; {@link #generic} names only what the
 * condition is about, for instances that keep their policy to themselves.
 */
final class Hints {

  private static final Set<String> ANCHORS =
      Set.of("project_path", "project_id", "namespace_path", "namespace_id");
  private static final Set<String> DEPLOYMENT =
      Set.of("environment_protected", "deployers", "required_approvals");
  private static final String PROTECTED_ENVIRONMENTS = "Settings > CI/CD > Protected environments";

  private final GitLabClaims claims;

  Hints(GitLabClaims claims) {
    this.claims = claims;
  }

  /** What to change so that {@code c} holds for this job, given what was observed. */
  String of(Condition c, Observation o, Decision.Result result) {
    if (result == Decision.Result.UNAVAILABLE) {
      return "GitLab could not be asked (" + o.unavailable() + "); retry the job.";
    }
    Object expected = c.expectedForTrace();
    if ((ANCHORS.contains(c.name()) || c.name().equals("fork")) && JobObserver.fromFork(claims)) {
      return "run the pipeline from a branch of "
          + claims.runningProjectPath()
          + " itself, not from the fork "
          + claims.projectPath()
          + ".";
    }
    if (DEPLOYMENT.contains(c.name()) && !JobObserver.deploys(claims.job())) {
      return "only a job that deploys (environment action start, the default) can satisfy '"
          + c.name()
          + "'; this job's action is "
          + claims.job().environment().action()
          + ".";
    }
    if (c.name().startsWith("environment") || DEPLOYMENT.contains(c.name())) {
      if (claims.environment() == null) {
        return "add 'environment: "
            + (c.name().equals("environment") ? expected : "<name>")
            + "' to the job.";
      }
    }
    return switch (c.name()) {
      case "project_path", "project_id", "namespace_path", "namespace_id", "instance" ->
          "this rule covers " + expected + " only; ask for a rule for this project.";
      case "fork" ->
          "GitLab before 18.4 does not say whether a "
              + claims.pipelineSource()
              + " pipeline runs a fork's code; run the job from a push, web or scheduled pipeline.";
      case "ref", "ref_path", "ref_type" -> "run the job for a ref matching " + expected + ".";
      case "ref_protected" -> refProtected(c);
      case "environment" -> "deploy to an environment matching " + expected + ".";
      case "environment_protected" ->
          "protect the environment '"
              + claims.environment()
              + "' ("
              + PROTECTED_ENVIRONMENTS
              + ").";
      case "deployers" ->
          "allow only "
              + ((AccessLevel) c.expected()).label()
              + "s or higher to deploy to '"
              + claims.environment()
              + "' ("
              + PROTECTED_ENVIRONMENTS
              + ").";
      case "required_approvals" ->
          "require at least "
              + c.expected()
              + " approval(s) for deployments to '"
              + claims.environment()
              + "' ("
              + PROTECTED_ENVIRONMENTS
              + ").";
      case "environment_tier", "deployment_tier" ->
          "give the environment the tier " + expected + " ('environment: deployment_tier:').";
      case "pipeline_source" -> "run the job in a pipeline started by " + expected + ".";
      case "user_access_level" ->
          "start the pipeline as a user with " + expected + " access to the project.";
      default -> "'" + c.name() + "' must be " + expected + " for this rule.";
    };
  }

  private String refProtected(Condition c) {
    if (!Boolean.TRUE.equals(c.expected())) {
      return "run the job for an unprotected branch or tag.";
    }
    boolean tag = "tag".equals(claims.refType());
    String kind = tag ? "tag" : "branch";
    String where = "Settings > Repository > " + (tag ? "Protected tags" : "Protected branches");
    String ref = " " + kind + " '" + claims.ref() + "'";
    return claims.refProtected()
        ? "GitLab no longer protects the" + ref + ": protect it again (" + where + ")."
        : "protect the" + ref + " (" + where + "), or run the job on a protected " + kind + ".";
  }

  /** What a condition is about, naming no value: for denials shown without traces. */
  static String generic(String condition) {
    if (ANCHORS.contains(condition) || condition.equals("instance") || condition.equals("fork")) {
      return "It is about the project the job runs in; a fork's pipeline never counts as the"
          + " project's.";
    }
    if (condition.startsWith("ref")) {
      return "It is about the branch or tag the job runs for, and its protection (Settings >"
          + " Repository).";
    }
    if (condition.startsWith("environment")
        || condition.equals("deployment_tier")
        || DEPLOYMENT.contains(condition)) {
      return "It is about the job's environment and its protection ("
          + PROTECTED_ENVIRONMENTS
          + "); only a job that deploys counts.";
    }
    if (condition.startsWith("user")) {
      return "It is about who started the pipeline and their role in the project.";
    }
    if (condition.equals("pipeline_source")) {
      return "It is about what started the pipeline.";
    }
    return "Ask the broker's operators what it requires.";
  }
}
