package dev.scimflow.ingress;

import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.scimflow.scim.MemberType;

/**
 * Absolute URLs of users and groups under this request's base ({@code X-Forwarded-*} honoured): the base is worked
 * out once per request, not once per resource or member.
 */
public record ResourceLinks(String groups, String users) {

    public static ResourceLinks current() {
        String base = ServletUriComponentsBuilder.fromCurrentContextPath().path("/scim/v2/").toUriString();
        return new ResourceLinks(base + "Groups/", base + "Users/");
    }

    public String group(String id) {
        return groups + id;
    }

    public String user(String id) {
        return users + id;
    }

    /** A group member's URL: a user's, or a nested group's. */
    public String member(String id, MemberType type) {
        return type == MemberType.GROUP ? group(id) : user(id);
    }
}
