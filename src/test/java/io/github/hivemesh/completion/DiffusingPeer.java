package io.github.hivemesh.completion;

import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.broker.MessageHandler;
import io.github.hivemesh.completion.DiffusingWorkload.WorkItem;
import java.util.ArrayDeque;

/**
 * A test-only peer on the real broker and the real detector hooks: it receives tasks as basic
 * messages, runs them one step at a time (each step a message to itself, so a running task is
 * visible as in flight), delegates random subtasks to random peers including itself, parks some
 * at the root, and goes idle. One task runs at a time; the others queue.
 *
 * <p>Everything happens in its mailbox, as a real peer's algorithm code would.
 */
final class DiffusingPeer implements MessageHandler {

    private final String id;
    private final CompletionPeer node;
    private final CompletionRoot root;
    private final IMessageBroker broker;
    private final DiffusingWorkload workload;
    private final Message stepMessage;
    private final ArrayDeque<WorkItem> queue = new ArrayDeque<>();
    private WorkItem running;
    private int stepsLeft;

    DiffusingPeer(String id, IDistributedCompletionDetector detector, IMessageBroker broker,
            DiffusingWorkload workload) {
        this.id = id;
        this.node = detector.addPeer(id);
        this.root = detector.root();
        this.broker = broker;
        this.workload = workload;
        this.stepMessage = Message.of(DiffusingWorkload.STEP, null, id, id);
    }

    @Override
    public void onMessage(Message message) {
        switch (message.type()) {
            case DiffusingWorkload.TASK:
                node.onReceive(message.senderId(), message.messageId());
                queue.add((WorkItem) message.payload());
                if (running == null) {
                    startNext();
                }
                break;
            case DiffusingWorkload.STEP:
                step();
                break;
            case IDistributedCompletionDetector.SIGNAL_MESSAGE_TYPE:
                node.onSignal((CompletionProbe) message.payload());
                break;
            default:
                throw new IllegalStateException("unexpected message " + message);
        }
    }

    private void startNext() {
        running = queue.poll();
        stepsLeft = running.steps();
        broker.sendControl(id, id, stepMessage);
    }

    private void step() {
        for (int n = workload.fanOut(running); n > 0; n--) {
            WorkItem child = workload.newTask(running.depth() + 1);
            if (workload.park()) {
                root.hold();
                workload.parked.add(child);
            } else {
                send(workload.target(id), child);
            }
        }
        if (--stepsLeft > 0) {
            broker.sendControl(id, id, stepMessage);
            return;
        }
        workload.ledger.end(running.id());
        running = null;
        if (queue.isEmpty()) {
            node.onIdle();
        } else {
            startNext();
        }
    }

    private void send(String target, WorkItem child) {
        Message task = Message.of(DiffusingWorkload.TASK, child);
        node.onSend(target, task.messageId());
        if (broker.sendToPeer(id, target, task).isCompletedExceptionally()) {
            node.onSendFailed(task.messageId());
            throw new IllegalStateException("the broker refused a subtask from " + id);
        }
    }
}
