package io.neo4jaccess.gateway.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.neo4jaccess.gateway.cypher.AllowedStatements;
import io.neo4jaccess.gateway.cypher.Grants;
import io.neo4jaccess.gateway.cypher.HostileStatements;
import io.neo4jaccess.gateway.cypher.Rules;
import io.neo4jaccess.gateway.cypher.StatementClassifier;
import io.neo4jaccess.gateway.cypher.Verdict;
import io.neo4jaccess.testing.BrokerTestResource;
import io.neo4jaccess.testing.GatewayJobs;
import io.neo4jaccess.testing.GatewayJobs.Project;
import io.neo4jaccess.testing.ServerSnapshot;
import io.neo4jaccess.testing.SharedNeo4j;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.Transaction;
import org.neo4j.driver.exceptions.Neo4jException;

/**
 * The statement tables through the real broker: jobs of {@code gated/write} (and {@code
 * gated/schema}, {@code gated/read} for the cases of other grants) send each hostile statement with
 * the Java driver to the gateway address they were given; each is refused with its reason, and
 * {@code SHOW USERS}, the connections and the data are unchanged. Each allowed statement reaches
 * Neo4j unchanged.
 *
 * <p>Every hostile case is first checked against the classifier alone, so that one the classifier
 * would pass is never sent to the shared server (some would drop its administrator).
 */
@QuarkusTest
@WithTestResource(BrokerTestResource.class)
class WriteGrantThroughBrokerTest {

  private static final String FORBIDDEN = "Neo.ClientError.Security.Forbidden";

  /** The broker's grant of each project, as the classifier's rules. */
  private static final Map<Project, Rules> GRANTED =
      Map.of(
          Project.READ, Grants.READ,
          Project.WRITE, Grants.WRITE,
          Project.SCHEMA,
              new Rules(
                  Grants.DATABASE,
                  Rules.Access.WRITE,
                  true,
                  true,
                  Rules.DEFAULT_PROCEDURE_ALLOWLIST));

  /** Allowed statements whose run needs what the test machine lacks: an https server. */
  private static final Set<String> NEED_THE_NETWORK =
      Set.of(
          "load_csv_from_an_allowed_https_url",
          "load_csv_from_an_https_url_parameter_in_transactions");

  private static final StatementClassifier CLASSIFIER = new StatementClassifier(1_000);
  private static final Map<Project, GatewayJobs.Issued> jobs = new EnumMap<>(Project.class);
  private static final Map<Project, Driver> drivers = new EnumMap<>(Project.class);

  @BeforeAll
  static void people_index() {
    admin("CREATE FULLTEXT INDEX people IF NOT EXISTS FOR (p:Person) ON EACH [p.name]");
  }

  @AfterAll
  static void clean() {
    drivers.values().forEach(Driver::close);
    admin("DROP INDEX people IF EXISTS");
    admin("MATCH (n:Item) DETACH DELETE n");
  }

  /**
   * The hostile table, less the empty query: the Java driver refuses to send one (its refusal by
   * the classifier is in StatementTablesTest).
   */
  static List<HostileStatements.Case> hostile() {
    return HostileStatements.ALL.stream().filter(c -> !c.query().isEmpty()).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void each_hostile_statement_is_refused_with_its_reason_and_changes_nothing(
      HostileStatements.Case hostile) {
    // given the project whose grant the case is sent under, and its verdict offline
    Project project = projectOf(hostile.rules());
    Verdict expected =
        CLASSIFIER.classify(hostile.query(), GRANTED.get(project), hostile.parameters());
    assertThat(expected)
        .as("refused offline before it is sent")
        .isInstanceOf(Verdict.Refused.class);
    assertThat(((Verdict.Refused) expected).rule()).isEqualTo(hostile.rule());
    ServerSnapshot before = ServerSnapshot.take();

    // when
    Neo4jException refused;
    try (Session s = driver(project).session()) {
      refused =
          catchThrowableOfType(
              Neo4jException.class, () -> s.run(hostile.query(), hostile.parameters()).consume());
    }

    // then
    assertThat(refused).as("refused").isNotNull();
    assertThat(refused.code()).isEqualTo(FORBIDDEN);
    assertThat(refused.getMessage())
        .isEqualTo(
            "lease " + jobs.get(project).leaseId() + ": " + ((Verdict.Refused) expected).reason());
    before.assertUnchanged();
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.neo4jaccess.gateway.cypher.AllowedStatements#ALL")
  void each_allowed_statement_reaches_neo4j(AllowedStatements.Case allowed) {
    Project project = projectOf(allowed.rules());
    boolean inTransactions = allowed.query().contains("IN TRANSACTIONS");
    try (Session s = driver(project).session()) {
      Neo4jException failed =
          catchThrowableOfType(
              Neo4jException.class,
              () -> {
                if (inTransactions) {
                  // CALL { } IN TRANSACTIONS runs in auto-commit only; what it makes is removed.
                  s.run(allowed.query(), allowed.parameters()).consume();
                } else {
                  // Run, then rolled back: the shared server keeps none of it.
                  try (Transaction tx = s.beginTransaction()) {
                    tx.run(allowed.query(), allowed.parameters()).consume();
                    tx.rollback();
                  }
                }
              });
      if (NEED_THE_NETWORK.contains(allowed.name())) {
        // Neo4j itself tried to fetch the URL: the gateway passed the statement.
        assertThat(failed).isNotNull();
        assertThat(failed.getMessage()).doesNotStartWith("lease ");
        assertThat(failed.code()).isNotEqualTo(FORBIDDEN);
      } else {
        assertThat(failed).as("failure").isNull();
      }
    }
  }

  private static Project projectOf(Rules rules) {
    if (rules.access() == Rules.Access.READ) {
      return Project.READ;
    }
    return rules.schemaAllowed() || rules.remoteCsvAllowed() ? Project.SCHEMA : Project.WRITE;
  }

  private static synchronized Driver driver(Project project) {
    return drivers.computeIfAbsent(
        project,
        p -> {
          GatewayJobs.Issued issued = GatewayJobs.exchange(p);
          jobs.put(p, issued);
          return GatewayJobs.driver(issued);
        });
  }

  private static void admin(String query) {
    try (Session s = SharedNeo4j.admin().session()) {
      s.run(query).consume();
    }
  }
}
