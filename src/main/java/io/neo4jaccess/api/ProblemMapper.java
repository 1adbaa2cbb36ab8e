package io.neo4jaccess.api;

import io.neo4jaccess.token.SigningKeysUnavailable;
import io.neo4jaccess.token.TokenRejected;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into an RFC 9457 problem document with a stable {@code code}. 5xx are logged
 * with their cause, 4xx only at debug: a caller's mistake is not an operator's problem. Details
 * never carry secrets because {@link BrokerException}, {@link TokenRejected} and {@link
 * SigningKeysUnavailable} details are written not to.
 */
public class ProblemMapper {

  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
  static final String PROBLEM_JSON = "application/problem+json";

  /** Seconds a client should wait before retrying a 503; GitLab jobs retry on this. */
  static final int RETRY_AFTER_SECONDS = 2;

  @ServerExceptionMapper
  public Response broker(BrokerException e) {
    return answer(e.code(), e.getMessage(), e.extensions(), e.getCause());
  }

  @ServerExceptionMapper
  public Response tokenRejected(TokenRejected e) {
    return answer(codeOf(e), e.getMessage(), Map.of(), null);
  }

  @ServerExceptionMapper
  public Response signingKeysUnavailable(SigningKeysUnavailable e) {
    return answer(codeOf(e), e.getMessage(), Map.of(), e.getCause());
  }

  private static Response answer(
      ErrorCode code, String detail, Map<String, Object> extensions, Throwable cause) {
    if (code.status() >= 500) {
      LOG.warnf(cause, "request failed: code=%s detail=%s", code.code(), detail);
    } else {
      LOG.debugf("request refused: code=%s detail=%s", code.code(), detail);
    }
    return problem(code, detail, extensions);
  }

  /** The stable code a failure is answered with; anything unforeseen is {@code internal}. */
  static ErrorCode codeOf(Throwable e) {
    if (e instanceof BrokerException b) {
      return b.code();
    }
    if (e instanceof SigningKeysUnavailable) {
      return ErrorCode.GITLAB_UNAVAILABLE;
    }
    if (e instanceof TokenRejected rejected) {
      return switch (rejected.reason()) {
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

  /** Builds the problem document; {@code extensions} are added after the standard members. */
  public static Response problem(ErrorCode code, String detail, Map<String, Object> extensions) {
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
