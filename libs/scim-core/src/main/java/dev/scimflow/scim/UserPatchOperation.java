package dev.scimflow.scim;

import java.util.List;

import com.unboundid.scim2.common.filters.FilterType;
import com.unboundid.scim2.common.messages.PatchOpType;
import com.unboundid.scim2.common.messages.PatchOperation;
import com.unboundid.scim2.common.utils.JsonUtils;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One PATCH operation with a resolved path and a value already in stored form. Applying it is the
 * SDK's job; this adds the upsert IdPs rely on for value-filter paths.
 */
record UserPatchOperation(PatchOpType type, AttributePath path, JsonNode value) {

    /** The operations a raw one stands for: a null or empty replace value means remove, an empty add nothing. */
    static List<UserPatchOperation> of(PatchOpType type, AttributePath path, JsonNode rawValue) {
        if (type == PatchOpType.REMOVE) {
            return List.of(new UserPatchOperation(type, path, null));
        }
        JsonNode value = path.canonicalValue(rawValue);
        if (value == null) {
            return type == PatchOpType.REPLACE ? List.of(new UserPatchOperation(PatchOpType.REMOVE, path, null)) : List.of();
        }
        return List.of(new UserPatchOperation(type, path, value));
    }

    void applyTo(ObjectNode document) {
        try {
            if (type != PatchOpType.REMOVE && path.filter() != null && path.subAttribute() != null) {
                upsert(document);
            } else {
                PatchOperation.create(type, path.toSdkPath(), value).apply(document);
            }
        } catch (com.unboundid.scim2.common.exceptions.ScimException e) {
            throw ScimException.fromSdk(e);
        } catch (IllegalArgumentException e) {
            throw ScimException.invalidValue("The value for '" + path + "' cannot be applied");
        }
    }

    /**
     * {@code emails[type eq "work"].value}: set it on the matching values, or create the value when none
     * matches. Entra replaces a work email the user does not have yet and expects it created; the SDK
     * alone refuses (replace: noTarget; add: a sub-attribute that already exists).
     */
    private void upsert(ObjectNode document) throws com.unboundid.scim2.common.exceptions.ScimException {
        if (JsonUtils.pathExists(path.elementPath(), document)) {
            PatchOperation.replace(path.toSdkPath(), value).apply(document);
        } else if (path.filter().getFilterType() == FilterType.EQUAL) {
            PatchOperation.add(path.toSdkPath(), value).apply(document);
        } else {
            throw ScimException.noTarget("No value of '" + path.attribute().getName() + "' matches " + path.filter());
        }
    }
}
