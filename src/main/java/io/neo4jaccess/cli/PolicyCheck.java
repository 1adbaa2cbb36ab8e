package io.neo4jaccess.cli;

import io.neo4jaccess.policy.Policy;
import io.neo4jaccess.policy.PolicyException;
import io.neo4jaccess.policy.PolicyLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code policy check POLICY [--targets FILE | --config FILE]}: validates a policy file exactly as
 * the broker does when it loads one, with the same loader, against the targets and GitLab instances
 * that a targets file or the broker's configuration describes. Needs no broker, Neo4j or GitLab.
 * Exits 0 when the policy is valid, 1 when it is not (naming the rule and field), 2 when the
 * command or the description of the targets is wrong.
 */
final class PolicyCheck {

  static final int VALID = 0;
  static final int INVALID = 1;
  static final int USAGE = 2;

  private static final String USAGE_TEXT =
      """
      usage: policy check POLICY.yml [--targets TARGETS.yml | --config application.properties]
        Validates POLICY.yml as the broker would load it. The targets' editions, maximum TTLs and
        default databases, and the GitLab instances' names, come from TARGETS.yml, or else from the
        broker's configuration keys in the properties file and the environment (BROKER_...).""";

  private PolicyCheck() {}

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.length < 2 || !args[0].equals("check")) {
      err.println(USAGE_TEXT);
      return USAGE;
    }
    Path policy = Path.of(args[1]);
    Optional<Path> targets = Optional.empty();
    Optional<Path> config = Optional.empty();
    for (int i = 2; i < args.length; i += 2) {
      if (i + 1 >= args.length || !(args[i].equals("--targets") || args[i].equals("--config"))) {
        err.println(USAGE_TEXT);
        return USAGE;
      }
      if (args[i].equals("--targets")) {
        targets = Optional.of(Path.of(args[i + 1]));
      } else {
        config = Optional.of(Path.of(args[i + 1]));
      }
    }
    if (targets.isPresent() && config.isPresent()) {
      err.println("policy check: give --targets or --config, not both");
      return USAGE;
    }
    Capabilities capabilities;
    try {
      capabilities =
          targets.isPresent()
              ? Capabilities.fromFile(targets.get())
              : Capabilities.fromConfig(config, env);
    } catch (Capabilities.Invalid e) {
      err.println("policy check: " + e.getMessage());
      return USAGE;
    }
    try {
      Policy p = new PolicyLoader(capabilities::limits, capabilities.instances()).load(policy);
      out.println(policy + ": valid, " + p.rules().size() + " rule(s), version " + p.version());
      return VALID;
    } catch (PolicyException e) {
      err.println(policy + ": not valid: " + e.getMessage());
      return INVALID;
    }
  }
}
