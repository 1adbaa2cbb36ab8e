package io.neo4jaccess.gitlab;

/**
 * What the facts about one job are looked up by. All values come from a verified ID token.
 *
 * @param instance the configured GitLab instance name
 * @param projectId the project the job runs in ({@code job_project_id} when present)
 * @param namespaceId that project's namespace (for group-level protected environments)
 * @param ref the branch or tag name
 * @param refType {@code branch} or {@code tag}
 * @param environment the environment name, or null when the job has none
 * @param deploymentTier the environment's tier as the token states it, or null
 */
public record JobRef(
    String instance,
    long projectId,
    long namespaceId,
    String ref,
    String refType,
    String environment,
    String deploymentTier) {}
