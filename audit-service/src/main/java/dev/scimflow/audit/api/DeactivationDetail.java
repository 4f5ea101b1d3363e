package dev.scimflow.audit.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import tools.jackson.databind.JsonNode;

/** One entry of the audit log with the user as it was before and after the change. */
public record DeactivationDetail(@JsonUnwrapped Deactivation deactivation, JsonNode before, JsonNode after) {
}
