package io.neo4jaccess.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.neo4jaccess.testing.GitLabStandIn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.GraphDatabase;

/**
 * What a newcomer would try by hand, done once and printed: exchange a token, log in with the
 * credentials, run a query, see the replay refused, revoke, see the login refused.
 */
final class DemoSelfCheck {

  private DemoSelfCheck() {}

  static void run(String broker, GitLabStandIn gitlab, String bolt) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String token = gitlab.mint("neo4j-access", Map.of());
    HttpRequest exchange =
        HttpRequest.newBuilder(URI.create(broker + "/v1/exchange"))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    JsonNode issued =
        new ObjectMapper()
            .readTree(http.send(exchange, HttpResponse.BodyHandlers.ofString()).body());
    String user = issued.get("username").asText();
    try (var driver =
            GraphDatabase.driver(bolt, AuthTokens.basic(user, issued.get("password").asText()));
        var s = driver.session()) {
      long n = s.run("UNWIND range(1, 3) AS i RETURN count(i) AS n").single().get("n").asLong();
      System.out.printf("exchange: user %s logged in and counted %d rows%n", user, n);
    }
    var replay = http.send(exchange, HttpResponse.BodyHandlers.ofString());
    System.out.printf("replay:   HTTP %d %s%n", replay.statusCode(), replay.body());
    var revoke =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(broker + "/v1/leases/" + issued.get("lease_id").asText()))
                .header("Authorization", "Bearer " + token)
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.discarding());
    System.out.printf("revoke:   HTTP %d%n", revoke.statusCode());
    try (var driver =
        GraphDatabase.driver(bolt, AuthTokens.basic(user, issued.get("password").asText()))) {
      driver.verifyConnectivity();
      throw new IllegalStateException("revoked user could still log in");
    } catch (org.neo4j.driver.exceptions.AuthenticationException expected) {
      System.out.println("login after revoke: refused, as it must be");
    }
  }
}
