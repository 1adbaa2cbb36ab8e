package io.neo4jaccess.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Typed reads of YAML values, each failing with the field's name in the message. */
final class YamlValues {

  private YamlValues() {}

  static List<String> strings(String field, Object value) {
    List<?> items = value instanceof List<?> l ? l : List.of(value == null ? List.of() : value);
    if (items.isEmpty()) {
      throw new PolicyException(field + ": must be a string or a non-empty list of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object o : items) {
      if (!(o instanceof String s) || s.isEmpty()) {
        throw new PolicyException(field + ": must be a string or a non-empty list of strings");
      }
      out.add(s);
    }
    return List.copyOf(out);
  }

  static List<Long> ids(String field, Object value) {
    List<?> items = value instanceof List<?> l ? l : List.of(value == null ? List.of() : value);
    List<Long> out = new ArrayList<>();
    for (Object o : items) {
      if (!(o instanceof Integer || o instanceof Long) || ((Number) o).longValue() < 0) {
        throw new PolicyException(field + ": must be a number or a list of numbers");
      }
      out.add(((Number) o).longValue());
    }
    if (out.isEmpty()) {
      throw new PolicyException(field + ": must be a number or a list of numbers");
    }
    return List.copyOf(out);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node, String where) {
    if (!(node instanceof Map<?, ?> m)) {
      throw new PolicyException(where + ": must be a mapping");
    }
    for (Object k : m.keySet()) {
      if (!(k instanceof String)) {
        throw new PolicyException(where + ": keys must be strings");
      }
    }
    return new LinkedHashMap<>((Map<String, Object>) m);
  }

  static void unknownKeys(Map<String, Object> m, Set<String> allowed, String where) {
    for (String k : m.keySet()) {
      if (!allowed.contains(k)) {
        throw new PolicyException(where + ": unknown field '" + k + "'");
      }
    }
  }
}
