package io.neo4jaccess.policy;

import java.util.List;

/**
 * Rules in order; the first whose every condition holds wins, and no match means deny. Immutable: a
 * reload replaces the whole policy, so whoever holds one decides with it to the end.
 */
public record Policy(List<Rule> rules, PolicyVersion version) {}
