package io.neo4jaccess.policy;

import java.util.Optional;

/** The targets grants may name; implemented where the targets are connected. */
public interface TargetCatalog {
  Optional<TargetLimits> limits(String target);
}
