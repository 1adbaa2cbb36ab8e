package io.neo4jaccess.gateway;

/** What a lease may do through the gateway. */
public enum Access {
  /** Every transaction runs in READ mode, so Neo4j refuses every write, administration included. */
  READ,
  /** Reads and writes on the granted database; statement guards decide the rest. */
  WRITE,
  /** Whatever the upstream login may do on the granted database. */
  FULL
}
