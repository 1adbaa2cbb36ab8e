package io.neo4jaccess.api;

import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Sends the broker's own HTTP server one API request once it listens, and holds readiness until
 * that request has been answered: a {@code POST /v1/explain} without a token, which is answered 401
 * {@code token_missing} before anything is read or recorded. It takes one request from the loopback
 * address's rate limit and changes nothing else. The first job's exchange then finds the HTTP
 * layer's code for API requests (routing, the request body, the problem answer) loaded and run: 98
 * → 70 ms at the median on a 2-core machine (bench/RESULTS.md, run 9). Best effort: a request that
 * fails is logged, and readiness does not wait for another.
 */
@Readiness
@ApplicationScoped
class HttpRehearsal implements HealthCheck {

  private static final Logger LOG = Logger.getLogger(HttpRehearsal.class);

  static final String PATH = "/v1/explain";

  private final Vertx vertx;

  /** Null until the HTTP server listens; then the request, done once it was answered or failed. */
  private volatile CompletableFuture<Integer> answered;

  @Inject
  HttpRehearsal(Vertx vertx) {
    this.vertx = vertx;
  }

  void rehearse(@ObservesAsync HttpServerStart started) {
    HttpServerOptions listening = started.options();
    HttpClient client = vertx.createHttpClient();
    CompletableFuture<Integer> status = new CompletableFuture<>();
    client
        .request(HttpMethod.POST, port(listening), loopback(listening.getHost()), PATH)
        .compose(HttpClientRequest::send)
        .compose(response -> response.body().map(body -> response))
        .map(HttpClientResponse::statusCode)
        .onComplete(
            result -> {
              client.close();
              if (result.succeeded()) {
                status.complete(result.result());
              } else {
                LOG.warnf(
                    "the HTTP rehearsal got no answer, the first job pays for it: cause=%s",
                    result.cause().getClass().getName());
                status.complete(0);
              }
            });
    answered = status;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder check = HealthCheckResponse.named("http rehearsal");
    if (!plainHttpServed()) {
      // No plain HTTP server will start, so no request is sent: nothing to wait for.
      return check.up().withData("answered", "not sent: no plain HTTP server").build();
    }
    CompletableFuture<Integer> request = answered;
    boolean done = request != null && request.isDone();
    return check.status(done).withData("answered", done ? request.join() : 0).build();
  }

  /** Whether Quarkus starts a plain HTTP server, the one this request goes to. */
  private static boolean plainHttpServed() {
    Config config = ConfigProvider.getConfig();
    return config.getOptionalValue("quarkus.http.host-enabled", Boolean.class).orElse(true)
        && !"disabled"
            .equalsIgnoreCase(
                config.getOptionalValue("quarkus.http.insecure-requests", String.class).orElse(""));
  }

  /** The address the server listens on, as a client reaches it from this host. */
  static String loopback(String host) {
    if (host == null || host.isBlank() || "0.0.0.0".equals(host)) {
      return "127.0.0.1";
    }
    return "::".equals(host) || "[::]".equals(host) ? "::1" : host;
  }

  /** The port it listens on: a server started on port 0 publishes the one it got in config. */
  private static int port(HttpServerOptions listening) {
    return listening.getPort() > 0
        ? listening.getPort()
        : ConfigProvider.getConfig().getValue("quarkus.http.port", Integer.class);
  }
}
