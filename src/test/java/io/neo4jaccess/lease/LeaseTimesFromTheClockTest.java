package io.neo4jaccess.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.state.StateStore;
import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.SharedNeo4j;
import io.neo4jaccess.testing.TestLeases;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The times the state store records come from the broker's one clock, never the machine's, so that
 * tests can move time and replicas agree on what "now" means for a lease.
 */
class LeaseTimesFromTheClockTest {

  @Test
  void a_lease_marked_failed_is_stamped_with_the_injected_clock() {
    // given an issuing lease and a repository whose clock says 2031
    Instant then = Instant.parse("2031-05-04T03:02:01Z");
    TestLeases.Made lease = TestLeases.create(TestLeases.lease().state("issuing").withoutUser());
    LeaseRepository leases =
        new LeaseRepository(
            new StateStore(SharedNeo4j.stateAdmin()),
            new LeaseSeal(List.of(BrokerTestResource.LEASE_KEY)),
            null, // marking a lease failed verifies no seal
            Clock.fixed(then, ZoneOffset.UTC));

    // when its user could not be created
    leases.markFailed(lease.id(), "main", "jti-of-" + lease.id(), "user creation failed");

    // then it is failed as of the clock's time
    assertThat(TestLeases.properties(lease.id()))
        .containsEntry("state", "failed")
        .containsEntry("revokedAt", ZonedDateTime.ofInstant(then, ZoneOffset.UTC));
  }
}
