/**
 * What crosses a process boundary besides the library's own messages: the application's
 * payloads and outputs, through a {@link io.github.hivemesh.wire.PayloadCodec}, and failures
 * that are not the library's own exceptions, as a {@link io.github.hivemesh.wire.RemoteTaskException}.
 * The wire format is described in {@code docs/wire.md}.
 */
package io.github.hivemesh.wire;
