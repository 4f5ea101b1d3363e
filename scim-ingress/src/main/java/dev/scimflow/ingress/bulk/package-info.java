/**
 * {@code POST /Bulk}: {@link dev.scimflow.ingress.bulk.BulkController} takes the request,
 * {@link dev.scimflow.ingress.bulk.BulkOperations} makes each operation the change its own request would make, and
 * {@code BulkExecution} performs them in their order (bulkId references, {@code failOnErrors}, respond-async).
 */
package dev.scimflow.ingress.bulk;
