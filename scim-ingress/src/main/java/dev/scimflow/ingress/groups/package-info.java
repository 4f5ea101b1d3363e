/**
 * The {@code /Groups} endpoint: {@link dev.scimflow.ingress.groups.GroupsController} turns a write into a change (through
 * the changes package) and serves reads, members included, through {@link dev.scimflow.ingress.groups.GroupReads}.
 */
package dev.scimflow.ingress.groups;
