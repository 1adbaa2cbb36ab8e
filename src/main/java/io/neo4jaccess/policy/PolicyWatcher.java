package io.neo4jaccess.policy;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import sun.misc.Signal;

/**
 * Reloads the policy file when its content changes (read every {@code
 * broker.policy.reload-interval}) and on {@code SIGHUP}, one reload at a time on one thread.
 *
 * <p>{@code SIGHUP} is caught with {@code sun.misc.Signal}, from the JDK's {@code jdk.unsupported}
 * module, which every JDK 17+ exports without flags (it is not {@code jdk.internal}). It replaces
 * the JVM's own handling of {@code SIGHUP}, which would run the shutdown hooks: a {@code kill -HUP}
 * reloads the broker instead of stopping it. A JVM started with {@code -Xrs} lets no handler be
 * installed; the broker then says so and relies on polling. An inline policy has nothing to watch.
 */
@ApplicationScoped
class PolicyWatcher {

  private static final Logger LOG = Logger.getLogger(PolicyWatcher.class);

  private final PolicyService policies;
  private final PolicyConfig config;
  private ScheduledExecutorService thread;

  @Inject
  PolicyWatcher(PolicyService policies, PolicyConfig config) {
    this.policies = policies;
    this.config = config;
  }

  void start(@Observes StartupEvent e) {
    if (config.file().isEmpty()) {
      LOG.info(
          "policy is inline (broker.policy.inline): nothing to watch; it changes with a restart");
      return;
    }
    thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "policy-watch");
              t.setDaemon(true);
              return t;
            });
    Duration every = config.reloadInterval();
    if (!every.isZero() && !every.isNegative()) {
      thread.scheduleWithFixedDelay(
          () -> reload("poll"), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }
    try {
      Signal.handle(new Signal("HUP"), signal -> thread.execute(() -> reload("signal")));
    } catch (IllegalArgumentException unavailable) {
      LOG.warnf(
          "SIGHUP cannot be caught in this JVM (-Xrs?): the policy reloads only by polling, every"
              + " %s",
          every);
    }
    LOG.infof(
        "watching the policy file: source=%s interval=%s sighup=reload", policies.source(), every);
  }

  private void reload(String trigger) {
    try {
      policies.reload(trigger);
    } catch (RuntimeException e) {
      // The thread must survive anything, or the next change would go unseen.
      LOG.error("policy reload failed unexpectedly; the loaded policy stays", e);
    }
  }

  void stop(@Observes ShutdownEvent e) {
    if (thread != null) {
      thread.shutdownNow();
    }
  }
}
