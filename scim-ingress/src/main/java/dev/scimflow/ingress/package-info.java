/**
 * The SCIM 2.0 ingress, {@link dev.scimflow.ingress.ScimIngressApplication}. Here: a SCIM request's way in,
 * {@link dev.scimflow.ingress.IngressFilter} (one servlet filter calling each feature's step in turn), and what every
 * feature shares: the one SCIM mapper ({@link dev.scimflow.ingress.ScimJson}), the media type, the SCIM paths, request
 * and trace ids and resource links. Each feature has a package of its own: users, groups, bulk, changes, reads, auth,
 * oauth, limits, errors, discovery, requestlog.
 */
package dev.scimflow.ingress;
