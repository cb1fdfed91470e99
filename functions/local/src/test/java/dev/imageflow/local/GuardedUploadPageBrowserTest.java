package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageflow.core.test.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The upload page against a gateway that requires its token, in a real headless Chromium: the first upload is
 * refused and the page asks for the token; with it typed in, the upload goes through, the result shows (an
 * {@code <img>}, which sends no header) and so does the job listing.
 */
class GuardedUploadPageBrowserTest extends OnLocalStack {

    static final String TOKEN = "page-token-9d2f0c7e";

    static WebDriver browser;

    @BeforeAll
    static void start() {
        HeadlessChromium.assumeInstalled();
        startStack(LocalStack.Settings.forTests().with(Map.of("imageflow.gateway.auth.token", TOKEN)));
        browser = HeadlessChromium.open();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void thePageAsksForTheTokenAtTheFirst401AndUploadsWithIt() throws Exception {
        Path photo = Files.createTempFile("photo", ".jpg");
        Files.write(photo, TestImages.jpeg(TestImages.photo(320, 200)));
        browser.get(stack.gateway().toString() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-add=bw]")));
        assertThat(browser.findElement(By.id("token-row")).isDisplayed()).isFalse();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("recent"), "needs the access token"));

        browser.findElement(By.id("file")).sendKeys(photo.toAbsolutePath().toString());
        browser.findElement(By.cssSelector("[data-add=bw]")).click();
        browser.findElement(By.id("upload")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "access token"));
        assertThat(browser.findElement(By.id("status")).getAttribute("class")).contains("error");
        assertThat(browser.findElement(By.id("token-row")).isDisplayed()).isTrue();
        assertThat(stack.function("gateway")
                        .getBean(dev.imageflow.core.job.JobStore.class)
                        .recentCount())
                .isZero();

        browser.findElement(By.id("token")).sendKeys(TOKEN);
        browser.findElement(By.id("upload")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Done"));
        WebElement result = browser.findElement(By.id("result"));
        wait.until(d -> (Boolean) ((JavascriptExecutor) d)
                .executeScript("const i = arguments[0]; return i.complete && i.naturalWidth > 0;", result));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("recent"), "done"));
        // Kept for the tab, not in a cookie or a URL.
        assertThat(((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('imageflow.token')"))
                .isEqualTo(TOKEN);
        assertThat(browser.getCurrentUrl()).doesNotContain(TOKEN);
    }
}
