package io.neo4jaccess.policy;

import io.neo4jaccess.gitlab.Fact;
import io.neo4jaccess.token.GitLabClaims;
import java.util.Map;

/**
 * What a decision was made on: the job's verified claims and each GitLab fact read for it, keyed by
 * the condition that reads it ({@code ref_protected}, {@code environment_tier}, ...), a fact that
 * could not be read included, with its reason. Recorded with every decision ({@link EvidenceJson}),
 * so that another policy can later be evaluated on what was observed then, never on today's GitLab.
 */
public record Evidence(GitLabClaims claims, Map<String, Fact<?>> facts) {

  public Evidence {
    facts = Map.copyOf(facts);
  }
}
