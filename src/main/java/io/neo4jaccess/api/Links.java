package io.neo4jaccess.api;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.UriInfo;

/**
 * The broker's own URLs as callers reach them: {@code broker.api.public-url}, else the request's.
 */
@RequestScoped
class Links {

  @Inject ApiConfig config;
  @Inject UriInfo uri;

  /** The lease's summary page, the link of the job annotation. */
  String summary(String leaseId) {
    String base =
        config.publicUrl().orElseGet(() -> uri.getBaseUri().toString()).replaceAll("/+$", "");
    return base + "/v1/leases/" + leaseId;
  }
}
