package io.neo4jaccess.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Latency percentiles (milliseconds) of one measured run, and its throughput. */
record Stats(int n, int errors, double p50, double p95, double p99, double max, double perSecond) {

  static Stats of(long[] nanos, int errors, long wallNanos) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    return new Stats(
        s.length,
        errors,
        ms(pct(s, 50)),
        ms(pct(s, 95)),
        ms(pct(s, 99)),
        ms(s.length == 0 ? 0 : s[s.length - 1]),
        wallNanos <= 0 ? 0 : s.length / (wallNanos / 1e9));
  }

  private static long pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  static double ms(long nanos) {
    return Math.round(nanos / 1e4) / 100.0;
  }

  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n", n);
    m.put("errors", errors);
    m.put("p50_ms", p50);
    m.put("p95_ms", p95);
    m.put("p99_ms", p99);
    m.put("max_ms", max);
    m.put("per_second", Math.round(perSecond * 10) / 10.0);
    return m;
  }

  @Override
  public String toString() {
    return String.format(
        "p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms  %.0f/s  (n=%d, errors=%d)",
        p50, p95, p99, max, perSecond, n, errors);
  }
}
