package io.neo4jaccess.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Runs one operation per item on a fixed pool of {@code concurrency} threads, each taking the next
 * item as soon as its previous one is done (closed loop), and times every operation.
 */
final class Load {

  /** One operation; returns false (or throws) when it failed. */
  interface Op<T> {
    boolean run(T item) throws Exception;
  }

  private Load() {}

  /** Time limit of one run; items not started by then are left out of the figures. */
  static volatile long maxNanos =
      java.util.concurrent.TimeUnit.SECONDS.toNanos(Long.getLong("bench.runLimit", 75));

  static <T> Stats run(int concurrency, List<T> items, Op<T> op) {
    return time(concurrency, items, op).stats();
  }

  /** Every operation's time, its failures and the run's wall time; runs add up ({@link #plus}). */
  record Timings(long[] nanos, int errors, long wallNanos) {
    static final Timings NONE = new Timings(new long[0], 0, 0);

    Timings plus(Timings other) {
      long[] all = java.util.Arrays.copyOf(nanos, nanos.length + other.nanos.length);
      System.arraycopy(other.nanos, 0, all, nanos.length, other.nanos.length);
      return new Timings(all, errors + other.errors, wallNanos + other.wallNanos);
    }

    Stats stats() {
      return Stats.of(nanos, errors, wallNanos);
    }
  }

  /**
   * Runs measured paths in {@code rounds} rounds, each path once per round on its share of its
   * items ({@link #share}), starting with another path each round: no path is measured only before
   * or after the others while the machine drifts (the bench JVM's collector, Neo4j's checkpoints).
   *
   * @param paths each path's run of one round, by name
   * @return each path's timings over all its rounds
   */
  static Map<String, Timings> inTurns(int rounds, Map<String, IntFunction<Timings>> paths) {
    List<String> order = new ArrayList<>(paths.keySet());
    Map<String, Timings> all = new LinkedHashMap<>();
    order.forEach(path -> all.put(path, Timings.NONE));
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < order.size(); i++) {
        String path = order.get((round + i) % order.size());
        all.merge(path, paths.get(path).apply(round), Timings::plus);
      }
    }
    return all;
  }

  /** Round {@code round}'s share of {@code items} split in {@code rounds}. */
  static <T> List<T> share(List<T> items, int round, int rounds) {
    int slice = (items.size() + rounds - 1) / rounds;
    return items.subList(
        Math.min(items.size(), round * slice), Math.min(items.size(), (round + 1) * slice));
  }

  /** As {@link #run}, keeping each operation's time. */
  static <T> Timings time(int concurrency, List<T> items, Op<T> op) {
    long[] nanos = new long[items.size()];
    java.util.Arrays.fill(nanos, -1);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      long start = System.nanoTime();
      long deadline = start + maxNanos;
      List<Future<?>> workers =
          java.util.stream.IntStream.range(0, concurrency)
              .<Future<?>>mapToObj(
                  w ->
                      pool.submit(
                          () -> {
                            for (int i = next.getAndIncrement();
                                i < nanos.length && System.nanoTime() < deadline;
                                i = next.getAndIncrement()) {
                              long t0 = System.nanoTime();
                              boolean ok;
                              try {
                                ok = op.run(items.get(i));
                              } catch (Exception e) {
                                ok = false;
                                if (errors.get() < 3) {
                                  System.err.println("  operation failed: " + e);
                                }
                              }
                              nanos[i] = System.nanoTime() - t0;
                              if (!ok) {
                                errors.incrementAndGet();
                              }
                            }
                          }))
              .toList();
      for (Future<?> f : workers) {
        f.get();
      }
      long wall = System.nanoTime() - start;
      long[] done = java.util.Arrays.stream(nanos).filter(n -> n >= 0).toArray();
      if (done.length < nanos.length) {
        System.err.printf("  time limit: %d of %d operations done%n", done.length, nanos.length);
      }
      return new Timings(done, errors.get(), wall);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }
}
