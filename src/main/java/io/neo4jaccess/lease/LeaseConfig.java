package io.neo4jaccess.lease;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How leases are swept, retried and reconciled after they were issued. */
@ConfigMapping(prefix = "broker.lease")
public interface LeaseConfig {

  /**
   * How often the sweeper runs (expiry, retries, stuck leases, reconciliation, orphans, pruning).
   * Expiry is therefore late by at most this much.
   */
  @WithDefault("15s")
  Duration sweepInterval();

  /**
   * Delay of the first sweep after start. Short, so that leases which expired while the broker was
   * down (or every replica restarted) are revoked at once, not one interval later.
   */
  @WithDefault("2s")
  Duration firstSweepDelay();

  /** Most leases (or users, or records) one sweep step handles; the rest wait for the next. */
  @WithDefault("500")
  int sweepBatchSize();

  /** Wait before the first retry of a failed revocation; doubled after every further failure. */
  @WithDefault("5s")
  Duration retryBackoff();

  /** Longest wait between two retries of a failed revocation. */
  @WithDefault("5m")
  Duration retryBackoffMax();

  /**
   * How long a lease may stay in {@code issuing} or {@code revoking} before the sweeper takes it as
   * abandoned by a crashed replica: an issuing lease's user is dropped and the lease marked {@code
   * failed}; a revoking lease's revocation is finished.
   */
  @WithDefault("2m")
  Duration stuckGrace();

  /**
   * How long an active lease goes between two checks of its job's status in GitLab, which catches
   * job ends whose webhook never came.
   */
  @WithDefault("1m")
  Duration reconcileInterval();

  /**
   * How long policy decisions are kept for audit before the sweeper deletes them. The decision that
   * issued a lease still live is kept until the lease ends, however old.
   */
  @WithDefault("30d")
  Duration decisionRetention();

  /** Most GitLab job lookups one sweep makes (one per job, shared by its leases). */
  @WithDefault("50")
  int reconcileBatchSize();

  /**
   * Threads that perform revocations: those requested by webhooks, right after they are answered,
   * and, in each sweep, those the sweeper finds due.
   */
  @WithDefault("4")
  int revocationThreads();

  /**
   * Leases the sweeper claims and revokes together when it works off a backlog (expired or
   * webhook-requested leases): one claim transaction, one listing of the target's transactions and
   * connections, one transaction recording the outcomes per batch of this many, instead of one each
   * per lease. {@code revocationThreads} batches run at once.
   */
  @WithDefault("50")
  int revocationBatchSize();

  /**
   * Keys that authenticate leases (HMAC-SHA256 over each lease's id, job, target, user and
   * lifetime), each at least 32 characters, e.g. {@code openssl rand -base64 32}. The first seals
   * new leases; every one verifies, so that a key is rotated by putting the new one first and
   * removing the old one once no live lease was issued before the rotation. The broker refuses to
   * start without one. Keep them out of the state store's reach: whoever holds a key can write
   * leases the broker acts on. Prefer {@link #macKeysFile()} outside development.
   */
  Optional<List<String>> macKeys();

  /** File holding the keys of {@link #macKeys()}, one per line, the first sealing; wins over it. */
  Optional<Path> macKeysFile();
}
