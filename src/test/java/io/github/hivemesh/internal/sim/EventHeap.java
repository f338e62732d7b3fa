package io.github.hivemesh.internal.sim;

import java.util.Arrays;

/**
 * A binary min-heap of (time, peer) events on primitive arrays, so a simulation of 10⁵ tasks
 * allocates nothing per event. Ties in time come out in no particular order (the simulations
 * only use it where the order among equal times does not change the result). Not thread-safe.
 */
final class EventHeap {

    private double[] times = new double[64];
    private int[] peers = new int[64];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    double peekTime() {
        return times[0];
    }

    int peekPeer() {
        return peers[0];
    }

    void push(double time, int peer) {
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            peers = Arrays.copyOf(peers, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (times[parent] <= time) {
                break;
            }
            times[i] = times[parent];
            peers[i] = peers[parent];
            i = parent;
        }
        times[i] = time;
        peers[i] = peer;
    }

    /** Removes the earliest event; read it first with {@link #peekTime()} / {@link #peekPeer()}. */
    void pop() {
        double time = times[--size];
        int peer = peers[size];
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && times[child + 1] < times[child]) {
                child++;
            }
            if (time <= times[child]) {
                break;
            }
            times[i] = times[child];
            peers[i] = peers[child];
            i = child;
        }
        times[i] = time;
        peers[i] = peer;
    }
}
