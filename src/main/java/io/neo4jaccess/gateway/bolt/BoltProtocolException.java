package io.neo4jaccess.gateway.bolt;

/**
 * Bytes that are not valid Bolt or PackStream, or that break one of the gateway's limits. The
 * message says what was wrong in general terms and never quotes the input.
 */
public class BoltProtocolException extends RuntimeException {

  public BoltProtocolException(String message) {
    super(message, null, false, false);
  }
}
