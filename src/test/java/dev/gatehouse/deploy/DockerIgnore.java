package dev.gatehouse.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code .dockerignore} as Docker reads it: patterns in order, {@code !} re-includes, the last
 * pattern matching a path or one of its parent directories decides, {@code *} does not cross
 * {@code /}.
 */
final class DockerIgnore {
    private record Rule(PathMatcher matcher, boolean include) {
    }

    private final List<Rule> rules = new ArrayList<>();

    private DockerIgnore(Path file) {
        try {
            for (String line : Files.readAllLines(file)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                boolean include = l.startsWith("!");
                String pattern = (include ? l.substring(1) : l).strip();
                while (pattern.endsWith("/")) {
                    pattern = pattern.substring(0, pattern.length() - 1);
                }
                rules.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + pattern), include));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DockerIgnore read(Path file) {
        return new DockerIgnore(file);
    }

    /** Whether {@code relative} (to the build context) is sent to the Docker engine. */
    boolean sends(Path relative) {
        boolean sent = true;
        for (Rule rule : rules) {
            for (Path p = relative; p != null; p = p.getParent()) {
                if (rule.matcher().matches(p)) {
                    sent = rule.include();
                    break;
                }
            }
        }
        return sent;
    }
}
