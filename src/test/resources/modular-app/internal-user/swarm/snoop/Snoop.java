package swarm.snoop;

import io.github.hivemesh.internal.SwarmKernel;

/** Names a public class of an unexported package: ModularApplicationIT expects javac to refuse. */
public final class Snoop {

    private Snoop() {
    }

    public static void main(String[] args) {
        System.out.println(SwarmKernel.APPLICATION);
    }
}
