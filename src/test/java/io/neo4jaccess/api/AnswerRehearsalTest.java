package io.neo4jaccess.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AnswerRehearsalTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void the_rehearsed_answer_has_the_fields_of_a_jobs_answer_and_names_no_real_host()
      throws Exception {
    // when
    JsonNode answer = JSON.readTree(AnswerRehearsal.render(JSON));

    // then
    assertThat(answer.fieldNames())
        .toIterable()
        .contains("lease_id", "uri", "username", "password", "expires_at", "annotations");
    assertThat(answer.get("uri").asText()).endsWith(".invalid");
    assertThat(answer.get("summary_url").asText()).contains(".invalid/");
  }
}
