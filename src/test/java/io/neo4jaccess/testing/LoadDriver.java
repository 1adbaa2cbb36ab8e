package io.neo4jaccess.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives a broker over HTTP the way many CI jobs at once would: {@code count} exchanges at a given
 * concurrency, interleaved with Job Hook deliveries for a third of the jobs — duplicates (same
 * {@code Idempotency-Key}), redeliveries under a new key, a stale {@code running} after {@code
 * success}, and events for jobs that never exchanged. Records what it issued, so that the caller
 * can account for every user afterwards. Used by the suite (small) and by {@code chaos/run}.
 */
public final class LoadDriver {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One issued credential; the password is kept only for the leak checks. */
  public record Issued(String leaseId, String username, String password, long jobId) {}

  /**
   * What a run did. {@code finishedJobs}: jobs a final-status webhook was accepted for; {@code
   * webhookAnswers}: the webhooks sent, by the broker's HTTP status ({@code io_error} without one).
   */
  public record Tally(
      List<Issued> issued,
      Map<Long, Boolean> finishedJobs,
      Map<String, AtomicLong> codes,
      Map<String, AtomicLong> webhookAnswers,
      Duration elapsed) {

    public long count(String code) {
      AtomicLong n = codes.get(code);
      return n == null ? 0 : n.get();
    }

    public long webhooks() {
      return webhookAnswers.values().stream().mapToLong(AtomicLong::get).sum();
    }
  }

  private final String brokerUrl;
  private final GitLabStandIn gitlab;
  private final String audience;
  private final String webhookSecret;
  private final long projectId;
  private final String projectPath;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public LoadDriver(
      String brokerUrl,
      GitLabStandIn gitlab,
      String audience,
      String webhookSecret,
      long projectId,
      String projectPath) {
    this.brokerUrl = brokerUrl.replaceAll("/+$", "");
    this.gitlab = gitlab;
    this.audience = audience;
    this.webhookSecret = webhookSecret;
    this.projectId = projectId;
    this.projectPath = projectPath;
  }

  /**
   * Runs {@code count} exchanges, jobs numbered from {@code firstJob} in pipeline {@code pipeline}.
   * Never throws for a refused request: refusals are counted by code (transport failures as {@code
   * io_error}), so that a fault test can run it while things break.
   */
  public Tally run(int count, int concurrency, long firstJob, long pipeline) throws Exception {
    Queue<Issued> issued = new ConcurrentLinkedQueue<>();
    Map<Long, Boolean> finished = new ConcurrentHashMap<>();
    Map<String, AtomicLong> codes = new ConcurrentHashMap<>();
    Map<String, AtomicLong> webhooks = new ConcurrentHashMap<>();
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        final int n = i;
        work.add(
            pool.submit(
                () -> {
                  one(n, firstJob + n, pipeline, issued, finished, codes, webhooks);
                  return null;
                }));
      }
      for (Future<?> f : work) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return new Tally(
        List.copyOf(issued),
        finished,
        codes,
        webhooks,
        Duration.ofNanos(System.nanoTime() - started));
  }

  private void one(
      int n,
      long job,
      long pipeline,
      Queue<Issued> issued,
      Map<Long, Boolean> finished,
      Map<String, AtomicLong> codes,
      Map<String, AtomicLong> webhooks) {
    String token =
        gitlab.mint(
            audience,
            Map.of(
                "job_id", String.valueOf(job),
                "pipeline_id", String.valueOf(pipeline),
                "project_id", String.valueOf(projectId),
                "job_project_id", String.valueOf(projectId),
                "project_path", projectPath,
                "job_project_path", projectPath));
    SecretsSeen.record(token);
    String code;
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(brokerUrl + "/v1/exchange"))
                  .header("Authorization", "Bearer " + token)
                  .timeout(Duration.ofSeconds(60))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(r.body());
      if (r.statusCode() == 200) {
        code = "issued";
        String password = body.get("password").asText();
        SecretsSeen.record(password);
        issued.add(
            new Issued(
                body.get("lease_id").asText(), body.get("username").asText(), password, job));
      } else {
        code = body.path("code").asText("http_" + r.statusCode());
      }
    } catch (IOException | InterruptedException e) {
      code = "io_error";
    }
    codes.computeIfAbsent(code, k -> new AtomicLong()).incrementAndGet();
    if (n % 3 == 0) {
      // Any final status the broker accepts ends the job's lease: under load the first delivery
      // can go unanswered or be refused while a later one of the same job is accepted.
      String key = UUID.randomUUID().toString();
      boolean accepted = deliver(webhooks, job, pipeline, "success", key);
      if (n % 9 == 0) { // GitLab's retry: same Idempotency-Key
        accepted |= deliver(webhooks, job, pipeline, "success", key);
      }
      if (n % 6 == 0) { // late, stale status after the final one
        deliver(webhooks, job, pipeline, "running", UUID.randomUUID().toString());
      }
      if (n % 12 == 0) { // manual resend under a new key
        accepted |= deliver(webhooks, job, pipeline, "failed", UUID.randomUUID().toString());
      }
      if (accepted) {
        finished.put(job, true);
      }
    } else if (n % 10 == 5) { // a job that never exchanged
      deliver(webhooks, job + 10_000_000L, pipeline, "success", UUID.randomUUID().toString());
    }
  }

  private boolean deliver(
      Map<String, AtomicLong> answers, long job, long pipeline, String status, String key) {
    byte[] body = Webhooks.bytes(Webhooks.jobHook(projectId, pipeline, job, status));
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(brokerUrl + "/v1/webhooks/gitlab"))
                  .header("Content-Type", "application/json")
                  .header("X-Gitlab-Event", "Job Hook")
                  .header("X-Gitlab-Token", webhookSecret)
                  .header("Idempotency-Key", key)
                  .timeout(Duration.ofSeconds(30))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      answers
          .computeIfAbsent(String.valueOf(r.statusCode()), k -> new AtomicLong())
          .incrementAndGet();
      return r.statusCode() == 200;
    } catch (IOException | InterruptedException e) {
      answers.computeIfAbsent("io_error", k -> new AtomicLong()).incrementAndGet();
      return false;
    }
  }
}
