package org.mitmlab.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mitmlab.event.ClientRejectedCertificate;
import org.mitmlab.event.HttpExchange;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}),
 * driven by Selenium: a student opens the page, traffic goes through the lab, the rows appear live,
 * the login's form fields and the certificate comparison open on a click. Screenshots go to
 * {@code lab/target/dashboard-screenshots/}. Skipped only when Chromium or its driver is not installed.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");

    @TempDir
    static Path state;

    @TempDir
    static Path profile;

    private static DashboardLab lab;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> chromium = firstExecutable("/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser");
        Optional<Path> driver = firstExecutable("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        Assumptions.assumeTrue(chromium.isPresent() && driver.isPresent(),
                "Chromium and chromedriver are not installed (Debian: apt-get install chromium chromium-driver)");
        lab = DashboardLab.start(state);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
                "--disable-dev-shm-usage", "--no-proxy-server", "--user-data-dir=" + profile.toAbsolutePath(),
                "--window-size=1920,1080", "--lang=en-GB");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.get().toFile())
                .usingAnyFreePort().withLogOutput(java.io.OutputStream.nullOutputStream()).build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
        browser.manage().window().setSize(new Dimension(1920, 1080));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void rowsAppearLiveAndAClickShowsTheFormAndTheCertificateComparison() throws Exception {
        browser.get(lab.dashboardUrl("/"));
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
        assertThat(browser.findElement(By.id("empty")).isDisplayed()).as("an empty lab says how to start").isTrue();

        // traffic, after the page is open: it must arrive over the stream
        assertThat(lab.visit("vk.com", "/")).isEqualTo(200);
        assertThat(lab.login("mail.ru", "alice", "s3cret")).isEqualTo(200);
        assertThat(lab.visit("halykbank.kz", "/")).isEqualTo(200);
        assertThat(lab.visitRefusingRoot("twitter.com")).isTrue();
        assertThat(lab.visit("facebook.com", "/")).isEqualTo(200);
        assertThat(lab.visitRefusingRoot("vk.com")).isTrue();
        assertThat(lab.visitOutsideLab("example.org")).as("outside the lab: refused by the proxy").isTrue();
        lab.await(HttpExchange.class, x -> x.path().equals("/login"), "the mail.ru login");
        lab.await(ClientRejectedCertificate.class, r -> r.sni().equals("twitter.com"), "the twitter.com rejection");

        WebElement login = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#flow-rows tr[data-domain='mail.ru'][data-decision='intercept']")));
        wait.until(d -> d.findElements(By.cssSelector("#flow-rows tr[data-domain='twitter.com'][data-decision='rejected']")).size() == 1);
        wait.until(d -> !d.findElements(By.cssSelector("#flow-rows tr[data-domain='halykbank.kz'][data-decision='pass-through']")).isEmpty());
        WebElement loginRow = browser.findElements(By.cssSelector("#flow-rows tr[data-domain='mail.ru']")).stream()
                .filter(r -> r.getText().contains("/login")).findFirst().orElse(login);
        assertThat(loginRow.getText()).contains("POST", "/login", "FORM", "200");
        assertThat(browser.findElement(By.cssSelector("#flow-rows tr[data-domain='twitter.com']")).getText())
                .contains("cert refused");
        wait.until(ExpectedConditions.not(ExpectedConditions.textToBe(By.id("n-intercept"), "0")));
        screenshot("flows.png");

        loginRow.click();
        WebElement detail = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("detail")));
        WebElement form = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("form-fields")));
        assertThat(form.getText()).as("what the box operator reads").contains("password", "s3cret", "username", "alice");
        WebElement issuer = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#cert-table tr[data-key='issuer']")));
        assertThat(issuer.getAttribute("class")).as("the issuer differs, highlighted").contains("differs");
        assertThat(issuer.getText()).contains("Security Certificate");
        assertThat(browser.findElement(By.cssSelector("#cert-table tr[data-key='subject']")).getAttribute("class"))
                .as("the subject is copied").contains("same");
        assertThat(browser.findElement(By.cssSelector("#cert-table tr[data-key='subjectAltNames']")).getAttribute("class"))
                .contains("same");
        assertThat(detail.getText()).contains("Request: POST https://mail.ru/login", "Certificate: genuine");
        screenshot("flow-detail.png");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "document.getElementById('cert-table').scrollIntoView({block: 'start'})");
        screenshot("certificate-comparison.png");

        browser.findElement(By.id("detail-close")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("detail")));

        browser.findElement(By.cssSelector("#flow-rows tr[data-domain='twitter.com']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-body"), "The client refused the forged certificate"));
        WebElement rejectedIssuer = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#cert-table tr[data-key='issuer']")));
        assertThat(rejectedIssuer.getAttribute("class")).as("the certificate the refusing client was shown").contains("differs");
        screenshot("rejected-detail.png");
        browser.findElement(By.id("detail-close")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("detail")));

        new Select(browser.findElement(By.id("filter-decision"))).selectByValue("pass-through");
        // non-empty too: while the filtered table re-renders it is briefly empty, and "all rows" of none match
        wait.until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("#flow-rows tr"));
            return !rows.isEmpty() && rows.stream().allMatch(r -> "pass-through".equals(r.getAttribute("data-decision")));
        });
        assertThat(browser.findElements(By.cssSelector("#flow-rows tr"))).isNotEmpty();
        new Select(browser.findElement(By.id("filter-decision"))).selectByValue("");

        browser.findElement(By.id("tab-overview")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#domain-table tr[data-domain='mail.ru']")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chart svg rect")));
        assertThat(browser.findElement(By.id("root-fingerprint")).getText())
                .isEqualTo(org.mitmlab.pki.Fingerprint.of(lab.lab.nationalRoot()).colonHex());
        assertThat(Integer.parseInt(browser.findElement(By.id("clients-refused")).getText())).isPositive();
        screenshot("overview.png");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "document.getElementById('domain-table').scrollIntoView({block: 'end'})");
        screenshot("overview-domains.png");

        // a small projector: the table must still fit
        browser.manage().window().setSize(new Dimension(1280, 720));
        browser.findElement(By.id("tab-flows")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("flows")));
        screenshot("flows-1280.png");
        browser.manage().window().setSize(new Dimension(1920, 1080));

        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).collect(Collectors.toList());
        assertThat(errors).as("no script errors or CSP violations in the console").isEmpty();
    }

    @Test
    @Order(2)
    void pauseHoldsNewRowsBackAndClearEmptiesTheTable() throws Exception {
        browser.get(lab.dashboardUrl("/"));
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
        browser.findElement(By.id("pause")).click();
        wait.until(ExpectedConditions.textMatches(By.id("live"), java.util.regex.Pattern.compile("^paused")));
        String path = "/?paused=" + System.nanoTime();
        assertThat(lab.visit("ok.ru", path)).isEqualTo(200);
        lab.await(HttpExchange.class, x -> x.path().equals(path), "the ok.ru exchange");
        wait.until(ExpectedConditions.textMatches(By.id("live"), java.util.regex.Pattern.compile("new")));
        assertThat(browser.findElements(By.xpath("//tbody[@id='flow-rows']/tr[contains(., '" + path + "')]")))
                .as("paused: the new row is held back").isEmpty();
        browser.findElement(By.id("pause")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//tbody[@id='flow-rows']/tr[contains(., '" + path + "')]")));

        browser.findElement(By.id("clear")).click();
        wait.until(d -> d.findElements(By.cssSelector("#flow-rows tr")).isEmpty());
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
        Thread.sleep(500);
        assertThat(browser.findElements(By.cssSelector("#flow-rows tr"))).as("cleared rows stay cleared after a reload").isEmpty();
        String after = "/?after-clear=" + System.nanoTime();
        assertThat(lab.visit("ok.ru", after)).isEqualTo(200);
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//tbody[@id='flow-rows']/tr[contains(., '" + after + "')]")));
    }

    private static void screenshot(String name) throws IOException {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static Optional<Path> firstExecutable(String... candidates) {
        return Stream.of(candidates).map(Path::of).filter(Files::isExecutable).findFirst();
    }
}
