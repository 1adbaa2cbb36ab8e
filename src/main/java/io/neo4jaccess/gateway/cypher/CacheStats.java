package io.neo4jaccess.gateway.cypher;

/**
 * How often the classifier answered from its cache.
 *
 * @param hits classifications answered by a map lookup
 * @param parses classifications that parsed the query text
 * @param size query texts cached now
 */
public record CacheStats(long hits, long parses, int size) {

  /** Hits over all classifications; 0 before the first. */
  public double hitRate() {
    long all = hits + parses;
    return all == 0 ? 0 : (double) hits / all;
  }
}
