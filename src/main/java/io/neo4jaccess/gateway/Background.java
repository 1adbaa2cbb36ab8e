package io.neo4jaccess.gateway;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The gateway's periodic work off the event loops: one daemon thread each, named for its job. */
final class Background {

  private Background() {}

  static ScheduledExecutorService thread(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }
}
