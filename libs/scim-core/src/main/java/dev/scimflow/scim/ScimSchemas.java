package dev.scimflow.scim;

/** The schema and message URNs scimflow speaks (RFC 7643 §8.7, RFC 7644 §3). */
public final class ScimSchemas {

    public static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    public static final String ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    /**
     * scimflow's extension of the User for Zulip's attributes ({@code role}). Its own URN, because {@code role} is not
     * an attribute of the RFC 7643 core User schema: strict clients refuse unknown core attributes.
     */
    public static final String ZULIP_USER = "urn:scimflow:params:scim:schemas:extension:zulip:2.0:User";
    public static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    public static final String SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
    public static final String ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
    public static final String BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
    public static final String BULK_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

    private ScimSchemas() {
    }
}
