package dev.scimflow.store;

import tools.jackson.databind.json.JsonMapper;

/**
 * The user store's one JSON mapper: how a SCIM document is written into its {@code jsonb} column and read back, by
 * {@link Users}, {@link Groups} and {@link BulkLoad} alike, so a row reads the same whichever of them wrote it.
 */
final class StoredJson {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private StoredJson() {
    }
}
