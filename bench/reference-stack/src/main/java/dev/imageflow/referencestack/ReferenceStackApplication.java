package dev.imageflow.referencestack;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The bare reference app plus only the libraries every function must carry: Actuator with the Prometheus registry
 * (Knative's probes, the dashboards), CloudEvents for Spring, and Lettuce, used as its documentation shows, for the one
 * Redis round trip that any first step makes (a step's job lives in Redis). No S3 client, no image code, no warm-up:
 * a floor under what a function can reach, measured by bench/cold-start.sh beside the bare app.
 */
@SpringBootApplication
public class ReferenceStackApplication {

    public static void main(String[] args) {
        SpringApplication.run(ReferenceStackApplication.class, args);
    }

    @Bean(destroyMethod = "shutdown")
    RedisClient redisClient(@Value("${imageflow.redis.url:redis://127.0.0.1:6379}") String url) {
        return RedisClient.create(url);
    }

    @Bean
    public Function<String, String> uppercase(RedisClient redis) {
        return text -> {
            try (StatefulRedisConnection<String, String> connection = redis.connect()) {
                connection.async().get("reference-stack").get();
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
            }
            return text.toUpperCase();
        };
    }
}
