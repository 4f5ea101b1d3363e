package dev.scimflow.audit.page;

import java.io.IOException;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;

import dev.scimflow.audit.api.DeactivationCsv;
import dev.scimflow.audit.api.DeactivationFilter;
import dev.scimflow.audit.api.DeactivationLog;
import dev.scimflow.audit.api.DeactivationPage;
import dev.scimflow.audit.api.DeactivationQuery;
import dev.scimflow.audit.api.InvalidQuery;
import dev.scimflow.audit.operator.OperatorSession;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The operators' web page: the audit log as a table, newest first, with the API's filters, paging, a detail
 * page per record and a CSV download of the current filter. Only signed-in operators get here.
 */
@Controller
class AuditPageController {

    static final int PAGE_SIZE = 25;

    private final DeactivationLog log;

    AuditPageController(DeactivationLog log) {
        this.log = log;
    }

    @ModelAttribute
    void signedIn(@RequestAttribute(OperatorSession.ATTRIBUTE) OperatorSession session, Model model) {
        model.addAttribute("csrf", session.csrfToken());
    }

    @GetMapping("/")
    String list(@ModelAttribute("filter") DeactivationFilter filter, @RequestParam(required = false) String cursor,
                Model model, HttpServletResponse response) {
        String filters = filter.queryString();
        model.addAttribute("csvLink", "/deactivations.csv" + (filters.isEmpty() ? "" : "?" + filters));
        model.addAttribute("firstPageLink", "/" + (filters.isEmpty() ? "" : "?" + filters));
        model.addAttribute("paged", cursor != null && !cursor.isBlank());
        try {
            DeactivationPage page = log.page(filter.query(cursor, PAGE_SIZE));
            model.addAttribute("page", page);
            if (page.nextCursor() != null) {
                model.addAttribute("nextPageLink", "/?" + (filters.isEmpty() ? "" : filters + "&") + "cursor=" + page.nextCursor());
            }
        } catch (InvalidQuery e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("error", e.getMessage());
        }
        return "deactivations";
    }

    @GetMapping("/deactivations/{id}")
    String detail(@PathVariable String id, Model model, HttpServletResponse response) {
        return log.find(id).map(record -> {
            model.addAttribute("record", record);
            model.addAttribute("view", DeactivationView.of(record));
            return "deactivation";
        }).orElseGet(() -> {
            response.setStatus(HttpStatus.NOT_FOUND.value());
            model.addAttribute("id", id);
            return "notfound";
        });
    }

    @GetMapping("/deactivations.csv")
    void export(@ModelAttribute DeactivationFilter filter, HttpServletResponse response) throws IOException {
        try {
            DeactivationCsv.download(log, filter.query(null, DeactivationQuery.MAX_LIMIT), response);
        } catch (InvalidQuery e) {
            response.sendError(HttpStatus.BAD_REQUEST.value(), e.getMessage());
        }
    }
}
