package dev.scimflow.scim;

import java.util.List;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated POST or PUT body for a Group: the stored document (without members) and the ids of the users
 * it names as members, without repeats, in the order sent.
 */
public record GroupWrite(ObjectNode document, List<String> memberIds) {

  public GroupWrite {
    memberIds = List.copyOf(memberIds);
  }

  /** The body of the change the ingress publishes: the document with members as {@code [{"value": id}]}. */
  public ObjectNode toChangeBody() {
    ObjectNode body = document.deepCopy();
    var members = body.putArray("members");
    memberIds.forEach(id -> members.add(JsonNodeFactory.instance.objectNode().put("value", id)));
    return body;
  }
}
