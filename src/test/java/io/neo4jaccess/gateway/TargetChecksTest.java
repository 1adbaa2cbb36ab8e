package io.neo4jaccess.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each setting of a gateway's server that weakens the gateway is named; a safe server has none. */
class TargetChecksTest {

  /** A server set up as the gateway needs it. */
  private static Map<String, String> safe() {
    Map<String, String> s = new HashMap<>();
    s.put(TargetChecks.FILE_URLS, "false");
    s.put(TargetChecks.IMPORT_DIRECTORY, "/var/lib/neo4j/import");
    s.put(TargetChecks.UNRESTRICTED, "");
    s.put(TargetChecks.BOLT_LISTEN, "10.0.0.5:7687");
    s.put(TargetChecks.DEFAULT_LISTEN, "localhost");
    s.put(TargetChecks.BOLT_ADVERTISED, "neo4j-internal:7687");
    return s;
  }

  private static final Optional<URI> JOBS =
      Optional.of(URI.create("bolt+s://gateway.example:7688"));

  @Test
  void a_safe_server_has_no_weakness() {
    assertThat(TargetChecks.weaknesses(safe(), JOBS)).isEmpty();
  }

  @Test
  void file_urls_for_load_csv_are_a_weakness() {
    Map<String, String> s = safe();
    s.put(TargetChecks.FILE_URLS, "true");

    assertThat(TargetChecks.weaknesses(s, JOBS))
        .extracting(TargetChecks.Weakness::risk)
        .containsExactly("file-csv-import");
  }

  @Test
  void file_urls_without_an_import_directory_reach_the_whole_file_system() {
    Map<String, String> s = safe();
    s.put(TargetChecks.FILE_URLS, "true");
    s.put(TargetChecks.IMPORT_DIRECTORY, "");

    assertThat(TargetChecks.weaknesses(s, JOBS))
        .extracting(TargetChecks.Weakness::risk)
        .containsExactly("file-csv-import", "unrestricted-import-directory");
  }

  @Test
  void unrestricted_procedures_are_a_weakness_naming_them() {
    Map<String, String> s = safe();
    s.put(TargetChecks.UNRESTRICTED, "apoc.*");

    assertThat(TargetChecks.weaknesses(s, JOBS))
        .singleElement()
        .satisfies(w -> assertThat(w.risk()).isEqualTo("unrestricted-procedures"))
        .satisfies(w -> assertThat(w.why()).contains("apoc.*"));
  }

  @Test
  void bolt_on_every_interface_is_reachable_without_the_gateway() {
    for (String everyInterface : new String[] {"0.0.0.0:7687", "[::]:7687"}) {
      Map<String, String> s = safe();
      s.put(TargetChecks.BOLT_LISTEN, everyInterface);

      assertThat(TargetChecks.weaknesses(s, JOBS))
          .as(everyInterface)
          .extracting(TargetChecks.Weakness::risk)
          .containsExactly("direct-bolt");
    }
  }

  @Test
  void bolt_on_the_default_address_is_judged_by_that_address() {
    Map<String, String> everywhere = safe();
    everywhere.put(TargetChecks.BOLT_LISTEN, ":7687");
    everywhere.put(TargetChecks.DEFAULT_LISTEN, "0.0.0.0");
    Map<String, String> local = safe();
    local.put(TargetChecks.BOLT_LISTEN, ":7687");

    assertThat(TargetChecks.weaknesses(everywhere, JOBS))
        .extracting(TargetChecks.Weakness::risk)
        .containsExactly("direct-bolt");
    assertThat(TargetChecks.weaknesses(local, JOBS)).isEmpty();
  }

  @Test
  void bolt_advertised_on_the_host_jobs_reach_is_reachable_without_the_gateway() {
    Map<String, String> s = safe();
    s.put(TargetChecks.BOLT_ADVERTISED, "GATEWAY.example:7687");

    assertThat(TargetChecks.weaknesses(s, JOBS))
        .extracting(TargetChecks.Weakness::risk)
        .containsExactly("direct-bolt");
  }
}
