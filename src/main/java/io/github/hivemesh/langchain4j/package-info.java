/**
 * LangChain4j models as swarm agents: {@link io.github.hivemesh.langchain4j.ChatAgent} builds an
 * agent from a {@code ChatModel} or a {@code StreamingChatModel}, with a tool loop of its own in
 * which the model can delegate subtasks to the swarm and message peers without holding a
 * thread, the model's token usage recorded on each task, and chat memory kept per agent and
 * checkpointed when the agent is paused.
 *
 * <p>The only package that imports {@code dev.langchain4j} (an optional dependency: the rest of
 * the library loads and runs without it). See {@code docs/langchain4j.md}.
 */
package io.github.hivemesh.langchain4j;
