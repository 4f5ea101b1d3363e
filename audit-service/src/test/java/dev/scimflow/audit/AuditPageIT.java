package dev.scimflow.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

import dev.scimflow.events.EventType;
import dev.scimflow.events.ScimEvent;
import dev.scimflow.events.ScimRequest;

/**
 * The operators' web page in a real headless Chromium (Debian's chromium and chromedriver, driven by Selenium):
 * sign in with the operator token, read and filter the table, open a record, download CSV, sign out.
 */
class AuditPageIT extends RunningAuditService {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String OKTA = "Okta SCIM Client";
    private static final String ENTRA = "Microsoft Azure AD SCIM";

    private WebDriver browser;
    private Path profile;

    @BeforeEach
    void startBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("the page test needs /usr/bin/chromium and /usr/bin/chromedriver (Debian's chromium and "
                        + "chromium-driver, which .ci/run installs)");
            }
            Assumptions.abort("no /usr/bin/chromium or /usr/bin/chromedriver here: apt-get install chromium chromium-driver");
        }
        profile = Files.createTempDirectory("audit-page-chromium");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--window-size=1360,900");
        browser = new ChromeDriver(driver, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterEach
    void stopBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private void awaitPath(String path) {
        await().atMost(PATIENCE).until(() -> URI.create(browser.getCurrentUrl()).getPath().equals(path));
    }

    private void signIn(String token) {
        browser.get(url("/"));
        awaitPath("/signin");
        WebElement field = browser.findElement(By.id("token"));
        assertThat(field.getAttribute("type")).isEqualTo("password");
        field.sendKeys(token);
        browser.findElement(By.id("sign-in")).click();
    }

    private List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#deactivations tbody tr"));
    }

    private static HttpResponse<String> getWithSession(String url, String session) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Cookie", "scimflow_audit_session=" + session).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private void screenshot(String name) throws IOException {
        Path target = Path.of("target", name);
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void anOperatorSignsInFiltersOpensARecordDownloadsCsvAndSignsOut() throws Exception {
        String tenant = uniqueTenant("page");
        Instant day = Instant.parse("2026-03-01T09:15:00Z");
        deactivate(tenant, "u-1", "ada.lovelace@example.com", OKTA, day);
        publish(event(tenant, "u-2", EventType.REPLACED, user("u-2", "bob.builder@example.com", true, "Bob Builder"),
                user("u-2", "bob.builder@example.com", false, "Bob Builder"), ENTRA, day.plusSeconds(3_600)));
        ScimEvent deleted = event(tenant, "u-3", EventType.DELETED, user("u-3", "cy.twombly@example.com", true, "Cy Twombly"),
                null, OKTA, day.plusSeconds(86_400));
        publish(deleted);
        publish(event(tenant, "u-1", EventType.PATCHED, user("u-1", "ada.lovelace@example.com", false, null),
                user("u-1", "ada.lovelace@example.com", true, null), OKTA, day.plusSeconds(2 * 86_400)));
        deactivate(tenant, "u-4", "dee.dee@example.com", ENTRA, day.plusSeconds(3 * 86_400));
        publish(event(tenant, "u-5", EventType.PATCHED, user("u-5", "eve.adams@example.com", true, "Eve Adams"),
                user("u-5", "eve.adams@example.com", false, "Eve Adams"), OKTA, day.plusSeconds(4 * 86_400)));
        awaitDeactivations(tenant, 6);

        signIn(OPERATOR_TOKEN);
        awaitPath("/");
        assertThat(rows()).isNotEmpty();
        Cookie session = browser.manage().getCookieNamed("scimflow_audit_session");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getValue()).doesNotContain(OPERATOR_TOKEN).hasSizeGreaterThanOrEqualTo(40);

        browser.findElement(By.id("filter-tenant")).sendKeys(tenant);
        browser.findElement(By.id("apply-filters")).click();
        await().atMost(PATIENCE).until(() -> browser.getCurrentUrl().contains("tenant=" + tenant));
        assertThat(rows()).hasSize(6).allSatisfy(row -> assertThat(row.getText()).contains(tenant));
        assertThat(rows().get(0).getText()).contains("eve.adams@example.com", "Eve Adams", "deactivated", "PATCH", OKTA);
        assertThat(rows().get(2).getText()).contains("ada.lovelace@example.com", "reactivated");
        screenshot("audit-page.png");

        new Select(browser.findElement(By.id("filter-cause"))).selectByValue("DELETE");
        browser.findElement(By.id("apply-filters")).click();
        await().atMost(PATIENCE).until(() -> browser.getCurrentUrl().contains("cause=DELETE"));
        assertThat(rows()).hasSize(1);
        assertThat(rows().get(0).getText()).contains("cy.twombly@example.com", "DELETE");

        String csvLink = browser.findElement(By.id("download-csv")).getAttribute("href");
        assertThat(csvLink).contains("tenant=" + tenant).contains("cause=DELETE");
        HttpResponse<String> csv = getWithSession(csvLink, session.getValue());
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).get().asString().startsWith("text/csv");
        assertThat(csv.body().split("\r\n")).hasSize(2);
        assertThat(csv.body().split("\r\n")[1]).startsWith(deleted.eventId() + "," + tenant + ",u-3,cy.twombly@example.com");
        assertThat(getWithSession(csvLink, "not-a-session").statusCode()).as("no session, no CSV").isEqualTo(303);

        rows().get(0).findElement(By.className("detail")).click();
        awaitPath("/deactivations/" + deleted.eventId());
        assertThat(browser.findElement(By.id("detail-eventId")).getText()).isEqualTo(deleted.eventId().toString());
        assertThat(browser.findElement(By.id("detail-cause")).getText()).isEqualTo("DELETE");
        assertThat(browser.findElement(By.id("before")).getText()).contains("\"userName\" : \"cy.twombly@example.com\"",
                "\"active\" : true");
        assertThat(browser.findElement(By.id("after")).getText()).isEqualTo("none (deleted)");
        screenshot("audit-detail.png");

        browser.findElement(By.id("sign-out")).click();
        awaitPath("/signin");
        assertThat(browser.findElement(By.id("signed-out")).isDisplayed()).isTrue();
        assertThat(browser.manage().getCookieNamed("scimflow_audit_session")).isNull();
        assertThat(getWithSession(url("/"), session.getValue()).statusCode()).as("the old session is gone").isEqualTo(303);
        browser.get(url("/deactivations/" + deleted.eventId()));
        awaitPath("/signin");
    }

    @Test
    void theRequestsViewNextToTheAuditLogShowsAFailedRequestWithItsScimError() throws Exception {
        String tenant = uniqueTenant("page-requests");
        Instant at = Instant.now().minusSeconds(60);
        publish(new ScimRequest(tenant, at, ENTRA, "GET", "/scim/v2/Users?filter", 200, null, null, 4, "ok-" + tenant));
        publish(new ScimRequest(tenant, at.plusSeconds(1), ENTRA, "PATCH", "/scim/v2/Users/u-9", 400, "invalidPath",
                "no attribute favouriteColour", 9, "failed-" + tenant));
        awaitRequests(tenant, 2);

        signIn(OPERATOR_TOKEN);
        awaitPath("/");
        browser.findElement(By.id("view-requests")).click();
        awaitPath("/requests");
        browser.findElement(By.id("filter-tenant")).sendKeys(tenant);
        browser.findElement(By.id("filter-status")).sendKeys("4xx");
        browser.findElement(By.id("apply-request-filters")).click();
        await().atMost(PATIENCE).until(() -> browser.getCurrentUrl().contains("status=4xx"));

        List<WebElement> requests = browser.findElements(By.cssSelector("#requests tbody tr"));
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).getAttribute("class")).contains("failed");
        assertThat(requests.get(0).getText()).contains(tenant, "PATCH", "/scim/v2/Users/u-9", "400", "invalidPath",
                "no attribute favouriteColour", "9 ms", ENTRA, "failed-" + tenant);
        screenshot("audit-requests.png");

        browser.findElement(By.id("view-deactivations")).click();
        awaitPath("/");
        assertThat(browser.findElements(By.id("filters"))).as("back on the audit log").hasSize(1);
    }

    @Test
    void aWrongTokenIsRefusedAndGetsNoSession() throws IOException {
        for (String wrong : new String[]{"wrong", OPERATOR_TOKEN + "x", sha256Hex(OPERATOR_TOKEN)}) {
            signIn(wrong);
            await().atMost(PATIENCE).until(() -> !browser.findElements(By.id("sign-in-error")).isEmpty());
            assertThat(browser.findElement(By.id("sign-in-error")).getText()).contains("not a valid operator token");
            awaitPath("/signin");
            assertThat(browser.manage().getCookieNamed("scimflow_audit_session")).isNull();
        }
        screenshot("audit-signin.png");
    }

    @Test
    void theTablePagesThroughOlderEntries() {
        String tenant = uniqueTenant("pages");
        Instant start = Instant.parse("2026-05-01T00:00:00Z");
        for (int i = 0; i < 27; i++) {
            try {
                deactivate(tenant, "p-" + i, "p" + i + "@example.com", OKTA, start.plusSeconds(60L * i));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        awaitDeactivations(tenant, 27);
        signIn(OPERATOR_TOKEN);
        awaitPath("/");
        browser.get(url("/?tenant=" + tenant));
        assertThat(rows()).hasSize(25);
        assertThat(rows().get(0).getText()).contains("p26@example.com");
        browser.findElement(By.id("next-page")).click();
        await().atMost(PATIENCE).until(() -> browser.getCurrentUrl().contains("cursor="));
        assertThat(rows()).hasSize(2);
        assertThat(rows().get(1).getText()).contains("p0@example.com");
        assertThat(browser.findElements(By.id("next-page"))).isEmpty();
        browser.findElement(By.id("first-page")).click();
        await().atMost(PATIENCE).until(() -> !browser.getCurrentUrl().contains("cursor="));
        assertThat(rows()).hasSize(25);
    }

    @Test
    void pagesCarrySecurityHeadersAndFormsNeedTheirCsrfToken() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(url("/signin"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(form.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("default-src 'none'").contains("frame-ancestors 'none'").contains("form-action 'self'");
        assertThat(form.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(form.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(form.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(form.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(form.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
                .startsWith("scimflow_audit_signin=").contains("HttpOnly").contains("SameSite=Strict"));

        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(url("/signin")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + OPERATOR_TOKEN + "&csrf=guess")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).as("a sign-in without the form's token").isEqualTo(403);
        assertThat(forged.headers().allValues("Set-Cookie")).noneMatch(cookie -> cookie.startsWith("scimflow_audit_session="));

        signIn(OPERATOR_TOKEN);
        awaitPath("/");
        String session = browser.manage().getCookieNamed("scimflow_audit_session").getValue();
        HttpResponse<String> signOut = http.send(HttpRequest.newBuilder(URI.create(url("/signout")))
                .header("Cookie", "scimflow_audit_session=" + session)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=guess")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signOut.statusCode()).as("a sign-out without the session's token").isEqualTo(403);
        assertThat(getWithSession(url("/"), session).statusCode()).as("still signed in").isEqualTo(200);
    }
}
