package io.github.hivemesh.artifact;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The child JVM of {@link FileArtifactStorageCrashTest}: stores artifacts into a
 * {@link FileArtifactStorage} in an endless loop until it is killed.
 *
 * <p>Arguments: directory, number of keys, seed. On start it reads each key's current version
 * from the store (0 when absent) and prints {@code READY v0 v1 ...}; then, round-robin over the
 * keys (resuming where the killed writer stopped), it builds the next version of each, prints
 * {@code STORING <key index> <version>}, stores it and, once {@code store} has returned, prints
 * {@code STORED <key index> <version> .} (the trailing dot tells a whole line from one cut by
 * the kill). A test that kills on a {@code STORING} line kills mid-store.
 *
 * <p>Each payload is self-checking: a text line naming the key, the version and the filler
 * length, the filler (random bytes of random length, up to 256 KiB, so a kill often lands
 * mid-write), then the SHA-256 of everything before it. {@link #versionOf} tells a whole
 * payload from a torn or foreign one.
 */
public final class CrashingArtifactWriter {

    private static final int DIGEST_BYTES = 32;

    private CrashingArtifactWriter() {
    }

    /** Runs until killed; see the class comment. */
    public static void main(String[] args) {
        FileArtifactStorage storage = new FileArtifactStorage(Path.of(args[0]));
        int keys = Integer.parseInt(args[1]);
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[2]));
        long[] versions = new long[keys];
        StringBuilder ready = new StringBuilder("READY");
        for (int k = 0; k < keys; k++) {
            String key = key(k);
            versions[k] = storage.retrieve(key).map(bytes -> versionOf(key, bytes)).orElse(0L);
            ready.append(' ').append(versions[k]);
        }
        PrintStream out = System.out;
        out.println(ready);
        out.flush();
        for (int k = firstToStore(versions); ; k = (k + 1) % keys) {
            versions[k]++;
            byte[] payload = payload(key(k), versions[k], random);
            out.println("STORING " + k + " " + versions[k]);
            out.flush();
            storage.store(key(k), payload);
            out.println("STORED " + k + " " + versions[k] + " .");
            out.flush();
        }
    }

    /**
     * Where the round-robin resumes: the first key behind key 0 (versions look like
     * {@code [v+1, v+1, v, v]}), else key 0.
     */
    static int firstToStore(long[] versions) {
        for (int k = 1; k < versions.length; k++) {
            if (versions[k] < versions[0]) {
                return k;
            }
        }
        return 0;
    }

    /** The key of index {@code k}. */
    static String key(int k) {
        return "crash/key-" + k;
    }

    /** A self-checking payload of {@code version} for {@code key}. */
    static byte[] payload(String key, long version, SplittableRandom random) {
        int filler = random.nextInt(256 * 1024);
        byte[] head = ("key=" + key + " version=" + version + " filler=" + filler + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        ByteBuffer body = ByteBuffer.allocate(head.length + filler + DIGEST_BYTES);
        body.put(head);
        byte[] noise = new byte[filler];
        random.nextBytes(noise);
        body.put(noise);
        body.put(sha256(body.array(), body.position()));
        return body.array();
    }

    /**
     * The version in a whole payload of {@code key}.
     *
     * @throws IllegalStateException if the payload is torn, damaged or of another key
     */
    static long versionOf(String key, byte[] payload) {
        if (payload.length < DIGEST_BYTES) {
            throw new IllegalStateException(key + ": payload of " + payload.length
                    + " bytes is shorter than its digest");
        }
        int bodyLength = payload.length - DIGEST_BYTES;
        byte[] digest = Arrays.copyOfRange(payload, bodyLength, payload.length);
        if (!Arrays.equals(digest, sha256(payload, bodyLength))) {
            throw new IllegalStateException(key + ": payload digest mismatch (torn write)");
        }
        int newline = 0;
        while (newline < bodyLength && payload[newline] != '\n') {
            newline++;
        }
        String[] fields = new String(payload, 0, newline, StandardCharsets.US_ASCII).split(" ");
        if (fields.length != 3 || !fields[0].equals("key=" + key)
                || Integer.parseInt(fields[2].substring("filler=".length()))
                        != bodyLength - newline - 1) {
            throw new IllegalStateException(key + ": payload header is '"
                    + String.join(" ", fields) + "'");
        }
        return Long.parseLong(fields[1].substring("version=".length()));
    }

    private static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
