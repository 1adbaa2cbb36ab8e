package io.neo4jaccess.api;

import static io.neo4jaccess.api.ErrorCode.NOT_FOUND;

import io.neo4jaccess.exchange.SelfRevocation;
import io.neo4jaccess.gitlab.GitLabConfig;
import io.neo4jaccess.lease.ActivityRecords;
import io.neo4jaccess.lease.Decisions;
import io.neo4jaccess.lease.Enforcement;
import io.neo4jaccess.lease.GatewayActivity;
import io.neo4jaccess.lease.Lease;
import io.neo4jaccess.lease.LeaseRepository;
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
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code /v1/leases/{id}}: the access summary (the lease id is an unguessable capability) and
 * self-revoke with the holding job's own token.
 */
@Path("/v1/leases/{id}")
public class LeaseResource {

  /** A lease id: 128 random bits, base64url. Anything else is not looked up at all. */
  private static final Pattern LEASE_ID = Pattern.compile("[A-Za-z0-9_-]{22}");

  @Inject TokenVerifier tokens;
  @Inject LeaseRepository leases;
  @Inject SelfRevocation selfRevocation;
  @Inject Decisions decisions;
  @Inject ActivityRecords activity;
  @Inject GitLabConfig gitlab;
  @Inject Clock clock;

  @GET
  public Response summary(
      @PathParam("id") String id, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
    // Browsers following the job annotation get a page; API clients get JSON.
    boolean page = accept != null && accept.contains("text/html");
    Optional<Lease> lease = wellFormed(id) ? leases.find(id) : Optional.empty();
    if (lease.isEmpty()) {
      if (page) {
        return html(Response.status(404), LeaseSummaryPage.notFound());
      }
      throw new ApiException(NOT_FOUND, "No such lease.");
    }
    LeaseSummary summary =
        LeaseSummary.of(
            lease.get(),
            Optional.ofNullable(gitlab.instances().get(lease.get().job().instance()))
                .map(GitLabConfig.Instance::url)
                .orElse(null),
            decisions.traceOf(id).orElse(null),
            lease.get().granted().enforcement() == Enforcement.GATEWAY
                ? activity.of(id)
                : GatewayActivity.NONE,
            clock.instant());
    if (page) {
      return html(Response.ok(), LeaseSummaryPage.render(summary));
    }
    return Response.ok(IssuedView.summary(summary), MediaType.APPLICATION_JSON).build();
  }

  private static Response html(Response.ResponseBuilder r, String page) {
    return r.entity(page)
        .type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
        .header("Content-Security-Policy", LeaseSummaryPage.CONTENT_SECURITY_POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .build();
  }

  @DELETE
  public Response revoke(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
    // Revoking only lowers access, so the job's token is accepted after its jti was consumed.
    var claims = tokens.verifyToRevoke(authorization);
    if (!wellFormed(id)) {
      throw new ApiException(NOT_FOUND, "No such lease for this job.");
    }
    selfRevocation.revoke(claims, id);
    return Response.noContent().build();
  }

  /**
   * The same as {@code DELETE}, for clients that can only send GET and POST (BusyBox wget, which
   * minimal runner images carry instead of curl).
   */
  @POST
  @Path("/revoke")
  @Consumes(MediaType.WILDCARD)
  public Response revokeByPost(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
    return revoke(authorization, id);
  }

  private static boolean wellFormed(String id) {
    return id != null && LEASE_ID.matcher(id).matches();
  }
}
