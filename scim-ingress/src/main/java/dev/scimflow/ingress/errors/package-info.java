/**
 * SCIM errors, wherever they arise: {@link dev.scimflow.ingress.errors.ScimErrors} maps exceptions to SCIM errors,
 * {@code ScimErrorWriter} writes one (also from the filter's steps), {@code ScimErrorController} and
 * {@code ContainerErrors} answer the errors the servlet container raises, and {@code ScimErrorBodies} notes each
 * answered error ({@code AnsweredError}) for the request log.
 */
package dev.scimflow.ingress.errors;
