package dev.scimflow.scim;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated POST or PUT body for a Group: the stored document (without members), the ids of the users and groups
 * it names as members, without repeats, in the order sent, and the type of those members whose type was sent.
 */
public record GroupWrite(ObjectNode document, List<String> memberIds, Map<String, MemberType> declaredTypes) {

    public GroupWrite {
        memberIds = List.copyOf(memberIds);
        declaredTypes = Map.copyOf(declaredTypes);
    }

    public GroupWrite(ObjectNode document, List<String> memberIds) {
        this(document, memberIds, Map.of());
    }

    /**
     * The body of the change the ingress publishes: the document with members as {@code [{"value": id}]}, with
     * {@code "type"} where it was sent.
     */
    public ObjectNode toChangeBody() {
        ObjectNode body = document.deepCopy();
        var members = body.putArray("members");
        for (String id : memberIds) {
            ObjectNode member = JsonNodeFactory.instance.objectNode().put("value", id);
            if (declaredTypes.containsKey(id)) {
                member.put("type", declaredTypes.get(id).scimName());
            }
            members.add(member);
        }
        return body;
    }
}
