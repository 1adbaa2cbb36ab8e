package io.neo4jaccess.token;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the typed claim record from a payload whose signature has been verified. */
public final class GitLabClaimsReader {

  private GitLabClaimsReader() {}

  public static GitLabClaims read(String instance, JsonNode p, List<String> audience) {
    Map<String, Object> all = new LinkedHashMap<>();
    p.fields()
        .forEachRemaining(
            e -> {
              JsonNode v = e.getValue();
              if (v.isValueNode() && !v.isNull()) {
                all.put(e.getKey(), v.isNumber() ? v.numberValue() : v.asText());
              }
            });
    return new GitLabClaims(
        instance,
        required(p, "iss"),
        optional(p, "sub"),
        audience,
        required(p, "jti"),
        Instant.ofEpochSecond(p.get("iat").asLong()),
        Instant.ofEpochSecond(p.get("exp").asLong()),
        id(p, "namespace_id"),
        required(p, "namespace_path"),
        id(p, "project_id"),
        required(p, "project_path"),
        optionalId(p, "job_project_id"),
        optional(p, "job_project_path"),
        optionalId(p, "job_namespace_id"),
        optional(p, "job_namespace_path"),
        id(p, "user_id"),
        required(p, "user_login"),
        id(p, "pipeline_id"),
        required(p, "pipeline_source"),
        id(p, "job_id"),
        required(p, "ref"),
        required(p, "ref_type"),
        bool(p, "ref_protected"),
        optional(p, "environment"),
        optional(p, "deployment_tier"),
        optional(p, "sha"),
        Collections.unmodifiableMap(all));
  }

  private static String required(JsonNode p, String claim) {
    String v = optional(p, claim);
    if (v == null || v.isEmpty()) {
      throw TokenRejected.malformed("claim '" + claim + "' is missing");
    }
    return v;
  }

  private static String optional(JsonNode p, String claim) {
    JsonNode v = p.get(claim);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw TokenRejected.malformed("claim '" + claim + "' is not a string");
    }
    return v.asText();
  }

  /** GitLab sends ids as decimal strings ("22"); a number is tolerated. */
  private static long id(JsonNode p, String claim) {
    Long v = optionalId(p, claim);
    if (v == null) {
      throw TokenRejected.malformed("claim '" + claim + "' is missing");
    }
    return v;
  }

  private static Long optionalId(JsonNode p, String claim) {
    JsonNode v = p.get(claim);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0) {
      return v.asLong();
    }
    if (v.isTextual() && v.asText().matches("[0-9]{1,18}")) {
      return Long.parseLong(v.asText());
    }
    throw TokenRejected.malformed("claim '" + claim + "' is not an id");
  }

  private static boolean bool(JsonNode p, String claim) {
    String v = required(p, claim);
    return switch (v) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw TokenRejected.malformed("claim '" + claim + "' is not \"true\" or \"false\"");
    };
  }
}
