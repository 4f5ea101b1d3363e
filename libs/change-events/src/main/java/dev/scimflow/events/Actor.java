package dev.scimflow.events;

/**
 * Who asked for a change: the id of the bearer token (never the token itself) and the client's name
 * as it announced itself (User-Agent), e.g. "Okta SCIM Client".
 */
public record Actor(String tokenId, String clientName) {
}
