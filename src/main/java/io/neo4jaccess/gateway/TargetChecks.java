package io.neo4jaccess.gateway;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of a gateway's Neo4j server that weaken what the gateway enforces, each with the name
 * under which an operator accepts it ({@code broker.neo4j.targets.<name>.gateway.accepted-risks}).
 * A pure function of the server's settings (read as the administrator with {@code
 * dbms.listConfig()}) and the address jobs are given.
 */
final class TargetChecks {

  static final String FILE_URLS = "dbms.security.allow_csv_import_from_file_urls";
  static final String IMPORT_DIRECTORY = "server.directories.import";
  static final String UNRESTRICTED = "dbms.security.procedures.unrestricted";
  static final String BOLT_LISTEN = "server.bolt.listen_address";
  static final String DEFAULT_LISTEN = "server.default_listen_address";
  static final String BOLT_ADVERTISED = "server.bolt.advertised_address";

  /** The settings the checks read. */
  static final Set<String> SETTINGS =
      Set.of(
          FILE_URLS, IMPORT_DIRECTORY, UNRESTRICTED, BOLT_LISTEN, DEFAULT_LISTEN, BOLT_ADVERTISED);

  /**
   * One weakness.
   *
   * @param risk the name an operator accepts it by
   * @param why one sentence: the setting, its value, and what it lets a job do
   */
  record Weakness(String risk, String why) {}

  private TargetChecks() {}

  /**
   * Every weakness of a server with these settings, for jobs given {@code clientUri} (empty: the
   * gateway's own listening address).
   */
  static List<Weakness> weaknesses(Map<String, String> settings, Optional<URI> clientUri) {
    List<Weakness> found = new ArrayList<>();
    if ("true".equalsIgnoreCase(settings.get(FILE_URLS))) {
      found.add(
          new Weakness(
              "file-csv-import",
              FILE_URLS
                  + "=true: LOAD CSV and plugins may read the server's files; the gateway refuses"
                  + " file URLs in queries, but not inside allowlisted procedures. Set it to false"));
    }
    String importDirectory = settings.getOrDefault(IMPORT_DIRECTORY, "").strip();
    if (settings.containsKey(FILE_URLS)
        && !"false".equalsIgnoreCase(settings.get(FILE_URLS))
        && (importDirectory.isEmpty() || importDirectory.equals("/"))) {
      found.add(
          new Weakness(
              "unrestricted-import-directory",
              IMPORT_DIRECTORY
                  + " is "
                  + (importDirectory.isEmpty() ? "unset" : "'/'")
                  + ": file imports reach the whole file system. Point it at a directory of its"
                  + " own"));
    }
    String unrestricted = settings.getOrDefault(UNRESTRICTED, "").strip();
    if (!unrestricted.isEmpty()) {
      found.add(
          new Weakness(
              "unrestricted-procedures",
              UNRESTRICTED
                  + "="
                  + unrestricted
                  + ": these procedures run with every right, whatever the user's. Allow them"
                  + " through the gateway only if they cannot administer the server"));
    }
    String listen = host(settings.get(BOLT_LISTEN));
    if (listen != null && listen.isEmpty()) {
      // ":7687" listens on the server's default address.
      listen = host(settings.get(DEFAULT_LISTEN));
    }
    if (listen != null && (listen.equals("0.0.0.0") || listen.equals("::"))) {
      found.add(
          new Weakness(
              "direct-bolt",
              BOLT_LISTEN
                  + "="
                  + settings.get(BOLT_LISTEN)
                  + ": Neo4j's Bolt listens on every interface, so jobs may reach it without the"
                  + " gateway. Bind it to an interface only the broker reaches"));
    }
    String advertised = host(settings.get(BOLT_ADVERTISED));
    String jobs = clientUri.map(URI::getHost).map(h -> h.toLowerCase(Locale.ROOT)).orElse(null);
    if (advertised != null && jobs != null && advertised.equalsIgnoreCase(jobs)) {
      found.add(
          new Weakness(
              "direct-bolt",
              BOLT_ADVERTISED
                  + " names "
                  + advertised
                  + ", the host jobs are given for the gateway: jobs reach Neo4j's Bolt there"
                  + " directly"));
    }
    return found;
  }

  /** The host of a {@code host:port} setting ({@code [::1]:7687} too), or null when unset. */
  static String host(String address) {
    if (address == null) {
      return null;
    }
    String a = address.strip();
    if (a.startsWith("[")) {
      int end = a.indexOf(']');
      return end < 0 ? a : a.substring(1, end);
    }
    int colon = a.lastIndexOf(':');
    return colon < 0 || a.indexOf(':') != colon ? a : a.substring(0, colon);
  }
}
