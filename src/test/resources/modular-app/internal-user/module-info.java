/** An application that reaches into the library's implementation: it must not compile. */
module swarm.snoop {
    requires io.github.hivemesh;
}
