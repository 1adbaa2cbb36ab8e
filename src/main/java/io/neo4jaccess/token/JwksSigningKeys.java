package io.neo4jaccess.token;

import io.neo4jaccess.gitlab.GitLabConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Each GitLab instance's signing keys, read from its discovery document ({@link JwksClient}) and
 * held in memory. They are fetched in the background at start, so a slow GitLab does not hold the
 * broker's start up, and again when a token names a {@code kid} they lack — at most once per {@code
 * broker.token.jwks-refresh-interval} per instance, so tokens with made-up {@code kid}s cannot make
 * the broker hammer GitLab. Keys come only from the configured instance URL, never from a location
 * a token names. Concurrent callers share one fetch per instance.
 */
@Singleton
public class JwksSigningKeys implements SigningKeys {

  private static final Logger LOG = Logger.getLogger(JwksSigningKeys.class);

  /** How long readiness waits for a fetch under way, rather than call a starting broker down. */
  private static final Duration READINESS_WAIT = Duration.ofSeconds(2);

  private final Map<String, Instance> instances = new LinkedHashMap<>();
  private final Duration refreshInterval;
  private final Clock clock;
  private final JwksClient client = new JwksClient();

  @Inject
  JwksSigningKeys(GitLabConfig gitlab, TokenConfig config, Clock clock) {
    this(urls(gitlab), config.jwksRefreshInterval(), clock);
  }

  /**
   * @param instanceUrls each instance's base URL, by configured name
   * @param refreshInterval the least time between two fetches for an unknown {@code kid}
   * @param clock the time that interval is measured with
   */
  public JwksSigningKeys(Map<String, String> instanceUrls, Duration refreshInterval, Clock clock) {
    instanceUrls.forEach((name, url) -> instances.put(name, new Instance(name, url)));
    this.refreshInterval = refreshInterval;
    this.clock = clock;
  }

  private static Map<String, String> urls(GitLabConfig gitlab) {
    Map<String, String> urls = new LinkedHashMap<>();
    gitlab.instances().forEach((name, instance) -> urls.put(name, instance.url()));
    return urls;
  }

  /** First of the start's work, so that the fetch runs while the rest of the start does. */
  void fetchAtStart(@Observes @Priority(1) StartupEvent started) {
    instances.values().forEach(Instance::fetch);
  }

  @Override
  public Optional<RSAPublicKey> key(String instance, String kid) {
    Instance i = instance(instance);
    Map<String, RSAPublicKey> known = i.keys;
    if (known == null) {
      known = i.await(i.fetch());
    } else if (!known.containsKey(kid)) {
      known = i.refetchIfDue(known);
    }
    return Optional.ofNullable(known.get(kid));
  }

  /** The configured instances' names. */
  public Set<String> instances() {
    return instances.keySet();
  }

  /**
   * Whether the instance's keys are loaded. If they are not, a fetch is started (unless one is
   * under way) and waited for briefly.
   */
  public boolean loaded(String instance) {
    Instance i = instance(instance);
    if (i.keys != null) {
      return true;
    }
    try {
      i.fetch().get(READINESS_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Instance instance(String name) {
    Instance i = instances.get(name);
    if (i == null) {
      throw new IllegalArgumentException("no GitLab instance named " + name);
    }
    return i;
  }

  /** One instance's keys and the one fetch of them that may be under way. */
  private final class Instance {

    private final String name;
    private final String url;

    /** Null until a fetch succeeded; then the latest keys by {@code kid}. */
    private volatile Map<String, RSAPublicKey> keys;

    private Instant lastFetch = Instant.MIN;
    private CompletableFuture<Map<String, RSAPublicKey>> fetching;

    Instance(String name, String url) {
      this.name = name;
      this.url = url;
    }

    /** The fetch under way, or a new one. */
    synchronized CompletableFuture<Map<String, RSAPublicKey>> fetch() {
      if (fetching != null) {
        return fetching;
      }
      lastFetch = clock.instant();
      CompletableFuture<Map<String, RSAPublicKey>> f = start().whenComplete(this::fetched);
      if (!f.isDone()) {
        fetching = f; // fetched() clears it; when f failed at once, it already ran
      }
      return f;
    }

    private CompletableFuture<Map<String, RSAPublicKey>> start() {
      try {
        return client.fetch(url);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    private synchronized void fetched(Map<String, RSAPublicKey> fresh, Throwable failure) {
      fetching = null;
      if (fresh != null) {
        keys = fresh;
        LOG.infof("signing keys loaded: instance=%s keys=%d", name, fresh.size());
      } else {
        Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
        LOG.warnf("signing keys cannot be fetched: instance=%s cause=%s", name, cause);
      }
    }

    /** The keys after a fetch for an unknown {@code kid} when one is due, else {@code known}. */
    Map<String, RSAPublicKey> refetchIfDue(Map<String, RSAPublicKey> known) {
      CompletableFuture<Map<String, RSAPublicKey>> f;
      synchronized (this) {
        if (fetching == null && clock.instant().isBefore(lastFetch.plus(refreshInterval))) {
          return known;
        }
        LOG.debugf("unknown kid, fetching the signing keys again: instance=%s", name);
        f = fetch();
      }
      try {
        return await(f);
      } catch (SigningKeysUnavailable e) {
        return known; // the failure is logged; the token's kid stays unknown
      }
    }

    Map<String, RSAPublicKey> await(CompletableFuture<Map<String, RSAPublicKey>> f) {
      try {
        return f.join();
      } catch (CompletionException e) {
        throw new SigningKeysUnavailable(name, e.getCause());
      }
    }
  }
}
