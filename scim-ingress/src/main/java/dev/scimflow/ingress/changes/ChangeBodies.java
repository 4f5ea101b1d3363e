package dev.scimflow.ingress.changes;

import org.springframework.stereotype.Component;

import dev.scimflow.ingress.limits.RequestLimits;
import dev.scimflow.scim.GroupPatch;
import dev.scimflow.scim.GroupWrite;
import dev.scimflow.scim.ScimException;
import dev.scimflow.scim.ScimGroups;
import dev.scimflow.scim.ScimUsers;
import dev.scimflow.scim.UserPatch;
import tools.jackson.databind.JsonNode;

/**
 * The body of the change a write publishes, validated as its endpoint validates it: the same checks for a request of
 * its own and for an operation of a bulk request. A failure is a ScimException, before anything is published.
 */
@Component
public class ChangeBodies {

    private final RequestLimits limits;

    ChangeBodies(RequestLimits limits) {
        this.limits = limits;
    }

    /** A POST or PUT of a user. */
    public JsonNode user(JsonNode body) {
        return ScimUsers.validateForWrite(body);
    }

    /** A PATCH of a user: published as sent, once it parses. */
    public JsonNode userPatch(JsonNode patch) {
        UserPatch.parse(patch);
        return patch;
    }

    /** A POST or PUT of a group, as stored (document and member ids). */
    public JsonNode group(JsonNode body) {
        GroupWrite write = ScimGroups.validateForWrite(body);
        requireMembersWithinLimit(write.memberIds().size());
        return write.toChangeBody();
    }

    /** A PATCH of a group: published as sent, once it parses and names few enough members. */
    public JsonNode groupPatch(JsonNode patch) {
        requireMembersWithinLimit(GroupPatch.parse(patch).memberValueCount());
        return patch;
    }

    /** The configured policy ({@code scimflow.ingress.limits.max-members-per-request}), under scim-core's hard ceiling. */
    private void requireMembersWithinLimit(int memberValues) {
        int limit = Math.min(limits.maxMembersPerRequest(), ScimGroups.MAX_MEMBERS_PER_REQUEST);
        if (memberValues > limit) {
            throw ScimException.tooMany("a request may name at most " + limit + " members; send larger changes in several PATCH requests");
        }
    }
}
