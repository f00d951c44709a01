package io.warpengine.testkit;

/**
 * The sequential specification of one key of a {@code WarpEngine}: a register holding a unique
 * value id, 0 when absent. Each operation carries the result the engine returned, and a step is
 * possible only if that result is what the register would have produced.
 */
public sealed interface RegisterModel {

  long ABSENT = 0;

  /** Whether the recorded result is possible from {@code state}; the next state, or null. */
  Long step(long state);

  /** A put of {@code value}, or one key of a putAll. */
  record Put(long value) implements RegisterModel {
    @Override public Long step(long state) {
      return value;
    }
  }

  /** A get (or one key of a getAll) that returned {@code result}. */
  record Get(long result) implements RegisterModel {
    @Override public Long step(long state) {
      return state == result ? state : null;
    }
  }

  record Contains(boolean result) implements RegisterModel {
    @Override public Long step(long state) {
      return result == (state != ABSENT) ? state : null;
    }
  }

  record Delete(boolean result) implements RegisterModel {
    @Override public Long step(long state) {
      return result == (state != ABSENT) ? ABSENT : null;
    }
  }

  /** putIfAbsent of {@code value} that returned the value id {@code result} (ABSENT if it stored). */
  record PutIfAbsent(long value, long result) implements RegisterModel {
    @Override public Long step(long state) {
      if (result != state) {
        return null;
      }
      return state == ABSENT ? value : state;
    }
  }

  /** replace(expected, value) that returned {@code result}; {@code expected} is never ABSENT. */
  record Replace(long expected, long value, boolean result) implements RegisterModel {
    @Override public Long step(long state) {
      boolean matches = state == expected;
      if (matches != result) {
        return null;
      }
      return matches ? value : state;
    }
  }

  /** A register that changes only when told to. */
  LinearizabilityChecker.Model<RegisterModel> MODEL = (state, op) -> op.step(state);

  /**
   * A register whose value may also vanish at any moment: an engine with a residency policy
   * that evicts. Every operation may be preceded by an eviction, but a value, once gone, never
   * comes back unless written again: a stale or deleted value read is still caught. Preferring
   * the step without an eviction loses nothing, since an eviction can always happen later.
   */
  LinearizabilityChecker.Model<RegisterModel> EVICTABLE = (state, op) -> {
    Long next = op.step(state);
    return next != null ? next : op.step(ABSENT);
  };
}
