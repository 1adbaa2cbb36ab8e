package io.neo4jaccess.neo4j;

import io.neo4jaccess.policy.TargetCatalog;
import io.neo4jaccess.policy.TargetLimits;
import io.neo4jaccess.state.StateStore;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The configured targets, connected and with their edition detected. The broker does not start when
 * a target cannot be reached (grants are validated against what each server can enforce), nor when
 * the targets and the state store share servers in a way {@link ServerSeparation} refuses.
 */
@ApplicationScoped
public class Targets implements TargetCatalog {

  private static final Logger LOG = Logger.getLogger(Targets.class);
  private final Map<String, Neo4jTarget> targets = new LinkedHashMap<>();

  @Inject
  Targets(TargetConfig config, StateStore state) {
    config
        .targets()
        .forEach(
            (name, target) -> {
              if (!target.userPrefix().matches("[a-z][a-z0-9_]{1,15}")) {
                throw new IllegalStateException(
                    "broker.neo4j.targets."
                        + name
                        + ".user-prefix must match [a-z][a-z0-9_]{1,15}");
              }
              Neo4jTarget t = new Neo4jTarget(name, target, adminPassword(name, target));
              Neo4jTarget.Edition edition = t.detectEdition();
              target
                  .edition()
                  .filter(expected -> !expected.equalsIgnoreCase(edition.name()))
                  .ifPresent(
                      expected -> {
                        throw new IllegalStateException(
                            "broker.neo4j.targets."
                                + name
                                + ".edition is '"
                                + expected
                                + "' but the server runs Neo4j "
                                + edition.name()
                                + ": grants were validated for the wrong edition");
                      });
              LOG.infof(
                  "target ready: target=%s edition=%s version=%s roles_enforced=%s",
                  name, edition.name(), edition.version(), edition.enterprise());
              targets.put(name, t);
            });
    List<String> problems =
        ServerSeparation.problems(
            state.serverId(),
            targets.values().stream()
                .map(t -> new ServerSeparation.Placed(t.name(), t.serverId(), t.userPrefix()))
                .toList());
    if (!problems.isEmpty()) {
      targets.values().forEach(Neo4jTarget::close);
      throw new IllegalStateException("unsafe Neo4j layout: " + String.join("; ", problems));
    }
  }

  private static String adminPassword(String name, TargetConfig.Target target) {
    if (target.adminPasswordFile().isPresent()) {
      try {
        return Files.readString(target.adminPasswordFile().get()).strip();
      } catch (IOException e) {
        throw new IllegalStateException("cannot read admin password file of target " + name);
      }
    }
    return target
        .adminPassword()
        .orElseThrow(
            () -> new IllegalStateException("target " + name + " has no admin password (file)"));
  }

  public Optional<Neo4jTarget> get(String name) {
    return Optional.ofNullable(targets.get(name));
  }

  public Collection<Neo4jTarget> all() {
    return targets.values();
  }

  /** What the policy needs to validate a grant on the named target. */
  @Override
  public Optional<TargetLimits> limits(String name) {
    return get(name).map(Neo4jTarget::limits);
  }

  void close(@Observes ShutdownEvent e) {
    targets.values().forEach(Neo4jTarget::close);
  }
}
