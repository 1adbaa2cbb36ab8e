package io.neo4jaccess.webhook;

import static io.neo4jaccess.state.StateStore.parameters;

import io.neo4jaccess.state.StateStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Projects as the broker recorded them when their jobs exchanged verified ID tokens: the one source
 * of a project's path and group that a webhook's scope is checked against. A payload's own {@code
 * path_with_namespace} is not: whoever holds a hook's secret writes it.
 */
@ApplicationScoped
public class ProjectRecords {

  /**
   * @param namespaceId the group the project sits in directly; 0 when none was recorded
   */
  record Project(long id, String path, long namespaceId) {}

  private static final String FIND =
      """
      MATCH (p:Project {key: $key})
      RETURN p.id AS id, p.path AS path, p.namespaceId AS namespaceId
      """;

  private final StateStore store;

  @Inject
  public ProjectRecords(StateStore store) {
    this.store = store;
  }

  /** The project as recorded, or empty when no job of it ever came to the broker. */
  Optional<Project> find(String instance, long projectId) {
    return store.statement(
        FIND,
        parameters("key", instance + "/" + projectId),
        result -> {
          if (!result.hasNext()) {
            return Optional.empty();
          }
          var r = result.next();
          return Optional.of(
              new Project(
                  r.get("id").asLong(),
                  r.get("path").asString(null),
                  r.get("namespaceId").asLong(0)));
        });
  }
}
