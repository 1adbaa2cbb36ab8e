package io.neo4jaccess.gateway;

import io.neo4jaccess.gateway.bolt.BoltProtocolException;
import io.neo4jaccess.gateway.bolt.BoltVersion;
import io.neo4jaccess.gateway.bolt.Chunks;
import io.neo4jaccess.gateway.bolt.Handshake;
import io.neo4jaccess.gateway.bolt.MessageType;
import io.neo4jaccess.gateway.bolt.PackStreamReader;
import io.neo4jaccess.gateway.bolt.PackStreamWriter;
import io.neo4jaccess.gateway.bolt.ServerMessages;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Opens connections to the target as a Bolt client: TCP (or TLS), the version handshake, and for
 * 5.1+ the HELLO that carries no credentials. What follows belongs to the caller.
 */
final class UpstreamDialer {

  private static final int MAX_HELLO_REPLY = 64 * 1024;

  private final Vertx vertx;
  private final NetClient client;
  private final GatewayTarget.Upstream address;
  private final Duration timeout;

  /**
   * A connection that agreed on {@code version}; {@code offered} is what the server listed (all it
   * speaks when {@code manifest}, else the one version it picked).
   */
  record Dialed(
      NetSocket socket,
      BoltVersion version,
      List<BoltVersion> offered,
      boolean manifest,
      Map<String, Object> helloReply) {}

  /** Picks {@code version} if the server offers it. */
  static Function<List<BoltVersion>, BoltVersion> exactly(BoltVersion version) {
    return offered -> offered.contains(version) ? version : null;
  }

  UpstreamDialer(Vertx vertx, GatewayTarget.Upstream address, Duration timeout) {
    this.vertx = vertx;
    this.address = address;
    this.timeout = timeout;
    NetClientOptions options =
        new NetClientOptions()
            .setConnectTimeout((int) timeout.toMillis())
            .setTcpNoDelay(true)
            .setSsl(address.tls())
            .setTrustAll(address.trustAll());
    if (address.tls() && !address.trustAll()) {
      options.setHostnameVerificationAlgorithm("HTTPS");
    }
    this.client = vertx.createNetClient(options);
  }

  /**
   * Connects and negotiates. The returned socket is paused, with no handler.
   *
   * @param proposals the four handshake words to send
   * @param pick the version to use from what the server offers (null: none fits)
   * @param hello HELLO's map for the picked version, or null to send none
   */
  Future<Dialed> dial(
      int[] proposals,
      Function<List<BoltVersion>, BoltVersion> pick,
      Function<BoltVersion, Map<String, Object>> hello) {
    return client
        .connect(address.port(), address.host())
        .compose(socket -> new Negotiation(socket, pick, hello).start(proposals));
  }

  void close() {
    client.close();
  }

  /** One connection's handshake, as bytes arrive. */
  private final class Negotiation {
    private final NetSocket socket;
    private final Function<List<BoltVersion>, BoltVersion> pick;
    private final Function<BoltVersion, Map<String, Object>> hello;
    private final Promise<Dialed> done = Promise.promise();
    private Buffer received = Buffer.buffer();
    private Handshake.Offer offer;
    private BoltVersion version;
    private final Chunks reply = new Chunks(MAX_HELLO_REPLY);

    Negotiation(
        NetSocket socket,
        Function<List<BoltVersion>, BoltVersion> pick,
        Function<BoltVersion, Map<String, Object>> hello) {
      this.socket = socket;
      this.pick = pick;
      this.hello = hello;
    }

    Future<Dialed> start(int[] proposals) {
      long timer = vertx.setTimer(timeout.toMillis(), t -> fail("the target did not answer"));
      socket.closeHandler(v -> fail("the target closed the connection"));
      socket.exceptionHandler(e -> fail("the target connection failed"));
      socket.handler(this::received);
      socket.write(Handshake.preamble(proposals));
      return done.future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    private void received(Buffer data) {
      try {
        if (version == null) {
          negotiate(data);
        } else {
          reply.feed(data, this::helloReply);
        }
      } catch (BoltProtocolException e) {
        fail(e.getMessage());
      }
    }

    private void negotiate(Buffer data) {
      received.appendBuffer(data);
      offer = Handshake.readOffer(received);
      if (offer == null) {
        return;
      }
      version = offer.versions().isEmpty() ? null : pick.apply(offer.versions());
      if (version == null) {
        fail("the target speaks none of the versions asked for");
        return;
      }
      if (offer.manifest()) {
        socket.write(Handshake.pick(version));
      }
      Map<String, Object> helloMap = hello.apply(version);
      Buffer rest = received.slice(offer.length(), received.length());
      if (helloMap == null) {
        succeed(Map.of());
        return;
      }
      Buffer body = Buffer.buffer();
      new PackStreamWriter(body).structHeader(1, MessageType.HELLO.tag()).value(helloMap);
      socket.write(Chunks.frame(body));
      if (rest.length() > 0) {
        reply.feed(rest, this::helloReply);
      }
    }

    private void helloReply(Buffer message) {
      PackStreamReader in = new PackStreamReader(message, 0, message.length(), 8);
      int fields = in.readStructSize();
      int tag = in.readUnsignedByte();
      if (tag != ServerMessages.SUCCESS || fields != 1) {
        fail("the target refused the gateway's HELLO");
        return;
      }
      succeed(in.readMap());
    }

    private void succeed(Map<String, Object> helloReply) {
      socket.pause();
      socket.handler(null);
      socket.closeHandler(null);
      socket.exceptionHandler(null);
      done.tryComplete(new Dialed(socket, version, offer.versions(), offer.manifest(), helloReply));
    }

    private void fail(String why) {
      if (done.tryFail(why)) {
        socket.close();
      }
    }
  }
}
