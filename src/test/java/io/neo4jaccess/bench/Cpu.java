package io.neo4jaccess.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time from /proc, so that figures can be read on a machine shared with other work: a process's
 * user+system time, and the whole machine's busy time (all processes).
 */
final class Cpu {

  /** Linux reports /proc times in clock ticks; USER_HZ is 100 on every mainstream kernel. */
  private static final double TICK_MS = 10.0;

  private Cpu() {}

  /** User+system CPU time of a process, in milliseconds. */
  static double processMs(long pid) {
    return processMs(Path.of("/proc", Long.toString(pid)));
  }

  /** User+system CPU time of a process or thread directory under /proc, in milliseconds. */
  private static double processMs(Path proc) {
    try {
      String stat = Files.readString(proc.resolve("stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": state=0 ... utime=11 stime=12
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_MS;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * User+system CPU time of a process's JIT compiler threads (HotSpot names them "C1
   * CompilerThread…" and "C2 CompilerThread…"), in milliseconds: while it grows the process is not
   * yet warm.
   */
  static double compilerMs(long pid) {
    double total = 0;
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        try {
          if (Files.readString(task.resolve("comm")).matches("C\\d CompilerThre.*\\s*")) {
            total += processMs(task);
          }
        } catch (IOException | RuntimeException threadEnded) {
          // a thread that ended between the listing and the read compiles nothing now
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return total;
  }

  /** Busy (non-idle, non-iowait) CPU time of the whole machine, in milliseconds. */
  static double machineBusyMs() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return (total - idle) * TICK_MS;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The 1-minute load average. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** A snapshot of the broker's, this JVM's and the machine's CPU time. */
  record Mark(long at, double broker, double bench, double machine) {
    static Mark now() {
      return new Mark(
          System.nanoTime(),
          processMs(BROKER_PID),
          processMs(ProcessHandle.current().pid()),
          machineBusyMs());
    }

    /** CPU use since this mark: broker, bench JVM and everything else, in ms and cores. */
    java.util.Map<String, Object> since(int operations) {
      Span span = new Span();
      span.add(this);
      return span.perOperation(operations);
    }
  }

  /** CPU use over one or more intervals, each from a {@link Mark} to the moment it is added. */
  static final class Span {
    private double wallMs;
    private double broker;
    private double bench;
    private double machine;

    void add(Mark from) {
      Mark to = Mark.now();
      wallMs += (to.at - from.at) / 1e6;
      broker += to.broker - from.broker;
      bench += to.bench - from.bench;
      machine += to.machine - from.machine;
    }

    /** Broker, bench JVM and everything else, in ms per operation and in cores. */
    java.util.Map<String, Object> perOperation(int operations) {
      double other = machine - broker - bench;
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("broker_cpu_ms_per_op", r(broker / Math.max(1, operations)));
      m.put("bench_jvm_cpu_ms_per_op", r(bench / Math.max(1, operations)));
      m.put("broker_cores", r(broker / wallMs));
      m.put("bench_jvm_cores", r(bench / wallMs));
      m.put("other_processes_cores", r(Math.max(0, other) / wallMs));
      m.put("load_average_1m", loadAverage());
      return m;
    }
  }

  /** The broker whose CPU {@link Mark#since} reads; set when a broker starts. */
  static volatile long BROKER_PID;

  private static double r(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
