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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
              targets.put(name, new Neo4jTarget(name, target, adminPassword(name, target)));
            });
    List<String> problems;
    try {
      problems = connect(state, config);
    } catch (RuntimeException e) {
      targets.values().forEach(Neo4jTarget::close);
      throw e;
    }
    if (!problems.isEmpty()) {
      targets.values().forEach(Neo4jTarget::close);
      throw new IllegalStateException("unsafe Neo4j layout: " + String.join("; ", problems));
    }
  }

  /**
   * Connects to every target and reads its edition and server identity, and the state store's, all
   * at once: each is a round trip or two on a connection of its own, and a start waits for the
   * slowest of them instead of their sum.
   *
   * @return what {@link ServerSeparation} finds wrong with the layout
   */
  private List<String> connect(StateStore state, TargetConfig config) {
    ExecutorService connecting = Executors.newCachedThreadPool();
    try {
      CompletableFuture<String> stateServer =
          CompletableFuture.supplyAsync(state::serverId, connecting);
      List<CompletableFuture<ServerSeparation.Placed>> placed =
          targets.values().stream()
              .map(
                  t ->
                      CompletableFuture.supplyAsync(
                          () -> connect(t, config.targets().get(t.name()).edition()), connecting))
              .toList();
      return ServerSeparation.problems(
          await(stateServer), placed.stream().map(Targets::await).toList());
    } finally {
      connecting.shutdown();
    }
  }

  /**
   * @param expected the edition the configuration says the target runs, if it says one
   */
  private static ServerSeparation.Placed connect(Neo4jTarget t, Optional<String> expected) {
    Neo4jTarget.Edition edition = t.detectEdition();
    expected
        .filter(e -> !e.equalsIgnoreCase(edition.name()))
        .ifPresent(
            e -> {
              throw new IllegalStateException(
                  "broker.neo4j.targets."
                      + t.name()
                      + ".edition is '"
                      + e
                      + "' but the server runs Neo4j "
                      + edition.name()
                      + ": grants were validated for the wrong edition");
            });
    LOG.infof(
        "target ready: target=%s edition=%s version=%s roles_enforced=%s",
        t.name(), edition.name(), edition.version(), edition.enterprise());
    return new ServerSeparation.Placed(t.name(), t.serverId(), t.userPrefix());
  }

  /** The value, or the failure that kept it from being read, as it was thrown. */
  private static <T> T await(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
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
