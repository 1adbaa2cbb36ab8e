package io.neo4jaccess.gateway;

import io.neo4jaccess.gateway.bolt.BoltStatus;
import io.neo4jaccess.gateway.bolt.BoltVersion;
import io.neo4jaccess.gateway.bolt.ClientMessage;
import io.neo4jaccess.gateway.bolt.MessageType;
import io.neo4jaccess.gateway.bolt.PackStreamWriter;
import io.neo4jaccess.gateway.bolt.ServerMessages;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Requests after login, judged by the connection's state and the lease's grant. BEGIN and
 * auto-commit RUN go upstream with their options rewritten ({@link Enforcement}); every RUN passes
 * the statement guard first; ROUTE is answered with the gateway's own address; RESET, PULL,
 * DISCARD, COMMIT, ROLLBACK and TELEMETRY pass as they came once their place and shape are checked.
 * A refused request is answered with a FAILURE and, as Neo4j does, every request after it with
 * IGNORED until RESET.
 */
final class RequestFlow {

  private static final GuardVerdict UNCHECKED =
      GuardVerdict.refused("guard_failed", "the statement could not be checked");

  private final GatewaySession session;
  private final GatewayContext gateway;

  RequestFlow(GatewaySession session, GatewayContext gateway) {
    this.session = session;
    this.gateway = gateway;
  }

  void handle(ClientMessage message) {
    MessageType type = message.type();
    if (type == MessageType.HELLO || type == MessageType.LOGON) {
      session.violation(type + " after login");
    } else if (type == MessageType.GOODBYE) {
      session.closeAfterWrites();
    } else if (type == MessageType.RESET) {
      forward(message.encoded());
      session.moveTo(SessionState.READY);
    } else if (session.state() == SessionState.FAILED) {
      session.replies().local(ServerMessages.ignored());
    } else {
      try {
        judge(message);
      } catch (Refusal refusal) {
        refuse(message, refusal);
      }
    }
  }

  private void judge(ClientMessage message) {
    boolean inTransaction = session.state() == SessionState.IN_TRANSACTION;
    switch (message.type()) {
      case RUN -> run(message, inTransaction);
      case BEGIN -> {
        expect(!inTransaction, "a transaction is open already");
        Map<String, Object> extra = Enforcement.transaction(message.extra(), session.grant());
        forwardPinned(message, encode(MessageType.BEGIN, null, extra));
        session.moveTo(SessionState.IN_TRANSACTION);
        gateway.audit().transactionBegun(session.grant());
      }
      case COMMIT, ROLLBACK -> {
        expect(inTransaction, "no transaction is open");
        forward(message.encoded());
        session.moveTo(SessionState.READY);
      }
      case PULL, DISCARD -> {
        Enforcement.stream(message.extra());
        forward(message.encoded());
      }
      case ROUTE -> {
        expect(!inTransaction, "ROUTE inside a transaction");
        Enforcement.route(message.extra(), session.grant());
        long ttl = gateway.settings().routeTtl().toSeconds();
        String address = gateway.routeAddress().get();
        session
            .replies()
            .local(ServerMessages.success(Enforcement.routingTable(session.grant(), address, ttl)));
      }
      case TELEMETRY -> {
        expect(!inTransaction, "TELEMETRY inside a transaction");
        forward(message.encoded());
      }
      case LOGOFF -> {
        expect(!inTransaction, "LOGOFF inside a transaction");
        session.login().logoff(message);
      }
      default -> throw new IllegalStateException("unhandled " + message.type());
    }
  }

  /**
   * A RUN: its options checked, then its statement by the guard, on the event loop or, for a text
   * the guard finds slow, on a worker thread while the connection waits (later requests stay in the
   * inbox, so answers keep their order).
   */
  private void run(ClientMessage message, boolean inTransaction) {
    GatewayGrant grant = session.grant();
    Map<String, Object> extra =
        inTransaction
            ? Enforcement.inTransaction(message.extra(), grant)
            : Enforcement.transaction(message.extra(), grant);
    if (!gateway.guard().slow(message.query())) {
      pass(message, extra, inTransaction, verdict(message, grant));
      return;
    }
    session.suspend();
    gateway
        .vertx()
        .executeBlocking(() -> verdict(message, grant), false)
        .onComplete(
            checked -> {
              if (session.isClosed()) {
                return;
              }
              try {
                pass(
                    message,
                    extra,
                    inTransaction,
                    checked.succeeded() ? checked.result() : UNCHECKED);
              } catch (Refusal refusal) {
                refuse(message, refusal);
              }
              session.resume();
            });
  }

  /** The guard's verdict; a guard that throws refuses. */
  private GuardVerdict verdict(ClientMessage message, GatewayGrant grant) {
    try {
      GuardVerdict verdict = gateway.guard().check(message.query(), message.parameters(), grant);
      if (verdict != null) {
        return verdict;
      }
    } catch (RuntimeException e) {
      // refused below
    }
    return UNCHECKED;
  }

  /** Forwards an allowed RUN with its options, or refuses it. */
  private void pass(
      ClientMessage message,
      Map<String, Object> extra,
      boolean inTransaction,
      GuardVerdict verdict) {
    GatewayGrant grant = session.grant();
    if (!verdict.isAllowed()) {
      throw new Refusal(
          BoltStatus.FORBIDDEN,
          verdict.rule(),
          "lease " + grant.leaseId() + ": " + verdict.reason());
    }
    Buffer run = encode(MessageType.RUN, message.queryAndParameters(), extra);
    if (inTransaction) {
      forward(run);
    } else {
      forwardPinned(message, run);
    }
    gateway.audit().queryRun(grant, !inTransaction);
  }

  private void refuse(ClientMessage message, Refusal refusal) {
    GatewayGrant grant = session.grant();
    if (refusal.rule() != null && message.type() == MessageType.RUN) {
      gateway.audit().queryRefused(grant, refusal.rule(), sha256(message.query()));
    } else if (refusal.rule() != null) {
      gateway.audit().requestRefused(grant, refusal.rule());
    }
    session
        .replies()
        .local(ServerMessages.failure(session.version(), refusal.status(), refusal.getMessage()));
    session.moveTo(SessionState.FAILED);
  }

  private void forward(Buffer body) {
    session.forward(body, tag -> {});
  }

  /**
   * Forwards a BEGIN or auto-commit RUN whose database the gateway set. From 5.8 Neo4j names the
   * database in the answer only when the request named none, and drivers that left it out wait for
   * it: the gateway then adds it, as Neo4j would have.
   */
  private void forwardPinned(ClientMessage message, Buffer pinned) {
    if (session.version().atLeast(BoltVersion.V5_8) && message.extra().get("db") == null) {
      String database = session.grant().database();
      session.forwardAmended(pinned, reply -> ServerMessages.withDefault(reply, "db", database));
    } else {
      forward(pinned);
    }
  }

  private static void expect(boolean inOrder, String otherwise) {
    if (!inOrder) {
      throw new Refusal(BoltStatus.INVALID, null, otherwise);
    }
  }

  /** A BEGIN (no raw part) or a RUN (its query and parameters as received) with new options. */
  private static Buffer encode(MessageType type, Buffer raw, Map<String, Object> extra) {
    Buffer body = Buffer.buffer((raw == null ? 0 : raw.length()) + 128);
    PackStreamWriter out = new PackStreamWriter(body).structHeader(type.fields(), type.tag());
    if (raw != null) {
      out.raw(raw);
    }
    out.value(extra);
    return body;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
