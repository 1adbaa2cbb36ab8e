package io.neo4jaccess.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A GitLab instance at the HTTP level, small enough to run in tests, benchmarks and the demo: OIDC
 * discovery and keys shaped like GitLab's ({@code /.well-known/openid-configuration}, {@code
 * /oauth/discovery/keys}), RS256 ID tokens with GitLab's claim set ({@link GitLabIdTokens}), and
 * the REST endpoints the broker reads protection settings from, with payloads shaped like GitLab's
 * docs. Never part of the production artifact.
 */
public final class GitLabStandIn implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final String url;
  private final GitLabIdTokens tokens;
  private final AtomicInteger apiCalls = new AtomicInteger();
  private final AtomicInteger keyFetches = new AtomicInteger();

  /** Protected branch names (wildcards allowed) per project; absent project: main, release/*. */
  private final Map<Long, List<String>> protectedBranches = new ConcurrentHashMap<>();

  /** Fault switches for the REST API (not discovery or keys): status to answer, delay first. */
  private volatile int apiFailure;

  private volatile long apiDelayMillis;

  /** Job status per job id, for the Jobs API; absent: running. */
  private final Map<Long, String> jobStatus = new ConcurrentHashMap<>();

  /** The {@link #jobStatus} of a deleted job, which the Jobs API does not know. */
  private static final String DELETED = "";

  private GitLabStandIn(HttpServer server) {
    this.server = server;
    this.url = "http://127.0.0.1:" + server.getAddress().getPort();
    this.tokens = new GitLabIdTokens(url);
  }

  /** Starts a stand-in on a free loopback port. */
  public static GitLabStandIn start() {
    return start(0);
  }

  public static GitLabStandIn start(int port) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
      GitLabStandIn standIn = new GitLabStandIn(server);
      server.createContext("/", standIn::handle);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.start();
      return standIn;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The instance URL, which is also its token issuer. */
  public String url() {
    return url;
  }

  /** The instance's ID tokens: its signing key and the claims its jobs' tokens carry. */
  public GitLabIdTokens tokens() {
    return tokens;
  }

  /** Replaces the signing key, as a GitLab key rotation would; the old kid is gone. */
  public void rotateKey() {
    tokens.rotateKey();
  }

  public RSAPublicKey publicKey() {
    return tokens.publicKey();
  }

  public String kid() {
    return tokens.kid();
  }

  /** GitLab REST API calls served so far (discovery and keys excluded). */
  public int apiCalls() {
    return apiCalls.get();
  }

  public int keyFetches() {
    return keyFetches.get();
  }

  public void protectBranches(long projectId, List<String> names) {
    protectedBranches.put(projectId, List.copyOf(names));
  }

  /** Every REST API call answers {@code status} (429 with {@code Retry-After: 1}); 0 heals. */
  public void failApi(int status) {
    apiFailure = status;
  }

  /** Every REST API call answers only after {@code delay} (a GitLab that times out). */
  public void slowApi(java.time.Duration delay) {
    apiDelayMillis = delay.toMillis();
  }

  public void setJobStatus(long jobId, String status) {
    jobStatus.put(jobId, status);
  }

  /** The job (or its project) is deleted: the Jobs API answers 404 for it. */
  public void deleteJob(long jobId) {
    jobStatus.put(jobId, DELETED);
  }

  /** The claims GitLab would put in a push pipeline's job token, with the given overrides. */
  public Map<String, Object> claims(String audience, Map<String, ?> overrides) {
    return tokens.claims(audience, overrides);
  }

  /** A valid ID token for a job, signed RS256 with the current key. */
  public String mint(String audience, Map<String, ?> overrides) {
    return tokens.mint(audience, overrides);
  }

  public Map<String, Object> header() {
    return tokens.header();
  }

  /** Signs any header and payload with the current key: for tokens GitLab would never send. */
  public String sign(Map<String, ?> header, Map<String, ?> payload) {
    return tokens.sign(header, payload);
  }

  public String signRaw(String headerJson, String payloadJson) {
    return tokens.signRaw(headerJson, payloadJson);
  }

  public static String b64(String json) {
    return GitLabIdTokens.b64(json);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      if (path.equals("/.well-known/openid-configuration")) {
        reply(ex, 200, discovery());
      } else if (path.equals("/oauth/discovery/keys")) {
        keyFetches.incrementAndGet();
        reply(ex, 200, jwks());
      } else if (path.equals("/-/standin/id_token") && method.equals("POST")) {
        Map<String, Object> overrides = readOverrides(ex);
        String aud = String.valueOf(overrides.getOrDefault("aud", "neo4j-access"));
        byte[] token = mint(aud, overrides).getBytes(StandardCharsets.US_ASCII);
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        ex.sendResponseHeaders(200, token.length);
        ex.getResponseBody().write(token);
      } else if (path.startsWith("/api/v4/")) {
        apiCalls.incrementAndGet();
        if (!fault(ex)) {
          api(ex, path.substring("/api/v4".length()));
        }
      } else {
        reply(ex, 404, Map.of("message", "404 Not Found"));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readOverrides(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    return body.length == 0 ? Map.of() : JSON.readValue(body, Map.class);
  }

  private Map<String, Object> discovery() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("issuer", url);
    d.put("authorization_endpoint", url + "/oauth/authorize");
    d.put("token_endpoint", url + "/oauth/token");
    d.put("revocation_endpoint", url + "/oauth/revoke");
    d.put("introspection_endpoint", url + "/oauth/introspect");
    d.put("userinfo_endpoint", url + "/oauth/userinfo");
    d.put("jwks_uri", url + "/oauth/discovery/keys");
    d.put("scopes_supported", List.of("api", "read_api", "openid", "profile", "email"));
    d.put("response_types_supported", List.of("code"));
    d.put("subject_types_supported", List.of("public"));
    d.put("id_token_signing_alg_values_supported", List.of("RS256"));
    d.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "sub_legacy", "name"));
    return d;
  }

  private Map<String, Object> jwks() {
    return Map.of("keys", List.of(tokens.jwk()));
  }

  /** The few REST endpoints the broker reads, shaped like GitLab's documented examples. */
  private void api(HttpExchange ex, String path) throws IOException {
    String[] p = path.split("/");
    // p[0] = "", p[1] = projects|groups, p[2] = id, p[3] = resource, p[4] = name
    if (path.equals("/version")) {
      reply(ex, 200, Map.of("version", "18.6.0", "revision", "4e963fe"));
    } else if (p.length >= 4 && p[1].equals("projects")) {
      long project = Long.parseLong(p[2]);
      switch (p[3]) {
        case "protected_branches" -> {
          List<Map<String, Object>> out = new ArrayList<>();
          for (String name :
              protectedBranches.getOrDefault(project, List.of("main", "release/*"))) {
            out.add(protectedBranch(name));
          }
          if (p.length == 5) {
            String name = java.net.URLDecoder.decode(p[4], StandardCharsets.UTF_8);
            out.removeIf(b -> !b.get("name").equals(name));
            if (out.isEmpty()) {
              reply(ex, 404, Map.of("message", "404 Not found"));
            } else {
              reply(ex, 200, out.get(0));
            }
            return;
          }
          reply(ex, 200, out);
        }
        case "protected_tags" ->
            reply(
                ex,
                200,
                List.of(
                    Map.of(
                        "name",
                        "v*",
                        "create_access_levels",
                        List.of(
                            Map.of(
                                "id",
                                1,
                                "access_level",
                                40,
                                "access_level_description",
                                "Maintainers")))));
        case "protected_environments" -> {
          if (p.length == 5 && p[4].equals("production")) {
            reply(ex, 200, protectedEnvironment("production", 40, 0));
          } else {
            reply(ex, 404, Map.of("message", "404 Not found"));
          }
        }
        case "environments" -> reply(ex, 200, environments(ex.getRequestURI().getQuery()));
        case "jobs" -> {
          long job = Long.parseLong(p[4]);
          if (DELETED.equals(jobStatus.get(job))) {
            reply(ex, 404, Map.of("message", "404 Not found"));
            return;
          }
          Map<String, Object> j = new LinkedHashMap<>();
          j.put("id", job);
          j.put("status", jobStatus.getOrDefault(job, "running"));
          j.put("name", "deploy");
          j.put("ref", "main");
          reply(ex, 200, j);
        }
        default -> reply(ex, 404, Map.of("message", "404 Not found"));
      }
    } else {
      reply(ex, 404, Map.of("message", "404 Not found"));
    }
  }

  /** Applies the fault switches; true when the request was answered with a failure. */
  private boolean fault(HttpExchange ex) throws IOException {
    long delay = apiDelayMillis;
    if (delay > 0) {
      try {
        Thread.sleep(delay); // the stand-in playing a slow GitLab, not a test waiting
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int status = apiFailure;
    if (status == 0) {
      return false;
    }
    if (status == 429) {
      ex.getResponseHeaders().set("Retry-After", "1");
    }
    reply(ex, status, Map.of("message", status + " fault injected by the stand-in"));
    return true;
  }

  private static Map<String, Object> protectedBranch(String name) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("id", Math.abs(name.hashCode()));
    b.put("name", name);
    b.put(
        "push_access_levels",
        List.of(Map.of("id", 1, "access_level", 40, "access_level_description", "Maintainers")));
    b.put(
        "merge_access_levels",
        List.of(Map.of("id", 1, "access_level", 40, "access_level_description", "Maintainers")));
    b.put("allow_force_push", false);
    b.put("code_owner_approval_required", false);
    return b;
  }

  private static Map<String, Object> protectedEnvironment(String name, int level, int approvals) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("name", name);
    e.put(
        "deploy_access_levels",
        List.of(
            Map.of("id", 12, "access_level", level, "access_level_description", "Maintainers")));
    e.put("required_approval_count", approvals);
    e.put("approval_rules", List.of());
    return e;
  }

  private static List<Map<String, Object>> environments(String query) {
    String name = query == null ? "" : query.replaceAll(".*name=([^&]*).*", "$1");
    name = java.net.URLDecoder.decode(name, StandardCharsets.UTF_8);
    if (name.isEmpty()) {
      return List.of();
    }
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("id", 1);
    env.put("name", name);
    env.put("slug", name);
    env.put("external_url", null);
    env.put("state", "available");
    env.put("tier", name.equals("production") ? "production" : "other");
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(env);
    return out;
  }

  private static void reply(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  /** Exposed for tests that forge tokens with another key. */
  public PrivateKey privateKey() {
    return tokens.privateKey();
  }
}
