package io.neo4jaccess.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/** The policy a broker under test has in force, as its {@code /q/health} reports it. */
public final class PolicyInForce {

  /** How long a valid policy file may take to be in force: the broker polls every 300 ms. */
  public static final Duration A_FEW_SECONDS = Duration.ofSeconds(5);

  private PolicyInForce() {}

  /** The SHA-256 of a policy text, in hex: its version. */
  public static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The {@code policy} check's data in {@code /q/health/ready}. */
  public static JsonPath health() {
    return given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .setRootPath("checks.find { it.name == 'policy' }.data");
  }

  /** Mounts {@code text} as the policy and waits until it is in force. */
  public static void load(String text) {
    PolicyAsCodeTestResource.write(text);
    awaitInForce(text);
  }

  public static void awaitInForce(String text) {
    await()
        .atMost(A_FEW_SECONDS)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> sha256(text).equals(health().getString("sha256")));
  }
}
