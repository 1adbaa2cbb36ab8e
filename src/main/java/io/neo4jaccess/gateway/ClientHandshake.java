package io.neo4jaccess.gateway;

import io.neo4jaccess.gateway.bolt.BoltProtocolException;
import io.neo4jaccess.gateway.bolt.BoltVersion;
import io.neo4jaccess.gateway.bolt.Handshake;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * A client's version handshake, as bytes arrive: the magic word and proposals, an answer from the
 * versions both the gateway and the target speak (learned once from the target), and, after a
 * manifest, the client's pick. The client is paused while the target is being probed.
 */
final class ClientHandshake {

  private static final Logger LOG = Logger.getLogger(ClientHandshake.class);

  private final GatewaySession session;
  private final NetSocket client;
  private final GatewayContext gateway;
  private final Context context;
  private Buffer received = Buffer.buffer();
  private boolean probing;
  private TargetProbe.Facts facts;
  private List<BoltVersion> manifest;

  ClientHandshake(
      GatewaySession session, NetSocket client, GatewayContext gateway, Context context) {
    this.session = session;
    this.client = client;
    this.gateway = gateway;
    this.context = context;
  }

  /**
   * Handshake bytes from the client.
   *
   * @throws BoltProtocolException for a bad magic word or manifest pick
   */
  void feed(Buffer data) {
    received.appendBuffer(data);
    if (manifest != null) {
      Handshake.Choice choice = Handshake.readChoice(received);
      if (choice != null && !manifest.contains(choice.version())) {
        session.close();
      } else if (choice != null) {
        session.agreed(choice.version(), facts, received.slice(choice.length(), received.length()));
      }
    } else if (received.length() >= Handshake.PREAMBLE_SIZE && !probing) {
      int[] proposals = Handshake.proposals(received);
      probing = true;
      client.pause();
      gateway.probe().facts().onComplete(ar -> context.runOnContext(v -> answered(proposals, ar)));
    }
  }

  private void answered(int[] proposals, AsyncResult<TargetProbe.Facts> probed) {
    try {
      answer(proposals, probed);
    } catch (BoltProtocolException e) {
      session.violation(e.getMessage());
    }
  }

  private void answer(int[] proposals, AsyncResult<TargetProbe.Facts> probed) {
    if (probed.failed()) {
      LOG.warnf(
          "gateway cannot reach its target: target=%s cause=%s",
          gateway.target().name(), probed.cause().getMessage());
      session.close();
      return;
    }
    facts = probed.result();
    Handshake.Answer answer = Handshake.answer(proposals, facts.versions());
    Buffer rest = received.slice(Handshake.PREAMBLE_SIZE, received.length());
    if (!answer.agreed()) {
      client.write(Buffer.buffer().appendInt(0)).onComplete(ar -> session.close());
    } else if (answer.manifest()) {
      manifest = facts.versions();
      client.write(Handshake.manifest(manifest));
      received = Buffer.buffer();
      client.resume();
      feed(rest);
    } else {
      client.write(Buffer.buffer().appendInt(answer.version().encode()));
      session.agreed(answer.version(), facts, rest);
    }
  }
}
