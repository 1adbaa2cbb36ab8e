package io.neo4jaccess.neo4j;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Neo4j servers on which the broker creates job users, keyed by target name. */
@ConfigMapping(prefix = "broker.neo4j")
public interface TargetConfig {

  Map<String, Target> targets();

  /** One Neo4j server (or cluster) that jobs get users on. */
  interface Target {
    /** Bolt URI the broker uses to administer users, e.g. {@code neo4j://neo4j-staging:7687}. */
    String uri();

    /**
     * URI handed to jobs, when they reach the server by another name. Defaults to {@link #uri()}.
     */
    Optional<String> clientUri();

    /** Administrator login; needs user management (and role management on Enterprise). */
    @WithDefault("neo4j")
    String adminUser();

    /** Administrator password; prefer {@link #adminPasswordFile()} outside development. */
    Optional<String> adminPassword();

    /** File holding the administrator password (a mounted secret); wins over the value. */
    Optional<Path> adminPasswordFile();

    /** Database a grant gets when the policy names none. */
    @WithDefault("neo4j")
    String database();

    /**
     * Prefix of every user the broker creates here. Users with this prefix and no live lease are
     * dropped by the reconciler, so no human account may start with it.
     */
    @WithDefault("ci_")
    String userPrefix();

    /** Longest lease the policy may grant on this target. */
    @WithDefault("1h")
    Duration maxTtl();

    /**
     * The edition the server must run, {@code community} or {@code enterprise}: the broker refuses
     * to start when the server reports another, and {@code policy check} reads it to validate
     * grants without a server. Unset, whatever the server reports is taken.
     */
    Optional<String> edition();

    /** The broker's Bolt gateway in front of this target; off unless enabled. */
    Gateway gateway();
  }

  /**
   * A Bolt listener in the broker through which jobs reach the target, so that their grant is
   * enforced on every request. Shared settings (TLS, limits, timeouts) are under {@code
   * broker.gateway}.
   */
  interface Gateway {
    /** Whether this target has a gateway listener. */
    @WithDefault("false")
    boolean enabled();

    /** Interface the listener binds to. */
    @WithDefault("0.0.0.0")
    String host();

    /** Port the listener binds to (0: any free port). */
    @WithDefault("7688")
    int port();

    /**
     * URI jobs are given to reach the gateway, e.g. {@code
     * bolt+s://neo4j-gateway.example.com:7688}. Its host and port are what the gateway answers to
     * ROUTE, so that {@code neo4j://} drivers stay on it. Required when the listener binds to every
     * interface.
     */
    Optional<String> clientUri();

    /**
     * Procedures and user-defined functions that grants through this gateway may call: exact dotted
     * names ({@code db.labels}) or a namespace followed by {@code .*} ({@code db.schema.*}).
     * Replaces the default list (the read helpers drivers and tools call: docs/statement-rules.md);
     * to add to it, list the default's entries too. Checked at start.
     */
    Optional<List<String>> procedureAllowlist();

    /**
     * Settings of the target that weaken the gateway and that the operator accepts, by the name the
     * start-up check gives them ({@code file-csv-import}, {@code unrestricted-import-directory},
     * {@code unrestricted-procedures}, {@code direct-bolt}). The packaged broker refuses to start
     * while the target has one that is not listed here; each is still logged as a warning.
     */
    Optional<List<String>> acceptedRisks();

    /**
     * How the gateway logs in on the target for a job: {@code per-job-user} (each exchange creates
     * a Neo4j user for the job, which the gateway logs in as) or {@code pooled} (the exchange
     * creates no user and records only a hash of the job's password; the gateway checks it and runs
     * the job's sessions on one broker-managed login per access mode, {@code
     * neo4j_access_pool_read}, {@code _write} and {@code _full}, whose password the broker derives
     * from its lease key and rotates every {@link #pooledPasswordRotation()}).
     */
    @WithDefault("per-job-user")
    Upstream upstream();

    /**
     * How long a pooled login's password lasts ({@code upstream: pooled}). Each period's password
     * is an HMAC of the target, the access mode and the period's number under the broker's first
     * lease key, so every replica computes the same one without storing it; the first replica to
     * enter a period sets it on the server. Open connections keep working across a change. At least
     * one minute.
     */
    @WithDefault("24h")
    Duration pooledPasswordRotation();
  }

  /** Whose Neo4j login carries a gateway job's sessions on the target. */
  enum Upstream {
    /** A Neo4j user per lease, created by the exchange and dropped by its revocation. */
    PER_JOB_USER,
    /** Broker-managed logins shared by all leases of one access mode; see {@link Gateway}. */
    POOLED
  }
}
