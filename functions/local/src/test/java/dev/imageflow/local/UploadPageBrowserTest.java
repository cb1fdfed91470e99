package dev.imageflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imageflow.core.test.TestImages;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The upload page as a person uses it, in a real headless Chromium: choose a file, chain an effect, upload, watch
 * the step appear, see the result. The screenshot is kept in target/screenshots/.
 */
class UploadPageBrowserTest extends OnLocalStack {

    static WebDriver browser;

    @BeforeAll
    static void start() {
        HeadlessChromium.assumeInstalled();
        startStack(LocalStack.Settings.forTests());
        browser = HeadlessChromium.open();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aPersonUploadsAPhotoWithBwAndSeesTheGreyResultBesideTheOriginal() throws Exception {
        Path photo = Files.createTempFile("photo", ".jpg");
        Files.write(photo, TestImages.jpeg(TestImages.photo(640, 400)));

        browser.get(stack.gateway().toString() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        // The page's effects come from GET /effects: the test-only invert effect is offered like the others.
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-add=invert]")));
        assertThat(browser.findElements(By.cssSelector("#add button")))
                .extracting(e -> e.getAttribute("data-add"))
                .contains("blur", "bw", "thumbnail", "invert");
        browser.findElement(By.cssSelector("[data-add=invert]")).click();
        assertThat(browser.findElement(By.cssSelector("#chain li input")).getAttribute("name"))
                .isEqualTo("0.strength");
        browser.findElement(By.cssSelector("#chain li button")).click();
        browser.findElement(By.id("file")).sendKeys(photo.toAbsolutePath().toString());
        browser.findElement(By.cssSelector("[data-add=bw]")).click();
        assertThat(browser.findElements(By.cssSelector("#chain li")))
                .extracting(e -> e.getAttribute("data-effect"))
                .containsExactly("bw");
        browser.findElement(By.id("upload")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Done"));
        WebElement result = browser.findElement(By.id("result"));
        wait.until(d -> (Boolean) ((JavascriptExecutor) d)
                .executeScript("const i = arguments[0]; return i.complete && i.naturalWidth > 0;", result));

        List<WebElement> steps = browser.findElements(By.cssSelector("#steps li.done"));
        assertThat(steps)
                .singleElement()
                .extracting(WebElement::getText)
                .asString()
                .contains("bw")
                .contains("by bw-local");
        assertThat(result.isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("original")).getAttribute("src")).endsWith("/original");
        // The image the page shows is the grey one the job made.
        byte[] shown = gateway.get(new java.net.URI(result.getAttribute("src")).getPath())
                .body();
        assertThat(TestImages.maxChroma(TestImages.read(shown))).isZero();
        wait.until(d -> !d.findElements(By.cssSelector("#recent li")).isEmpty());
        assertThat(browser.findElement(By.id("recent")).getText())
                .contains("bw")
                .contains("done");

        File screenshot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path kept = Path.of("target/screenshots/upload-page.png");
        Files.createDirectories(kept.getParent());
        Files.copy(screenshot.toPath(), kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(kept)).isPositive();
    }
}
