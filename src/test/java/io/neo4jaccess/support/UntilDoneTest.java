package io.neo4jaccess.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.neo4jaccess.support.UntilDone.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Background work retried until it succeeds once, driven by hand-completed runs. */
class UntilDoneTest {

  private final List<CompletableFuture<Void>> runs = new ArrayList<>();
  private final UntilDone work =
      new UntilDone(
          () -> {
            CompletableFuture<Void> run = new CompletableFuture<>();
            runs.add(run);
            return run;
          });

  @Test
  void the_first_check_starts_a_run_and_finds_it_running() {
    assertThat(work.check()).isEqualTo(Status.RUNNING);
    assertThat(runs).hasSize(1);
  }

  @Test
  void a_run_under_way_is_not_started_twice() {
    // given
    work.check();

    // when
    Status status = work.check();

    // then
    assertThat(status).isEqualTo(Status.RUNNING);
    assertThat(runs).hasSize(1);
  }

  @Test
  void a_run_that_succeeded_is_done_and_never_runs_again() {
    // given
    work.check();
    runs.get(0).complete(null);

    // when
    Status first = work.check();
    Status second = work.check();

    // then
    assertThat(first).isEqualTo(Status.DONE);
    assertThat(second).isEqualTo(Status.DONE);
    assertThat(runs).hasSize(1);
  }

  @Test
  void a_failed_run_is_reported_once_while_the_next_run_starts() {
    // given
    work.check();
    runs.get(0).completeExceptionally(new IllegalStateException("state store down"));

    // when
    Status failed = work.check();
    Status next = work.check();

    // then
    assertThat(failed).isEqualTo(Status.FAILED);
    assertThat(next).isEqualTo(Status.RUNNING);
    assertThat(runs).hasSize(2);
  }

  @Test
  void a_retry_that_succeeds_is_done() {
    // given
    work.check();
    runs.get(0).completeExceptionally(new IllegalStateException("state store down"));
    work.check();

    // when
    runs.get(1).complete(null);

    // then
    assertThat(work.check()).isEqualTo(Status.DONE);
    assertThat(runs).hasSize(2);
  }
}
