package io.neo4jaccess.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** README.md's "Variables the job receives" lists exactly what the exchange step exports. */
class ReadmeVariablesTest {

  @Test
  void every_exported_variable_is_documented() {
    String script = ComponentFiles.read(ComponentFiles.CLIENT_SCRIPT);
    Matcher names = Pattern.compile("(?m)^\\s*names='([A-Z0-9_|]+)'$").matcher(script);
    assertThat(names.find()).as("scripts/neo4j-access.sh declares the names it accepts").isTrue();
    List<String> exported = new ArrayList<>(List.of(names.group(1).split("\\|")));
    // The annotations go to a file, not to the job; the password file is the client's own addition.
    exported.remove("NEO4J_ACCESS_ANNOTATIONS");
    exported.add("NEO4J_ACCESS_PASSWORD_FILE");

    String readme = ComponentFiles.read(ComponentFiles.README);

    assertThat(exported)
        .allSatisfy(
            name ->
                assertThat(readme)
                    .as("README.md documents %s in its variables table", name)
                    .contains("| `" + name + "` |"));
  }
}
