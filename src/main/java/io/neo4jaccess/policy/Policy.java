package io.neo4jaccess.policy;

import java.util.List;

/** Rules in order; the first whose every condition holds wins, and no match means deny. */
public record Policy(List<Rule> rules) {}
