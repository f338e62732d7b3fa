package io.github.hivemesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * One bad value of one builder field, for the "a bad value fails at {@code build()} naming the
 * field, the value and the allowed range" tests (CONVENTIONS.md). A config test lists one or
 * more per numeric or duration field and runs them with {@link #rejectedAtBuild}, which also
 * keeps the list complete as fields are added.
 *
 * @param <B> the builder type
 */
public final class BadValue<B> {

    private final String field;
    private final Object value;
    private final BiConsumer<B, Object> setter;

    private BadValue(String field, Object value, BiConsumer<B, Object> setter) {
        this.field = field;
        this.value = value;
        this.setter = setter;
    }

    /** {@code setter} (the builder method named {@code field}) given {@code value}. */
    @SuppressWarnings("unchecked")
    public static <B, V> BadValue<B> of(String field, V value, BiConsumer<B, V> setter) {
        return new BadValue<>(field, value, (BiConsumer<B, Object>) setter);
    }

    /**
     * One test per case, each on a fresh builder ({@link #assertRejected}), and one that every
     * numeric setter has a case ({@link #assertCoverEveryNumericSetter}).
     */
    public static <B> Stream<DynamicTest> rejectedAtBuild(Supplier<B> builder,
            Function<B, ?> build, List<BadValue<B>> cases, String... unbounded) {
        Class<?> builderType = builder.get().getClass();
        return Stream.concat(
                cases.stream().map(bad -> DynamicTest.dynamicTest(bad.toString(),
                        () -> bad.assertRejected(builder.get(), build))),
                Stream.of(DynamicTest.dynamicTest("every numeric setter has a bad value",
                        () -> assertCoverEveryNumericSetter(builderType, cases, unbounded))));
    }

    /** The field, which is also the setter's name. */
    private String field() {
        return field;
    }

    /**
     * Sets the value on {@code builder} and checks that {@code build} fails with an
     * {@link IllegalArgumentException} reading {@code "<field> must <allowed range>, was
     * <value>"}.
     */
    private void assertRejected(B builder, Function<B, ?> build) {
        setter.accept(builder, value);
        assertThatThrownBy(() -> build.apply(builder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(field + " must ")
                .hasMessageEndingWith(", was " + value);
    }

    /**
     * Fails unless {@code cases} has a bad value for every public setter of {@code builderType}
     * taking one {@code int}, {@code long}, {@code double} or {@link Duration}, apart from
     * {@code unbounded} ones (where every value is valid, e.g. a random seed).
     */
    private static void assertCoverEveryNumericSetter(Class<?> builderType,
            Collection<? extends BadValue<?>> cases, String... unbounded) {
        Set<Class<?>> numeric = Set.of(int.class, long.class, double.class, Duration.class);
        Set<String> setters = new TreeSet<>();
        for (Method method : builderType.getDeclaredMethods()) {
            if (Modifier.isPublic(method.getModifiers()) && method.getParameterCount() == 1
                    && numeric.contains(method.getParameterTypes()[0])) {
                setters.add(method.getName());
            }
        }
        List<String> exempt = Arrays.asList(unbounded);
        assertThat(setters).as("numeric setters of %s", builderType.getName())
                .containsAll(exempt);
        setters.removeAll(exempt);
        assertThat(cases.stream().map(BadValue::field))
                .as("fields with a bad value in the test of %s", builderType.getName())
                .containsAll(setters);
    }

    @Override
    public String toString() {
        return field + " = " + value;
    }
}
