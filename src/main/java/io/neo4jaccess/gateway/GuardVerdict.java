package io.neo4jaccess.gateway;

import java.util.Objects;

/**
 * A statement guard's answer: allowed, or refused with a stable rule code (for audit records and
 * metrics) and a reason the client sees. Neither may quote the query or its parameters.
 */
public record GuardVerdict(String rule, String reason) {

  private static final GuardVerdict ALLOWED = new GuardVerdict(null, null);

  public static GuardVerdict allowed() {
    return ALLOWED;
  }

  public static GuardVerdict refused(String rule, String reason) {
    return new GuardVerdict(Objects.requireNonNull(rule), Objects.requireNonNull(reason));
  }

  public boolean isAllowed() {
    return rule == null;
  }
}
