package io.neo4jaccess.token;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a token's claims with the exact JSON type GitLab sends each as. A claim of another type, or
 * a number out of range, makes the token malformed: GitLab never sends one, and a lenient reading
 * would let a forged shape reach arithmetic or the policy.
 */
public final class GitLabClaimsReader {

  /**
   * Dates outside these bounds are no GitLab token's; bounding them also keeps every time
   * computation on them far from {@link Instant}'s limits.
   */
  static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  /** GitLab's ids are decimal strings; 18 digits keep every one inside a {@code long}. */
  private static final Pattern ID = Pattern.compile("[0-9]{1,18}");

  private final JsonNode payload;

  GitLabClaimsReader(JsonNode payload) {
    this.payload = payload;
  }

  /** Every claim GitLab documents, typed; {@code payload} must have passed the checklist. */
  public static GitLabClaims read(String instance, JsonNode payload) {
    GitLabClaimsReader c = new GitLabClaimsReader(payload);
    return new GitLabClaims(
        instance,
        c.requiredString("iss"),
        c.string("sub"),
        c.audience(),
        c.requiredString("jti"),
        c.requiredDate("iat"),
        c.date("nbf"),
        c.requiredDate("exp"),
        c.requiredId("namespace_id"),
        c.requiredString("namespace_path"),
        c.requiredId("project_id"),
        c.requiredString("project_path"),
        c.id("job_project_id"),
        c.string("job_project_path"),
        c.id("job_namespace_id"),
        c.string("job_namespace_path"),
        c.requiredId("user_id"),
        c.requiredString("user_login"),
        c.string("user_email"),
        c.string("user_access_level"),
        c.requiredId("pipeline_id"),
        c.requiredString("pipeline_source"),
        c.requiredId("job_id"),
        c.requiredString("ref"),
        c.requiredString("ref_type"),
        c.string("ref_path"),
        c.requiredBool("ref_protected"),
        c.string("environment"),
        c.bool("environment_protected"),
        c.string("deployment_tier"),
        c.string("environment_action"),
        c.unsignedLong("runner_id"),
        c.string("runner_environment"),
        c.string("sha"),
        c.string("ci_config_ref_uri"),
        c.string("ci_config_sha"),
        c.string("project_visibility"),
        c.strings("groups_direct"));
  }

  String string(String claim) {
    JsonNode v = present(claim);
    if (v == null) {
      return null;
    }
    if (!v.isTextual()) {
      throw TokenRejected.malformed("claim '" + claim + "' is not a string");
    }
    return v.asText();
  }

  String requiredString(String claim) {
    String v = string(claim);
    if (v == null || v.isEmpty()) {
      throw TokenRejected.malformed("claim '" + claim + "' is missing");
    }
    return v;
  }

  /** A NumericDate in whole seconds, between {@link #EARLIEST} and {@link #LATEST}; or null. */
  Instant date(String claim) {
    JsonNode v = present(claim);
    return v == null ? null : date(claim, v, "claim '" + claim + "' is not a number");
  }

  Instant requiredDate(String claim) {
    JsonNode v = present(claim);
    String notANumber = "claim '" + claim + "' is missing or not a number";
    if (v == null) {
      throw TokenRejected.malformed(notANumber);
    }
    return date(claim, v, notANumber);
  }

  private static Instant date(String claim, JsonNode v, String notANumber) {
    if (!v.isIntegralNumber()) {
      throw TokenRejected.malformed(notANumber);
    }
    if (!v.canConvertToLong()
        || v.asLong() < EARLIEST.getEpochSecond()
        || v.asLong() > LATEST.getEpochSecond()) {
      throw TokenRejected.malformed("claim '" + claim + "' is not a date between 2000 and 9999");
    }
    return Instant.ofEpochSecond(v.asLong());
  }

  private Long id(String claim) {
    JsonNode v = present(claim);
    if (v == null) {
      return null;
    }
    if (!v.isTextual() || !ID.matcher(v.asText()).matches()) {
      throw TokenRejected.malformed("claim '" + claim + "' is not an id");
    }
    return Long.parseLong(v.asText());
  }

  private long requiredId(String claim) {
    Long v = id(claim);
    if (v == null) {
      throw TokenRejected.malformed("claim '" + claim + "' is missing");
    }
    return v;
  }

  /** A JSON number that fits a non-negative {@code long}: GitLab's only numeric id. */
  private Long unsignedLong(String claim) {
    JsonNode v = present(claim);
    if (v == null) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw TokenRejected.malformed("claim '" + claim + "' is not a non-negative whole number");
    }
    return v.asLong();
  }

  private Boolean bool(String claim) {
    String v = string(claim);
    if (v == null) {
      return null;
    }
    return switch (v) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw TokenRejected.malformed("claim '" + claim + "' is not \"true\" or \"false\"");
    };
  }

  private boolean requiredBool(String claim) {
    requiredString(claim);
    return bool(claim);
  }

  private List<String> strings(String claim) {
    JsonNode v = present(claim);
    if (v == null) {
      return null;
    }
    return stringList(claim, v);
  }

  /** {@code aud}: one string or a list of them; absent is an empty list (no audience matches). */
  List<String> audience() {
    JsonNode v = present("aud");
    if (v == null) {
      return List.of();
    }
    return v.isTextual() ? List.of(v.asText()) : stringList("aud", v);
  }

  private static List<String> stringList(String claim, JsonNode v) {
    List<String> values = new ArrayList<>();
    if (v.isArray()) {
      v.forEach(e -> values.add(e.isTextual() ? e.asText() : null));
    }
    if (!v.isArray() || values.contains(null)) {
      throw TokenRejected.malformed("claim '" + claim + "' is not a list of strings");
    }
    return List.copyOf(values);
  }

  /** The claim's value; null when it is absent or JSON {@code null}, which GitLab sends alike. */
  private JsonNode present(String claim) {
    JsonNode v = payload.get(claim);
    return v == null || v.isNull() ? null : v;
  }
}
