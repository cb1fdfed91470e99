package dev.imageflow.gateway;

import dev.imageflow.core.job.JobRecord;
import dev.imageflow.core.job.JobStatus;
import dev.imageflow.core.job.JobStore;
import dev.imageflow.core.storage.Blob;
import dev.imageflow.core.storage.BlobStore;
import dev.imageflow.core.web.ApiErrors;
import java.util.concurrent.TimeUnit;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /image/<id>}: the result, served by the gateway itself so the bucket stays private. 404 for an
 * unknown job; 409 with the job's status while it is not done (with {@code Retry-After} while it runs).
 */
@RestController
public class ImageController {

    private final JobStore jobs;
    private final BlobStore blobs;

    public ImageController(JobStore jobs, BlobStore blobs) {
        this.jobs = jobs;
        this.blobs = blobs;
    }

    @GetMapping("/image/{id}")
    public ResponseEntity<?> result(@PathVariable String id) {
        JobRecord job = jobs.find(id).orElseThrow(() -> new JobNotFoundException(id));
        if (job.status() != JobStatus.DONE) {
            ResponseEntity.BodyBuilder answer = ResponseEntity.status(HttpStatus.CONFLICT);
            if (!job.status().isFinal()) {
                answer.header(HttpHeaders.RETRY_AFTER, "1");
            }
            String message = job.status() == JobStatus.FAILED
                    ? "job " + id + " failed: " + job.error()
                    : "job " + id + " is " + job.status().wire() + "; the image is not ready yet";
            return answer.body(ApiErrors.answer(HttpStatus.CONFLICT, message).getBody());
        }
        return image(job.output(), id);
    }

    @GetMapping("/image/{id}/original")
    public ResponseEntity<?> original(@PathVariable String id) {
        JobRecord job = jobs.find(id).orElseThrow(() -> new JobNotFoundException(id));
        return image(job.original(), id);
    }

    private ResponseEntity<byte[]> image(String key, String id) {
        Blob blob = blobs.get(key).orElseThrow(() -> new JobNotFoundException(id));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(blob.contentType()))
                // A job's images never change once written.
                .cacheControl(CacheControl.maxAge(1, TimeUnit.HOURS).cachePrivate())
                .body(blob.bytes());
    }
}
