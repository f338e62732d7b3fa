/** An application of the library's users: it names the library's module and nothing else. */
module swarm.app {
    requires io.github.hivemesh;
}
