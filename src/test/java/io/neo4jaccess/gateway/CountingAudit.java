package io.neo4jaccess.gateway;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link GatewayAudit} that counts in memory, per lease: what tests assert on. */
class CountingAudit implements GatewayAudit {

  /** A refusal as recorded: its rule and, for a query, the hash of its text. */
  record Refused(String leaseId, String rule, String queryHash) {}

  private final Map<String, AtomicInteger> counters = new ConcurrentHashMap<>();
  private final List<Refused> refused = new CopyOnWriteArrayList<>();

  int count(String event, String leaseId) {
    AtomicInteger n = counters.get(event + "/" + leaseId);
    return n == null ? 0 : n.get();
  }

  List<Refused> refused(String leaseId) {
    return refused.stream().filter(r -> r.leaseId().equals(leaseId)).toList();
  }

  @Override
  public void connectionOpened(GatewayGrant grant, String connectionId) {
    bump("opened", grant);
  }

  @Override
  public void connectionClosed(GatewayGrant grant, String connectionId) {
    bump("closed", grant);
  }

  @Override
  public void transactionBegun(GatewayGrant grant) {
    bump("transactions", grant);
  }

  @Override
  public void queryRun(GatewayGrant grant, boolean autoCommit) {
    bump(autoCommit ? "auto-commit queries" : "queries in transactions", grant);
  }

  @Override
  public void queryRefused(GatewayGrant grant, String rule, String queryHash) {
    refused.add(new Refused(grant.leaseId(), rule, queryHash));
  }

  @Override
  public void requestRefused(GatewayGrant grant, String rule) {
    refused.add(new Refused(grant.leaseId(), rule, null));
  }

  private void bump(String event, GatewayGrant grant) {
    counters
        .computeIfAbsent(event + "/" + grant.leaseId(), k -> new AtomicInteger())
        .incrementAndGet();
  }
}
