package io.neo4jaccess.api;

import static io.neo4jaccess.api.ErrorCode.BAD_REQUEST;
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
import io.neo4jaccess.exchange.ExchangeService;
import io.neo4jaccess.exchange.Issued;
import io.neo4jaccess.exchange.ScopeRequest;
import io.neo4jaccess.policy.Decision;
import io.neo4jaccess.token.GitLabClaims;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /v1/exchange} and {@code POST /v1/explain}: a job's ID token for credentials. */
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

  @Inject Callers callers;
  @Inject ExchangeService exchanges;
  @Inject Links links;
  @Inject ApiConfig config;
  @Inject MeterRegistry metrics;

  @POST
  @Path("/exchange")
  @Consumes(MediaType.WILDCARD)
  public Response exchange(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @HeaderParam(HttpHeaders.ACCEPT) String accept,
      @Context HttpServerRequest http,
      byte[] body) {
    Timer.Sample started = Timer.start(metrics);
    String code = "ok";
    try {
      GitLabClaims claims = callers.verify(authorization, http);
      Issued issued = exchanges.exchange(claims, scopeRequest(body));
      String summaryUrl = links.summary(issued.lease().id());
      return wantsDotenv(accept)
          ? Response.ok(IssuedView.dotenv(issued, summaryUrl), "text/plain").build()
          : Response.ok(IssuedView.json(issued, summaryUrl), MediaType.APPLICATION_JSON).build();
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
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @Context HttpServerRequest http,
      byte[] body) {
    GitLabClaims claims = callers.verify(authorization, http);
    ScopeRequest request = scopeRequest(body);
    Decision decision = exchanges.explain(claims);
    Map<String, Object> answer = new LinkedHashMap<>(exchanges.disclosure().explain(decision));
    if (decision.allowed()) {
      answer.put("grant", IssuedView.grant(request.narrow(decision.grant())));
    }
    return answer;
  }

  private ScopeRequest scopeRequest(byte[] body) {
    if (body == null || body.length == 0) {
      return ScopeRequest.NONE;
    }
    if (body.length > config.maxRequestBytes()) {
      throw new ApiException(PAYLOAD_TOO_LARGE, "The request body is too large.");
    }
    try {
      ScopeRequest request = STRICT_BODY.readValue(body, ScopeRequest.class);
      if (request == null) {
        throw new ApiException(BAD_REQUEST, "The body must be a JSON object.");
      }
      return request;
    } catch (IOException e) {
      throw new ApiException(
          BAD_REQUEST,
          "The body must be a JSON object with only 'target', 'database' (strings), 'roles' (a"
              + " list of strings) and 'ttl' (e.g. \"10m\").");
    }
  }

  private static boolean wantsDotenv(String accept) {
    return accept != null && accept.contains("text/plain") && !accept.contains("application/json");
  }
}
