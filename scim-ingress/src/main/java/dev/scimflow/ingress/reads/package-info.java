/**
 * Where reads go and what a list asks: {@link dev.scimflow.ingress.reads.ReadStores} serves a read from the primary,
 * or from a replica once it has replayed the tenant's acknowledged writes ({@code ReadYourWrites});
 * {@code ListRequest} and {@code Cursors} hold a list's filter, sort and paging.
 */
package dev.scimflow.ingress.reads;
