package io.github.hivemesh.testing;

import io.github.hivemesh.task.Task;
import io.github.hivemesh.wire.RemoteTaskException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A canonical form of wire values for tests: plain lists and strings that are equal exactly
 * when two values hold the same data of the same Java types in the same order — where the
 * values' own {@code equals} cannot say it ({@code byte[]} and {@code Task} compare by
 * identity, {@code Integer} 1 and {@code Long} 1 print alike, exceptions have no equality).
 * An exception is reduced to the class and message it was raised with (a
 * {@link RemoteTaskException}'s remote class and message).
 */
public final class WireCanon {

    private WireCanon() {
    }

    /** The canonical form of {@code value}. */
    public static Object of(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Task t) {
            return List.of("Task", t.id(), t.type(), t.description(),
                    List.copyOf(t.requiredCapabilities()), t.priority(),
                    List.copyOf(t.dependencies()), of(t.payload()),
                    String.valueOf(t.timeout().orElse(null)), t.costEstimate().toString());
        }
        if (value instanceof Record r) {
            List<Object> out = new ArrayList<>();
            out.add(r.getClass().getSimpleName());
            for (RecordComponent component : r.getClass().getRecordComponents()) {
                out.add(of(read(component, r)));
            }
            return out;
        }
        if (value instanceof Throwable e) {
            // where it came from: a foreign exception arrives as a RemoteTaskException naming
            // it (which arrives as what and with which causes is ErrorCodecTest's subject)
            return e instanceof RemoteTaskException remote
                    ? List.of("error", remote.remoteClassName(), String.valueOf(remote.remoteMessage()))
                    : List.of("error", e.getClass().getName(), String.valueOf(e.getMessage()));
        }
        if (value instanceof byte[] b) {
            return "byte[]:" + HexFormat.of().formatHex(b);
        }
        if (value instanceof long[] a) {
            return "long[]:" + Arrays.toString(a);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            out.add("List");
            list.forEach(element -> out.add(of(element)));
            return out;
        }
        if (value instanceof Set<?> set) {
            Set<Object> out = new HashSet<>();
            set.forEach(element -> out.add(of(element)));
            return List.of("Set", out);
        }
        if (value instanceof Map<?, ?> map) {
            List<Object> out = new ArrayList<>();
            out.add("Map");
            map.forEach((k, v) -> out.add(List.of(of(k), of(v))));
            return out;
        }
        return value.getClass().getSimpleName() + ":" + value;
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }
}
