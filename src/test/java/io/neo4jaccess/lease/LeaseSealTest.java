package io.neo4jaccess.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A lease's seal verifies for exactly the fields it was made over, under a configured key. */
class LeaseSealTest {

  private static final String KEY = "a-lease-key-of-at-least-32-characters";
  private static final String NEXT_KEY = "the-next-lease-key-after-a-rotation!!";
  private static final Instant ISSUED = Instant.parse("2026-01-01T10:00:00.123456789Z");
  private static final LeaseSeal.Fields LEASE =
      new LeaseSeal.Fields(
          "Qm9ndXNMZWFzZUlkMDAwMA",
          "main",
          22L,
          4711L,
          "demo",
          "ci_22_4711_0badc0de",
          ISSUED,
          ISSUED.plusSeconds(600));

  private final LeaseSeal seal = new LeaseSeal(List.of(KEY));

  @Test
  void a_lease_verifies_with_its_own_seal() {
    assertThat(seal.genuine(LEASE, seal.seal(LEASE))).isTrue();
  }

  @Test
  void changing_any_sealed_field_breaks_the_seal() {
    Map<String, UnaryOperator<LeaseSeal.Fields>> alterations =
        Map.of(
            "lease id", f -> with(f, 0, "Qm9ndXNMZWFzZUlkMDAwMQ"),
            "instance", f -> with(f, 1, "other"),
            "project", f -> with(f, 2, 23L),
            "job", f -> with(f, 3, 4712L),
            "target", f -> with(f, 4, "production"),
            "username", f -> with(f, 5, "alice_human"),
            "issued at", f -> with(f, 6, ISSUED.minusSeconds(3600)),
            "expires at", f -> with(f, 7, ISSUED.plusSeconds(86_400)));
    String genuine = seal.seal(LEASE);
    alterations.forEach(
        (field, alter) ->
            assertThat(seal.genuine(alter.apply(LEASE), genuine)).as(field).isFalse());
  }

  @Test
  void a_sealed_scope_cannot_be_changed_or_removed() {
    // given a lease whose grant (database, access, statement rights) is sealed with it
    LeaseSeal.Fields read = scoped("neo4j|read|false|false");
    String genuine = seal.seal(read);

    // then neither a wider grant nor the same lease without its scope verifies
    assertThat(seal.genuine(read, genuine)).isTrue();
    assertThat(seal.genuine(scoped("neo4j|write|true|true"), genuine)).isFalse();
    assertThat(seal.genuine(scoped("other|read|false|false"), genuine)).isFalse();
    assertThat(seal.genuine(LEASE, genuine)).isFalse();
  }

  @Test
  void a_missing_or_malformed_seal_is_not_genuine() {
    assertThat(seal.genuine(LEASE, null)).isFalse();
    assertThat(seal.genuine(LEASE, "")).isFalse();
    assertThat(seal.genuine(LEASE, "not base64url!")).isFalse();
  }

  @Test
  void a_seal_made_with_another_key_is_not_genuine() {
    String foreign = new LeaseSeal(List.of(NEXT_KEY)).seal(LEASE);
    assertThat(seal.genuine(LEASE, foreign)).isFalse();
  }

  @Test
  void a_lease_lacking_a_field_is_never_genuine() {
    assertThat(seal.genuine(with(LEASE, 5, null), seal.seal(LEASE))).isFalse();
  }

  @Test
  void after_a_rotation_the_new_key_seals_and_the_old_key_still_verifies() {
    // Given a lease sealed before the rotation
    String before = seal.seal(LEASE);

    // When the new key is put first and the old one kept after it
    LeaseSeal rotated = new LeaseSeal(List.of(NEXT_KEY, KEY));

    // Then the old lease still verifies, and new seals are the new key's alone
    assertThat(rotated.genuine(LEASE, before)).isTrue();
    assertThat(seal.genuine(LEASE, rotated.seal(LEASE))).isFalse();
    assertThat(new LeaseSeal(List.of(NEXT_KEY)).genuine(LEASE, rotated.seal(LEASE))).isTrue();
  }

  @Test
  void the_broker_refuses_to_start_without_a_key() {
    assertThatThrownBy(() -> new LeaseSeal(List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("broker.lease.mac-keys");
  }

  @Test
  void the_broker_refuses_to_start_with_a_short_key_without_showing_it() {
    assertThatThrownBy(() -> new LeaseSeal(List.of(KEY, "short-key")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("lease key #2 is shorter than 32 characters")
        .hasMessageNotContaining("short-key");
  }

  @Test
  void a_pooled_leases_password_hash_cannot_be_swapped() {
    // given a pooled lease sealed with its password's hash
    LeaseSeal.Fields pooled = upstream("pooled:" + "ab".repeat(32));
    String genuine = seal.seal(pooled);

    // then another hash does not verify
    assertThat(seal.genuine(pooled, genuine)).isTrue();
    assertThat(seal.genuine(upstream("pooled:" + "cd".repeat(32)), genuine)).isFalse();
  }

  @Test
  void a_lease_cannot_be_moved_between_per_job_user_and_pooled() {
    // given a lease with a user of its own, and a pooled one
    LeaseSeal.Fields perJobUser = scoped("neo4j|read|false|false");
    LeaseSeal.Fields pooled = upstream("pooled:" + "ab".repeat(32));

    // then neither verifies with the other's upstream
    assertThat(seal.genuine(pooled, seal.seal(perJobUser))).isFalse();
    assertThat(seal.genuine(perJobUser, seal.seal(pooled))).isFalse();
  }

  private static LeaseSeal.Fields upstream(String upstream) {
    return fields("neo4j|read|false|false", upstream);
  }

  private static LeaseSeal.Fields scoped(String scope) {
    return fields(scope, null);
  }

  private static LeaseSeal.Fields fields(String scope, String upstream) {
    return new LeaseSeal.Fields(
        LEASE.leaseId(),
        LEASE.instance(),
        LEASE.projectId(),
        LEASE.jobId(),
        LEASE.target(),
        LEASE.username(),
        LEASE.issuedAt(),
        LEASE.expiresAt(),
        scope,
        upstream);
  }

  private static LeaseSeal.Fields with(LeaseSeal.Fields f, int field, Object value) {
    Object[] v = {
      f.leaseId(),
      f.instance(),
      f.projectId(),
      f.jobId(),
      f.target(),
      f.username(),
      f.issuedAt(),
      f.expiresAt()
    };
    v[field] = value;
    return new LeaseSeal.Fields(
        (String) v[0],
        (String) v[1],
        (Long) v[2],
        (Long) v[3],
        (String) v[4],
        (String) v[5],
        (Instant) v[6],
        (Instant) v[7]);
  }
}
