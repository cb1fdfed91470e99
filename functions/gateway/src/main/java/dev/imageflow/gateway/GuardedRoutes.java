package dev.imageflow.gateway;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;

/**
 * Which public routes the token and the rate limit guard. Paths are compared as the container decoded and
 * normalised them (no {@code ;parameters}, {@code %75} read as {@code u}), which is also what Spring MVC matches:
 * the raw request URI would let {@code /%75pload} past a guard on {@code /upload}.
 */
final class GuardedRoutes {

    /** Routes that start work: they cost an object, a job and the effects' CPU. */
    private static final Set<String> STARTS_WORK = Set.of("/upload");

    /** The operator's view: the listing hands out every job's id, which is what opens a job's images. */
    private static final Set<String> OPERATOR_VIEWS = Set.of("/jobs");

    private GuardedRoutes() {}

    static String path(HttpServletRequest request) {
        String info = request.getPathInfo();
        String path = info == null ? request.getServletPath() : request.getServletPath() + info;
        // Without trailing slashes: should /jobs/ ever be matched as /jobs, it is guarded as /jobs.
        int end = path.length();
        while (end > 1 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }

    static boolean needsToken(HttpServletRequest request) {
        String path = path(request);
        return STARTS_WORK.contains(path) || OPERATOR_VIEWS.contains(path);
    }

    static boolean rateLimited(HttpServletRequest request) {
        return STARTS_WORK.contains(path(request));
    }
}
