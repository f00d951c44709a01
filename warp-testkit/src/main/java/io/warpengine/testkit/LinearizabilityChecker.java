package io.warpengine.testkit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks that one key's recorded history is linearizable against a sequential model, with the
 * Wing-Gong search and Lowe's memoisation of (linearized set, state) as in Porcupine: walk the
 * events in time order, tentatively linearize any operation whose call has been seen and whose
 * model step matches its recorded result, and backtrack when a return is reached whose call was
 * not linearized yet.
 *
 * <p>States are {@code long}s (the model is a register of unique value ids, 0 = absent).
 */
public final class LinearizabilityChecker {

  /** A sequential specification. */
  public interface Model<O> {
    /** The state after {@code op} from {@code state}, or {@code null} if its recorded result is impossible. */
    Long step(long state, O op);
  }

  /** An operation with its invocation and response instants. */
  public record Operation<O>(O op, long callNanos, long returnNanos) {}

  private static final class Event {
    final int id;
    final boolean isCall;
    final long time;
    Event match;
    Event prev;
    Event next;

    Event(int id, boolean isCall, long time) {
      this.id = id;
      this.isCall = isCall;
      this.time = time;
    }

    void lift() {
      prev.next = next;
      if (next != null) {
        next.prev = prev;
      }
      match.prev.next = match.next;
      if (match.next != null) {
        match.next.prev = match.prev;
      }
    }

    void unlift() {
      match.prev.next = match;
      if (match.next != null) {
        match.next.prev = match;
      }
      prev.next = this;
      if (next != null) {
        next.prev = this;
      }
    }
  }

  private record Visited(BitSet linearized, long state) {}

  private record Frame(Event call, long stateBefore) {}

  private LinearizabilityChecker() {}

  public static <O> boolean isLinearizable(List<Operation<O>> history, long initialState, Model<O> model) {
    List<Event> events = new ArrayList<>(history.size() * 2);
    for (int i = 0; i < history.size(); i++) {
      Operation<O> op = history.get(i);
      Event call = new Event(i, true, op.callNanos());
      Event ret = new Event(i, false, op.returnNanos());
      call.match = ret;
      ret.match = call;
      events.add(call);
      events.add(ret);
    }
    // On equal instants, calls first: that treats the two operations as concurrent (lenient).
    events.sort(Comparator.comparingLong((Event e) -> e.time).thenComparing(e -> !e.isCall));
    Event head = new Event(-1, true, Long.MIN_VALUE);
    Event last = head;
    for (Event e : events) {
      last.next = e;
      e.prev = last;
      last = e;
    }

    Set<Visited> cache = new HashSet<>();
    Deque<Frame> stack = new ArrayDeque<>();
    BitSet linearized = new BitSet(history.size());
    long state = initialState;
    Event entry = head.next;
    while (head.next != null) {
      if (entry.isCall) {
        Long next = model.step(state, history.get(entry.id).op());
        if (next != null) {
          BitSet candidate = (BitSet) linearized.clone();
          candidate.set(entry.id);
          if (cache.add(new Visited(candidate, next))) {
            stack.push(new Frame(entry, state));
            state = next;
            linearized.set(entry.id);
            entry.lift();
            entry = head.next;
            continue;
          }
        }
        entry = entry.next;
      } else {
        if (stack.isEmpty()) {
          return false;
        }
        Frame top = stack.pop();
        state = top.stateBefore();
        linearized.clear(top.call().id);
        top.call().unlift();
        entry = Objects.requireNonNull(top.call().next);
      }
    }
    return true;
  }
}
