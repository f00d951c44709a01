package io.warpengine.bench.workload;

/**
 * The names of a workload's keys, {@code key:0} to {@code key:(size - 1)}, made once so that a
 * workload's loop spends no time building strings.
 */
public final class KeySpace {

  private final String[] names;

  public KeySpace(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a key space needs at least 1 key, was " + size);
    }
    names = new String[size];
    for (int i = 0; i < size; i++) {
      names[i] = "key:" + i;
    }
  }

  public int size() {
    return names.length;
  }

  /** The name of key {@code index}. */
  public String name(int index) {
    return names[index];
  }
}
