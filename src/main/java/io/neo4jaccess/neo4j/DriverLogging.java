package io.neo4jaccess.neo4j;

import org.neo4j.driver.Logger;
import org.neo4j.driver.Logging;

/**
 * The log of the drivers the broker opens to its targets: the driver's information, warnings and
 * errors, under its own category names, and never its debug or trace lines, whatever the log level.
 * Those print every Bolt message whole, parameters included, and the parameters of {@code CREATE
 * USER} and {@code ALTER USER} are passwords: a debug level set to look into a connection problem
 * would put every job's password in the log. Dropping them here also spares the driver formatting
 * each message for a line nobody reads (it formats before it asks whether the level is enabled).
 */
final class DriverLogging implements Logging {

  static final DriverLogging WITHOUT_MESSAGES = new DriverLogging();

  private DriverLogging() {}

  @Override
  public Logger getLog(String name) {
    return new Quiet(org.jboss.logging.Logger.getLogger(name));
  }

  private record Quiet(org.jboss.logging.Logger log) implements Logger {

    @Override
    public void error(String message, Throwable cause) {
      log.error(message, cause);
    }

    @Override
    public void info(String format, Object... params) {
      log.infof(format, params);
    }

    @Override
    public void warn(String format, Object... params) {
      log.warnf(format, params);
    }

    @Override
    public void warn(String message, Throwable cause) {
      log.warn(message, cause);
    }

    @Override
    public void debug(String format, Object... params) {
      // never: see the class comment
    }

    @Override
    public void debug(String message, Throwable throwable) {
      // never: see the class comment
    }

    @Override
    public void trace(String format, Object... params) {
      // never: see the class comment
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return false;
    }
  }
}
