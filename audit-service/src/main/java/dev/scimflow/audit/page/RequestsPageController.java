package dev.scimflow.audit.page;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;

import dev.scimflow.audit.api.InvalidQuery;
import dev.scimflow.audit.api.ScimRequestFilter;
import dev.scimflow.audit.api.ScimRequestLog;
import dev.scimflow.audit.api.ScimRequestPage;
import dev.scimflow.audit.operator.OperatorSession;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The request log on the operators' web page, next to the audit log: the SCIM requests the ingress answered, newest
 * first, with the API's filters and paging, failed ones marked with their SCIM error. Only signed-in operators get here.
 */
@Controller
class RequestsPageController {

    private final ScimRequestLog log;

    RequestsPageController(ScimRequestLog log) {
        this.log = log;
    }

    @ModelAttribute
    void signedIn(@RequestAttribute(OperatorSession.ATTRIBUTE) OperatorSession session, Model model) {
        model.addAttribute("csrf", session.csrfToken());
    }

    @GetMapping("/requests")
    String list(@ModelAttribute("filter") ScimRequestFilter filter, @RequestParam(required = false) String cursor,
                Model model, HttpServletResponse response) {
        String filters = filter.queryString();
        model.addAttribute("firstPageLink", "/requests" + (filters.isEmpty() ? "" : "?" + filters));
        model.addAttribute("paged", cursor != null && !cursor.isBlank());
        try {
            ScimRequestPage page = log.page(filter.query(cursor, AuditPageController.PAGE_SIZE));
            model.addAttribute("page", page);
            if (page.nextCursor() != null) {
                model.addAttribute("nextPageLink", "/requests?" + (filters.isEmpty() ? "" : filters + "&") + "cursor=" + page.nextCursor());
            }
        } catch (InvalidQuery e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("error", e.getMessage());
        }
        return "requests";
    }
}
