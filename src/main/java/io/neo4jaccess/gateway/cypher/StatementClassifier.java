package io.neo4jaccess.gateway.cypher;

import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decides, before anything reaches Neo4j, whether a grant may run a query: Neo4j's own Cypher 5
 * parser reads the text, the classifier walks the whole parse tree (subqueries, {@code UNION}
 * branches and {@code EXPLAIN}/{@code PROFILE}/{@code CYPHER} prefixes included) and refuses what
 * it does not recognise. A pure function of the text, the grant's {@link Rules} and, for {@code
 * LOAD CSV FROM $url}, the parameter values.
 *
 * <p>What a text does is cached by the text, so a repeated query costs a map lookup and the rules'
 * checks. The cache holds at most about {@code capacity} texts of at most {@value
 * #LONGEST_CACHED_QUERY} characters each; when it is full an arbitrary entry makes room.
 * Thread-safe.
 */
public final class StatementClassifier {

  /** Longer texts are classified each time: they are rare, and caching them would cost memory. */
  static final int LONGEST_CACHED_QUERY = 8_192;

  private final int capacity;
  private final Map<String, Analysis> cache = new ConcurrentHashMap<>();
  private final LongAdder hits = new LongAdder();
  private final LongAdder parses = new LongAdder();

  /** A classifier caching up to {@code capacity} query texts. */
  public StatementClassifier(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("the cache holds at least one query");
    }
    this.capacity = capacity;
  }

  /** The verdict for a query run without parameters. */
  public Verdict classify(String query, Rules rules) {
    return classify(query, rules, Map.of());
  }

  /**
   * The verdict for one execution of {@code query} under {@code rules}. {@code parameters} are the
   * execution's values; only those a {@code LOAD CSV FROM $name} names are read.
   */
  public Verdict classify(String query, Rules rules, Map<String, ?> parameters) {
    Objects.requireNonNull(rules, "rules");
    return Judge.judge(
        analysis(Objects.requireNonNull(query, "query")),
        rules,
        parameters == null ? Map.of() : parameters);
  }

  public CacheStats cacheStats() {
    return new CacheStats(hits.sum(), parses.sum(), cache.size());
  }

  private Analysis analysis(String query) {
    Analysis cached = cache.get(query);
    if (cached != null) {
      hits.increment();
      return cached;
    }
    parses.increment();
    Analysis analysis = StatementAnalyser.analyse(query);
    if (query.length() <= LONGEST_CACHED_QUERY) {
      makeRoom();
      cache.put(query, analysis);
    }
    return analysis;
  }

  private void makeRoom() {
    Iterator<String> keys = cache.keySet().iterator();
    while (cache.size() >= capacity && keys.hasNext()) {
      keys.next();
      keys.remove();
    }
  }
}
