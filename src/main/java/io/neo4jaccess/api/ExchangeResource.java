package io.neo4jaccess.api;

import static io.neo4jaccess.api.ErrorCode.BAD_REQUEST;
import static io.neo4jaccess.api.ErrorCode.NOT_FOUND;
import static io.neo4jaccess.api.ErrorCode.PAYLOAD_TOO_LARGE;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.neo4jaccess.lease.ExchangeService;
import io.neo4jaccess.lease.Lease;
import io.neo4jaccess.lease.LeaseStore;
import io.neo4jaccess.lease.RevocationService;
import io.neo4jaccess.lease.ScopeRequest;
import io.neo4jaccess.lease.StateUnavailableException;
import io.neo4jaccess.policy.Decision;
import io.neo4jaccess.token.GitLabClaims;
import io.neo4jaccess.token.TokenVerifier;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The v1 HTTP contract of DESIGN.md for jobs: exchange, explain, lease summary, self-revoke. */
@Path("/v1")
public class ExchangeResource {

  private static final ObjectMapper STRICT_BODY =
      JsonMapper.builder(
              JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          // Strings stay strings: {"target": 7} is a wrong type, not the target "7".
          .withCoercionConfig(
              LogicalType.Textual,
              c ->
                  c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .build();

  @Inject TokenVerifier tokens;
  @Inject ExchangeService exchanges;
  @Inject RevocationService revocations;
  @Inject LeaseStore leases;
  @Inject ApiConfig config;
  @Inject MeterRegistry metrics;
  @Inject UriInfo uri;

  @POST
  @Path("/exchange")
  @Consumes(MediaType.WILDCARD)
  public Response exchange(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @HeaderParam(HttpHeaders.ACCEPT) String accept,
      byte[] body) {
    Timer.Sample started = Timer.start(metrics);
    String code = "ok";
    try {
      GitLabClaims claims = tokens.verify(authorization);
      ScopeRequest request = scopeRequest(body);
      ExchangeService.Issued issued = exchanges.exchange(claims, request);
      return wantsDotenv(accept)
          ? Response.ok(IssuedView.dotenv(issued, summaryUrl(issued.lease())), "text/plain").build()
          : Response.ok(
                  IssuedView.json(issued, summaryUrl(issued.lease())), MediaType.APPLICATION_JSON)
              .build();
    } catch (RuntimeException e) {
      code = ProblemMapper.codeOf(e).code();
      throw e;
    } finally {
      String outcome = "ok".equals(code) ? "issued" : "refused";
      metrics.counter("broker.exchanges", "outcome", outcome, "code", code).increment();
      started.stop(metrics.timer("broker.exchange.latency", "outcome", outcome));
    }
  }

  @POST
  @Path("/explain")
  @Consumes(MediaType.WILDCARD)
  public Map<String, Object> explain(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
    GitLabClaims claims = tokens.verify(authorization);
    ScopeRequest request = scopeRequest(body);
    Decision decision = exchanges.explain(claims);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("allowed", decision.allowed());
    answer.put("rule", decision.rule());
    if (decision.allowed()) {
      answer.put("grant", IssuedView.grant(request.narrow(decision.grant())));
    } else {
      answer.put("summary", decision.denialSummary());
      answer.put("closest_rule", decision.closest() == null ? null : decision.closest().rule());
      answer.put("gitlab_unavailable", decision.gitlabUnavailable());
    }
    answer.put("trace", decision.trace());
    return answer;
  }

  @GET
  @Path("/leases/{id}")
  public Response summary(
      @PathParam("id") String id, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
    Lease lease = lease(id).orElseThrow(() -> new BrokerException(NOT_FOUND, "No such lease."));
    if (accept != null && accept.contains("text/html")) {
      // Browsers following the job annotation get a page; API clients get JSON.
      return Response.ok(
              LeaseSummaryPage.render(lease), MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
          .header("Content-Security-Policy", LeaseSummaryPage.CONTENT_SECURITY_POLICY)
          .header("X-Content-Type-Options", "nosniff")
          .header("Referrer-Policy", "no-referrer")
          .build();
    }
    return Response.ok(IssuedView.summary(lease), MediaType.APPLICATION_JSON).build();
  }

  @DELETE
  @Path("/leases/{id}")
  public Response revoke(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
    // Revoking only lowers access, so the job's token is accepted after its jti was consumed.
    GitLabClaims claims = tokens.verifyToRevoke(authorization);
    Lease lease =
        lease(id)
            .filter(l -> l.instance().equals(claims.instance()))
            .filter(l -> l.projectId() == claims.runningProjectId() && l.jobId() == claims.jobId())
            .orElseThrow(() -> new BrokerException(NOT_FOUND, "No such lease for this job."));
    state(() -> revocations.revoke(lease, "self_revoke"));
    return Response.noContent().build();
  }

  private Optional<Lease> lease(String id) {
    if (id == null || !id.matches("[A-Za-z0-9_-]{22}")) {
      return Optional.empty();
    }
    return state(() -> leases.find(id));
  }

  private ScopeRequest scopeRequest(byte[] body) {
    if (body == null || body.length == 0) {
      return ScopeRequest.NONE;
    }
    if (body.length > config.maxRequestBytes()) {
      throw new BrokerException(PAYLOAD_TOO_LARGE, "The request body is too large.");
    }
    try {
      ScopeRequest request = STRICT_BODY.readValue(body, ScopeRequest.class);
      if (request == null) {
        throw new BrokerException(BAD_REQUEST, "The body must be a JSON object.");
      }
      return request;
    } catch (IOException e) {
      throw new BrokerException(
          BAD_REQUEST,
          "The body must be a JSON object with only 'target', 'database' (strings), 'roles' (a"
              + " list of strings) and 'ttl' (e.g. \"10m\").");
    }
  }

  private String summaryUrl(Lease lease) {
    String base =
        config.publicUrl().orElseGet(() -> uri.getBaseUri().toString()).replaceAll("/+$", "");
    return base + "/v1/leases/" + lease.id();
  }

  private static boolean wantsDotenv(String accept) {
    return accept != null && accept.contains("text/plain") && !accept.contains("application/json");
  }

  private static <T> T state(Supplier<T> work) {
    try {
      return work.get();
    } catch (StateUnavailableException e) {
      throw new BrokerException(
          ErrorCode.STATE_UNAVAILABLE, "The broker's state store is unavailable.", e);
    }
  }
}
