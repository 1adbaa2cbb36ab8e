package io.neo4jaccess.gateway.bolt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A PackStream structure the gateway does not interpret (a node, a date-time, a point, …): its tag
 * byte and its fields, decoded only when a statement guard asks for parameter values.
 */
public record PackStruct(int tag, List<Object> fields) {

  public PackStruct {
    fields = Collections.unmodifiableList(new ArrayList<>(fields));
  }
}
