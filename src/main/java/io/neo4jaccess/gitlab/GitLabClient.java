package io.neo4jaccess.gitlab;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gitlab4j.api.GitLabApi;
import org.gitlab4j.api.GitLabApiException;
import org.jboss.logging.Logger;

/**
 * One configured GitLab instance: its API client, its facts, and the calls made to it. Every HTTP
 * request goes through {@link #call}, which counts it, maps failures to a short reason and honours
 * a 429's {@code Retry-After} for the whole instance.
 */
final class GitLabClient implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(GitLabClient.class);

  static final String METRIC = "broker.gitlab.api.calls";

  /** When GitLab sends 429 without a usable Retry-After: its rate-limit window is a minute. */
  static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);

  /** Upper bound on list pages (100 each) read for one project; beyond it we fail closed. */
  static final int MAX_PAGES = 20;

  /** A single GitLab request. */
  @FunctionalInterface
  interface Call<T> {
    T run() throws GitLabApiException;
  }

  private final String name;
  private final GitLabApi api; // null when no API token is configured
  private final ProtectionApi protection;
  private final Clock clock;
  private final MeterRegistry meters;
  private final CachedFacts facts;
  private volatile Instant blockedUntil = Instant.MIN;
  private final AtomicBoolean protectedEnvironmentsForbidden = new AtomicBoolean();

  GitLabClient(
      String name,
      GitLabConfig.Instance config,
      Duration ttl,
      int cacheSize,
      Duration timeout,
      Clock clock,
      MeterRegistry meters,
      Executor refreshes) {
    this.name = name;
    this.clock = clock;
    this.meters = meters;
    this.facts = new CachedFacts(name, new FactCache(clock, ttl, cacheSize), meters, refreshes);
    Optional<String> token = apiToken(name, config);
    if (token.isPresent()) {
      this.api = new GitLabApi(config.url(), token.get());
      int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
      api.setRequestTimeout(millis, millis); // connect and read; see GitLabConfig#apiTimeout
      this.protection = new ProtectionApi(api);
    } else {
      LOG.warnf("gitlab instance=%s has no API token: every GitLab fact is unavailable", name);
      this.api = null;
      this.protection = null;
    }
  }

  /** The token file wins over the inline value. The token itself is never logged. */
  private static Optional<String> apiToken(String name, GitLabConfig.Instance config) {
    if (config.apiTokenFile().isPresent()) {
      try {
        String token = Files.readString(config.apiTokenFile().get()).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
      } catch (IOException e) {
        LOG.warnf(
            "gitlab instance=%s cannot read api-token-file=%s: %s",
            name, config.apiTokenFile().get(), e.getClass().getSimpleName());
        return Optional.empty();
      }
    }
    return config.apiToken().map(String::strip).filter(t -> !t.isEmpty());
  }

  /** This instance's facts, cached per project. */
  CachedFacts facts() {
    return facts;
  }

  ProtectionApi api() throws GitLabUnavailable {
    if (protection == null) {
      throw new GitLabUnavailable("no api token");
    }
    return protection;
  }

  /** Reads every page of a list, one counted call per page. */
  <T> List<T> allPages(String endpoint, PageCall<T> pageCall) throws GitLabUnavailable {
    ArrayList<T> items = new ArrayList<>();
    for (int page = 1; page <= MAX_PAGES; page++) {
      int p = page;
      ProtectionApi.Page<T> result = call(endpoint, () -> pageCall.page(p));
      items.addAll(result.items());
      if (!result.hasNext()) {
        return items;
      }
    }
    throw new GitLabUnavailable("gitlab list too long");
  }

  /** One page of a list. */
  @FunctionalInterface
  interface PageCall<T> {
    ProtectionApi.Page<T> page(int page) throws GitLabApiException;
  }

  /**
   * Tells the operator, once per instance, that the protected-environments API refuses the broker:
   * GitLab Free has no protected environments, and on Premium the API token's user needs the
   * Maintainer role to read them. Either way every environment then reads as unprotected, and rules
   * that require protection never match, which looks like a policy problem unless said.
   */
  void protectedEnvironmentsForbidden(String where) {
    if (protectedEnvironmentsForbidden.compareAndSet(false, true)) {
      LOG.warn(
          "gitlab instance="
              + name
              + ": the protected environments API answered 403 for "
              + where
              + ". GitLab Free has no protected environments; on Premium the API token's user"
              + " needs the Maintainer role in the projects (or groups) the policy covers. Until"
              + " then every environment reads as unprotected, and rules on environment_protected,"
              + " deployers or required_approvals do not match.");
    }
  }

  /**
   * One cheap read (the instance's version) through the client that every fact is read with: a
   * rehearsal at start, so that the first fact an exchange needs does not also pay for the client's
   * first request. Its failure is nobody's: facts succeed or fail on their own.
   */
  void rehearse() {
    try {
      ProtectionApi api = api();
      call("version", api::version);
    } catch (GitLabUnavailable e) {
      LOG.debugf("gitlab instance=%s rehearsal read failed: %s", name, e.reason());
    }
  }

  /** Makes one GitLab request, unless a 429 told us to wait. */
  <T> T call(String endpoint, Call<T> request) throws GitLabUnavailable {
    api(); // no token: nothing to call
    if (clock.instant().isBefore(blockedUntil)) {
      throw new GitLabUnavailable("gitlab rate limited", 429);
    }
    try {
      T result = request.run();
      count(endpoint, "200");
      return result;
    } catch (GitLabApiException | RuntimeException e) {
      GitLabUnavailable failure = classify(e);
      count(endpoint, failure.httpStatus() > 0 ? Integer.toString(failure.httpStatus()) : tag(e));
      if (failure.httpStatus() == 429) {
        blockedUntil = clock.instant().plus(retryAfter(e));
        LOG.warnf("gitlab instance=%s rate limited until %s", name, blockedUntil);
      } else if (failure.httpStatus() == 0 || failure.httpStatus() >= 500) {
        LOG.warnf("gitlab instance=%s endpoint=%s failed: %s", name, endpoint, failure.reason());
      }
      throw failure;
    }
  }

  private void count(String endpoint, String status) {
    meters.counter(METRIC, "endpoint", endpoint, "status", status).increment();
  }

  private static GitLabUnavailable classify(Exception e) {
    GitLabApiException api = causeOf(e, GitLabApiException.class);
    int status = api == null ? 0 : api.getHttpStatus();
    if (status == 429) {
      return new GitLabUnavailable("gitlab rate limited", status);
    }
    if (status > 0) {
      return new GitLabUnavailable("gitlab http " + status, status);
    }
    return new GitLabUnavailable(
        switch (tag(e)) {
          case "timeout" -> "gitlab timeout";
          case "unreachable" -> "gitlab unreachable";
          default -> "gitlab error";
        });
  }

  /** The metric status (and reason) for a request that got no HTTP answer. */
  private static String tag(Exception e) {
    if (causeOf(e, SocketTimeoutException.class) != null
        || causeOf(e, HttpTimeoutException.class) != null) {
      return "timeout";
    }
    if (causeOf(e, ConnectException.class) != null
        || causeOf(e, UnknownHostException.class) != null
        || causeOf(e, NoRouteToHostException.class) != null) {
      return "unreachable";
    }
    return "error";
  }

  /**
   * Retry-After is either delay-seconds or an HTTP-date:
   * https://www.rfc-editor.org/rfc/rfc9110#field.retry-after. GitLab sends seconds:
   * https://docs.gitlab.com/security/rate_limits/
   */
  private Duration retryAfter(Exception e) {
    GitLabApiException api = causeOf(e, GitLabApiException.class);
    String value = header(api == null ? null : api.getHeaders(), "Retry-After");
    if (value != null) {
      try {
        return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
      } catch (NumberFormatException notSeconds) {
        try {
          ZonedDateTime at =
              ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
          Duration wait = Duration.between(clock.instant(), at.toInstant());
          return wait.isNegative() ? Duration.ZERO : wait;
        } catch (DateTimeParseException notADate) {
          // fall through to the default
        }
      }
    }
    return DEFAULT_RETRY_AFTER;
  }

  private static String header(Map<String, List<String>> headers, String name) {
    if (headers == null) {
      return null;
    }
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      if (h.getKey() != null && h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
        return h.getValue().get(0);
      }
    }
    return null;
  }

  private static <E extends Throwable> E causeOf(Throwable e, Class<E> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  @Override
  public void close() {
    if (api != null) {
      api.close();
    }
  }
}
