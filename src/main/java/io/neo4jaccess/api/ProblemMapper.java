package io.neo4jaccess.api;

import io.neo4jaccess.exchange.ExchangeRefused;
import io.neo4jaccess.state.StateUnavailable;
import io.neo4jaccess.token.SigningKeysUnavailable;
import io.neo4jaccess.token.TokenRejected;
import io.neo4jaccess.webhook.WebhookRejected;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become HTTP answers: every feature's failure type maps to an RFC
 * 9457 problem document with a stable {@code code}. 5xx are logged with their cause, 4xx only at
 * debug: a caller's mistake is not an operator's problem. Details never carry secrets because each
 * failure type's detail is written not to.
 */
public class ProblemMapper {

  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
  static final String PROBLEM_JSON = "application/problem+json";

  /** Seconds a client should wait before retrying a 503; GitLab jobs retry on this. */
  static final int RETRY_AFTER_SECONDS = 2;

  @ServerExceptionMapper
  public Response api(ApiException e) {
    Response r = refused(codeOf(e), e.getMessage(), Map.of(), e);
    return e.retryAfterSeconds() > 0
        ? Response.fromResponse(r).header("Retry-After", e.retryAfterSeconds()).build()
        : r;
  }

  @ServerExceptionMapper
  public Response exchange(ExchangeRefused e) {
    return refused(codeOf(e), e.getMessage(), e.extensions(), e);
  }

  @ServerExceptionMapper
  public Response tokenRejected(TokenRejected e) {
    return refused(codeOf(e), e.getMessage(), Map.of(), e);
  }

  @ServerExceptionMapper
  public Response signingKeysUnavailable(SigningKeysUnavailable e) {
    return refused(codeOf(e), e.getMessage(), Map.of(), e);
  }

  @ServerExceptionMapper
  public Response webhook(WebhookRejected e) {
    return refused(codeOf(e), e.getMessage(), Map.of(), e);
  }

  @ServerExceptionMapper
  public Response stateUnavailable(StateUnavailable e) {
    return refused(codeOf(e), "The broker's state store is unavailable.", Map.of(), e);
  }

  /** The error code of a feature's failure; {@code internal} for anything unforeseen. */
  static ErrorCode codeOf(Throwable e) {
    if (e instanceof ApiException api) {
      return api.code();
    }
    if (e instanceof TokenRejected token) {
      return switch (token.reason()) {
        case MISSING -> ErrorCode.TOKEN_MISSING;
        case MALFORMED -> ErrorCode.TOKEN_MALFORMED;
        case ALGORITHM -> ErrorCode.TOKEN_ALGORITHM;
        case SIGNATURE -> ErrorCode.TOKEN_SIGNATURE;
        case ISSUER_UNKNOWN -> ErrorCode.TOKEN_ISSUER_UNKNOWN;
        case AUDIENCE -> ErrorCode.TOKEN_AUDIENCE;
        case EXPIRED -> ErrorCode.TOKEN_EXPIRED;
        case NOT_YET_VALID -> ErrorCode.TOKEN_NOT_YET_VALID;
        case TOO_OLD -> ErrorCode.TOKEN_TOO_OLD;
      };
    }
    if (e instanceof SigningKeysUnavailable) {
      return ErrorCode.GITLAB_UNAVAILABLE;
    }
    if (e instanceof ExchangeRefused refused) {
      return switch (refused.reason()) {
        case DENIED -> ErrorCode.DENIED;
        case GITLAB_UNAVAILABLE -> ErrorCode.GITLAB_UNAVAILABLE;
        case SCOPE_WIDENING -> ErrorCode.SCOPE_WIDENING;
        case BAD_SCOPE -> ErrorCode.BAD_REQUEST;
        case TOKEN_REPLAYED -> ErrorCode.TOKEN_REPLAYED;
        case TARGET_UNAVAILABLE -> ErrorCode.TARGET_UNAVAILABLE;
        case ABANDONED -> ErrorCode.STATE_UNAVAILABLE;
        case NO_SUCH_LEASE -> ErrorCode.NOT_FOUND;
      };
    }
    if (e instanceof WebhookRejected webhook) {
      return switch (webhook.reason()) {
        case TOO_LARGE -> ErrorCode.PAYLOAD_TOO_LARGE;
        case UNAUTHORIZED -> ErrorCode.WEBHOOK_UNAUTHORIZED;
        case MALFORMED -> ErrorCode.BAD_REQUEST;
      };
    }
    if (e instanceof StateUnavailable) {
      return ErrorCode.STATE_UNAVAILABLE;
    }
    return ErrorCode.INTERNAL;
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e) {
    return problem(ErrorCode.NOT_FOUND, "No such resource.", Map.of());
  }

  @ServerExceptionMapper
  public Response notAllowed(NotAllowedException e) {
    Response r = problem(ErrorCode.BAD_REQUEST, "Method not allowed here.", Map.of());
    return Response.fromResponse(r).status(405).build();
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (status == 413) {
      return problem(ErrorCode.PAYLOAD_TOO_LARGE, "Request body too large.", Map.of());
    }
    if (status >= 400 && status < 500) {
      // Framework-level refusals (bad media type, unparsable parameters): the caller's mistake.
      Response r = problem(ErrorCode.BAD_REQUEST, "Request not understood.", Map.of());
      return Response.fromResponse(r).status(status).build();
    }
    return unexpected(e);
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e) {
    LOG.error("unexpected failure", e);
    return problem(ErrorCode.INTERNAL, "The broker failed unexpectedly.", Map.of());
  }

  private static Response refused(
      ErrorCode code, String detail, Map<String, Object> extensions, Throwable e) {
    if (code.status() >= 500) {
      LOG.warnf(e.getCause(), "request failed: code=%s detail=%s", code.code(), detail);
    } else {
      LOG.debugf("request refused: code=%s detail=%s", code.code(), detail);
    }
    return problem(code, detail, extensions);
  }

  /** Builds the problem document; {@code extensions} are added after the standard members. */
  static Response problem(ErrorCode code, String detail, Map<String, Object> extensions) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "urn:neo4j-access:problem:" + code.code());
    body.put("title", code.title());
    body.put("status", code.status());
    body.put("code", code.code());
    body.put("detail", detail);
    body.putAll(extensions);
    Response.ResponseBuilder r = Response.status(code.status()).type(PROBLEM_JSON).entity(body);
    if (code.status() == 503) {
      r.header("Retry-After", RETRY_AFTER_SECONDS);
    }
    if (code.status() == 401) {
      r.header("WWW-Authenticate", "Bearer");
    }
    return r.build();
  }
}
