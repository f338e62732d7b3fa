package io.github.hivemesh.testing;

import io.github.hivemesh.SwarmSaturatedException;
import io.github.hivemesh.agent.NoCapableAgentException;
import io.github.hivemesh.artifact.ArtifactStorageException;
import io.github.hivemesh.internal.wire.Assign;
import io.github.hivemesh.internal.wire.PeerStealChance;
import io.github.hivemesh.internal.wire.PeerStealRequest;
import io.github.hivemesh.internal.wire.PeerStolen;
import io.github.hivemesh.internal.wire.Result;
import io.github.hivemesh.internal.wire.Returned;
import io.github.hivemesh.internal.wire.Signal;
import io.github.hivemesh.internal.wire.DependencyNotice;
import io.github.hivemesh.internal.wire.TaskNotice;
import io.github.hivemesh.internal.wire.StealChance;
import io.github.hivemesh.internal.wire.StealRequest;
import io.github.hivemesh.internal.wire.Stolen;
import io.github.hivemesh.internal.wire.TeamQueued;
import io.github.hivemesh.internal.wire.TeamRequeue;
import io.github.hivemesh.internal.wire.TeamRoom;
import io.github.hivemesh.internal.wire.TeamTasks;
import io.github.hivemesh.internal.wire.UserMail;
import io.github.hivemesh.internal.wire.WireMessage;
import io.github.hivemesh.task.CyclicDependencyException;
import io.github.hivemesh.task.DependencyFailedException;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskTimeoutException;
import io.github.hivemesh.wire.RemoteTaskException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded random wire values for the fuzz corpus (the property tests use
 * {@link WireArbitraries}): the same kinds, drawn from a {@link SplittableRandom} so a corpus
 * replays from the fuzz seed. Exceptions get short stack traces, to keep encodings small.
 */
public final class WireSamples {

    private WireSamples() {
    }

    /** How many message kinds {@link #message} draws from. */
    public static final int KINDS = 17;

    /** A supported payload nested up to {@code depth} containers. */
    public static Object payload(SplittableRandom random, int depth) {
        int pick = random.nextInt(depth > 0 ? 11 : 9);
        switch (pick) {
            case 0: return null;
            case 1: return random.nextBoolean();
            case 2: return random.nextInt();
            case 3: return random.nextLong();
            case 4: return (float) random.nextDouble(-1e6, 1e6);
            case 5: return random.nextDouble();
            case 6: return text(random, random.nextInt(12));
            case 7: {
                byte[] bytes = new byte[random.nextInt(8)];
                random.nextBytes(bytes);
                return bytes;
            }
            case 8: return random.nextBoolean() ? (Object) Double.NaN : (Object) (-0.0f);
            case 9: {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(payload(random, depth - 1));
                }
                return list;
            }
            default: {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(random.nextBoolean() ? text(random, 1 + random.nextInt(6))
                            : random.nextInt(10), payload(random, depth - 1));
                }
                return map;
            }
        }
    }

    /** A task with every field drawn. */
    public static Task task(SplittableRandom random) {
        Task.Builder builder = Task.builder().id(id(random)).type(id(random))
                .description(text(random, random.nextInt(10)))
                .priority(1 + random.nextInt(10)).payload(payload(random, 3));
        Set<String> capabilities = new LinkedHashSet<>();
        Set<String> dependencies = new LinkedHashSet<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            capabilities.add(id(random));
            dependencies.add("dep-" + id(random));
        }
        builder.requiredCapabilities(capabilities).dependencies(dependencies);
        if (random.nextBoolean()) {
            builder.timeout(Duration.ofSeconds(random.nextInt(100_000), random.nextInt(1, 1000)));
        }
        return builder.build();
    }

    /** A library exception, a foreign one, or a chain of both. */
    public static Throwable error(SplittableRandom random) {
        Throwable error = switch (random.nextInt(8)) {
            case 0 -> new DependencyFailedException(id(random), id(random));
            case 1 -> new TaskTimeoutException(id(random), Duration.ofMillis(random.nextInt(1, 9999)));
            case 2 -> new NoCapableAgentException(id(random), Set.of(id(random)), Set.of());
            case 3 -> new CyclicDependencyException(List.of("a", id(random), "a"));
            case 4 -> new SwarmSaturatedException(id(random), id(random), random.nextInt(100));
            case 5 -> new ArtifactStorageException(text(random, 8),
                    shortStack(new IOException(text(random, 5))));
            case 6 -> new RemoteTaskException("com.example.Boom", text(random, 6),
                    "com.example.Boom\n\tat a.B.c(B.java:1)\n");
            default -> new IllegalStateException(text(random, 10),
                    shortStack(new DependencyFailedException("t", "d")));
        };
        return shortStack(error);
    }

    private static Throwable shortStack(Throwable error) {
        StackTraceElement[] frames = error.getStackTrace();
        error.setStackTrace(Arrays.copyOf(frames, Math.min(3, frames.length)));
        return error;
    }

    /** An assignment of a drawn task. */
    public static Assign assign(SplittableRandom random) {
        return new Assign(task(random), random.nextLong(), 1 + random.nextInt(5), id(random),
                random.nextLong(), random.nextBoolean() ? "" : id(random));
    }

    /** A message of kind {@code kind} (0 to {@link #KINDS} − 1). */
    public static WireMessage message(SplittableRandom random, int kind) {
        return switch (kind) {
            case 0 -> assign(random);
            case 1 -> random.nextBoolean()
                    ? new Result(id(random), random.nextLong(), random.nextInt(9), null,
                            error(random))
                    : new Result(id(random), random.nextLong(), random.nextInt(9),
                            payload(random, 3), null, random.nextBoolean() ? "" : id(random),
                            random.nextLong());
            case 2 -> {
                long[] ids = new long[1 + random.nextInt(5)];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = random.nextLong();
                }
                yield new Signal(random.nextLong(), id(random), id(random), ids,
                        random.nextBoolean() ? "" : id(random));
            }
            case 3 -> new UserMail(id(random), id(random), id(random), payload(random, 3),
                    id(random), random.nextLong());
            case 4 -> new Returned(random.nextBoolean() ? assign(random)
                    : new UserMail(id(random), id(random), id(random), payload(random, 3)),
                    random.nextLong());
            case 5 -> new TeamTasks(random.nextInt(64), assigns(random));
            case 6 -> new TeamRoom(random.nextInt(64), random.nextInt(-8, 8));
            case 7 -> new TeamRequeue(random.nextInt(64), assigns(random));
            case 8 -> new TeamQueued(random.nextInt(64));
            case 9 -> new StealChance();
            case 10 -> {
                List<Set<String>> free = new ArrayList<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    free.add(Set.of(id(random)));
                }
                yield new StealRequest(random.nextInt(64), free, random.nextInt(16));
            }
            case 11 -> new Stolen(random.nextInt(64), assigns(random));
            case 12 -> new PeerStealChance();
            case 13 -> {
                Set<String> capabilities = new LinkedHashSet<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    capabilities.add(id(random));
                }
                yield new PeerStealRequest(id(random), capabilities, random.nextInt(16));
            }
            case 14 -> new PeerStolen(random.nextInt(16));
            case 15 -> new TaskNotice(TaskNotice.Kind.values()[random.nextInt(3)], id(random),
                    random.nextLong(), 1 + random.nextInt(5),
                    random.nextBoolean() ? "" : id(random), random.nextLong());
            default -> {
                DependencyNotice.Kind notice = DependencyNotice.Kind.values()[
                        random.nextInt(DependencyNotice.Kind.values().length)];
                yield new DependencyNotice(notice, id(random), random.nextLong(),
                        notice == DependencyNotice.Kind.FAILED ? error(random) : null);
            }
        };
    }

    private static List<Assign> assigns(SplittableRandom random) {
        List<Assign> list = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            list.add(assign(random));
        }
        return list;
    }

    private static String id(SplittableRandom random) {
        return "p" + text(random, random.nextInt(8));
    }

    /** Text of ASCII, Latin-1, CJK and astral (surrogate pair) characters. */
    public static String text(SplittableRandom random, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.appendCodePoint(switch (random.nextInt(8)) {
                case 0 -> 0xa0 + random.nextInt(0x60);
                case 1 -> 0x4e00 + random.nextInt(0x5000);
                case 2 -> 0x1f600 + random.nextInt(0x50);
                default -> 0x21 + random.nextInt(0x5e);
            });
        }
        return out.toString();
    }
}
