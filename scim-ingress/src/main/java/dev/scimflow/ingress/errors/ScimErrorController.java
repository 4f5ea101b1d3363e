package dev.scimflow.ingress.errors;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.scimflow.ingress.TraceIds;
import dev.scimflow.scim.ScimException;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.node.ObjectNode;

/**
 * The error page for failures the servlet container sends itself after the request reached it ({@code sendError}
 * from a filter, a request rejected by the firewall, an unmapped path): a SCIM Error like every other, instead of
 * Spring Boot's default JSON.
 */
@RestController
class ScimErrorController implements ErrorController {

    private final ScimErrorWriter writer;

    ScimErrorController(ScimErrorWriter writer) {
        this.writer = writer;
    }

    @RequestMapping("/error")
    ResponseEntity<ObjectNode> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer number && number >= 400 ? number : 500;
        String detail = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "the method is not supported here";
            case 500 -> TraceIds.requestFailed(request);
            default -> "the request cannot be served";
        };
        return writer.toResponse(new ScimException(status, status == 400 ? "invalidSyntax" : null,
                status == 400 ? "the request is malformed" : detail));
    }
}
