package io.neo4jaccess.policy;

import java.util.List;

/** A named rule: when every condition holds, the grant is given. */
public record Rule(String name, List<Condition> conditions, Grant grant) {}
