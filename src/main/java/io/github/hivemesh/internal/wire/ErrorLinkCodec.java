package io.github.hivemesh.internal.wire;

import io.github.hivemesh.artifact.FieldReader;
import io.github.hivemesh.artifact.FieldWriter;
import io.github.hivemesh.artifact.MessagePackCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One exception of a cause chain, as {@link ErrorCodec} sends it: type {@code
 * "hivemesh.wire.ErrorLink"}, format version 1.
 *
 * <pre>
 * field  content                            kind           default
 *     1  code (see ErrorCodec)              int            required
 *     2  class name                         string         required
 *     3  message                            string         absent: null
 *     4  stack trace text (code 1)          string         ""
 *     5  frames: declaring classes          string array   []
 *     6  frames: method names               string array   []
 *     7  frames: file names ("" unknown)    string array   []
 *     8  frames: line numbers               long array     []
 *  10-28 the exception's own values         see {@link ErrorCodec}
 * </pre>
 *
 * The four frame arrays have one entry per frame, top first. Stateless and thread-safe.
 */
final class ErrorLinkCodec extends MessagePackCodec<ErrorLinkCodec.Link> {

    static final ErrorLinkCodec INSTANCE = new ErrorLinkCodec();

    /** Values of fields 10 and up, by kind. */
    private static final int FIRST_VALUE = 10;

    private ErrorLinkCodec() {
        super("hivemesh.wire.ErrorLink", 1);
    }

    /**
     * One exception: its code, class name and message, the stack trace text (code 1) or the
     * frames (the others), and its own values by field number (a {@code String}, a
     * {@code List<String>} or a {@code Long}, as {@link ErrorCodec.Field} says).
     */
    record Link(int code, String className, String message, String text,
            StackTraceElement[] frames, Map<Integer, Object> values) {
    }

    @Override
    protected void writeFields(Link link, FieldWriter out) {
        StackTraceElement[] frames = link.frames();
        String[] classes = new String[frames.length];
        String[] methods = new String[frames.length];
        String[] files = new String[frames.length];
        long[] lines = new long[frames.length];
        for (int i = 0; i < frames.length; i++) {
            classes[i] = frames[i].getClassName();
            methods[i] = frames[i].getMethodName();
            files[i] = frames[i].getFileName() == null ? "" : frames[i].getFileName();
            lines[i] = frames[i].getLineNumber();
        }
        out.int32(1, link.code())
                .string(2, link.className())
                .string(3, link.message())
                .string(4, link.text().isEmpty() ? null : link.text());
        if (frames.length > 0) {
            out.strings(5, List.of(classes)).strings(6, List.of(methods))
                    .strings(7, List.of(files)).int64s(8, lines);
        }
        link.values().forEach((field, value) -> {
            if (value instanceof String s) {
                out.string(field, s);
            } else if (value instanceof Long n) {
                out.int64(field, n);
            } else {
                @SuppressWarnings("unchecked")
                List<String> list = (List<String>) value;
                out.strings(field, list);
            }
        });
    }

    @Override
    protected Link readFields(FieldReader in) {
        Integer code = null;
        String className = null;
        String message = null;
        String text = "";
        List<String> classes = List.of();
        List<String> methods = List.of();
        List<String> files = List.of();
        long[] lines = new long[0];
        Map<Integer, Object> values = new LinkedHashMap<>();
        while (in.next()) {
            int field = in.field();
            switch (field) {
                case 1 -> code = in.readInt();
                case 2 -> className = in.readString();
                case 3 -> message = in.readString();
                case 4 -> text = in.readString();
                case 5 -> classes = in.readStringList();
                case 6 -> methods = in.readStringList();
                case 7 -> files = in.readStringList();
                case 8 -> lines = in.readLongArray();
                default -> {
                    ErrorCodec.Field kind = field >= FIRST_VALUE ? ErrorCodec.Field.of(field) : null;
                    if (kind == null) {
                        in.skip();
                    } else {
                        values.put(field, switch (kind.kind()) {
                            case STRING -> in.readString();
                            case STRINGS -> in.readStringList();
                            case LONG -> in.readLong();
                        });
                    }
                }
            }
        }
        in.require(code, 1, "code");
        in.require(className, 2, "className");
        int frames = classes.size();
        if (methods.size() != frames || files.size() != frames || lines.length != frames) {
            throw in.invalid("the frame arrays differ in length: " + frames + " classes, "
                    + methods.size() + " methods, " + files.size() + " files, " + lines.length
                    + " lines");
        }
        StackTraceElement[] stack = new StackTraceElement[frames];
        for (int i = 0; i < frames; i++) {
            if (lines[i] != (int) lines[i]) {
                throw in.invalid("frame " + i + " line number " + lines[i] + " is not an int");
            }
            stack[i] = new StackTraceElement(classes.get(i), methods.get(i),
                    files.get(i).isEmpty() ? null : files.get(i), (int) lines[i]);
        }
        return new Link(code, className, message, text, stack, values);
    }
}
