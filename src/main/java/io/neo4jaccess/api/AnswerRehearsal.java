package io.neo4jaccess.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neo4jaccess.exchange.Issued;
import io.neo4jaccess.gitlab.CiJob;
import io.neo4jaccess.lease.Enforcement;
import io.neo4jaccess.lease.Lease;
import io.neo4jaccess.policy.Access;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Renders at start an exchange's answer, in both formats and through the mapper the HTTP layer
 * writes JSON answers with, for a lease that exists nowhere: the first job's answer then finds that
 * code loaded and run (about ten milliseconds on a small machine). Nothing is sent or stored, and
 * the lease's fields are plainly not a job's.
 */
@ApplicationScoped
class AnswerRehearsal {

  private static final String SUMMARY_URL = "https://rehearsal.neo4j-access.invalid/v1/leases/-";

  /** Early in the start, before the HTTP server takes requests. */
  void rehearseAtStart(@Observes @Priority(3) StartupEvent started, ObjectMapper json) {
    render(json);
  }

  /** The JSON answer as it would be written for the rehearsal's lease. */
  static String render(ObjectMapper json) {
    Issued issued = issued();
    IssuedView.dotenv(issued, SUMMARY_URL);
    try {
      return json.writeValueAsString(IssuedView.json(issued, SUMMARY_URL));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("answer not serialisable", e);
    }
  }

  private static Issued issued() {
    CiJob job =
        new CiJob(
            "rehearsal",
            new CiJob.Project(1, "rehearsal/exchange", 0),
            new CiJob.Pipeline(1, "push"),
            1,
            new CiJob.Ref("main", "branch"),
            null,
            "rehearsal",
            null);
    Instant now = Instant.now();
    Lease lease =
        Lease.issued(
            "rehearsal",
            job,
            new Lease.Granted(
                "rehearsal",
                "rehearsal",
                "neo4j",
                "rehearsal",
                List.of(),
                Access.FULL,
                false,
                false,
                Enforcement.NONE,
                null),
            now,
            now.plus(Duration.ofMinutes(1)),
            null);
    return new Issued(lease, "-", "neo4j://rehearsal.neo4j-access.invalid");
  }
}
