package dev.imageflow.gateway;

import dev.imageflow.core.effect.InvalidRequestException;
import dev.imageflow.core.image.HeapBudget;
import dev.imageflow.core.job.JobRecord;
import dev.imageflow.core.job.JobStatus;
import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code POST /upload}: seed 000's call, {@code curl -F file=@x.jpg -F effects=bw,blur}. Effect parameters are
 * further fields named {@code <effect>.<parameter>}, e.g. {@code -F blur.sigma=8}.
 *
 * <p>By default the call waits for the job and answers 200 with the result (422 if the job failed); after
 * {@code imageflow.gateway.wait-timeout}, or at once with {@code Prefer: respond-async}, it answers 202 with the
 * job's {@code Location} to poll.
 */
@RestController
public class UploadController {

    private static final String FILE = "file";
    private static final String EFFECTS = "effects";

    private final JobStarter starter;
    private final JobWaiter waiter;
    private final GatewayProperties properties;
    private final HeapBudget budget;

    public UploadController(JobStarter starter, JobWaiter waiter, GatewayProperties properties, HeapBudget budget) {
        this.starter = starter;
        this.waiter = waiter;
        this.properties = properties;
        this.budget = budget;
    }

    @PostMapping(path = "/upload", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<JobView> upload(
            @RequestPart(FILE) MultipartFile file,
            @RequestParam MultiValueMap<String, String> form,
            @RequestHeader(name = "Prefer", required = false) String prefer)
            throws IOException {
        List<String> effects = effects(form.getFirst(EFFECTS));
        Map<String, String> params = new LinkedHashMap<>();
        form.forEach((name, values) -> {
            if (!name.equals(EFFECTS) && !name.equals(FILE)) {
                params.put(name, values.get(values.size() - 1));
            }
        });
        String id;
        // The file is read into the heap only when there is room for it and its copies: a burst of large uploads
        // queues here (or gets 503 after imageflow.memory.max-wait) instead of running the heap out.
        try (HeapBudget.Lease room = budget.forUpload(file.getSize())) {
            id = starter.upload(file.getBytes(), effects, params);
        }

        boolean async = prefer != null && prefer.toLowerCase().contains("respond-async");
        JobRecord job = (async
                        ? waiter.awaitFinal(id, java.time.Duration.ZERO)
                        : waiter.awaitFinal(id, properties.waitTimeout()))
                .orElseThrow(() -> new JobNotFoundException(id));
        JobView view = JobView.of(job);
        if (job.status() == JobStatus.DONE) {
            return ResponseEntity.ok(view);
        }
        if (job.status() == JobStatus.FAILED) {
            return ResponseEntity.status(HttpStatus.UNPROCESSABLE_ENTITY).body(view);
        }
        return ResponseEntity.accepted().location(URI.create(view.jobUrl())).body(view);
    }

    private List<String> effects(String field) {
        String list = field == null || field.isBlank() ? properties.defaultEffects() : field;
        List<String> effects = Arrays.stream(list.split(",")).map(String::trim).toList();
        if (effects.stream().anyMatch(String::isEmpty)) {
            throw new InvalidRequestException("effects must be a comma-separated list such as bw,blur");
        }
        return effects;
    }
}
