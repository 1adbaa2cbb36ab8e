package io.neo4jaccess.gateway;

import io.neo4jaccess.gateway.bolt.BoltStatus;
import io.neo4jaccess.gateway.bolt.BoltVersion;
import io.neo4jaccess.gateway.bolt.ClientMessage;
import io.neo4jaccess.gateway.bolt.Handshake;
import io.neo4jaccess.gateway.bolt.MessageType;
import io.neo4jaccess.gateway.bolt.PackStreamWriter;
import io.neo4jaccess.gateway.bolt.ServerMessages;
import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A connection's login, as a checklist: credentials in the version's place (HELLO before 5.1, LOGON
 * from 5.1) → an active lease on this target, checked off the event loop → room for one more
 * connection of the lease → the upstream connection, logged in as the grant's upstream login. The
 * server's answer to that login is the client's answer. Any failure ends the connection.
 *
 * <p>A 5.1+ HELLO carries no credentials, so the gateway answers it itself (with the target's agent
 * and hints) and connects upstream only for a checked lease.
 */
final class LoginFlow {

  private static final Logger LOG = Logger.getLogger(LoginFlow.class);
  private static final String UNAUTHORIZED =
      "The client is unauthorized due to authentication failure.";

  private final GatewaySession session;
  private final GatewayContext gateway;
  private Map<String, Object> hello;

  LoginFlow(GatewaySession session, GatewayContext gateway) {
    this.session = session;
    this.gateway = gateway;
  }

  /** The first request, in state CONNECTED. */
  void hello(ClientMessage message) {
    if (message.type() == MessageType.GOODBYE) {
      session.closeAfterWrites();
      return;
    }
    if (message.type() != MessageType.HELLO) {
      session.violation("HELLO must come first");
      return;
    }
    boolean credentialsInHello = !session.version().atLeast(BoltVersion.V5_1);
    try {
      Enforcement.hello(message.extra(), credentialsInHello);
      hello = message.extra();
      if (credentialsInHello) {
        session.moveTo(SessionState.LOGGING_IN);
        check(Enforcement.credentialsInHello(message.extra()));
      } else {
        session.moveTo(SessionState.AUTHENTICATION);
        session.replies().local(ServerMessages.success(helloReply()));
      }
    } catch (Refusal r) {
      session.failAndClose(r.status(), r.getMessage());
    }
  }

  /** 5.1+, in state AUTHENTICATION (after HELLO, or after LOGOFF). */
  void logon(ClientMessage message) {
    if (message.type() == MessageType.GOODBYE) {
      session.closeAfterWrites();
      return;
    }
    if (message.type() != MessageType.LOGON) {
      session.violation(message + " before LOGON");
      return;
    }
    try {
      Enforcement.Credentials credentials = Enforcement.credentials(message.extra());
      session.moveTo(SessionState.LOGGING_IN);
      check(credentials);
    } catch (Refusal r) {
      session.failAndClose(r.status(), r.getMessage());
    }
  }

  /** LOGOFF (5.1+, outside a transaction): back to AUTHENTICATION, upstream as well. */
  void logoff(ClientMessage message) {
    session.forward(message.encoded(), tag -> {});
    session.loggedOut();
    session.moveTo(SessionState.AUTHENTICATION);
  }

  private void check(Enforcement.Credentials credentials) {
    session.suspend();
    String target = gateway.target().name();
    gateway
        .vertx()
        .executeBlocking(
            () -> gateway.leases().authenticate(target, credentials.user(), credentials.password()),
            false)
        .onComplete(this::checked);
  }

  private void checked(AsyncResult<Optional<GatewayGrant>> lease) {
    if (session.isClosed()) {
      return;
    }
    String target = gateway.target().name();
    if (lease.failed()) {
      LOG.warnf(
          "gateway cannot check leases: target=%s cause=%s",
          target, lease.cause().getClass().getName());
      session.failAndClose(BoltStatus.UNAVAILABLE, "The gateway cannot check leases now.");
      return;
    }
    GatewayGrant grant = lease.result().filter(g -> g.target().equals(target)).orElse(null);
    GatewayConnections.Registration registration =
        grant == null
            ? GatewayConnections.Registration.LEASE_CLOSED
            : gateway.connections().register(grant.leaseId(), session);
    switch (registration) {
      case LEASE_CLOSED -> {
        LOG.infof("gateway login refused: target=%s remote=%s", target, session.remote());
        session.failAndClose(BoltStatus.UNAUTHORIZED, UNAUTHORIZED);
      }
      case LIMIT_REACHED -> {
        LOG.infof("gateway connection limit: target=%s lease=%s", target, grant.leaseId());
        session.failAndClose(
            BoltStatus.EXHAUSTED,
            "lease "
                + grant.leaseId()
                + " has "
                + gateway.settings().maxConnectionsPerLease()
                + " connections through this gateway already");
      }
      case REGISTERED -> {
        session.loggedIn(grant);
        if (session.hasUpstream()) {
          session.forward(
              message(MessageType.LOGON, Enforcement.logon(grant.upstream())),
              tag -> answered(grant, tag));
        } else {
          connect(grant);
        }
      }
    }
  }

  private void connect(GatewayGrant grant) {
    BoltVersion version = session.version();
    boolean credentialsInHello = !version.atLeast(BoltVersion.V5_1);
    gateway
        .dialer()
        .dial(
            new int[] {Handshake.MANIFEST_V1, version.encode()},
            UpstreamDialer.exactly(version),
            v -> credentialsInHello ? null : Enforcement.upstreamHello(hello, null))
        .onComplete(
            dialed -> {
              if (dialed.succeeded() && session.isClosed()) {
                dialed.result().socket().close();
              } else if (dialed.failed()) {
                LOG.warnf(
                    "gateway cannot reach its target: target=%s cause=%s",
                    gateway.target().name(), dialed.cause().getMessage());
                session.failAndClose(BoltStatus.UNAVAILABLE, "The target is unavailable.");
              } else {
                session.attach(dialed.result());
                session.forward(
                    credentialsInHello
                        ? message(
                            MessageType.HELLO, Enforcement.upstreamHello(hello, grant.upstream()))
                        : message(MessageType.LOGON, Enforcement.logon(grant.upstream())),
                    tag -> answered(grant, tag));
              }
            });
  }

  /** The server's answer to the upstream login is on its way to the client. */
  private void answered(GatewayGrant grant, int tag) {
    if (tag == ServerMessages.SUCCESS) {
      session.ready();
    } else {
      gateway.leases().upstreamRefused(grant);
      session.closeAfterWrites();
    }
  }

  private Map<String, Object> helloReply() {
    Map<String, Object> target = session.facts().hello();
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("server", target.getOrDefault("server", "Neo4j/5"));
    reply.put("connection_id", session.id());
    if (target.get("hints") != null) {
      reply.put("hints", target.get("hints"));
    }
    return reply;
  }

  private static Buffer message(MessageType type, Map<String, Object> field) {
    Buffer body = Buffer.buffer();
    new PackStreamWriter(body).structHeader(1, type.tag()).value(field);
    return body;
  }
}
