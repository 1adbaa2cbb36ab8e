package io.neo4jaccess.component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's inputs tables, generated from each template's {@code spec:inputs}.
 *
 * <p>README.md holds one table per template between {@code <!-- inputs:NAME:start -->} and {@code
 * <!-- inputs:NAME:end -->}. {@link ReadmeInputsTest} fails when a table drifts; {@code
 * scripts/render-inputs} runs {@link #main} to rewrite them.
 */
public final class InputsTables {

  private static final ObjectMapper JSON = new ObjectMapper();

  private InputsTables() {}

  /** The markdown table for one template's inputs, in declaration order. */
  static String table(ComponentFiles.Template template) {
    StringBuilder out = new StringBuilder();
    out.append("| Input | Type | Default | Description |\n");
    out.append("| --- | --- | --- | --- |\n");
    template
        .inputs()
        .forEach(
            (name, spec) ->
                out.append("| `")
                    .append(name)
                    .append("` | ")
                    .append(spec.getOrDefault("type", "string"))
                    .append(" | ")
                    .append(spec.containsKey("default") ? code(spec.get("default")) : "*required*")
                    .append(" | ")
                    .append(cell(String.valueOf(spec.getOrDefault("description", ""))))
                    .append(" |\n"));
    return out.toString();
  }

  static Pattern section(String name) {
    return Pattern.compile(
        "(<!-- inputs:"
            + Pattern.quote(name)
            + ":start -->\n)(.*?)(<!-- inputs:"
            + Pattern.quote(name)
            + ":end -->)",
        Pattern.DOTALL);
  }

  /** The README with every template's table regenerated; a missing section is an error. */
  static String render(String readme) {
    String out = readme;
    for (Map.Entry<String, java.nio.file.Path> t : ComponentFiles.templates().entrySet()) {
      Matcher m = section(t.getKey()).matcher(out);
      if (!m.find()) {
        throw new IllegalStateException(
            "README.md has no <!-- inputs:" + t.getKey() + ":start --> ... end --> section");
      }
      String table = table(ComponentFiles.template(t.getValue()));
      out = out.substring(0, m.start(2)) + table + out.substring(m.end(2));
    }
    return out;
  }

  private static String code(Object value) {
    String text;
    if (value instanceof String s) {
      text = s.isEmpty() ? "\"\"" : s;
    } else {
      try {
        text = JSON.writeValueAsString(value);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    return "`" + text.replace("|", "\\|") + "`";
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ").strip();
  }

  /** Rewrites README.md's inputs tables from the templates. */
  public static void main(String[] args) throws IOException {
    String readme = Files.readString(ComponentFiles.README);
    String rendered = render(readme);
    if (rendered.equals(readme)) {
      System.out.println("README.md inputs tables are up to date");
    } else {
      Files.writeString(ComponentFiles.README, rendered);
      System.out.println("rewrote README.md inputs tables");
    }
  }
}
