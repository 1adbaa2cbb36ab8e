package io.neo4jaccess.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * The broker's entry point. {@code policy ...} runs a policy command and exits without starting
 * Quarkus (no HTTP port, no Neo4j, no GitLab); anything else starts the broker.
 *
 * <pre>
 * java -jar quarkus-run.jar policy check policy.yml --targets targets.yml
 * </pre>
 */
@QuarkusMain
public final class Main {

  private Main() {}

  public static void main(String... args) {
    if (args.length > 0 && args[0].equals("policy")) {
      System.exit(
          PolicyCheck.run(
              Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
    }
    Quarkus.run(args);
  }
}
