package dev.gatehouse.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The instructions of a Dockerfile (comments dropped, continuation lines joined), enough to check
 * what an image would contain without a Docker engine.
 */
final class Dockerfile {
    /** One instruction: its keyword in upper case and its arguments. */
    record Instruction(String keyword, String arguments) {
        /** The whitespace-separated arguments, options ({@code --chown=185}) left out. */
        List<String> words() {
            List<String> words = new ArrayList<>();
            for (String w : arguments.trim().split("\\s+")) {
                if (!w.startsWith("--")) {
                    words.add(w);
                }
            }
            return words;
        }
    }

    private Dockerfile() {
    }

    static List<Instruction> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String l = line.strip();
            if (current.isEmpty() && (l.isEmpty() || l.startsWith("#"))) {
                continue;
            }
            if (l.endsWith("\\")) {
                current.append(l, 0, l.length() - 1).append(' ');
                continue;
            }
            current.append(l);
            String text = current.toString().strip();
            current.setLength(0);
            int space = text.indexOf(' ');
            instructions.add(new Instruction(text.substring(0, space).toUpperCase(Locale.ROOT), text.substring(space + 1).strip()));
        }
        return instructions;
    }

    static List<Instruction> all(List<Instruction> instructions, String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }
}
