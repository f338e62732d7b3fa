package io.github.hivemesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.completion.CountingCompletionDetector;
import io.github.hivemesh.completion.DistributedCompletionConfig;
import io.github.hivemesh.completion.DistributedCompletionDetector;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * Regression: the detectors inherit their completion API from a package-private base class.
 * While those methods were {@code final}, javac emitted no public bridges in the public
 * classes, so reflection from another package (frameworks, proxies) failed with
 * {@code IllegalAccessException}.
 */
class CompletionApiAccessTest {

    @Test
    void inheritedCompletionApi_isCallableReflectively_fromAnotherPackage() throws Exception {
        CountingCompletionDetector detector = CountingCompletionDetector.create("s",
                DistributedCompletionConfig.defaults());
        Method isQuiescent = CountingCompletionDetector.class.getMethod("isQuiescent");
        assertThat(isQuiescent.invoke(detector)).isEqualTo(true);
        Method getMetrics = DistributedCompletionDetector.class.getMethod("getMetrics");
        assertThat(getMetrics.getDeclaringClass()).isEqualTo(DistributedCompletionDetector.class);
    }
}
