package io.neo4jaccess.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every load-time error names the rule and the field, so an operator can fix it at once. */
class PolicyLoaderTest {

  static PolicyLoader loader() {
    return new PolicyLoader(
        t -> java.util.Optional.ofNullable(PolicyEvaluatorTest.TARGETS.get(t)),
        java.util.Set.of("main"));
  }

  static String rule(String when, String grant) {
    return "rules:\n  - name: r1\n    when: " + when + "\n    grant: " + grant + "\n";
  }

  static Stream<Arguments> invalid() {
    String ok = "{project_path: \"platform/*\"}";
    return Stream.of(
        Arguments.of(
            "unanchored",
            rule("{ref: main}", "{target: staging, access: full}"),
            "rule 'r1': unanchored rule"),
        Arguments.of(
            "bare ** anchor",
            rule("{project_path: \"**\"}", "{target: staging, access: full}"),
            "rule 'r1': unanchored rule"),
        Arguments.of(
            "wildcard first segment",
            rule("{namespace_path: \"*/x\"}", "{target: staging, access: full}"),
            "rule 'r1': unanchored rule"),
        Arguments.of(
            "unknown target",
            rule(ok, "{target: prod, access: full}"),
            "rule 'r1' field 'grant.target': unknown target 'prod'"),
        Arguments.of(
            "ttl above maximum",
            rule(ok, "{target: staging, access: full, ttl: 2h}"),
            "rule 'r1' field 'grant.ttl': 2h exceeds target 'staging' maximum"),
        Arguments.of(
            "roles on community",
            rule(ok, "{target: staging, roles: [reader]}"),
            "rule 'r1' field 'grant.roles': target 'staging' cannot enforce roles"),
        Arguments.of(
            "a role that applies to every database",
            rule(ok, "{target: production, database: analytics, roles: [admin]}"),
            "rule 'r1' field 'grant.roles': role 'admin' cannot be limited to database"
                + " 'analytics' on target 'production'; name one of architect, editor, publisher,"
                + " reader"),
        Arguments.of(
            "full access where roles are enforced",
            rule(ok, "{target: production, access: full}"),
            "rule 'r1' field 'grant.access': target 'production' enforces roles"),
        Arguments.of(
            "the system database",
            rule(ok, "{target: staging, database: system, access: full}"),
            "rule 'r1' field 'grant.database': must be a database name"),
        Arguments.of(
            "a database name Neo4j refuses",
            rule(ok, "{target: production, database: \"a`b\", roles: [reader]}"),
            "rule 'r1' field 'grant.database': must be a database name"),
        Arguments.of(
            "unknown condition",
            rule("{project_path: \"a/*\", branch: main}", "{target: staging, access: full}"),
            "rule 'r1' field 'when.branch': unknown condition"),
        Arguments.of(
            "wrong type",
            rule(
                "{project_path: \"a/*\", ref_protected: \"yes\"}",
                "{target: staging, access: full}"),
            "rule 'r1' field 'when.ref_protected': must be true or false"),
        Arguments.of(
            "unknown access level",
            rule("{project_path: \"a/*\", deployers: boss}", "{target: staging, access: full}"),
            "rule 'r1' field 'when.deployers': must be an access level"),
        Arguments.of(
            "roles and full",
            rule(ok, "{target: production, roles: [reader], access: full}"),
            "rule 'r1' field 'grant': give either 'roles' or 'access'"),
        Arguments.of(
            "neither roles nor full",
            rule(ok, "{target: production}"),
            "rule 'r1' field 'grant': give either 'roles' or 'access'"),
        Arguments.of(
            "unknown access",
            rule(ok, "{target: gated, access: admin}"),
            "rule 'r1' field 'grant.access': must be one of read, write, full"),
        Arguments.of(
            "read without a gateway",
            rule(ok, "{target: staging, access: read}"),
            "rule 'r1' field 'grant.access': target 'staging' has no gateway to enforce 'read'"),
        Arguments.of(
            "write without a gateway",
            rule(ok, "{target: staging, access: write}"),
            "say 'access: full', or enable broker.neo4j.targets.staging.gateway"),
        Arguments.of(
            "roles on a gateway target",
            rule(ok, "{target: gated, roles: [reader]}"),
            "say 'access: read', 'access: write' or 'access: full'"),
        Arguments.of(
            "schema on a read grant",
            rule(ok, "{target: gated, access: read, schema: true}"),
            "rule 'r1' field 'grant.schema': only an 'access: write' grant can be given schema"),
        Arguments.of(
            "remote csv on a full grant",
            rule(ok, "{target: gated, access: full, remote_csv: true}"),
            "rule 'r1' field 'grant.remote_csv': only an 'access: read' or 'access: write'"),
        Arguments.of(
            "schema not a boolean",
            rule(ok, "{target: gated, access: write, schema: \"yes\"}"),
            "rule 'r1' field 'grant.schema': must be true or false"),
        Arguments.of(
            "bad ttl",
            rule(ok, "{target: staging, access: full, ttl: 10 minutes}"),
            "rule 'r1' field 'grant.ttl': must look like"),
        Arguments.of(
            "unknown rule key",
            "rules:\n  - name: r1\n    when: "
                + ok
                + "\n    grant: {target: staging, access: full}\n    unless: {}\n",
            "rule 'r1': unknown field 'unless'"),
        Arguments.of(
            "unknown top key", "owner: platform\nrules: []\n", "policy: unknown field 'owner'"),
        Arguments.of(
            "version as a date",
            "version: 2024-06-01\n" + rule(ok, "{target: staging, access: full}"),
            "policy field 'version': must be up to 64 letters"),
        Arguments.of(
            "version with a space",
            "version: release one\n" + rule(ok, "{target: staging, access: full}"),
            "policy field 'version'"),
        Arguments.of("empty rules", "rules: []\n", "policy: 'rules' must be a non-empty list"),
        Arguments.of(
            "duplicate rule name",
            rule(ok, "{target: staging, access: full}")
                + "  - name: r1\n    when: "
                + ok
                + "\n    grant: {target: staging, access: full}\n",
            "rule 'r1': name used twice"),
        Arguments.of(
            "duplicate key",
            "rules:\n  - name: r1\n    name: r2\n    when: "
                + ok
                + "\n    grant: {target: staging, access: full}\n",
            "policy is not valid YAML"),
        Arguments.of(
            "bad glob",
            rule("{project_path: \"a//b\"}", "{target: staging, access: full}"),
            "rule 'r1' field 'when.project_path': glob 'a//b' has an empty segment"),
        Arguments.of("not yaml", "rules: [\n", "policy is not valid YAML"),
        Arguments.of(
            "java type tag",
            "rules: !!javax.script.ScriptEngineManager []\n",
            "policy is not valid YAML"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refuses_an_invalid_policy_naming_rule_and_field(String name, String yaml, String message) {
    assertThatThrownBy(() -> loader().parse(yaml))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining(message);
  }

  @Test
  void with_several_instances_every_rule_names_its_instance() {
    PolicyLoader several =
        new PolicyLoader(
            t -> java.util.Optional.ofNullable(PolicyEvaluatorTest.TARGETS.get(t)),
            java.util.Set.of("main", "partner"));
    String unnamed = rule("{project_path: \"platform/*\"}", "{target: staging, access: full}");
    assertThatThrownBy(() -> several.parse(unnamed))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("rule 'r1': several GitLab instances are configured")
        .hasMessageContaining("'when.instance'");
    String unknown =
        rule("{instance: partnr, project_path: \"platform/*\"}", "{target: staging, access: full}");
    assertThatThrownBy(() -> several.parse(unknown))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("rule 'r1' field 'when.instance': unknown GitLab instance 'partnr'");
    String named =
        rule(
            "{instance: partner, project_path: \"platform/*\"}", "{target: staging, access: full}");
    assertThat(several.parse(named).rules()).hasSize(1);
  }

  @Test
  void refuses_alias_expansion_without_bound() {
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 0; i < 9; i++) {
      char prev = (char) ('a' + i);
      char next = (char) ('b' + i);
      bomb.append(next).append(": &").append(next).append(" [");
      bomb.append(("*" + prev + ", ").repeat(9)).append("*").append(prev).append("]\n");
    }
    bomb.append("rules: *j\n");
    assertThatThrownBy(() -> loader().parse(bomb.toString()))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void a_policy_is_versioned_by_the_sha256_of_its_text_and_its_declared_version() {
    // given a policy that declares a version
    String text =
        "version: \"2024-06-01\"\n"
            + rule("{project_path: \"platform/*\"}", "{target: staging, access: full}");

    // when it is loaded
    PolicyVersion version = loader().parse(text).version();

    // then its version is the SHA-256 of exactly that text, with the declared version
    assertThat(version.sha256())
        .isEqualTo(
            java.util.HexFormat.of()
                .formatHex(sha256(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    assertThat(version.declared()).isEqualTo("2024-06-01");
  }

  @Test
  void a_policy_without_a_declared_version_is_versioned_by_its_sha256_alone() {
    String text = rule("{project_path: \"platform/*\"}", "{target: staging, access: full}");

    PolicyVersion version = loader().parse(text).version();

    assertThat(version.declared()).isNull();
    assertThat(version.sha256()).hasSize(64);
    assertThat(loader().parse(text + "# a comment\n").version().sha256())
        .as("any edit changes the version")
        .isNotEqualTo(version.sha256());
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void loads_the_design_example_with_defaults() {
    Policy p = PolicyEvaluatorTest.policy();
    assertThat(p.rules()).hasSize(4);
    Grant g = p.rules().get(2).grant();
    assertThat(g.access()).isEqualTo(Access.FULL);
    assertThat(g.database()).isEqualTo("neo4j");
    assertThat(g.ttl()).hasMinutes(10);
  }

  @Test
  void a_gateway_target_takes_read_and_write_grants_with_their_statement_rights() {
    String yaml =
        rule("{project_path: \"platform/*\"}", "{target: gated, access: write, schema: true}")
            + "  - name: r2\n    when: {project_path: \"platform/*\"}\n"
            + "    grant: {target: gated, access: read, remote_csv: true}\n";

    Policy p = loader().parse(yaml);

    Grant write = p.rules().get(0).grant();
    Grant read = p.rules().get(1).grant();
    assertThat(write.access()).isEqualTo(Access.WRITE);
    assertThat(write.schema()).isTrue();
    assertThat(write.remoteCsv()).isFalse();
    assertThat(read.access()).isEqualTo(Access.READ);
    assertThat(read.schema()).isFalse();
    assertThat(read.remoteCsv()).isTrue();
  }
}
