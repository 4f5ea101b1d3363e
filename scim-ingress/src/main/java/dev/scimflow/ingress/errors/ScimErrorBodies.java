package dev.scimflow.ingress.errors;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Notes the SCIM error of every response body Spring MVC writes, for the request log: the errors of
 * {@link ScimErrors}, {@link ScimErrorController} and of outcomes the worker reported (written after the request went
 * asynchronous, on whatever thread completes it). Reads the body only; never changes it.
 */
@ControllerAdvice
class ScimErrorBodies implements ResponseBodyAdvice<Object> {

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType selectedContentType,
                                  Class<? extends HttpMessageConverter<?>> selectedConverterType,
                                  ServerHttpRequest request, ServerHttpResponse response) {
        if (request instanceof ServletServerHttpRequest servlet) {
            AnsweredError.rememberIfError(servlet.getServletRequest(), body);
        }
        return body;
    }
}
