package io.neo4jaccess.api;

import static io.neo4jaccess.api.ErrorCode.BAD_REQUEST;
import static io.neo4jaccess.api.ErrorCode.DENIED;
import static io.neo4jaccess.api.ErrorCode.PAYLOAD_TOO_LARGE;
import static io.neo4jaccess.api.ErrorCode.RATE_LIMITED;

import io.neo4jaccess.lease.Decisions;
import io.neo4jaccess.policy.Policy;
import io.neo4jaccess.policy.PolicyConfig;
import io.neo4jaccess.policy.PolicyException;
import io.neo4jaccess.policy.PolicyService;
import io.neo4jaccess.policy.WhatIf;
import io.neo4jaccess.token.GitLabClaims;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/policy/what-if}: what a candidate policy (the body, YAML) would decide
 * differently on the decisions recorded in a window ({@code ?window=7d}, at most 30 days), for a
 * job of a policy repository, with its own ID token: checked as an exchange's, not consumed, and
 * counted in the same rate limits. One evaluation at a time per replica; another caller meanwhile
 * is asked to retry.
 */
@Path("/v1/policy")
public class PolicyResource {

  static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
  static final Duration MAX_WINDOW = Duration.ofDays(30);
  private static final Pattern WINDOW = Pattern.compile("([1-9][0-9]{0,3})([dh])");
  private static final int MAX_POLICY_BYTES = 1 << 20;
  private static final long BUSY_RETRY_SECONDS = 5;

  private final Semaphore running = new Semaphore(1);

  @Inject Callers callers;
  @Inject PolicyService policies;
  @Inject PolicyConfig config;
  @Inject Decisions decisions;
  @Inject Clock clock;

  @POST
  @Path("/what-if")
  @Consumes(MediaType.WILDCARD)
  public Map<String, Object> whatIf(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @QueryParam("window") String window,
      @Context HttpServerRequest http,
      byte[] body) {
    GitLabClaims claims = callers.verify(authorization, http);
    if (!policies.fromPolicyRepository(claims)) {
      throw new ApiException(
          DENIED,
          "Only jobs of a policy repository named in the broker's broker.policy.repositories may"
              + " evaluate candidate policies; "
              + claims.instance()
              + ":"
              + claims.runningProjectPath()
              + " is not one.");
    }
    Duration span = window(window);
    Policy candidate = candidate(body);
    if (!running.tryAcquire()) {
      throw new ApiException(
          RATE_LIMITED,
          "Another what-if is being evaluated on this broker; retry in "
              + BUSY_RETRY_SECONDS
              + " s.",
          BUSY_RETRY_SECONDS);
    }
    try {
      Policy baseline = policies.current();
      Instant to = clock.instant();
      Instant from = to.minus(span);
      int max = config.whatIf().maxDecisions();
      List<Decisions.Recorded> recorded = decisions.since(from, max + 1);
      boolean truncated = recorded.size() > max;
      List<WhatIf.Past> past = recorded.stream().limit(max).map(PolicyResource::past).toList();
      return WhatIfView.json(
          WhatIf.evaluate(baseline, candidate, past), from, to, describe(span), truncated);
    } finally {
      running.release();
    }
  }

  private static WhatIf.Past past(Decisions.Recorded r) {
    return new WhatIf.Past(r.at(), r.job(), r.policySha256(), r.evidenceJson());
  }

  private static Duration window(String window) {
    if (window == null || window.isEmpty()) {
      return DEFAULT_WINDOW;
    }
    Matcher m = WINDOW.matcher(window);
    Duration span =
        !m.matches()
            ? null
            : m.group(2).equals("d")
                ? Duration.ofDays(Long.parseLong(m.group(1)))
                : Duration.ofHours(Long.parseLong(m.group(1)));
    if (span == null || span.compareTo(MAX_WINDOW) > 0) {
      throw new ApiException(
          BAD_REQUEST,
          "window must be whole days or hours up to 30 days, e.g. 7d or 36h (default 7d).");
    }
    return span;
  }

  private static String describe(Duration span) {
    return span.toHours() % 24 == 0
        ? "the last " + span.toDays() + " day" + (span.toDays() == 1 ? "" : "s")
        : "the last " + span.toHours() + " hours";
  }

  /** The body as a policy, validated as a reload would validate it. */
  private Policy candidate(byte[] body) {
    if (body == null || body.length == 0) {
      throw new ApiException(BAD_REQUEST, "The body must be the candidate policy, as YAML.");
    }
    if (body.length > MAX_POLICY_BYTES) {
      throw new ApiException(PAYLOAD_TOO_LARGE, "A policy is at most 1 MiB.");
    }
    try {
      String yaml =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body))
              .toString();
      return policies.candidate(yaml);
    } catch (CharacterCodingException e) {
      throw new ApiException(BAD_REQUEST, "The candidate policy is not UTF-8 text.");
    } catch (PolicyException invalid) {
      throw new ApiException(
          BAD_REQUEST, "The candidate policy is not valid: " + invalid.getMessage());
    }
  }
}
