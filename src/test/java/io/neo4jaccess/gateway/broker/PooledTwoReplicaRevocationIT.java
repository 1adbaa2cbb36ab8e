package io.neo4jaccess.gateway.broker;

import io.neo4jaccess.gateway.pooled.PooledTarget;
import io.neo4jaccess.testing.BrokerTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/**
 * {@link TwoReplicaRevocationIT} with target {@code gated} pooled on both replicas: no user is
 * dropped, so nothing on the server cuts the second replica's connection; that replica closes it
 * once it finds the lease no longer active ({@code broker.gateway.lease-check-interval}).
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
@TestProfile(PooledTarget.class)
class PooledTwoReplicaRevocationIT extends TwoReplicaRevocationIT {

  @Override
  Map<String, String> replicaOverrides() {
    return new PooledTarget().getConfigOverrides();
  }
}
