/**
 * The {@code /Users} endpoint: {@link dev.scimflow.ingress.users.UsersController} turns a write into a change (through
 * the changes package) and serves reads (GET, filters, {@code .search}) through
 * {@link dev.scimflow.ingress.users.UserReads}.
 */
package dev.scimflow.ingress.users;
