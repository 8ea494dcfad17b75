package dev.gatehouse.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The text of a config file and the SHA-256 of its bytes, read once: a reload compares the digest
 * with the last one it read and does nothing when the file has not changed (an editor that saves
 * without a change, a ConfigMap update that rewrote the same content, a second event of one save).
 *
 * @param text   the file as UTF-8 text
 * @param digest hex SHA-256 of the file's bytes
 */
public record ConfigText(String text, String digest) {

    /** Reads {@code file}; a file that cannot be read or is not UTF-8 is a {@link ConfigException}. */
    public static ConfigText read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read file: " + e));
        }
        return of(bytes, file.toString());
    }

    /** The text and digest of a file's bytes; {@code source} names it in the error. */
    public static ConfigText of(byte[] bytes, String source) {
        try {
            // strict, like Files.readString: a file that is not UTF-8 is refused, never half-decoded
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return new ConfigText(text, AppDigest.ofBytes(bytes));
        } catch (CharacterCodingException e) {
            throw new ConfigException(source, List.of("cannot read file: not UTF-8 text (" + e + ")"));
        }
    }
}
