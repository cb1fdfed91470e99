package dev.imageflow.local;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A Terraform configuration (every {@code *.tf} of one directory) read without Terraform: each file parsed by
 * hcl4j, an HCL2 parser, for what it declares (variables, locals, resources, data sources, modules, outputs,
 * providers), and its source kept without comments, for the references its expressions make. hcl4j evaluates
 * expressions as it parses and so loses some references (a {@code for} expression, a function call), which is why
 * references are read from the source instead.
 */
final class TerraformModule {

    /** A block of the configuration: its kind ({@code resource}, {@code data}, ...), its address and its body. */
    record Block(String kind, String address, Map<String, Object> body) {}

    private final Map<Path, String> code = new LinkedHashMap<>();
    private final List<Block> blocks = new ArrayList<>();
    private final Set<String> locals = new LinkedHashSet<>();
    private final Set<String> providers = new LinkedHashSet<>();

    private TerraformModule() {}

    static TerraformModule read(Path dir) throws IOException {
        TerraformModule module = new TerraformModule();
        List<Path> files;
        try (Stream<Path> all = Files.list(dir)) {
            files = all.filter(f -> f.toString().endsWith(".tf")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no .tf files in " + dir);
        }
        for (Path file : files) {
            String source = Files.readString(file);
            module.code.put(file, withoutComments(source, file));
            module.add(parse(file, source));
        }
        return module;
    }

    /** hcl4j reports what it matches on System.out as it parses; that is kept out of the test's output. */
    private static Map<String, Object> parse(Path file, String source) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return new HCLParser().parse(source);
        } catch (Exception e) {
            throw new IllegalStateException(file + " is not valid HCL: " + e.getMessage(), e);
        } finally {
            System.setOut(out);
        }
    }

    @SuppressWarnings("unchecked")
    private void add(Map<String, Object> parsed) {
        parsed.forEach((kind, value) -> {
            if (!(value instanceof Map<?, ?> named)) {
                return;
            }
            Map<String, Object> byName = (Map<String, Object>) named;
            switch (kind) {
                case "resource", "data" ->
                    byName.forEach((type, instances) -> ((Map<String, Object>) instances)
                            .forEach((name, body) -> blocks.add(
                                    new Block(kind, (kind.equals("data") ? "data." : "") + type + "." + name, (Map<
                                                    String, Object>)
                                            body))));
                case "variable", "module", "output" ->
                    byName.forEach((name, body) -> blocks.add(new Block(
                            kind,
                            (kind.equals("output") ? "output." : kind.equals("variable") ? "var." : "module.") + name,
                            body instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of())));
                case "locals" -> locals.addAll(byName.keySet());
                case "provider" ->
                    byName.forEach((name, body) -> {
                        providers.add(name);
                        // Two blocks of one provider (the default and an alias) come as a list.
                        for (Object one : body instanceof List<?> list ? list : List.of(body)) {
                            if (one instanceof Map<?, ?> m && m.get("alias") != null) {
                                providers.add(name + "." + m.get("alias"));
                            }
                        }
                    });
                default -> {
                    // terraform { } settings
                }
            }
        });
    }

    List<Block> blocks(String kind) {
        return blocks.stream().filter(b -> b.kind().equals(kind)).toList();
    }

    Block block(String address) {
        return blocks.stream()
                .filter(b -> b.address().equals(address))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + address + " in the Terraform configuration"));
    }

    Set<String> addresses() {
        Set<String> all = new LinkedHashSet<>();
        blocks.forEach(b -> all.add(b.address()));
        locals.forEach(l -> all.add("local." + l));
        return all;
    }

    Set<String> providers() {
        return providers;
    }

    /** Every file's source with its comments blanked out (strings, heredocs and their interpolations kept). */
    Map<Path, String> code() {
        return code;
    }

    /**
     * The source with {@code #}, {@code //} and {@code /* *\/} comments replaced by spaces (so that a reference
     * named in a comment is not taken for one in the code), failing on what a parser that recovers from errors
     * would let through: a string or comment left open, a bracket closed by the wrong kind or never closed.
     */
    static String withoutComments(String source, Path file) {
        StringBuilder out = new StringBuilder(source.length());
        Deque<Character> open = new ArrayDeque<>();
        int line = 1;
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            char next = i + 1 < source.length() ? source.charAt(i + 1) : 0;
            if (c == '\n') {
                line++;
            }
            if (c == '"') {
                int end = endOfString(source, i, file, line);
                out.append(source, i, end + 1);
                i = end + 1;
            } else if (c == '<' && next == '<' && source.startsWith("<<", i) && isHeredoc(source, i)) {
                int end = endOfHeredoc(source, i, file, line);
                String heredoc = source.substring(i, end);
                line += (int) heredoc.chars().filter(ch -> ch == '\n').count();
                out.append(heredoc);
                i = end;
            } else if (c == '#' || (c == '/' && next == '/')) {
                while (i < source.length() && source.charAt(i) != '\n') {
                    out.append(' ');
                    i++;
                }
            } else if (c == '/' && next == '*') {
                int end = source.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalStateException(file + ":" + line + ": a /* comment is never closed");
                }
                for (; i < end + 2; i++) {
                    out.append(source.charAt(i) == '\n' ? '\n' : ' ');
                }
            } else {
                if (c == '{' || c == '[' || c == '(') {
                    open.push(c);
                } else if (c == '}' || c == ']' || c == ')') {
                    char expected = c == '}' ? '{' : c == ']' ? '[' : '(';
                    if (open.isEmpty() || open.pop() != expected) {
                        throw new IllegalStateException(file + ":" + line + ": '" + c + "' closes nothing open");
                    }
                }
                out.append(c);
                i++;
            }
        }
        if (!open.isEmpty()) {
            throw new IllegalStateException(file + ": '" + open.peek() + "' is never closed");
        }
        return out.toString();
    }

    /** The index of the quote that ends the string opened at {@code start}, past escapes and {@code ${...}}. */
    private static int endOfString(String source, int start, Path file, int line) {
        int depth = 0;
        for (int i = start + 1; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '$' && i + 1 < source.length() && source.charAt(i + 1) == '{') {
                depth++;
                i++;
            } else if (c == '}' && depth > 0) {
                depth--;
            } else if (c == '"' && depth == 0) {
                return i;
            } else if (c == '\n' && depth == 0) {
                break;
            }
        }
        throw new IllegalStateException(file + ":" + line + ": a string is never closed on its line");
    }

    private static boolean isHeredoc(String source, int at) {
        return source.substring(at).matches("(?s)<<-?[A-Z_]+\\s*\n.*");
    }

    private static int endOfHeredoc(String source, int at, Path file, int line) {
        int eol = source.indexOf('\n', at);
        String marker = source.substring(at, eol).replaceFirst("<<-?", "").trim();
        int i = eol + 1;
        while (i < source.length()) {
            int end = source.indexOf('\n', i);
            String text = source.substring(i, end < 0 ? source.length() : end);
            if (text.trim().equals(marker)) {
                return i + text.indexOf(marker) + marker.length();
            }
            if (end < 0) {
                break;
            }
            i = end + 1;
        }
        throw new IllegalStateException(file + ":" + line + ": heredoc " + marker + " is never closed");
    }
}
