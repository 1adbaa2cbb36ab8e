package io.neo4jaccess.gateway;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.neo4jaccess.gateway.bolt.QueryParameters;
import io.neo4jaccess.gateway.cypher.Rules;
import io.neo4jaccess.gateway.cypher.StatementClassifier;
import io.neo4jaccess.gateway.cypher.Verdict;
import io.neo4jaccess.neo4j.TargetConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The statement guard of the broker's gateways: every query of a READ or WRITE grant is classified
 * by Neo4j's own Cypher 5 parser ({@link StatementClassifier}) under the grant's rules (its
 * database, access, {@code schema}, remote CSV, and the target's procedure allowlist). FULL grants
 * are held to their database by the gateway alone.
 *
 * <p>Runs on event loops. The grammar is loaded when the bean is made (a singleton: made where the
 * gateways start, never lazily on an event loop; the first parse in a process takes most of a
 * second), each text's classification is cached, and the parameters are decoded only for a {@code
 * LOAD CSV FROM $url}.
 */
@Singleton
public class ClassifierGuard implements StatementGuard {

  private static final Logger LOG = Logger.getLogger(ClassifierGuard.class);
  private static final int SLOW_QUERY_LENGTH = 8_192;

  /** What a grant's rules depend on. */
  private record Key(String target, String database, Access access, boolean schema, boolean csv) {}

  private final StatementClassifier classifier;
  private final Map<String, Set<String>> allowlists = new ConcurrentHashMap<>();
  private final Map<Key, Rules> rules = new ConcurrentHashMap<>();

  /**
   * Metrics: {@code broker.gateway.classifier.hits} (classifications answered from the cache) and
   * {@code broker.gateway.classifier.parses} (texts parsed).
   */
  @Inject
  public ClassifierGuard(GatewayConfig config, TargetConfig targets, MeterRegistry metrics) {
    this.classifier = new StatementClassifier(config.classifierCacheSize());
    FunctionCounter.builder(
            "broker.gateway.classifier.hits", classifier, c -> c.cacheStats().hits())
        .description("Statement classifications answered from the cache")
        .register(metrics);
    FunctionCounter.builder(
            "broker.gateway.classifier.parses", classifier, c -> c.cacheStats().parses())
        .description("Statement texts parsed by the classifier")
        .register(metrics);
    this.allowlists.putAll(allowlists(targets.targets()));
    long started = System.nanoTime();
    classifier.classify(
        "MATCH (n) RETURN count(n)", new Rules("neo4j", Rules.Access.READ, false, false, Set.of()));
    LOG.infof(
        "statement classifier ready: grammar loaded in %d ms",
        (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * Each gateway target's procedure allowlist, checked now: an entry that could never match, or one
   * that would allow everything, stops the broker at start.
   */
  private static Map<String, Set<String>> allowlists(Map<String, TargetConfig.Target> targets) {
    Map<String, Set<String>> lists = new ConcurrentHashMap<>();
    targets.forEach(
        (name, t) -> {
          Set<String> list =
              t.gateway()
                  .procedureAllowlist()
                  .<Set<String>>map(Set::copyOf)
                  .orElse(Rules.DEFAULT_PROCEDURE_ALLOWLIST);
          try {
            new Rules("neo4j", Rules.Access.READ, false, false, list);
          } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                "broker.neo4j.targets." + name + ".gateway.procedure-allowlist: " + e.getMessage());
          }
          lists.put(name, list);
        });
    return lists;
  }

  /**
   * Texts longer than the classifier caches are parsed on every run; from about this length a parse
   * takes milliseconds (tens of milliseconds at 64 K characters), so they are parsed off the event
   * loop.
   */
  @Override
  public boolean slow(String query) {
    return query.length() > SLOW_QUERY_LENGTH;
  }

  @Override
  public GuardVerdict check(String query, QueryParameters parameters, GatewayGrant grant) {
    if (grant.access() == Access.FULL) {
      return GuardVerdict.allowed();
    }
    Verdict verdict = classifier.classify(query, rules(grant), lazily(parameters));
    if (verdict instanceof Verdict.Refused refused) {
      return GuardVerdict.refused(refused.rule().code(), refused.reason());
    }
    return GuardVerdict.allowed();
  }

  private Rules rules(GatewayGrant grant) {
    return rules.computeIfAbsent(
        new Key(
            grant.target(), grant.database(), grant.access(), grant.schema(), grant.remoteCsv()),
        k ->
            new Rules(
                k.database(),
                k.access() == Access.READ ? Rules.Access.READ : Rules.Access.WRITE,
                k.schema(),
                k.csv(),
                allowlists.getOrDefault(k.target(), Rules.DEFAULT_PROCEDURE_ALLOWLIST)));
  }

  /** The parameters, decoded only if the classifier reads one (a {@code LOAD CSV FROM $url}). */
  private static Map<String, Object> lazily(QueryParameters parameters) {
    return new AbstractMap<>() {
      @Override
      public Object get(Object key) {
        return parameters.values().get(key);
      }

      @Override
      public Set<Entry<String, Object>> entrySet() {
        return parameters.values().entrySet();
      }
    };
  }
}
