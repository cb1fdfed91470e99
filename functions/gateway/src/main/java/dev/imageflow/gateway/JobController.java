package dev.imageflow.gateway;

import dev.imageflow.core.job.JobStore;
import java.util.List;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /jobs/<id>}: a job's record; {@code GET /jobs}: the most recent jobs, newest first. */
@RestController
public class JobController {

    private final JobStore jobs;

    public JobController(JobStore jobs) {
        this.jobs = jobs;
    }

    @GetMapping("/jobs/{id}")
    public JobView job(@PathVariable String id) {
        return jobs.find(id).map(JobView::of).orElseThrow(() -> new JobNotFoundException(id));
    }

    @GetMapping("/jobs")
    public List<JobView> recent(@RequestParam(defaultValue = "20") int limit) {
        return jobs.recent(Math.max(1, Math.min(limit, 100))).stream()
                .map(jobs::find)
                .flatMap(Optional::stream)
                .map(JobView::of)
                .toList();
    }
}
